package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/models"
)

func search(t *testing.T, c *Club, q string, limit int) []models.Client {
	t.Helper()
	res, err := c.SearchClients(bg, q, limit)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res
}

func ids(cs []models.Client) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func hasNamePrefix(c models.Client, prefix string) bool {
	for _, n := range []string{c.LastName, c.FirstName, c.MiddleName} {
		if strings.HasPrefix(fold(n), fold(prefix)) {
			return true
		}
	}
	return false
}

func TestSearchNames(t *testing.T) {
	c := newClub(t, testNow, nil)
	res := search(t, c, "смир анна", 50)
	if len(res) == 0 {
		t.Fatal("смир анна: nothing")
	}
	for _, cl := range res {
		if !hasNamePrefix(cl, "смир") || !hasNamePrefix(cl, "анна") {
			t.Errorf("смир анна found %s", cl.FullName())
		}
	}
	if !reflect.DeepEqual(ids(res), ids(search(t, c, "Анна Смир", 50))) {
		t.Error("word order changes the result")
	}
	// Exact surnames rank above longer ones, and surnames above
	// patronymics: Иванов, then Иванова, then Петров Иван Иванович.
	res = search(t, c, "Иванов", 1000)
	stage := 0
	for _, cl := range res {
		s := 3
		switch {
		case cl.LastName == "Иванов":
			s = 1
		case cl.LastName == "Иванова":
			s = 2
		case !strings.HasPrefix(cl.MiddleName, "Иванов"):
			t.Errorf("Иванов found %s", cl.FullName())
		}
		if s < stage {
			t.Fatalf("%s ranked too late", cl.FullName())
		}
		stage = s
	}
	if stage != 3 {
		t.Error("Иванов did not find Иванова and Иванович")
	}
	// Every showcase client is found by surname, on the first screen.
	for i, s := range showcase {
		for _, q := range []string{s.last, strings.ToLower(s.last[:len(s.last)-2]), fold(s.last)} {
			res := search(t, c, q, 10)
			if len(res) == 0 || res[0].ID != c.all()[i].ID {
				t.Errorf("search %q: %v, want %s first", q, ids(res), c.all()[i].ID)
			}
		}
	}
	if res := search(t, c, "новосел", 10); len(res) != 1 || res[0].ID != idNew {
		t.Errorf("новосел (е for ё): %v", ids(res))
	}
	if res := search(t, c, "vjhjpjdf", 10); len(res) != 1 || res[0].ID != idFrozen {
		t.Errorf("морозова typed in the US layout: %v", ids(res))
	}
	if res := search(t, c, "Зеленина Ольга Сергеевна", 10); len(res) != 1 || res[0].ID != idGreen {
		t.Errorf("full name: %v", ids(res))
	}
	for _, q := range []string{"", "   ", "щщщщ", "ъ"} {
		if res := search(t, c, q, 10); len(res) != 0 {
			t.Errorf("search %q found %v", q, ids(res))
		}
	}
	if res := search(t, c, "а", 7); len(res) != 7 {
		t.Errorf("limit 7 gave %d", len(res))
	}
	if !reflect.DeepEqual(search(t, c, "а", 30), search(t, c, "а", 30)) {
		t.Error("the same search gives different answers")
	}
}

func TestSearchPhones(t *testing.T) {
	c := newClub(t, testNow, nil)
	for _, q := range []string{"+7 916 555-00-01", "89165550001", "9165550001", "+7 (916) 555-00-01", "555-00-01", "79165550001"} {
		if res := search(t, c, q, 10); len(res) == 0 || res[0].ID != idGreen {
			t.Errorf("search %q: %v, want Зеленина first", q, ids(res))
		}
	}
	for _, q := range []string{"+7 916", "8916", "8 916 555"} {
		want := "7" + models.PhoneDigits(q)[1:]
		res := search(t, c, q, 100)
		if len(res) == 0 {
			t.Errorf("search %q: nothing", q)
		}
		for _, cl := range res {
			if d := models.PhoneDigits(cl.Phone); !strings.HasPrefix(d, want) && !strings.Contains(d, models.PhoneDigits(q)) {
				t.Errorf("search %q found %s %s", q, cl.ShortName(), cl.Phone)
			}
		}
	}
	res := search(t, c, "555-00", 20)
	for i := range showcase {
		if !strings.Contains(strings.Join(ids(res), " "), c.all()[i].ID) {
			t.Errorf("555-00 did not find showcase %s", c.all()[i].ID)
		}
	}
	if res := search(t, c, "12", 10); len(res) != 0 {
		t.Errorf("two digits searched phones: %v", ids(res))
	}
}

func TestSearchEmailAndCards(t *testing.T) {
	c := newClub(t, testNow, nil)
	for _, q := range []string{"o.zelenina", "zelenina@mail", "O.ZELENINA@MAIL.RU", "zelenina"} {
		if res := search(t, c, q, 10); len(res) == 0 || res[0].ID != idGreen {
			t.Errorf("search %q: %v, want Зеленина", q, ids(res))
		}
	}
	for _, cl := range search(t, c, "yandex.ru", 50) {
		if !strings.Contains(cl.Email, "yandex.ru") {
			t.Errorf("yandex.ru found %s", cl.Email)
		}
	}
	for _, q := range []string{"0040856634", "01026F6C3A", "07302202", "111,27706"} {
		if res := search(t, c, q, 10); len(res) == 0 || res[0].ID != idGreen {
			t.Errorf("search card %q: %v, want Зеленина first", q, ids(res))
		}
	}
	// Names rank above e-mails: "vjhjpjdf" is морозова in the wrong layout,
	// and part of someone's address.
	cl, err := c.CreateClient(bg, models.NewClient{LastName: "Тестова", FirstName: "Ия", Phone: "+7 999 111-22-33",
		Email: "vjhjpjdf.fan@mail.ru"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(search(t, c, "vjhjpjdf", 10)); !reflect.DeepEqual(got, []string{idFrozen, cl.ID}) {
		t.Errorf("vjhjpjdf: %v, want [%s %s]", got, idFrozen, cl.ID)
	}
	// An exact card ranks above everything else the digits match.
	gen := c.all()[len(showcase)+3]
	for len(gen.Cards) == 0 {
		gen = c.all()[gen.idx+1]
	}
	if res := search(t, c, gen.Cards[0], 10); len(res) == 0 || res[0].ID != gen.ID {
		t.Errorf("search card %s: %v, want %s first", gen.Cards[0], ids(res), gen.ID)
	}
}

func TestHitOrder(t *testing.T) {
	order := []int32{2, 0, 1} // words 1, 2, 0 in alphabetical order
	keys := []uint64{
		hitKey(rankEmail, [3]int32{1, 1, -1}, order, 0),
		hitKey(rankPhone, [3]int32{0, 1, -1}, order, 1),
		hitKey(rankName, [3]int32{0, 1, 2}, order, 2),
		hitKey(rankName, [3]int32{2, 1, 2}, order, 3),
		hitKey(rankName, [3]int32{2, 1, -1}, order, 4),
		hitKey(rankExactCard, [3]int32{0, 0, 0}, order, ciMask),
	}
	want := []uint64{ciMask, 4, 3, 2, 1, 0}
	slices.Sort(keys)
	for i, k := range keys {
		if k&ciMask != want[i] {
			t.Fatalf("hit %d is client %d, want %d", i, k&ciMask, want[i])
		}
	}
}

// A page is the front of the whole result, whatever its size: a one-word
// query reads its page off the lists by name, a longer one sorts its
// matches, and both must agree with the order shown. Clients registered
// after the lists were made are found in the same order.
func TestSearchPageIsTheFrontOfTheResult(t *testing.T) {
	c := newClub(t, testNow, nil)
	queries := []string{"и", "а", "ан", "смир", "иванов", "анна", "ив ив", "смир анна", "ма", "sm", "ma", "mail", "7912", "916", "+7 916", "8916", "0040856634", "ghjcnj"}
	check := func() {
		t.Helper()
		for _, q := range queries {
			all := search(t, c, q, 1<<20)
			for _, lim := range []int{1, 3, 20, 50, 400} {
				if got, want := ids(search(t, c, q, lim)), ids(all[:min(lim, len(all))]); !slices.Equal(got, want) {
					t.Errorf("%q, %d: %v, want %v", q, lim, got, want)
				}
			}
		}
	}
	check()
	for i, name := range []string{"Иванова", "Аникеева", "Смирнова"} {
		if _, err := c.CreateClient(bg, models.NewClient{LastName: name, FirstName: "Анна", MiddleName: "Ивановна",
			Phone: "+7 912 000-00-0" + string(rune('1'+i)), Email: "smirnova.anna@mail.ru"}); err != nil {
			t.Fatal(err)
		}
	}
	check()
	if res := search(t, c, "Аникеева", 5); len(res) != 1 || res[0].LastName != "Аникеева" {
		t.Errorf("a registered client by surname: %v", ids(res))
	}
}

// The indexes a big club makes in the background give the answers the
// ones made at the first search give, whether a search comes before,
// during or after them, and a client registered meanwhile is found.
func TestIndexesMadeInTheBackground(t *testing.T) {
	queries := []string{"и", "смир анна", "иванов", "7912", "8916", "+7 916", "0040856634", "07302202", "smirnova", "ma", "ghjcnj"}
	answers := func(c *Club) []string {
		var out []string
		for _, q := range queries {
			out = append(out, strings.Join(ids(search(t, c, q, 50)), " "))
		}
		return out
	}
	lazy := newClub(t, testNow, map[string]any{"clients": 20000})
	want := answers(lazy)
	defer func(n int) { warmFrom = n }(warmFrom)
	warmFrom = 1000
	for _, early := range []bool{false, true} {
		c := newClub(t, testNow, map[string]any{"clients": 20000})
		if early {
			search(t, c, "смир", 50) // while the indexes are being made
			if _, err := c.CreateClient(bg, models.NewClient{LastName: "Иванова", FirstName: "Анна", Phone: "+7 912 000-00-01"}); err != nil {
				t.Fatal(err)
			}
		}
		<-c.warmed
		if c.search.byName.built == 0 || c.search.mailIx.Bytes() == 0 {
			t.Fatal("the indexes were not made")
		}
		got := answers(c)
		for i, q := range queries {
			if !early && got[i] != want[i] {
				t.Errorf("%q: %s\nwant %s", q, got[i], want[i])
			}
		}
		if early {
			if res := search(t, c, "иванова анна", 1000); !slices.ContainsFunc(res, func(cl models.Client) bool { return cl.Phone == "+7 912 000-00-01" }) {
				t.Error("the client registered while the indexes were made is not found")
			}
		}
	}
}
