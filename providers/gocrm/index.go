package gocrm

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/search"
)

// clientIndex is GET /clients as the desk keeps it for the session:
// compact (one string per client, about what the wire carried) and
// indexed, so that a keystroke's search costs the same at 200,000 clients
// as at 200. Clients are numbered in the order results are shown — by
// the child's name and the parent's, as folded, then as Go-CRM listed them —
// so that a page of results is the first documents hit, never a sort.
type clientIndex struct {
	recs  string   // every client's fields, packed (pack), one after another
	recAt []int32  // doc → where its record starts in recs; one more at the end
	born  []uint32 // doc → birthday packed as y<<9 | m<<5 | d; 0 unknown
	words *search.Words
	// A posting is doc<<1, |1 for a word of the parent's name.
	own    []int32 // doc's postings, from wordAt[doc] to wordAt[doc+1]
	wordAt []int32
	phones search.Phones // doc → the phone's digits
	byID   []int32       // docs in id order
	hits   sync.Pool     // *search.Hits, one per concurrent search
}

// The fields of a client's record, in pack's order.
const (
	fID = iota
	fName
	fGuardian
	fPhone
	fMail
	nFields
)

// pack writes a client's fields as one string: each a uvarint length and
// its bytes. One string header for five fields keeps a client near the size
// of its text.
func pack(fields [nFields]string) string {
	n := 0
	for _, f := range fields {
		n += len(f) + binary.MaxVarintLen16
	}
	b := make([]byte, 0, n)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return string(b)
}

func unpack(rec string) (out [nFields]string) {
	for i := range out {
		n, k := binary.Uvarint([]byte(rec[:min(len(rec), binary.MaxVarintLen64)]))
		rec = rec[k:]
		out[i], rec = rec[:n], rec[n:]
	}
	return out
}

func packDate(d models.Date) uint32 {
	if d.IsZero() {
		return 0
	}
	return uint32(d.Year)<<9 | uint32(d.Month)<<5 | uint32(d.Day)
}

func unpackDate(v uint32) models.Date {
	if v == 0 {
		return models.Date{}
	}
	return models.NewDate(int(v>>9), time.Month(v>>5&15), int(v&31))
}

// indexBuilder gathers the list as it is decoded.
type indexBuilder struct {
	recs []string
	born []uint32
	keys []string // the folded name results are ordered by
}

func (b *indexBuilder) add(w wireClient) {
	if w.ID == "" {
		return
	}
	c := w.model()
	b.recs = append(b.recs, pack([nFields]string{c.ID, c.FirstName, c.Guardian, c.Phone, c.Email}))
	b.born = append(b.born, packDate(c.Birthday))
	b.keys = append(b.keys, fold(c.FirstName+" "+c.Guardian))
}

// build indexes what was gathered: names folded and split once, here.
func (b *indexBuilder) build() *clientIndex {
	n := len(b.recs)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	// Ties keep Go-CRM's order (a stable sort, done as pdqsort on the
	// index, which is quicker).
	slices.SortFunc(order, func(x, y int32) int {
		if c := strings.Compare(b.keys[x], b.keys[y]); c != 0 {
			return c
		}
		return int(x - y)
	})
	ix := &clientIndex{
		recAt: make([]int32, n+1), born: make([]uint32, n), words: search.NewWords(n / 4),
		own: make([]int32, 0, 4*n), wordAt: make([]int32, n+1), phones: search.NewPhones(n), byID: make([]int32, n),
	}
	size := 0
	for _, r := range b.recs {
		size += len(r)
	}
	var recs strings.Builder
	recs.Grow(size)
	for doc, i := range order {
		ix.recAt[doc] = int32(recs.Len())
		recs.WriteString(b.recs[i])
		ix.born[doc] = b.born[i]
		f := unpack(b.recs[i])
		ix.wordAt[doc] = int32(len(ix.own))
		start := len(ix.own)
		for field, name := range []string{f[fName], f[fGuardian]} {
			for _, word := range strings.Fields(fold(name)) {
				p := ix.words.ID(word)<<1 | int32(field)
				if !slices.Contains(ix.own[start:], p) {
					ix.own = append(ix.own, p)
					ix.words.Add(p>>1, int32(doc)<<1|int32(field))
				}
			}
		}
		ix.phones.Add(models.PhoneDigits(f[fPhone]))
		ix.byID[doc] = int32(doc)
	}
	ix.wordAt[n] = int32(len(ix.own))
	ix.recAt[n] = int32(recs.Len())
	ix.recs = recs.String()
	ix.words.Compact()
	ix.own = slices.Clip(ix.own)
	ix.words.Places() // sorted now, not at the first keystroke
	ix.phones.Prepare()
	slices.SortFunc(ix.byID, func(x, y int32) int {
		if c := strings.Compare(ix.id(x), ix.id(y)); c != 0 {
			return c
		}
		return int(x - y)
	})
	ix.hits.New = func() any { return &search.Hits{} }
	return ix
}

// Len is the number of clients.
func (ix *clientIndex) Len() int { return len(ix.born) }

func (ix *clientIndex) rec(doc int32) string { return ix.recs[ix.recAt[doc]:ix.recAt[doc+1]] }

func (ix *clientIndex) id(doc int32) string {
	rec := ix.rec(doc)
	n, k := binary.Uvarint([]byte(rec[:min(len(rec), binary.MaxVarintLen64)]))
	return rec[k : k+int(n)]
}

// client is a document as the desk sees it.
func (ix *clientIndex) client(doc int32) models.Client {
	f := unpack(ix.rec(doc))
	return models.Client{ID: f[fID], FirstName: f[fName], Guardian: f[fGuardian], Phone: f[fPhone], Email: f[fMail],
		Birthday: unpackDate(ix.born[doc]), Deposit: models.Money{Currency: rub}, Debt: models.Money{Currency: rub}}
}

// byClientID finds a client by id (the last one listed, should Go-CRM list
// an id twice).
func (ix *clientIndex) byClientID(id string) (models.Client, bool) {
	i, ok := slices.BinarySearchFunc(ix.byID, id, func(doc int32, id string) int { return strings.Compare(ix.id(doc), id) })
	if !ok {
		return models.Client{}, false
	}
	for i+1 < len(ix.byID) && ix.id(ix.byID[i+1]) == id {
		i++
	}
	return ix.client(ix.byID[i]), true
}

// prepared is a search prepared once for every client it is checked against.
type prepared struct {
	words  []string
	ranges [][2]int // each word's places in the vocabulary
	digits [][]byte
	sig    [][]byte // significant(digits[i])
}

// prepare reads a query; ok is false when nothing can match.
func (ix *clientIndex) prepare(words, digits []string) (prepared, bool) {
	q := prepared{words: words}
	if len(words) == 0 && len(digits) == 0 {
		return q, false
	}
	for _, d := range digits {
		if len(d) < 3 {
			return q, false
		}
		q.digits = append(q.digits, []byte(d))
		q.sig = append(q.sig, []byte(significant(d)))
	}
	for _, w := range words {
		lo, hi := ix.words.Prefix(w)
		if lo == hi {
			return q, false
		}
		q.ranges = append(q.ranges, [2]int{lo, hi})
	}
	return q, true
}

// search finds the clients every word of the query begins a word of (the
// child's name scores 0, the parent's 2) and whose phone holds every group
// of digits (1 each), at most limit of them, best score first, then in
// name order.
func (ix *clientIndex) search(words, digits []string, limit int) (docs []int32, scores []int) {
	q, ok := ix.prepare(words, digits)
	if !ok {
		return nil, nil
	}
	h := ix.hits.Get().(*search.Hits)
	defer ix.hits.Put(h)
	places := ix.words.Places()
	switch {
	case len(words) == 1 && len(digits) == 0:
		// The keystroke of a name: a word's postings say which part of the
		// name it is in, so nothing needs checking.
		for pos := q.ranges[0][0]; pos < q.ranges[0][1]; pos++ {
			for _, p := range ix.words.Docs(ix.words.At(pos)) {
				h.Note(p>>1, int(p&1)*2)
			}
		}
	case len(words) > 0:
		// The rarest word picks the candidates; the rest check them.
		best, size := 0, -1
		for i, r := range q.ranges {
			n := 0
			for pos := r[0]; pos < r[1]; pos++ {
				n += len(ix.words.Docs(ix.words.At(pos)))
			}
			if size < 0 || n < size {
				best, size = i, n
			}
		}
		r := q.ranges[best]
		for pos := r[0]; pos < r[1]; pos++ {
			for _, p := range ix.words.Docs(ix.words.At(pos)) {
				if score, ok := ix.check(p>>1, &q, places); ok {
					h.Note(p>>1, score)
				}
			}
		}
	default:
		// Digits alone: one group (splitQuery joins a number typed in
		// groups). Every way phoneHas can match holds d or d[1:].
		d := q.digits[0]
		needle := d
		if len(d) >= 4 && (d[0] == '7' || d[0] == '8') {
			needle = d[1:]
		}
		// The trunk prefix typed (8 912… or 7 912…): the number's second
		// digit on continuing d[1:] is a match in itself — most of a
		// club's numbers for the first digits typed, noted unchecked.
		trunk := len(needle) < len(d)
		var buf [24]byte
		ix.phones.Find(needle, func(doc int32, at int) {
			if at == 1 && trunk && ix.phones.Len(doc) == 11 || phoneHas(ix.phones.Digits(doc, buf[:0]), d, q.sig[0]) {
				h.Note(doc, 1)
			}
		})
	}
	if limit <= 0 {
		limit = h.Len()
	}
	docs = h.Docs(limit)
	scores = make([]int, len(docs))
	for i, doc := range docs {
		scores[i], _ = ix.check(doc, &q, places)
	}
	return docs, scores
}

// check scores one client against a prepared query.
func (ix *clientIndex) check(doc int32, q *prepared, places []int32) (int, bool) {
	own := ix.own[ix.wordAt[doc]:ix.wordAt[doc+1]]
	score := 0
	for _, r := range q.ranges {
		got := -1
		for _, p := range own {
			if pl := int(places[p>>1]); pl >= r[0] && pl < r[1] {
				if p&1 == 0 {
					got = 0
					break
				}
				got = 2
			}
		}
		if got < 0 {
			return 0, false
		}
		score += got
	}
	if len(q.digits) > 0 {
		var buf [24]byte
		phone := ix.phones.Digits(doc, buf[:0])
		for i, d := range q.digits {
			if !phoneHas(phone, d, q.sig[i]) {
				return 0, false
			}
			score++
		}
	}
	return score, true
}

// phoneHas reports whether typed digits d are part of a phone's digits:
// anywhere in it, or its beginning typed with the trunk prefix (8 912 …
// for +7 912 …); sig is significant(d).
func phoneHas(phone, d, sig []byte) bool {
	if bytes.Contains(phone, d) {
		return true
	}
	sp := phone
	if len(phone) == 11 && (phone[0] == '7' || phone[0] == '8') {
		sp = phone[1:]
	}
	if bytes.Contains(sp, sig) {
		return true
	}
	return len(d) >= 4 && (d[0] == '8' || d[0] == '7') && len(phone) == 11 && bytes.HasPrefix(phone[1:], d[1:])
}
