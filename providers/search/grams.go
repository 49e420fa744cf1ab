package search

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// Grams finds the texts of a Texts that hold a pattern (an e-mail part)
// without a pass over every text: for every three characters, the
// documents whose text has them, so a pattern's candidates are the
// documents of its rarest three characters, each then checked. Characters
// are read in an alphabet of 42 symbols (a-z, digits, ". _ - @", one for
// everything else, one for the end of the text): a text's last two
// characters are listed with the end, so two characters typed are found
// through the lists that start with them.
//
// A list is documents in order, stored as the differences between them in
// varints: about a byte and a half a document a list at a big club, not
// four. The lists are made at the first search (or Prepare), counted then
// filled; texts added after that are few and checked one by one, until
// there are so many that the lists are made again.
type Grams struct {
	l     Lists
	built int // documents in the lists
}

const (
	gramSymbols = 42
	gramEnd     = 0
	gramOther   = 41
	nGrams      = gramSymbols * gramSymbols * gramSymbols
	gramsTail   = 1024 // texts added after the lists, checked one by one
)

var gramSymbol = func() (t [256]uint8) {
	for i := range t {
		t[i] = gramOther
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = uint8(1 + c - 'a')
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(27 + c - '0')
	}
	for i, c := range []byte("._-@") {
		t[c] = uint8(37 + i)
	}
	return t
}()

func gram(a, b byte, c uint8) int {
	return (int(gramSymbol[a])*gramSymbols+int(gramSymbol[b]))*gramSymbols + int(c)
}

// textGrams reports the grams of a text.
func textGrams(t []byte, fn func(g int)) {
	for i := 0; i+1 < len(t); i++ {
		c := uint8(gramEnd)
		if i+2 < len(t) {
			c = gramSymbol[t[i+2]]
		}
		fn(gram(t[i], t[i+1], c))
	}
}

// Prepare makes the lists of every text in t now. It only reads t: given a
// copy of a Texts (its slices), it may run while the original grows.
func (g *Grams) Prepare(t *Texts) {
	n := t.Len()
	g.l = MakeLists(nGrams, n, func(doc int32, emit func(int)) { textGrams(t.Text(doc), emit) })
	g.built = n
}

// Adopt takes the lists another Grams made of (a copy of) the same texts,
// when they cover more of them.
func (g *Grams) Adopt(o *Grams) {
	if o.built > g.built {
		g.l, g.built = o.l, o.built
	}
}

// Lists are lists of documents, each in order, as the differences between
// them in varints, one after another: about a byte and a half a document
// where a list holds one document in a few hundred, not four.
type Lists struct {
	at   []uint32 // list → where it starts in data; one more at the end
	data []byte
}

// MakeLists makes nLists lists of documents 0 to n-1 in two passes (counted,
// then filled): each(doc, emit) emits the lists doc is in; a list emitted
// twice for one document holds it once.
func MakeLists(nLists, n int, each func(doc int32, emit func(list int))) Lists {
	prev := make([]int32, nLists)
	pass := func(fn func(list int, delta uint32)) {
		for i := range prev {
			prev[i] = -1
		}
		for doc := range int32(n) {
			each(doc, func(l int) {
				if prev[l] != doc {
					fn(l, uint32(doc-prev[l]))
					prev[l] = doc
				}
			})
		}
	}
	at := make([]uint32, nLists+1)
	pass(func(l int, d uint32) { at[l+1] += uint32(uvarintLen(d)) })
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	data := make([]byte, at[nLists])
	next := slices.Clone(at[:nLists])
	pass(func(l int, d uint32) { next[l] += uint32(binary.PutUvarint(data[next[l]:], uint64(d))) })
	return Lists{at, data}
}

func uvarintLen(v uint32) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// Size is the bytes of a list: how long it is, roughly.
func (l *Lists) Size(i int) uint32 {
	if l.at == nil {
		return 0
	}
	return l.at[i+1] - l.at[i]
}

// Cursor is a walk along list i, before its first document.
func (l *Lists) Cursor(i int) Cursor {
	if l.at == nil {
		return Cursor{Doc: -1}
	}
	return Cursor{data: l.data[l.at[i]:l.at[i+1]], Doc: -1}
}

// Cursor walks a list: Next moves Doc to its next document.
type Cursor struct {
	data []byte
	Doc  int32
}

// Next moves to the list's next document; false at its end.
func (c *Cursor) Next() bool {
	if len(c.data) == 0 {
		return false
	}
	if v := c.data[0]; v < 0x80 {
		c.Doc += int32(v)
		c.data = c.data[1:]
		return true
	}
	v, k := binary.Uvarint(c.data)
	c.Doc += int32(v)
	c.data = c.data[k:]
	return true
}

// Each reports a list's documents, in order.
func (l *Lists) Each(i int, found func(doc int32)) {
	for c := l.Cursor(i); c.Next(); {
		found(c.Doc)
	}
}

// Both reports the documents two lists share, in order.
func (l *Lists) Both(i, j int, found func(doc int32)) {
	a, b := l.Cursor(i), l.Cursor(j)
	okA, okB := a.Next(), b.Next()
	for okA && okB {
		switch {
		case a.Doc < b.Doc:
			okA = a.Next()
		case a.Doc > b.Doc:
			okB = b.Next()
		default:
			found(a.Doc)
			okA, okB = a.Next(), b.Next()
		}
	}
}

// Bytes is what the lists take.
func (g *Grams) Bytes() int { return len(g.l.data) + 4*len(g.l.at) }

// Len is how many texts the lists hold (the first ones of t).
func (g *Grams) Len() int { return g.built }

// Estimate is a bound on how many documents Find reports for pat (the
// bytes of the lists it would walk, and the texts added since they were
// made): a caller may rather check texts one by one in an order of its own
// when most hold pat.
func (g *Grams) Estimate(t *Texts, pat []byte) int {
	if len(pat) < 2 || bytes.IndexByte(pat, '\n') >= 0 {
		return t.Len()
	}
	g.ready(t)
	n := t.Len() - g.built
	if len(pat) == 2 {
		for c := range uint8(gramSymbols) {
			n += int(g.l.Size(gram(pat[0], pat[1], c)))
		}
		return n
	}
	least := -1
	for i := 0; i+3 <= len(pat); i++ {
		if sz := int(g.l.Size(gram(pat[i], pat[i+1], gramSymbol[pat[i+2]]))); least < 0 || sz < least {
			least = sz
		}
	}
	return n + least
}

func (g *Grams) ready(t *Texts) {
	if n := t.Len(); n > 0 && (g.built == 0 || n-g.built > gramsTail) {
		g.Prepare(t)
	}
}

// Candidates reports the documents of the lists Find would walk for pat
// (a pattern of two characters or more), none checked and texts added since
// the lists were made left out; exact is whether every one holds pat.
func (g *Grams) Candidates(t *Texts, pat []byte, found func(doc int32)) (exact bool) {
	g.ready(t)
	exact = len(pat) <= 3
	for _, c := range pat {
		exact = exact && gramSymbol[c] != gramOther
	}
	if len(pat) == 2 {
		for c := range uint8(gramSymbols) {
			g.l.Each(gram(pat[0], pat[1], c), found)
		}
		return exact
	}
	best := -1
	for i := 0; i+3 <= len(pat); i++ {
		gr := gram(pat[i], pat[i+1], gramSymbol[pat[i+2]])
		if best < 0 || g.l.Size(gr) < g.l.Size(best) {
			best = gr
		}
	}
	g.l.Each(best, found)
	return exact
}

// Find reports every document of t whose text holds pat; a document may be
// reported more than once. A pattern of one character is looked for in
// every text.
func (g *Grams) Find(t *Texts, pat []byte, found func(doc int32)) {
	if len(pat) < 2 || bytes.IndexByte(pat, '\n') >= 0 {
		t.Find(pat, func(doc int32, _ int) { found(doc) })
		return
	}
	g.ready(t)
	verify := func(doc int32) {
		if bytes.Contains(t.Text(doc), pat) {
			found(doc)
		}
	}
	check := verify
	// A pattern no longer than a gram, of symbols that stand for one
	// character each, is in every text of its lists: nothing to check.
	exact := len(pat) <= 3
	for _, c := range pat {
		exact = exact && gramSymbol[c] != gramOther
	}
	if exact {
		check = found
	}
	if len(pat) == 2 {
		for c := range uint8(gramSymbols) {
			g.l.Each(gram(pat[0], pat[1], c), check)
		}
	} else {
		best := -1
		for i := 0; i+3 <= len(pat); i++ {
			gr := gram(pat[i], pat[i+1], gramSymbol[pat[i+2]])
			if best < 0 || g.l.Size(gr) < g.l.Size(best) {
				best = gr
			}
		}
		g.l.Each(best, check)
	}
	for doc := int32(g.built); doc < int32(t.Len()); doc++ {
		verify(doc)
	}
}
