package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSmallestIsTheStartOfTheSortedKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 5, 17, 100, 5000} {
		for _, n := range []int{1, 3, 20, 50, 6000} {
			keys := make([]uint64, size)
			for i := range keys {
				keys[i] = rng.Uint64N(uint64(size/3 + 1)) // duplicates too
			}
			want := slices.Clone(keys)
			slices.Sort(want)
			want = want[:min(n, size)]
			if got := Smallest(keys, n); !slices.Equal(got, want) {
				t.Fatalf("size %d, n %d: %v; want %v", size, n, got, want)
			}
		}
	}
}

func TestWordsPrefixAndPlace(t *testing.T) {
	w := NewWords(0)
	for _, s := range []string{"иванов", "ирина", "анна", "иван", "игорь"} {
		w.ID(s)
	}
	lo, hi := w.Prefix("ив")
	var got []string
	for p := lo; p < hi; p++ {
		got = append(got, w.Word(w.At(p)))
	}
	if fmt.Sprint(got) != "[иван иванов]" {
		t.Fatalf("prefix ив: %v", got)
	}
	if lo, hi := w.Prefix("я"); lo != hi {
		t.Fatalf("prefix я: %d..%d", lo, hi)
	}
	anna, _ := w.Lookup("анна")
	if w.Place(anna) != 0 {
		t.Fatalf("анна is at %d", w.Place(anna))
	}
	// A new word moves the places after it.
	w.ID("алла")
	if w.Place(anna) != 1 {
		t.Fatalf("анна is at %d after алла", w.Place(anna))
	}
}

func TestTextsFindEachDocumentOnce(t *testing.T) {
	tx := NewTexts(4, 11)
	for _, s := range []string{"79120001122", "", "79121912912", "89001112233"} {
		tx.Add(s)
	}
	var got []string
	tx.Find([]byte("912"), func(doc int32, off int) { got = append(got, fmt.Sprint(doc, ":", off)) })
	if fmt.Sprint(got) != "[0:1 2:1]" {
		t.Fatalf("912 → %v", got)
	}
	got = nil
	tx.Find([]byte("233"), func(doc int32, off int) { got = append(got, fmt.Sprint(doc, ":", off)) })
	if fmt.Sprint(got) != "[3:8]" || string(tx.Text(3)) != "89001112233" || len(tx.Text(1)) != 0 {
		t.Fatalf("233 → %v", got)
	}
}

func TestHitsDocsByRankThenDocument(t *testing.T) {
	for _, n := range []int{10, 100_000} { // few hits sorted; many read off the table
		var h Hits
		h.Note(int32(n-1), 0) // the table is n long
		h.Note(7, 2)
		h.Note(3, 1)
		h.Note(7, 1) // a better rank wins
		h.Note(5, 0)
		h.Note(3, 4) // a worse one does not
		if got := fmt.Sprint(h.Docs(3)); got != fmt.Sprint([]int32{5, int32(n - 1), 3}) {
			t.Fatalf("n %d: %s", n, got)
		}
		if h.Len() != 0 || len(h.Docs(10)) != 0 {
			t.Fatalf("n %d: hits not cleared", n)
		}
	}
	// Many hits: the walk and the sort agree.
	var walk, sorted Hits
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		doc, rank := int32(rng.IntN(6000)), rng.IntN(5)
		walk.Note(doc, rank)
		sorted.Note(doc, rank)
	}
	sorted.Note(100_000, 0) // makes the table sparse: the sort path
	a := walk.Docs(50)
	b := slices.DeleteFunc(sorted.Docs(51), func(doc int32) bool { return doc == 100_000 })[:50]
	if !slices.Equal(a, b) {
		t.Fatalf("walk %v\nsort %v", a, b)
	}
}

func TestPhonesFindAtEveryPosition(t *testing.T) {
	nums := []string{"79120001122", "", "7", "79121912912", "89001112233", "912", "73432912000"}
	var p Phones = NewPhones(0)
	for i, s := range nums {
		p.Add(s)
		if i == 2 {
			p.Find([]byte("7"), func(int32, int) {}) // the index made: the rest are added after it
		}
	}
	for _, pat := range []string{"912", "7912", "12", "233", "0", "89", "7343", "9"} {
		seen := map[int32]bool{}
		p.Find([]byte(pat), func(doc int32, at int) {
			seen[doc] = true
			if i := strings.Index(nums[doc][min(at, 2):], pat); i < 0 || at < 2 && i != 0 {
				t.Errorf("%q in %q: not at %d", pat, nums[doc], at)
			}
		})
		for doc, s := range nums {
			if want := strings.Contains(s, pat); seen[int32(doc)] != want {
				t.Errorf("%q in %q: found %v", pat, s, seen[int32(doc)])
			}
			if got := string(p.Digits(int32(doc), nil)); got != s || p.Len(int32(doc)) != len(s) {
				t.Errorf("digits of %d: %q", doc, got)
			}
		}
		starts := map[int32]int{}
		p.Prefix([]byte(pat), func(doc int32) { starts[doc]++ })
		for doc, s := range nums {
			if want := strings.HasPrefix(s, pat); (starts[int32(doc)] == 1) != want || starts[int32(doc)] > 1 {
				t.Errorf("%q starts %q: found %d times", pat, s, starts[int32(doc)])
			}
		}
		p.Prepare()
		for doc, s := range nums {
			if got := string(p.Digits(int32(doc), nil)); got != s {
				t.Errorf("digits of %d: %q", doc, got)
			}
		}
	}
}

func TestGramsFindEveryPart(t *testing.T) {
	texts := []string{"a.smirnova84@mail.ru", "", "x", "ivan_petrov1990@gmail.com", "зоя@почта.рф", "ab", "mail"}
	tx := NewTexts(0, 0)
	var g Grams
	for i, s := range texts {
		tx.Add(s)
		if i == 3 {
			g.Find(&tx, []byte("ma"), func(int32) {}) // the lists made: the rest are added after them
		}
	}
	for round := range 2 {
		for _, pat := range []string{"ma", "mail", "smirnova", "ru", "@", "a", "ab", "b", "ail.", "почта", "я@", "u", "om", "zz", "1990@g"} {
			seen := map[int32]bool{}
			g.Find(&tx, []byte(pat), func(doc int32) { seen[doc] = true })
			for doc, s := range texts {
				if want := strings.Contains(s, pat); seen[int32(doc)] != want {
					t.Errorf("round %d: %q in %q: found %v", round, pat, s, seen[int32(doc)])
				}
			}
		}
		g.Prepare(&tx)
	}
}
