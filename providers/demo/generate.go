package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// The client base is generated from fixed seeds, so the same clients exist on
// every machine and every day (the README can list some of them), and client
// i is the same whatever the "clients" setting. Only memberships, visits and
// the timetable depend on the club's date.
const (
	seedClients  = 0x636c7562_64657331 // "clubdes1"
	seedClients2 = 0x636c6965_6e747321 // "clients!"
	// refYear is the year ages are counted from. Birthdays are fixed dates,
	// so a child born in 2019 stays the same child in the README.
	refYear = 2026
)

var operators = []int{903, 905, 906, 909, 910, 915, 916, 917, 919, 925, 926, 929, 958, 965, 977, 985, 999}

var mailDomains = []struct {
	domain string
	weight int
}{{"mail.ru", 34}, {"gmail.com", 24}, {"yandex.ru", 26}, {"bk.ru", 6}, {"list.ru", 5}, {"inbox.ru", 5}}

// genClient is a generated client as the club keeps it until the desk
// reads them (Club.client makes the models.Client then): indexes into the
// name tables and a few small numbers, 20 bytes instead of the ~380 of a
// models.Client and its strings. Phone and e-mail live in the search index,
// the ID is the client's index.
type genClient struct {
	card                uint32 // DEC10 value, when hasCard
	sur, name, father   uint16 // surnames, male/femaleNames, fathers
	year                uint16
	month, day          uint8
	flags               uint8
	deposit             uint8 // × 500 ₽
	note, blockedReason uint8 // index+1 into notes and blockReasons
}

const (
	genFemale = 1 << iota
	genKid
	genHasCard
)

// maxCards is how many generated clients get a card (assumption of the
// generator, see the package doc): the DEC10 form read as hex keeps only
// its last six digits — a million values, two taken by every card — so
// past this many cards a new card could not be told from the others in
// every format, and drawing one would take ever longer. A client after
// that has none. At 200,000 clients, about 170,000 cards are drawn.
const maxCards = 300_000

// generate builds the showcase clients and n generated ones. Generated
// clients are kept compact (genClient); their texts are written into the
// search index, once.
func (c *Club) generate(n int) {
	total := len(showcase) + n
	slab := make([]client, len(showcase))
	c.clients = make([]*client, total, total+64)
	c.gen = make([]genClient, n)
	c.nGen = n
	c.search.init(total)
	c.search.names = nameTable{head: make([]nameKeys, len(showcase)), gen: c.gen}
	for i := range showcase {
		cl := &slab[i]
		cl.idx, cl.gen = int32(i), -1
		c.clients[i] = cl
	}
	c.buildShowcase()
	c.indexShowcase()
	c.search.cards.head, c.search.cards.gen, c.search.cards.genFrom = len(c.search.cards.cards), c.gen, int32(len(showcase))
	reserved := newCardSet(4 * min(total, maxCards+len(showcase)))
	for _, s := range showcase {
		if s.card != "" {
			v, _ := strconv.ParseUint(s.card, 10, 32)
			reserveCard(reserved, uint32(v))
		}
	}
	c.kids = make([]int32, 0, n/7)
	c.adults = make([]int32, 0, n)
	rng := rand.New(rand.NewPCG(seedClients, seedClients2))
	cards := 0
	var mail []byte
	for i := range n {
		g := &c.gen[i]
		ci := int32(len(showcase) + i)
		kid := rng.IntN(100) < 13

		female := rng.IntN(100) < 55
		if kid {
			female = rng.IntN(2) == 0
		}
		sur, fa := rng.IntN(len(surnames)), rng.IntN(len(fathers))
		sn := &surnames[sur]
		// The names are the tables' words (nameTable reads them back).
		var last, first *word
		if female {
			g.name = uint16(rng.IntN(len(femaleNames)))
			last, first = &sn.f, &femaleNames[g.name]
			g.flags |= genFemale
		} else {
			g.name = uint16(rng.IntN(len(maleNames)))
			last, first = &sn.m, &maleNames[g.name]
		}
		g.sur, g.father = uint16(sur), uint16(fa)

		age := adultAge(rng)
		if kid {
			age = 4 + rng.IntN(10)
			g.flags |= genKid
		}
		born := models.NewDate(refYear-age-1, 1, 1+rng.IntN(365))
		g.year, g.month, g.day = uint16(born.Year), uint8(born.Month), uint8(born.Day)

		// A child's phone and e-mail are a parent's: that is who the desk calls.
		code, num := operators[rng.IntN(len(operators))], phoneNumber(i)
		c.search.addPhone(code, num)

		mail = mail[:0]
		if rng.IntN(100) < 72 {
			if kid {
				mother := &femaleNames[rng.IntN(len(femaleNames))]
				mail = appendEmail(mail, rng, mother.lat, sn.f.lat, 1978+rng.IntN(17), 0)
			} else {
				mail = appendEmail(mail, rng, first.lat, last.lat, born.Year, rng.IntN(5))
			}
		}
		c.search.addEmailBytes(mail)

		if rng.IntN(100) < 85 && cards < maxCards {
			v := rng.Uint32()
			for !reserveCard(reserved, v) {
				v = rng.Uint32()
			}
			g.card, g.flags = v, g.flags|genHasCard
			cards++
		}

		if rng.IntN(100) < 8 {
			g.deposit = uint8(1 + rng.IntN(30))
		}
		blocked := false
		if rng.IntN(1000) < 4 {
			blocked = true
			g.blockedReason = uint8(1 + rng.IntN(len(blockReasons)))
		}
		if rng.IntN(1000) < 15 {
			g.note = uint8(1 + rng.IntN(len(notes)))
		}
		if kid {
			c.kids = append(c.kids, ci)
		} else if !blocked {
			c.adults = append(c.adults, ci)
		}
	}
}

// client is the club's client at index ci, made from its compact record
// the first time it is asked for (and kept: the desk may change it).
func (c *Club) client(ci int32) *client {
	if cl := c.clients[ci]; cl != nil {
		return cl
	}
	gi := int(ci) - len(showcase)
	g := &c.gen[gi]
	cl := &client{idx: ci, gen: gi, kid: g.flags&genKid != 0}
	sn := &surnames[g.sur]
	if g.flags&genFemale != 0 {
		cl.LastName, cl.FirstName, cl.MiddleName = sn.f.ru, femaleNames[g.name].ru, fathers[g.father].daughter.ru
	} else {
		cl.LastName, cl.FirstName, cl.MiddleName = sn.m.ru, maleNames[g.name].ru, fathers[g.father].son.ru
	}
	cl.Birthday = models.Date{Year: int(g.year), Month: time.Month(g.month), Day: int(g.day)}
	cl.ID = strconv.Itoa(c.idOf(int(ci)))
	cl.Phone = formatPhone(c.search.phoneDigits(ci))
	cl.Email = c.search.email(ci)
	if g.flags&genHasCard != 0 {
		cl.Cards = []string{string(appendDec10(nil, g.card))}
	}
	cl.Deposit = models.Money{Currency: currency}
	if g.deposit > 0 {
		cl.Deposit = rub(int64(g.deposit) * 500)
	}
	cl.Debt.Currency = currency
	if g.blockedReason > 0 {
		cl.Blocked, cl.BlockReason = true, blockReasons[g.blockedReason-1]
	}
	if g.note > 0 {
		cl.Note = notes[g.note-1]
	}
	c.clients[ci] = cl
	return cl
}

// adultAge draws an age with the shape of a fitness club's members: mostly
// between 22 and 55.
func adultAge(rng *rand.Rand) int {
	switch r := rng.IntN(100); {
	case r < 10:
		return 16 + rng.IntN(6)
	case r < 60:
		return 22 + rng.IntN(18)
	case r < 85:
		return 40 + rng.IntN(15)
	case r < 97:
		return 55 + rng.IntN(15)
	}
	return 70 + rng.IntN(6)
}

// phoneNumber gives client i a seven-digit subscriber number no other
// generated client has: a keyed permutation of 0..9 999 999 (a Feistel
// network over 24 bits, walked until it lands in range), so uniqueness needs
// no set. The showcase numbers 555-00-xx lie outside what it returns.
func phoneNumber(i int) int {
	x := uint32(i)
	for {
		x = feistel24(x)
		if x < 10_000_000 && (x < 5_550_000 || x >= 5_550_100) {
			return int(x)
		}
	}
}

func feistel24(x uint32) uint32 {
	l, r := x>>12, x&0xFFF
	for round := range uint32(4) {
		f := (r*0x9E37 + round*0x7F4A + 0x3C6E) * 0x85EB
		f ^= f >> 13
		l, r = r, (l^f)&0xFFF
	}
	return l<<12 | r
}

// appendEmail writes an address the way Russians make them up:
// a.smirnova84@mail.ru, anna.smirnova@gmail.com, smirnova.anna@yandex.ru,
// anna_smirnova1984@bk.ru, smirnova1984@list.ru.
func appendEmail(b []byte, rng *rand.Rand, first, last string, year, pattern int) []byte {
	switch pattern {
	case 0:
		b = append(b, first[0], '.')
		b = append(b, last...)
		b = appendTwo(b, year%100)
	case 1:
		b = append(b, first...)
		b = append(b, '.')
		b = append(b, last...)
	case 2:
		b = append(b, last...)
		b = append(b, '.')
		b = append(b, first...)
	case 3:
		b = append(b, first...)
		b = append(b, '_')
		b = append(b, last...)
		b = strconv.AppendInt(b, int64(year), 10)
	default:
		b = append(b, last...)
		b = strconv.AppendInt(b, int64(year), 10)
	}
	b = append(b, '@')
	r := rng.IntN(100)
	for _, d := range mailDomains {
		if r < d.weight {
			return append(b, d.domain...)
		}
		r -= d.weight
	}
	return append(b, mailDomains[0].domain...)
}

func appendTwo(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

// appendDec10 writes a card number in the DEC10 form: ten digits, zeros first.
func appendDec10(b []byte, v uint32) []byte {
	var d [10]byte
	for k := 9; k >= 0; k-- {
		d[k] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:]...)
}
