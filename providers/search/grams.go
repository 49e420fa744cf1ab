package search

import (
	"bytes"
	"encoding/binary"
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
	at    []uint32 // gram → where its list starts in data; one more at the end
	data  []byte
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

// textGrams reports the grams of a text, each once (last[g] is the last
// document g was reported for).
func textGrams(t []byte, doc int32, last []int32, fn func(g int)) {
	for i := 0; i+1 < len(t); i++ {
		c := uint8(gramEnd)
		if i+2 < len(t) {
			c = gramSymbol[t[i+2]]
		}
		if g := gram(t[i], t[i+1], c); last[g] != doc {
			last[g] = doc
			fn(g)
		}
	}
}

// Prepare makes the lists of every text in t now.
func (g *Grams) Prepare(t *Texts) {
	n := t.Len()
	last := make([]int32, nGrams)
	prev := make([]int32, nGrams)
	pass := func(fn func(gr int, delta uint32)) {
		for i := range last {
			last[i], prev[i] = -1, -1
		}
		for doc := range int32(n) {
			textGrams(t.Text(doc), doc, last, func(gr int) {
				fn(gr, uint32(doc-prev[gr]))
				prev[gr] = doc
			})
		}
	}
	at := make([]uint32, nGrams+1)
	pass(func(gr int, d uint32) { at[gr+1] += uint32(uvarintLen(d)) })
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	data := make([]byte, at[nGrams])
	next := make([]uint32, nGrams)
	copy(next, at)
	pass(func(gr int, d uint32) { next[gr] += uint32(binary.PutUvarint(data[next[gr]:], uint64(d))) })
	g.at, g.data, g.built = at, data, n
}

func uvarintLen(v uint32) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// Size is the bytes the lists take.
func (g *Grams) Size() int { return len(g.data) + 4*len(g.at) }

// Find reports every document of t whose text holds pat; a document may be
// reported more than once. A pattern of one character is looked for in
// every text.
func (g *Grams) Find(t *Texts, pat []byte, found func(doc int32)) {
	if len(pat) < 2 || bytes.IndexByte(pat, '\n') >= 0 {
		t.Find(pat, func(doc int32, _ int) { found(doc) })
		return
	}
	if n := t.Len(); n > 0 && (g.built == 0 || n-g.built > gramsTail) {
		g.Prepare(t)
	}
	check := func(doc int32) {
		if bytes.Contains(t.Text(doc), pat) {
			found(doc)
		}
	}
	if len(pat) == 2 {
		for c := range uint8(gramSymbols) {
			g.list(gram(pat[0], pat[1], c), check)
		}
	} else {
		best := -1
		for i := 0; i+3 <= len(pat); i++ {
			gr := gram(pat[i], pat[i+1], gramSymbol[pat[i+2]])
			if best < 0 || g.at[gr+1]-g.at[gr] < g.at[best+1]-g.at[best] {
				best = gr
			}
		}
		g.list(best, check)
	}
	for doc := int32(g.built); doc < int32(t.Len()); doc++ {
		check(doc)
	}
}

// list reports the documents of a gram's list, in order.
func (g *Grams) list(gr int, found func(doc int32)) {
	if g.at == nil {
		return
	}
	data := g.data[g.at[gr]:g.at[gr+1]]
	doc := int32(-1)
	for i := 0; i < len(data); {
		v := uint64(data[i])
		if v < 0x80 {
			i++
		} else {
			var k int
			v, k = binary.Uvarint(data[i:])
			i += k
		}
		doc += int32(v)
		found(doc)
	}
}
