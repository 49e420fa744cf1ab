package demo

import (
	"slices"
	"strings"

	index "github.com/clubdesk/clubdesk/providers/search"
)

// byName is the club's clients in the order results are shown (the order
// of hitKey: surname, name and patronymic by their places in the
// vocabulary, then the client's index), and every word's clients in that
// order, those whose surname it is apart from the others. A one-word query
// then reads its page off the front of a few lists: the clients whose
// surname starts with it, word by word in alphabetical order, are already
// in the order shown; the rest (a name or patronymic starting with it) are
// a merge of a few lists, taken only as far as the page goes. A keystroke
// costs the page, not the matches: "и" at a million clients matches a
// hundred thousand, and reads fifty.
//
// It is made at the first name search, in a few passes over the clients (a
// radix sort by their names' places, then the lists counted and filled); clients
// registered after that are few and checked one by one, until there are
// so many that it is made again.
type byName struct {
	built int     // clients in it: ci < built
	words int     // the vocabulary's size when it was made
	docAt []int32 // position → client
	// A word's clients by position: list id for those whose surname it is,
	// words+id for the others (about a byte each: varint differences).
	lists index.Lists
}

// byNameTail is how many clients registered after byName was made are
// checked one by one before it is made again.
const byNameTail = 1024

// namesReady makes the lists when they are missing or too far behind.
func (s *searchIndex) namesReady() *byName {
	b := &s.byName
	if n := s.names.len(); n > 0 && (b.built == 0 || n-b.built > byNameTail) {
		s.byName = makeByName(&s.names, s.words.Places())
	}
	return b
}

// makeByName makes the lists of clients with these names, their words at
// these places in alphabetical order. It only reads them, so it may run
// on a copy of the club's slices while the club grows.
func makeByName(names *nameTable, order []int32) byName {
	n := names.len()
	// Clients are in client order; a stable radix sort on the three
	// places as hitKey packs them (the patronymic's first) leaves them in
	// hitKey's order.
	perm, tmp := make([]int32, n), make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	digit := func(ci int32, j int) int {
		if id := names.ids(ci)[j]; id >= 0 {
			return int(min(order[id]+1, maxWordPlace))
		}
		return 0
	}
	var count [1 << placeBits]int
	for j := 2; j >= 0; j-- {
		clear(count[:])
		for _, ci := range perm {
			count[digit(ci, j)]++
		}
		at := 0
		for i, c := range count {
			count[i] = at
			at += c
		}
		for _, ci := range perm {
			d := digit(ci, j)
			tmp[count[d]] = ci
			count[d]++
		}
		perm, tmp = tmp, perm
	}
	tmp = nil
	words := len(order)
	b := byName{built: n, words: words, docAt: perm}
	// Each of a client's words once: as the surname if it is one.
	b.lists = index.MakeLists(2*words, n, func(r int32, emit func(int)) {
		ids := names.ids(b.docAt[r])
		for j, id := range ids {
			switch {
			case id < 0 || j > 0 && id == ids[0]:
			case j == 0:
				emit(int(id))
			default:
				emit(words + int(id))
			}
		}
	})
	return b
}

// surnames walks the positions of the clients whose surname is word id.
func (b *byName) surnames(id int32) index.Cursor {
	if int(id) >= b.words {
		return index.Cursor{}
	}
	return b.lists.Cursor(int(id))
}

// others walks the positions of the clients who have word id as their
// name or patronymic but not as their surname.
func (b *byName) others(id int32) index.Cursor {
	if int(id) >= b.words {
		return index.Cursor{}
	}
	return b.lists.Cursor(b.words + int(id))
}

// size is about how many clients have word id.
func (b *byName) size(id int32) int {
	if int(id) >= b.words {
		return 0
	}
	return int(b.lists.Size(int(id)) + b.lists.Size(b.words+int(id)))
}

// nameRank is how a client's names answer the query's words, if they all
// start one of them.
func (s *searchIndex) nameRank(ci int32, tokens []string) (int, bool) {
	ids := s.names.ids(ci)
	last, first, middle := s.words.Word(ids[0]), s.words.Word(ids[1]), s.words.Word(ids[2])
	rank := rankName
	for _, t := range tokens {
		switch {
		case t == last:
			rank = rankExactSurname
		case rank == rankName && strings.HasPrefix(last, t):
			rank = rankSurname
		}
		if !strings.HasPrefix(last, t) && !strings.HasPrefix(first, t) && !strings.HasPrefix(middle, t) {
			return 0, false
		}
	}
	return rank, true
}

// searchNames matches every token as the prefix of one of a client's
// names, noting at least the first limit matches in the order shown (all
// of them when there are several tokens: the rarest token picks the
// candidates, the rest check them).
func (c *Club) searchNames(tokens []string, limit int, note func(int32, int)) {
	s := &c.search
	b := s.namesReady()
	// Clients registered since the lists were made.
	for ci := int32(b.built); ci < int32(s.names.len()); ci++ {
		if rank, ok := s.nameRank(ci, tokens); ok {
			note(ci, rank)
		}
	}
	if len(tokens) == 1 {
		c.firstNames(tokens[0], limit, note)
		return
	}
	type rng struct{ lo, hi int }
	best, bestSize := rng{}, -1
	for _, t := range tokens {
		lo, hi := s.words.Prefix(t)
		size := 0
		for k := lo; k < hi; k++ {
			size += b.size(s.words.At(k))
		}
		if size == 0 {
			return
		}
		if bestSize < 0 || size < bestSize {
			best, bestSize = rng{lo, hi}, size
		}
	}
	for k := best.lo; k < best.hi; k++ {
		id := s.words.At(k)
		for _, cur := range []index.Cursor{b.surnames(id), b.others(id)} {
			for cur.Next() {
				ci := b.docAt[cur.Doc]
				if rank, ok := s.nameRank(ci, tokens); ok {
					note(ci, rank)
				}
			}
		}
	}
}

// firstNames notes the first limit clients, in the order shown, one of
// whose names starts with t: first those whose surname does (t itself
// first, then the surnames after it, each list already in order), then, if
// the page is not full, a merge of the other lists.
func (c *Club) firstNames(t string, limit int, note func(int32, int)) {
	s := &c.search
	b := &s.byName
	lo, hi := s.words.Prefix(t)
	got := 0
	for k := lo; k < hi && got < limit; k++ {
		id := s.words.At(k)
		rank := rankSurname
		if s.words.Word(id) == t {
			rank = rankExactSurname
		}
		for cur := b.surnames(id); cur.Next(); {
			note(b.docAt[cur.Doc], rank)
			if got++; got == limit {
				return
			}
		}
	}
	// The heads of the other lists; a list that ends leaves.
	lists := make([]index.Cursor, 0, hi-lo)
	for k := lo; k < hi; k++ {
		if cur := b.others(s.words.At(k)); cur.Next() {
			lists = append(lists, cur)
		}
	}
	places := s.words.Places()
	last := int32(-1)
	for got < limit {
		// The smallest position at the head of a list (a few dozen lists
		// at most: a linear pick).
		if len(lists) == 0 {
			return
		}
		min := 0
		for i := range lists {
			if lists[i].Doc < lists[min].Doc {
				min = i
			}
		}
		r := lists[min].Doc
		if !lists[min].Next() {
			lists = slices.Delete(lists, min, min+1)
		}
		if r == last {
			continue // a name and a patronymic that both start with t
		}
		last = r
		ci := b.docAt[r]
		if sur := s.names.ids(ci)[0]; sur >= 0 && int(places[sur]) >= lo && int(places[sur]) < hi {
			continue // noted above, with its surname
		}
		note(ci, rankName)
		got++
	}
}
