package demo

import (
	"math/rand/v2"
	"strconv"

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

type span struct{ from, to int32 }

func (s span) of(text string) string { return text[s.from:s.to] }

// generate builds the showcase clients and n generated ones. Strings are
// written into one buffer and sliced out of a single string, and clients
// live in one slab: ten thousand clients cost a handful of allocations.
func (c *Club) generate(n int) {
	total := len(showcase) + n
	slab := make([]client, total)
	c.clients = make([]*client, total, total+64)
	c.nGen = n
	c.search.init(total)
	for i := range showcase {
		cl := &slab[i]
		cl.idx, cl.gen = int32(i), -1
		c.clients[i] = cl
	}
	c.buildShowcase()
	c.indexShowcase()
	reserved := newKeySet(4 * total)
	for _, s := range showcase {
		if s.card != "" {
			v, _ := strconv.ParseUint(s.card, 10, 32)
			reserveCard(reserved, uint32(v))
		}
	}

	type texts struct{ id, phone, email, card span }
	spans := make([]texts, n)
	buf := make([]byte, 0, n*64)
	rng := rand.New(rand.NewPCG(seedClients, seedClients2))
	mark := func() int32 { return int32(len(buf)) }

	for i := range n {
		cl := &slab[len(showcase)+i]
		t := &spans[i]
		cl.gen = i
		cl.kid = rng.IntN(100) < 13

		female := rng.IntN(100) < 55
		if cl.kid {
			female = rng.IntN(2) == 0
		}
		sn := &surnames[rng.IntN(len(surnames))]
		fa := &fathers[rng.IntN(len(fathers))]
		var last, first, middle *word
		if female {
			last, first, middle = &sn.f, &femaleNames[rng.IntN(len(femaleNames))], &fa.daughter
		} else {
			last, first, middle = &sn.m, &maleNames[rng.IntN(len(maleNames))], &fa.son
		}
		cl.LastName, cl.FirstName, cl.MiddleName = last.ru, first.ru, middle.ru

		age := adultAge(rng)
		if cl.kid {
			age = 4 + rng.IntN(10)
		}
		cl.Birthday = models.NewDate(refYear-age-1, 1, 1+rng.IntN(365))

		t.id.from = mark()
		buf = strconv.AppendInt(buf, int64(c.idOf(len(showcase)+i)), 10)
		t.id.to = mark()

		// A child's phone and e-mail are a parent's: that is who the desk calls.
		code, num := operators[rng.IntN(len(operators))], phoneNumber(i)
		t.phone.from = mark()
		buf = appendPhone(buf, code, num)
		t.phone.to = mark()
		c.search.addPhone(code, num)

		t.email.from = mark()
		if rng.IntN(100) < 72 {
			if cl.kid {
				mother := &femaleNames[rng.IntN(len(femaleNames))]
				buf = appendEmail(buf, rng, mother.lat, sn.f.lat, 1978+rng.IntN(17), 0)
			} else {
				buf = appendEmail(buf, rng, first.lat, last.lat, cl.Birthday.Year, rng.IntN(5))
			}
		}
		t.email.to = mark()

		t.card.from = mark()
		if rng.IntN(100) < 85 {
			v := rng.Uint32()
			for !reserveCard(reserved, v) {
				v = rng.Uint32()
			}
			buf = appendDec10(buf, v)
		}
		t.card.to = mark()

		if rng.IntN(100) < 8 {
			cl.Deposit = rub(int64(1+rng.IntN(30)) * 500)
		}
		if rng.IntN(1000) < 4 {
			cl.Blocked, cl.BlockReason = true, blockReasons[rng.IntN(len(blockReasons))]
		}
		if rng.IntN(1000) < 15 {
			cl.Note = notes[rng.IntN(len(notes))]
		}
		c.search.addNames(int32(len(showcase)+i), last, first, middle)
	}

	text := string(buf)
	cards := make([]string, n)
	for i := range n {
		cl, t := &slab[len(showcase)+i], &spans[i]
		cl.idx = int32(len(showcase) + i)
		cl.ID = t.id.of(text)
		cl.Phone = t.phone.of(text)
		cl.Email = t.email.of(text)
		if cl.Deposit.Currency == "" {
			cl.Deposit.Currency = currency
		}
		cl.Debt.Currency = currency
		c.search.addEmail(cl.Email)
		if t.card.to > t.card.from {
			cards[i] = t.card.of(text)
			cl.Cards = cards[i : i+1 : i+1]
			c.search.addCard(cl.idx, cards[i])
		}
		c.clients[cl.idx] = cl
		if cl.kid {
			c.kids = append(c.kids, cl.idx)
		} else if !cl.Blocked {
			c.adults = append(c.adults, cl.idx)
		}
	}
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

// appendPhone writes "+7 916 123-45-67".
func appendPhone(b []byte, code, num int) []byte {
	d := [7]byte{}
	for k := 6; k >= 0; k-- {
		d[k] = byte('0' + num%10)
		num /= 10
	}
	b = append(b, "+7 "...)
	b = strconv.AppendInt(b, int64(code), 10)
	return append(b, ' ', d[0], d[1], d[2], '-', d[3], d[4], '-', d[5], d[6])
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
