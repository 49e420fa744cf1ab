// Package search is the index an adapter searches clients in when the CRM
// cannot (Go-CRM has no search call; the demo club is its own CRM), so
// that a keystroke costs the same at any club size:
//
//   - Words is a vocabulary of folded name words, each with the documents
//     (clients) that bear it. Names are folded once, when they are indexed;
//     a query's word is a prefix, found by binary search over the sorted
//     words, and its documents are a walk over a few postings. A word's
//     place in alphabetical order is an integer, so that checking "does
//     this client have a word starting with the query's" and ordering by
//     name compare integers, never strings.
//   - Texts keeps one short text per document (phone digits, an e-mail) in
//     one buffer; Grams finds the texts that hold a pattern through lists
//     of the documents with each three characters, so an e-mail's part is
//     the rarest list checked, not a pass over the buffer.
//   - Phones finds digits anywhere in a number: typed from its start
//     through a list ordered by the number, further in through the lists
//     of three digits.
//   - Lists are lists of documents in order as varint differences (about a
//     byte a document), the form Grams', Phones' and a caller's own lists
//     take; made in two passes, counted then filled, at their exact size.
//   - Hits collects matches with a rank, each document once at its best
//     rank, and gives back only the page the screen shows: the smallest
//     (rank, document) pairs, without sorting every match.
//
// Documents are int32 indexes chosen by the caller. Nothing here is safe
// for concurrent use on its own: the caller holds a lock while it changes an
// index, and gives every concurrent search its own Hits.
package search

import (
	"bytes"
	"slices"
	"sort"
	"strings"
)

// Fold is the form names are compared in: lower case, ё read as е, the way
// receptionists type.
func Fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ё", "е")
}

// Words is a vocabulary: word ids are given in the order words arrive and
// never change; places (positions in alphabetical order) are recomputed
// when a new word arrives.
type Words struct {
	words  []string
	ids    map[string]int32
	sorted []int32   // word ids in word order; nil when stale
	place  []int32   // word id → position in sorted; nil when stale
	post   [][]int32 // word id → documents, in the order they were added
}

// NewWords returns an empty vocabulary with room for n words.
func NewWords(n int) *Words {
	return &Words{ids: make(map[string]int32, n)}
}

// Clone copies the vocabulary and its postings' headers (the postings are
// shared until appended to: append never writes into a shared array's
// visible part, as each clone only ever appends to its own copy's length).
func (w *Words) Clone() *Words {
	c := &Words{
		words: slices.Clone(w.words), ids: make(map[string]int32, len(w.ids)+16),
		sorted: slices.Clone(w.sorted), place: slices.Clone(w.place),
	}
	for k, v := range w.ids {
		c.ids[k] = v
	}
	c.post = make([][]int32, len(w.post))
	for i, p := range w.post {
		c.post[i] = p[:len(p):len(p)]
	}
	return c
}

// ID is the id of a folded word, added when new.
func (w *Words) ID(word string) int32 {
	if id, ok := w.ids[word]; ok {
		return id
	}
	id := int32(len(w.words))
	w.words = append(w.words, word)
	w.ids[word] = id
	w.post = append(w.post, nil)
	w.sorted, w.place = nil, nil
	return id
}

// Lookup is the id of a word, if the vocabulary has it.
func (w *Words) Lookup(word string) (int32, bool) {
	id, ok := w.ids[word]
	return id, ok
}

// Len is the number of words.
func (w *Words) Len() int { return len(w.words) }

// Word is the word of an id; "" for a negative id.
func (w *Words) Word(id int32) string {
	if id < 0 {
		return ""
	}
	return w.words[id]
}

// Add lists document doc under word id. A document added twice under one
// word is listed twice: callers add each of a document's words once.
func (w *Words) Add(id, doc int32) { w.post[id] = append(w.post[id], doc) }

// Compact packs the postings into one array, once they are all added
// (appending leaves each up to twice its size); adding more still works.
func (w *Words) Compact() { compact(w.post) }

// Docs are the documents of a word, in the order they were added.
func (w *Words) Docs(id int32) []int32 { return w.post[id] }

func (w *Words) order() {
	if w.sorted != nil {
		return
	}
	w.sorted = make([]int32, len(w.words))
	for i := range w.sorted {
		w.sorted[i] = int32(i)
	}
	slices.SortFunc(w.sorted, func(a, b int32) int { return strings.Compare(w.words[a], w.words[b]) })
	w.place = make([]int32, len(w.words))
	for pos, id := range w.sorted {
		w.place[id] = int32(pos)
	}
}

// Place is a word's position in alphabetical order.
func (w *Words) Place(id int32) int32 {
	w.order()
	return w.place[id]
}

// Places is every word's position in alphabetical order, by word id; valid
// until the next word is added.
func (w *Words) Places() []int32 {
	w.order()
	return w.place
}

// At is the word id at a position in alphabetical order.
func (w *Words) At(pos int) int32 {
	w.order()
	return w.sorted[pos]
}

// Prefix is the range of positions [lo, hi) whose words start with p.
func (w *Words) Prefix(p string) (lo, hi int) {
	w.order()
	lo, _ = slices.BinarySearchFunc(w.sorted, p, func(id int32, p string) int { return strings.Compare(w.words[id], p) })
	hi = lo
	for hi < len(w.sorted) && strings.HasPrefix(w.words[w.sorted[hi]], p) {
		hi++
	}
	return lo, hi
}

// Texts keeps one short text per document, in document order, in one
// buffer: each text is preceded by '\n', so a pattern without '\n' never
// spans two documents.
type Texts struct {
	buf []byte
	at  []int32 // document → offset of its '\n'
}

// NewTexts returns an empty Texts with room for n documents of about size
// bytes each.
func NewTexts(n, size int) Texts {
	return Texts{buf: make([]byte, 0, n*(size+1)), at: make([]int32, 0, n)}
}

// Add appends the next document's text; newlines in it become spaces.
func (t *Texts) Add(s string) {
	t.at = append(t.at, int32(len(t.buf)))
	t.buf = append(t.buf, '\n')
	start := len(t.buf)
	t.buf = append(t.buf, s...)
	for i := start; i < len(t.buf); i++ {
		if t.buf[i] == '\n' {
			t.buf[i] = ' '
		}
	}
}

// Len is the number of documents.
func (t *Texts) Len() int { return len(t.at) }

// Text is a document's text; valid until the next Add.
func (t *Texts) Text(doc int32) []byte {
	end := len(t.buf)
	if int(doc)+1 < len(t.at) {
		end = int(t.at[doc+1])
	}
	return t.buf[t.at[doc]+1 : end]
}

// Find reports every document whose text holds pat, once each, in
// document order, with where the first occurrence starts in the text.
func (t *Texts) Find(pat []byte, found func(doc int32, off int)) {
	if len(pat) == 0 || bytes.IndexByte(pat, '\n') >= 0 {
		return
	}
	for from := 0; from < len(t.buf); {
		i := bytes.Index(t.buf[from:], pat)
		if i < 0 {
			return
		}
		at := from + i
		doc, ok := slices.BinarySearch(t.at, int32(at))
		if !ok {
			doc--
		}
		found(int32(doc), at-int(t.at[doc])-1)
		if doc+1 >= len(t.at) {
			return
		}
		from = int(t.at[doc+1])
	}
}

// Hits collects the documents a query matches, each at the best (lowest)
// rank it was found with; ranks are 0 to 254. One Hits serves one search
// at a time and is reused: it is cleared as it is read.
type Hits struct {
	best    []uint8 // rank+1 per document; 0 when not hit
	touched []int32
	ranks   uint64 // which ranks (up to 63) were noted; bit 63: a higher one
}

// Note records that doc matches at rank.
func (h *Hits) Note(doc int32, rank int) {
	for int(doc) >= len(h.best) {
		h.best = append(h.best, 0)
	}
	r := uint8(min(rank, 254) + 1)
	switch b := h.best[doc]; {
	case b == 0:
		h.touched = append(h.touched, doc)
		h.best[doc] = r
	case b > r:
		h.best[doc] = r
	}
	h.ranks |= 1 << min(rank, 63)
}

// Len is the number of documents hit.
func (h *Hits) Len() int { return len(h.touched) }

// Keys turns every hit into a sort key (key gives it from the document and
// its rank), clears the hits, and returns the keys.
func (h *Hits) Keys(key func(doc int32, rank int) uint64) []uint64 {
	out := make([]uint64, len(h.touched))
	for i, doc := range h.touched {
		out[i] = key(doc, int(h.best[doc])-1)
		h.best[doc] = 0
	}
	h.reset()
	return out
}

func (h *Hits) reset() {
	h.touched, h.ranks = h.touched[:0], 0
}

// Docs returns at most limit hit documents ordered by rank, then by
// document, and clears the hits. Many hits are read off the per-document
// table rank by rank (a walk of bytes, no sort); few are sorted.
func (h *Hits) Docs(limit int) []int32 {
	n := min(limit, len(h.touched))
	out := make([]int32, 0, n)
	if len(h.touched)*32 < len(h.best) || h.ranks>>63 != 0 {
		keys := h.Keys(func(doc int32, rank int) uint64 { return uint64(rank)<<32 | uint64(uint32(doc)) })
		for _, k := range Smallest(keys, n) {
			out = append(out, int32(uint32(k)))
		}
		return out
	}
	for r := 0; r < 63 && len(out) < n; r++ {
		if h.ranks&(1<<r) == 0 {
			continue
		}
		want := uint8(r + 1)
		for doc, b := range h.best {
			if b == want {
				out = append(out, int32(doc))
				if len(out) == n {
					break
				}
			}
		}
	}
	for _, doc := range h.touched {
		h.best[doc] = 0
	}
	h.reset()
	return out
}

// Smallest returns the n smallest keys in ascending order, reordering keys
// in place: a selection (quickselect) then a sort of those n, so a match of
// the whole club costs a pass over it, not a sort of it.
func Smallest(keys []uint64, n int) []uint64 {
	if n <= 0 {
		return nil
	}
	if n < len(keys) {
		selectSmallest(keys, n)
		keys = keys[:n]
	}
	slices.Sort(keys)
	return keys
}

// selectSmallest moves the n smallest keys to keys[:n] (Hoare's selection,
// median of three).
func selectSmallest(keys []uint64, n int) {
	lo, hi := 0, len(keys)-1
	for hi-lo > 16 {
		mid := lo + (hi-lo)/2
		if keys[mid] < keys[lo] {
			keys[mid], keys[lo] = keys[lo], keys[mid]
		}
		if keys[hi] < keys[lo] {
			keys[hi], keys[lo] = keys[lo], keys[hi]
		}
		if keys[hi] < keys[mid] {
			keys[hi], keys[mid] = keys[mid], keys[hi]
		}
		pivot := keys[mid]
		i, j := lo, hi
		for i <= j {
			for keys[i] < pivot {
				i++
			}
			for keys[j] > pivot {
				j--
			}
			if i <= j {
				keys[i], keys[j] = keys[j], keys[i]
				i++
				j--
			}
		}
		switch {
		case n-1 <= j:
			hi = j
		case n-1 >= i:
			lo = i
		default:
			return
		}
	}
	slices.Sort(keys[lo : hi+1])
}

// Phones indexes phone digits for "these digits anywhere in the number",
// at a club where most numbers share their first digits (7, then one of a
// few operator codes). Digits typed from the start of a number match at
// its first or second digit in almost every number: those matches come
// from a list ordered by the number from its second digit, a range found
// by binary search; matches further in are rare, and come from the
// documents that have the rarest three of the digits typed from the third
// digit on. Neither walks the whole club.
//
// The list and the lists of three digits are made at the first search (or
// Prepare), in one pass each; numbers added after that are few (the desk
// registering someone) and are checked one by one, until there are so many
// that the index is made again.
type Phones struct {
	head   []byte // doc → its first two digits; 0 where the number is shorter
	rest   Texts  // doc → its digits from the third on
	second []int32
	// tri lists, for each three digits (000 to 999), the documents that
	// have them from the third digit on.
	tri   Lists
	built int // documents in second and tri
}

// docBits is how many documents Prepare sorts one word each for.
const docBits = 24

// phonesTail is how many numbers added after the index was made are
// checked one by one before it is made again.
const phonesTail = 1024

// NewPhones returns an empty index with room for n numbers.
func NewPhones(n int) Phones {
	return Phones{head: make([]byte, 0, 2*n), rest: NewTexts(n, 9)}
}

// Add appends the next document's number, as digits.
func (p *Phones) Add(digits string) {
	var h [2]byte
	copy(h[:], digits)
	p.head = append(p.head, h[0], h[1])
	if len(digits) > 2 {
		p.rest.Add(digits[2:])
	} else {
		p.rest.Add("")
	}
}

// docs is the number of documents.
func (p *Phones) docs() int { return len(p.head) / 2 }

// trigram numbers three digits.
func trigram[S string | []byte](d S) (int, bool) {
	t := 0
	for i := range 3 {
		c := d[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		t = t*10 + int(c-'0')
	}
	return t, true
}

// Digits is a document's number, written into buf.
func (p *Phones) Digits(doc int32, buf []byte) []byte {
	buf = buf[:0]
	for _, d := range p.head[2*doc : 2*doc+2] {
		if d != 0 {
			buf = append(buf, d)
		}
	}
	return append(buf, p.rest.Text(doc)...)
}

// fromSecond compares a document's number from its second digit with pat,
// as far as pat goes: 0 when the number continues with pat.
func (p *Phones) fromSecond(doc int32, pat []byte) int {
	if len(pat) == 0 {
		return 0
	}
	d := p.head[2*doc+1]
	if d != pat[0] {
		if d == 0 || d < pat[0] {
			return -1
		}
		return 1
	}
	rest, pat := p.rest.Text(doc), pat[1:]
	if len(rest) >= len(pat) {
		return bytes.Compare(rest[:len(pat)], pat)
	}
	if c := bytes.Compare(rest, pat[:len(rest)]); c != 0 {
		return c
	}
	return -1
}

// secondKey is a number from its second digit as an integer that sorts as
// the digits do, as far as its first 15 digits go: a nibble a digit (0 for
// none, 1 below '0', 2 to 11 for '0' to '9', 12 above '9').
func (p *Phones) secondKey(doc int32) uint64 {
	var k uint64
	n := 0
	put := func(c byte) {
		v := uint64(12)
		switch {
		case c < '0':
			v = 1
		case c <= '9':
			v = uint64(c-'0') + 2
		}
		k |= v << (60 - 4*n)
		n++
	}
	d := p.head[2*doc+1]
	if d == 0 {
		return 0
	}
	put(d)
	for _, c := range p.rest.Text(doc) {
		if n == 15 {
			break
		}
		put(c)
	}
	return k
}

// ready makes the index when it is missing or too far behind.
func (p *Phones) ready() {
	if n := p.docs(); n > 0 && (p.built == 0 || n-p.built > phonesTail) {
		p.Prepare()
	}
}

// Prepare makes the index now rather than at the first search.
func (p *Phones) Prepare() {
	n := p.docs()
	var a, b []byte
	full := func(x, y int32) int {
		a = append(append(a[:0], p.head[2*x+1]), p.rest.Text(x)...)
		b = append(append(b[:0], p.head[2*y+1]), p.rest.Text(y)...)
		if c := bytes.Compare(a, b); c != 0 {
			return c
		}
		return int(x - y)
	}
	p.second = make([]int32, n)
	if n < 1<<docBits {
		// One word a number: its first ten digits from the second, then
		// the document; numbers alike that far are compared in full.
		ents := make([]uint64, n)
		for i := range ents {
			ents[i] = p.secondKey(int32(i))>>(64-40)<<docBits | uint64(i)
		}
		slices.SortFunc(ents, func(x, y uint64) int {
			if kx, ky := x>>docBits, y>>docBits; kx != ky {
				if kx < ky {
					return -1
				}
				return 1
			}
			return full(int32(x&(1<<docBits-1)), int32(y&(1<<docBits-1)))
		})
		for i, e := range ents {
			p.second[i] = int32(e & (1<<docBits - 1))
		}
	} else {
		for i := range p.second {
			p.second[i] = int32(i)
		}
		slices.SortFunc(p.second, full)
	}
	p.tri = MakeLists(1000, n, func(doc int32, emit func(int)) {
		d := p.rest.Text(doc)
		for i := 0; i+3 <= len(d); i++ {
			if t, ok := trigram(d[i : i+3]); ok {
				emit(t)
			}
		}
	})
	p.built = n
}

// Adopt takes the index another Phones made of (a copy of) the same
// numbers, when it covers more of them: Prepare only reads the numbers, so
// a copy of a Phones (its slices) may be prepared while the original grows.
func (p *Phones) Adopt(o *Phones) {
	if o.built > p.built {
		p.second, p.tri, p.built = o.second, o.tri, o.built
	}
}

// compact moves lists into one array of exactly their total length.
func compact(lists [][]int32) {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	all := make([]int32, 0, n)
	for i, l := range lists {
		at := len(all)
		all = append(all, l...)
		lists[i] = all[at:len(all):len(all)]
	}
}

// Find reports every document whose number holds pat, with where: at is
// 0 or 1 for a match at the first or second digit, 2 for one further in
// (where exactly is not said). A document may be reported more than once.
func (p *Phones) Find(pat []byte, found func(doc int32, at int)) {
	if len(pat) == 0 {
		return
	}
	p.ready()
	// From the second digit: a range of the ordered list.
	p.each(pat, func(doc int32) { found(doc, 1) })
	// From the first: the second digit on continues pat[1:].
	p.each(pat[1:], func(doc int32) {
		if p.head[2*doc] == pat[0] {
			found(doc, 0)
		}
	})
	// Numbers added since the index was made.
	var buf [24]byte
	for doc := int32(p.built); doc < int32(p.docs()); doc++ {
		d := p.Digits(doc, buf[:0])
		if bytes.HasPrefix(d, pat) {
			found(doc, 0)
		}
		if len(d) > 0 && bytes.HasPrefix(d[1:], pat) {
			found(doc, 1)
		}
		if bytes.Contains(p.rest.Text(doc), pat) {
			found(doc, 2)
		}
	}
	// Further in: the documents with pat's two rarest three digits (both
	// lists in document order, walked together), checked.
	best, next := -1, -1
	for i := 0; i+3 <= len(pat); i++ {
		t, ok := trigram(pat[i : i+3])
		if !ok {
			return // not digits: no number holds it
		}
		switch {
		case t == best || t == next:
		case best < 0 || p.tri.Size(t) < p.tri.Size(best):
			best, next = t, best
		case next < 0 || p.tri.Size(t) < p.tri.Size(next):
			next = t
		}
	}
	if best < 0 {
		p.rest.Find(pat, func(doc int32, _ int) {
			if int(doc) < p.built {
				found(doc, 2)
			}
		})
		return
	}
	check := func(doc int32) {
		if bytes.Contains(p.rest.Text(doc), pat) {
			found(doc, 2)
		}
	}
	if next < 0 {
		if len(pat) == 3 {
			check = func(doc int32) { found(doc, 2) } // the three digits themselves
		}
		p.tri.Each(best, check)
		return
	}
	p.tri.Both(best, next, check)
}

// Prefix reports every document whose number starts with pat, once each.
func (p *Phones) Prefix(pat []byte, found func(doc int32)) {
	if len(pat) == 0 {
		return
	}
	p.ready()
	p.each(pat[1:], func(doc int32) {
		if p.head[2*doc] == pat[0] {
			found(doc)
		}
	})
	var buf [24]byte
	for doc := int32(p.built); doc < int32(p.docs()); doc++ {
		if bytes.HasPrefix(p.Digits(doc, buf[:0]), pat) {
			found(doc)
		}
	}
}

// FromSecond is how many numbers continue pat from their second digit
// (those added since the index was made counted as if they all did): a
// bound on how many Find reports at the second digit, and, with pat[1:],
// on how many numbers start with pat.
func (p *Phones) FromSecond(pat []byte) int {
	p.ready()
	lo, hi := p.span(pat)
	return hi - lo + p.docs() - p.built
}

// Len is how many digits a document's number has.
func (p *Phones) Len(doc int32) int {
	n := len(p.rest.Text(doc))
	for _, d := range p.head[2*doc : 2*doc+2] {
		if d != 0 {
			n++
		}
	}
	return n
}

// each reports the documents whose number continues pat from its second
// digit, among those in the index.
func (p *Phones) each(pat []byte, found func(doc int32)) {
	lo, hi := p.span(pat)
	for _, doc := range p.second[lo:hi] {
		found(doc)
	}
}

// span is where the numbers that continue pat from their second digit are
// in the ordered list.
func (p *Phones) span(pat []byte) (lo, hi int) {
	lo = sort.Search(len(p.second), func(i int) bool { return p.fromSecond(p.second[i], pat) >= 0 })
	hi = lo + sort.Search(len(p.second)-lo, func(i int) bool { return p.fromSecond(p.second[lo+i], pat) > 0 })
	return lo, hi
}
