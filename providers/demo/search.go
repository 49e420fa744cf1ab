package demo

import (
	"bytes"
	"context"
	"strings"
	"unicode"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	index "github.com/clubdesk/clubdesk/providers/search"
)

// Search must answer as the receptionist types in well under a
// millisecond, at ten thousand clients or a million: every kind of query
// goes through an index of providers/search, none through a pass over the
// clients. Names go through a vocabulary (a few hundred distinct name
// words, sorted: a prefix is a binary search) and lists of each word's
// clients in the order results are shown (byName), so a one-word query
// reads its page off their front. Phones go through search.Phones, as
// Go-CRM's do; e-mail parts through search.Grams; cards through buckets of
// their readings (cards.go). The indexes are made at the first search of
// their kind, or, at a big club, in the background as soon as it opens
// (warm.go).

// vocab is the vocabulary of the generated names, shared by every club:
// a club starts from a copy of it (a few hundred words), which its
// registrations then grow.
var vocab = index.NewWords(512)

// buildVocab numbers every word of the name tables; names.go's init calls
// it once the tables exist.
func buildVocab() {
	add := func(w *word) { w.id = vocab.ID(w.key) }
	for i := range surnames {
		add(&surnames[i].m)
		add(&surnames[i].f)
	}
	for i := range maleNames {
		add(&maleNames[i])
	}
	for i := range femaleNames {
		add(&femaleNames[i])
	}
	for i := range fathers {
		add(&fathers[i].son)
		add(&fathers[i].daughter)
	}
	vocab.Places()
}

// nameKeys are the vocabulary ids of a client's surname, name and
// patronymic (-1 for a missing one): no strings, so ten thousand of them
// cost the garbage collector nothing.
type nameKeys struct {
	ids [3]int32
}

// nameTable gives every client's nameKeys: a generated client's are read
// off its compact record and the name tables (no bytes of their own), the
// others' (showcase, registered at the desk) are kept. A copy of it reads
// the same clients while the club grows (it only appends).
type nameTable struct {
	head  []nameKeys  // the showcase: clients 0 to len(head)-1
	gen   []genClient // the generated clients, from len(head) on
	extra []nameKeys  // registered at the desk, after the generated
}

func (t *nameTable) len() int { return len(t.head) + len(t.gen) + len(t.extra) }

func (t *nameTable) ids(ci int32) [3]int32 {
	if int(ci) < len(t.head) {
		return t.head[ci].ids
	}
	gi := int(ci) - len(t.head)
	if gi >= len(t.gen) {
		return t.extra[gi-len(t.gen)].ids
	}
	g := &t.gen[gi]
	sn := &surnames[g.sur]
	if g.flags&genFemale != 0 {
		return [3]int32{sn.f.id, femaleNames[g.name].id, fathers[g.father].daughter.id}
	}
	return [3]int32{sn.m.id, maleNames[g.name].id, fathers[g.father].son.id}
}

// searchIndex is a club's index of its clients; it grows when the desk
// registers someone or binds a card.
type searchIndex struct {
	words  *index.Words // the club's vocabulary, with each word's clients
	names  nameTable
	phones index.Phones // per client: the phone's digits
	emails index.Texts
	mailIx index.Grams // the e-mails' three-character lists
	cards  cardTable
	byName byName // the clients in the order shown, by word
	// cardIndex finds cards' readings by key.
	cardIndex cardBuckets
	// hits is a search's scratch. Searches hold the club's lock, so one
	// serves them all.
	hits index.Hits
	bits []uint64 // a search's bitmap of clients (marks)
}

func (s *searchIndex) init(clients int) {
	s.words = vocab.Clone()
	s.phones = index.NewPhones(clients)
	s.emails = index.NewTexts(clients, 20)
}

// addClient indexes any client's names, learning new words as it goes.
func (s *searchIndex) addClient(ci int32, c models.Client) {
	var k nameKeys
	for i, name := range []string{c.LastName, c.FirstName, c.MiddleName} {
		k.ids[i] = -1
		if w := fold(strings.TrimSpace(name)); w != "" {
			k.ids[i] = s.words.ID(w)
		}
	}
	switch t := &s.names; {
	case int(ci) < len(t.head):
		t.head[ci] = k
	case int(ci) == t.len():
		t.extra = append(t.extra, k)
	default:
		panic("demo: a client's names indexed out of order")
	}
}

// addPhone indexes the next client's phone, given as operator code and
// subscriber number.
func (s *searchIndex) addPhone(code, num int) {
	var d [11]byte
	d[0] = '7'
	for k := 3; k >= 1; k-- {
		d[k] = byte('0' + code%10)
		code /= 10
	}
	for k := 10; k >= 4; k-- {
		d[k] = byte('0' + num%10)
		num /= 10
	}
	s.phones.Add(string(d[:]))
}

// addPhoneDigits indexes the next client's phone from its 11 digits.
func (s *searchIndex) addPhoneDigits(digits string) {
	s.phones.Add(digits)
}

// phoneDigits are client ci's 11 digits.
func (s *searchIndex) phoneDigits(ci int32) string {
	var buf [24]byte
	return string(s.phones.Digits(ci, buf[:0]))
}

// addEmail indexes the next client's e-mail.
func (s *searchIndex) addEmail(email string) { s.emails.Add(strings.ToLower(email)) }

// addEmailBytes indexes the next generated client's e-mail (lower case
// already).
func (s *searchIndex) addEmailBytes(email []byte) { s.emails.Add(string(email)) }

// email is a generated client's e-mail, as indexed.
func (s *searchIndex) email(ci int32) string { return string(s.emails.Text(ci)) }

// Ranks, best first.
const (
	rankExactCard = iota
	rankSameCard
	rankExactSurname
	rankSurname // a query word starts the surname
	rankName
	rankPhonePrefix
	rankPhone
	rankEmail // the worst must fit hitKey's 3 bits
)

// SearchClients finds clients by the start of any of their names (every
// word of the query must match one, in any order, ё read as е), by phone
// digits, by part of an e-mail or by card number in any format. Exact card
// matches come first, then exact surnames, then surnames that start with a
// query word, then other name matches, then phones and e-mails; ties go by
// name, then by ID.
func (c *Club) SearchClients(ctx context.Context, query string, limit int) ([]models.Client, error) {
	if err := c.begin(ctx, "search clients"); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := &c.search
	c.searchLocked(query, limit, s.hits.Note)
	order := s.words.Places()
	// Each hit is one number that sorts as the result should: rank, then
	// the surname's, name's and patronymic's places in the vocabulary, then
	// the client's index (which is ID order). Only the page asked for is
	// sorted, so a one-letter query costs a pass over its hits.
	hits := s.hits.Keys(func(ci int32, rank int) uint64 { return hitKey(rank, s.names.ids(ci), order, ci) })
	hits = index.Smallest(hits, limit)
	out := make([]models.Client, 0, len(hits))
	for _, h := range hits {
		out = append(out, c.client(int32(h&ciMask)).public())
	}
	return out, nil
}

// The packing of a hit: 3 bits of rank, 13 bits for each name's place in
// the vocabulary, 22 bits of client index (maxClients and the desk's
// registrations stay well below 2^22).
const (
	placeBits    = 13
	maxWordPlace = 1<<placeBits - 1
	ciMask       = 1<<22 - 1
)

// hitKey packs a hit so that sorting keys sorts hits.
func hitKey(rank int, ids [3]int32, order []int32, ci int32) uint64 {
	k := uint64(rank) << 61
	for j, id := range ids {
		if id >= 0 {
			k |= uint64(min(order[id]+1, maxWordPlace)) << (61 - placeBits*(j+1))
		}
	}
	return k | uint64(ci)
}

// searchLocked reports the clients the query matches, with how, through
// note (a client may be reported more than once): every one by phone,
// e-mail or card, and by name at least the first limit in the order shown,
// so that the first limit of all are among those noted.
func (c *Club) searchLocked(query string, limit int, note func(ci int32, rank int)) {
	q := strings.TrimSpace(query)
	if q == "" {
		return
	}
	if len(q) >= 6 {
		if _, err := models.CleanTag(q); err == nil {
			for _, m := range c.matchCard(q) {
				rank := rankSameCard
				if m.exact {
					rank = rankExactCard
				}
				note(m.ci, rank)
			}
		}
	}
	lower := fold(q)
	digits, letters := 0, false
	for _, r := range lower {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsLetter(r):
			letters = true
		}
	}
	if digits >= 3 && !letters {
		c.searchPhone(lower, limit, note)
	}
	if !letters {
		return
	}
	if tokens, ok := nameTokens(lower); ok {
		c.searchNames(tokens, limit, note)
	}
	if latinWord(lower) {
		c.searchEmail(lower, limit, note)
	}
	if wrongLayout(lower) {
		if tokens, ok := nameTokens(russianLayout(lower)); ok {
			c.searchNames(tokens, limit, note)
		}
	}
}

// nameTokens splits a query into words that could start names; a word
// mixing letters and digits (a card, an address) means the query is not a
// name at all.
func nameTokens(q string) ([]string, bool) {
	fields := strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '.' })
	tokens := fields[:0]
	for _, f := range fields {
		for _, r := range f {
			if !unicode.IsLetter(r) && r != '-' {
				return nil, false
			}
		}
		tokens = append(tokens, f)
	}
	return tokens, len(tokens) > 0
}

// latinWord reports whether q could be part of an e-mail address.
func latinWord(q string) bool {
	if len(q) < 2 {
		return false
	}
	for _, r := range q {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("@._-+", r)) {
			return false
		}
	}
	return true
}

// wrongLayout reports whether q looks like Russian typed with the US layout:
// latin letters, no Cyrillic, no @.
func wrongLayout(q string) bool {
	latin := false
	for _, r := range q {
		switch {
		case r >= 'a' && r <= 'z':
			latin = true
		case r == '@', r > unicode.MaxASCII:
			return false
		}
	}
	return latin
}

// searchPhone matches phone digits anywhere in the number; a query that
// starts with +7 or 8 is the start of a number.
func (c *Club) searchPhone(q string, limit int, note func(int32, int)) {
	var digits []byte
	for i := range len(q) {
		if q[i] >= '0' && q[i] <= '9' {
			digits = append(digits, q[i])
		}
	}
	full := models.PhoneDigits(q)
	phones := &c.search.phones
	var buf [24]byte
	prefix := func(pat []byte) {
		if m := phones.FromSecond(pat[1:]); c.broad(m, limit) && c.walkByName(m, limit, rankPhonePrefix, note, func(ci int32) bool {
			return bytes.HasPrefix(phones.Digits(ci, buf[:0]), pat)
		}) {
			return
		}
		phones.Prefix(pat, func(ci int32) { note(ci, rankPhonePrefix) })
	}
	switch {
	case strings.HasPrefix(q, "+7") || len(full) == 11 && full != string(digits):
		prefix([]byte(full))
	case digits[0] == '8' && len(digits) >= 4:
		prefix(append([]byte{'7'}, digits[1:]...))
		c.phoneHits(digits, limit, note)
	default:
		c.phoneHits(digits, limit, note)
	}
}

// phoneHits notes the clients whose phone holds pat. Digits at the start of
// the number (the 7, or the operator code) rank with typed prefixes. When
// most numbers have them there (an operator code: one number in
// seventeen), the first limit in the order shown are all the page can
// hold, and they are met walking the clients in that order.
func (c *Club) phoneHits(pat []byte, limit int, note func(int32, int)) {
	phones := &c.search.phones
	if m := phones.FromSecond(pat) + phones.FromSecond(pat[1:]); c.broad(m, limit) {
		var buf [24]byte
		if c.walkByName(m, limit, rankPhonePrefix, note, func(ci int32) bool {
			d := phones.Digits(ci, buf[:0])
			return bytes.HasPrefix(d, pat) || len(d) > 0 && bytes.HasPrefix(d[1:], pat)
		}) {
			return
		}
	}
	phones.Find(pat, func(ci int32, at int) {
		if at < 2 {
			note(ci, rankPhonePrefix)
		} else {
			note(ci, rankPhone)
		}
	})
}

// searchEmail notes the clients whose e-mail holds q: through the
// e-mails' lists, or, when most e-mails hold it ("ma": a third of a club),
// walking the clients in the order shown as far as the page goes.
func (c *Club) searchEmail(q string, limit int, note func(int32, int)) {
	s := &c.search
	pat := []byte(q)
	has := func(ci int32) bool { return bytes.Contains(s.emails.Text(ci), pat) }
	m := s.mailIx.Estimate(&s.emails, pat)
	switch n := float64(s.names.len()); {
	case len(pat) < 2:
	case float64(m)*float64(m) > 100*float64(limit)*n:
		// Most e-mails hold it: a walk finds the page in a few checks.
		if c.walkByName(m, limit, rankEmail, note, has) {
			return
		}
	case float64(m)*float64(m) > float64(limit)*n/30:
		// Many do: the candidates marked in a bitmap, then a walk that
		// checks a bit a client and the text only where it is set.
		marks := s.marks(s.names.len())
		exact := s.mailIx.Candidates(&s.emails, pat, func(ci int32) { marks[ci>>6] |= 1 << (ci & 63) })
		full := c.walkByName(m, limit, rankEmail, note, func(ci int32) bool {
			if int(ci) >= s.mailIx.Len() {
				return has(ci) // registered since the lists were made
			}
			return marks[ci>>6]&(1<<(ci&63)) != 0 && (exact || has(ci))
		})
		clear(marks)
		if full {
			return
		}
	}
	s.mailIx.Find(&s.emails, pat, func(ci int32) { note(ci, rankEmail) })
}

// marks is a bitmap of n clients, all clear; the caller clears it after use.
func (s *searchIndex) marks(n int) []uint64 {
	if w := (n + 63) / 64; len(s.bits) < w {
		s.bits = make([]uint64, w+w/8)
	}
	return s.bits[:(n+63)/64]
}

// broad reports whether a query matching about m clients finds its page
// sooner walking the clients in the order shown (limit·n/m checks) than
// through its lists (m).
func (c *Club) broad(m, limit int) bool {
	return m > 0 && float64(m)*float64(m) > float64(limit)*float64(c.search.names.len())
}

// walkByName notes at rank the first limit clients in the order shown
// that match, and every client registered since that order was made that
// does; full is whether limit were found (if not, not every match may
// have been noted). m is about how many match: the walk gives up after
// four times the clients it should take to find limit, so that a bound
// that was far off (most numbers continue "916" from their second digit,
// but none starts with 8) costs little more than the lists would.
func (c *Club) walkByName(m, limit, rank int, note func(int32, int), match func(ci int32) bool) (full bool) {
	s := &c.search
	b := s.namesReady()
	for ci := int32(b.built); ci < int32(s.names.len()); ci++ {
		if match(ci) {
			note(ci, rank)
		}
	}
	budget := 4*limit*(b.built/max(m, 1)+1) + 1024
	got := 0
	for i, ci := range b.docAt {
		if got == limit {
			return true
		}
		if i == budget {
			return false
		}
		if match(ci) {
			note(ci, rank)
			got++
		}
	}
	return got == limit
}

// ClientByCard finds the client a card is bound to: the same string first,
// then the same card written in another format.
func (c *Club) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	const op = "client by card"
	if err := c.begin(ctx, op); err != nil {
		return models.Client{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if m := c.matchCard(tag); len(m) > 0 {
		return c.client(m[0].ci).public(), nil
	}
	return models.Client{}, fail(providers.ErrNotFound, op, "Карта %s не привязана ни к одному клиенту", strings.TrimSpace(tag))
}
