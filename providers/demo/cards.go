package demo

import (
	"slices"
	"strconv"
	"strings"

	"github.com/clubdesk/clubdesk/models"
)

// Card numbers. The club stores EM-Marine cards in the DEC10 form
// (0040856634), but readers may type the same card as 01026F6C3A, 07302202
// or 111,27706, and the shorter forms keep only the low 24 bits. Two cards
// are only told apart by those 24 bits in the worst case, so the generator
// gives every card low bits no other card's forms can produce, and lookups
// index cards by the low 24 bits of every way their number can be read.

// keySet is a set of 24-bit keys: open addressing over a table twice as
// large as what it holds, small enough to stay in cache; for a big club,
// whose table would outgrow it, a bitmap of all 2^24 keys (2 MB).
type keySet struct {
	slots []uint32 // key+1; 0 is empty
	mask  uint32
	shift uint32
	bits  []uint64 // the bitmap, when slots is nil
}

// newCardSet returns a set for about n keys.
func newCardSet(n int) *keySet {
	if 2*n*4 > 1<<24/8 {
		return &keySet{bits: make([]uint64, 1<<24/64)}
	}
	return newKeySet(n)
}

func newKeySet(n int) *keySet {
	bits := uint32(10)
	for 1<<bits < 2*n {
		bits++
	}
	return &keySet{slots: make([]uint32, 1<<bits), mask: 1<<bits - 1, shift: 32 - bits}
}

// slot is Fibonacci hashing: the top bits of the product.
func (s *keySet) slot(k uint32) uint32 { return (k * 0x9E3779B1) >> s.shift }

func (s *keySet) has(k uint32) bool {
	if s.bits != nil {
		return s.bits[k>>6]&(1<<(k&63)) != 0
	}
	for i := s.slot(k); ; i = (i + 1) & s.mask {
		switch s.slots[i] {
		case 0:
			return false
		case k + 1:
			return true
		}
	}
}

func (s *keySet) add(k uint32) {
	if s.bits != nil {
		s.bits[k>>6] |= 1 << (k & 63)
		return
	}
	for i := s.slot(k); ; i = (i + 1) & s.mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = k + 1
			return
		case k + 1:
			return
		}
	}
}

// cardKeys lists the low 24 bits of every reading of every common form of
// card v: the value itself; the DEC10 form read as hex (a reader that takes
// digits for hex); the Wiegand-26 form read as hex; and the hex form read
// as decimal when it happens to hold only digits.
func cardKeys(v uint32) [4]uint32 {
	w := v & 0xFFFFFF
	k := [4]uint32{w, decAsHex24(uint64(v)), decAsHex24(uint64(w)), w}
	if h, ok := hexAsDec(v); ok {
		k[3] = uint32(h & 0xFFFFFF)
	}
	return k
}

// decAsHex24 is the low 24 bits of n's decimal digits read as hex: the
// last six digits become the last six nibbles.
func decAsHex24(n uint64) uint32 {
	var k uint32
	for i := range 6 {
		k |= uint32(n%10) << (4 * i)
		n /= 10
	}
	return k
}

// hexAsDec reads the eight hex digits of v as a decimal number, when they
// are all digits.
func hexAsDec(v uint32) (uint64, bool) {
	var d uint64
	for i := 7; i >= 0; i-- {
		nib := (v >> (4 * i)) & 0xF
		if nib > 9 {
			return 0, false
		}
		d = d*10 + uint64(nib)
	}
	return d, true
}

// reserveCard claims v's keys; it reports false, claiming nothing, when
// another card holds one of them.
func reserveCard(s *keySet, v uint32) bool {
	keys := cardKeys(v)
	for _, k := range keys {
		if s.has(k) {
			return false
		}
	}
	for _, k := range keys {
		s.add(k)
	}
	return true
}

// tagKeys lists the low 24 bits of every reading models.SameCard may give a
// tag (a superset: any length is tried as hex), so that SameCard is only
// ever asked about cards that share one of them.
func tagKeys(tag string) []uint32 {
	s, err := models.CleanTag(tag)
	if err != nil {
		return nil
	}
	var out []uint32
	if fac, num, ok := strings.Cut(s, ","); ok {
		f, err1 := strconv.ParseUint(fac, 10, 8)
		n, err2 := strconv.ParseUint(num, 10, 16)
		if err1 == nil && err2 == nil {
			out = append(out, uint32(f<<16|n))
		}
		return out
	}
	if v, err := strconv.ParseUint(s, 10, 64); err == nil {
		out = append(out, uint32(v&0xFFFFFF))
	}
	if v, err := strconv.ParseUint(s, 16, 64); err == nil {
		out = append(out, uint32(v&0xFFFFFF))
	} else if len(s) > 16 {
		// Longer than 64 bits: only the last six hex digits can matter.
		if v, err := strconv.ParseUint(s[len(s)-6:], 16, 32); err == nil {
			out = append(out, uint32(v))
		}
	}
	return out
}

// cardRef is one reading of a stored card: its low 24 bits, its client, and
// which of the client's cards.
type cardRef struct {
	key uint32
	ci  int32
}

// addCard indexes a card of client ci. Generated DEC10 cards take the fast
// path: their two readings are computed, not parsed.
func (s *searchIndex) addCard(ci int32, tag string) {
	if len(tag) == 10 && isDigits(tag) {
		v, _ := strconv.ParseUint(tag, 10, 64)
		s.cards.cards = append(s.cards.cards, cardRef{uint32(v & 0xFFFFFF), ci}, cardRef{decAsHex24(v), ci})
		return
	}
	for _, k := range tagKeys(tag) {
		s.cards.cards = append(s.cards.cards, cardRef{k, ci})
	}
}

// cardTable is every card reading of the club, by position: the
// showcase's (cards, up to head), then two per generated card, read off
// the compact records (no bytes of their own), then those bound at the
// desk (the rest of cards). A copy of it reads the same readings while the
// club grows (it only appends).
type cardTable struct {
	cards   []cardRef
	head    int
	gen     []genClient
	genFrom int32 // the first generated client
}

func (t *cardTable) len() int { return len(t.cards) + 2*len(t.gen) }

// ref is the reading at a position; ok is false where a generated client
// has no card.
func (t *cardTable) ref(pos int) (cardRef, bool) {
	if pos < t.head {
		return t.cards[pos], true
	}
	gi := (pos - t.head) / 2
	if gi >= len(t.gen) {
		return t.cards[pos-2*len(t.gen)], true
	}
	g := &t.gen[gi]
	if g.flags&genHasCard == 0 {
		return cardRef{}, false
	}
	ci := t.genFrom + int32(gi)
	if (pos-t.head)%2 == 0 {
		return cardRef{g.card & 0xFFFFFF, ci}, true
	}
	return cardRef{decAsHex24(uint64(g.card)), ci}, true
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// cardMatch is a client holding a card that answers a tag.
type cardMatch struct {
	ci    int32
	exact bool // the stored tag is the same string, not just the same card
}

// cardBuckets finds card readings by key without a pass over every card:
// the positions of the readings in searchIndex.cards, grouped by the top
// 16 bits of their 24-bit key (a counting sort, one pass, made at the first
// lookup); readings added since are few (cards bound at the desk) and
// checked one by one.
type cardBuckets struct {
	at    []int32 // bucket → its first position in pos; one more at the end
	pos   []int32 // positions in cardTable, by bucket, in position order
	built int     // how many of cardTable's positions are in pos
}

const cardBucketShift = 8 // 24-bit keys, 2^16 buckets

func (b *cardBuckets) build(t *cardTable) {
	n := t.len()
	at := make([]int32, 1<<(24-cardBucketShift)+1)
	for p := range n {
		if r, ok := t.ref(p); ok {
			at[r.key>>cardBucketShift+1]++
		}
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	pos := make([]int32, at[len(at)-1])
	next := slices.Clone(at[:len(at)-1])
	for p := range n {
		if r, ok := t.ref(p); ok {
			k := r.key >> cardBucketShift
			pos[next[k]] = int32(p)
			next[k]++
		}
	}
	b.at, b.pos, b.built = at, pos, n
}

// each reports the positions of the readings with key k, in no particular
// order.
func (b *cardBuckets) each(t *cardTable, k uint32, found func(pos int32)) {
	if n := t.len(); b.built == 0 && n > 0 || n-b.built > 1024 {
		b.build(t)
	}
	if k < 1<<24 && b.at != nil {
		bk := k >> cardBucketShift
		for _, p := range b.pos[b.at[bk]:b.at[bk+1]] {
			if r, _ := t.ref(int(p)); r.key == k {
				found(p)
			}
		}
	}
	for p := b.built; p < t.len(); p++ {
		if r, ok := t.ref(p); ok && r.key == k {
			found(int32(p))
		}
	}
}

// matchCard finds the clients holding a card models.SameCard says tag is,
// exact matches first, each client once, in client order otherwise.
func (c *Club) matchCard(tag string) []cardMatch {
	clean, err := models.CleanTag(tag)
	if err != nil {
		return nil
	}
	cards := &c.search.cards
	var refs []int32
	for _, k := range tagKeys(clean) {
		c.search.cardIndex.each(cards, k, func(p int32) { refs = append(refs, p) })
	}
	// The order of the readings in cards, as a pass over them would meet
	// them.
	slices.Sort(refs)
	refs = slices.Compact(refs)
	var out []cardMatch
	seen := map[int32]bool{}
	for _, p := range refs {
		ref, _ := cards.ref(int(p))
		if seen[ref.ci] {
			continue
		}
		cl := c.client(ref.ci)
		for _, have := range cl.Cards {
			if have == clean || models.SameCard(have, clean) {
				seen[ref.ci] = true
				out = append(out, cardMatch{ci: ref.ci, exact: have == clean})
				break
			}
		}
	}
	// Exact matches first; otherwise keep client order, which is stable.
	exact := out[:0:0]
	for _, m := range out {
		if m.exact {
			exact = append(exact, m)
		}
	}
	for _, m := range out {
		if !m.exact {
			exact = append(exact, m)
		}
	}
	return exact
}

// cardHolder is the client other than self holding the same card as tag,
// or nil.
func (c *Club) cardHolder(tag string, self int32) *client {
	for _, m := range c.matchCard(tag) {
		if m.ci != self {
			return c.client(m.ci)
		}
	}
	return nil
}
