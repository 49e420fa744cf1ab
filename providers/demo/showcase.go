package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// showcaseClient is one of the fixed clients the README lists: each shows
// the desk one verdict, on any date, because its memberships are placed
// relative to the club's day.
type showcaseClient struct {
	last, first, middle string
	phone, email, card  string
	age                 int // years; the birthday is placed away from today unless birthdayToday
	birthdayToday       bool
	kid                 bool
	deposit             int64 // roubles
	blockReason         string
	note                string
}

// The showcase, in ID order from 10001. The package comment documents it;
// keep the two in step.
var showcase = []showcaseClient{
	{last: "Зеленина", first: "Ольга", middle: "Сергеевна", phone: "+7 916 555-00-01",
		email: "o.zelenina@mail.ru", card: "0040856634", age: 34, deposit: 1500},
	{last: "Старостин", first: "Павел", middle: "Игоревич", phone: "+7 916 555-00-02",
		email: "starostin.pavel@gmail.com", card: "0012630417", age: 47, deposit: 6000},
	{last: "Морозова", first: "Елена", middle: "Викторовна", phone: "+7 916 555-00-03",
		email: "e.morozova@yandex.ru", card: "0015822946", age: 39},
	{last: "Должиков", first: "Игорь", middle: "Петрович", phone: "+7 916 555-00-04",
		email: "dolzhikov.igor@mail.ru", card: "0021478305", age: 42},
	{last: "Блохин", first: "Андрей", middle: "Николаевич", phone: "+7 916 555-00-05",
		email: "a.blokhin@gmail.com", card: "0027719048", age: 31,
		blockReason: "утеря, выдать новую карту"},
	{last: "Праздникова", first: "Алина", middle: "Дмитриевна", phone: "+7 916 555-00-06",
		email: "alina.prazdnikova@yandex.ru", card: "0031105562", age: 28, birthdayToday: true},
	{last: "Письменная", first: "Вера", middle: "Андреевна", phone: "+7 916 555-00-07",
		email: "v.pismennaya@mail.ru", card: "0034490871", age: 52, note: "Вернуть забытое полотенце"},
	{last: "Крайнев", first: "Денис", middle: "Олегович", phone: "+7 916 555-00-08",
		email: "kraynev.denis@gmail.com", card: "0037904126", age: 26},
	{last: "Малышев", first: "Тимофей", middle: "Алексеевич", phone: "+7 916 555-00-09",
		email: "i.malysheva@mail.ru", card: "0043318759", age: 8, kid: true},
	{last: "Новосёлов", first: "Кирилл", middle: "Андреевич", phone: "+7 916 555-00-10",
		email: "kirill.novoselov@yandex.ru", age: 29},
	{last: "Пришвина", first: "Дарья", middle: "Михайловна", phone: "+7 916 555-00-11",
		email: "d.prishvina@gmail.com", card: "0049052213", age: 36},
	{last: "Пустовойт", first: "Марина", middle: "Юрьевна", phone: "+7 916 555-00-12",
		email: "m.pustovoyt@mail.ru", card: "0052611384", age: 44},
	{last: "Погодин", first: "Станислав", middle: "Евгеньевич", phone: "+7 916 555-00-13",
		email: "pogodin.stas@yandex.ru", card: "0056370925", age: 33},
}

// Showcase client IDs, for tests and for code that wants to open one.
const (
	idGreen      = "10001"
	idExpired    = "10002"
	idFrozen     = "10003"
	idDebt       = "10004"
	idBlocked    = "10005"
	idBirthday   = "10006"
	idNote       = "10007"
	idLastVisit  = "10008"
	idKid        = "10009"
	idNew        = "10010"
	idCheckedIn  = "10011"
	idNoVisits   = "10012"
	idNotStarted = "10013"
)

const seedShowcase = 0x73686f77_63617365 // "showcase"

// buildShowcase fills in the showcase clients and indexes them. It runs
// before the generated clients are indexed, since the index is positional.
func (c *Club) buildShowcase() {
	for i, s := range showcase {
		cl := c.clients[i]
		cl.ID = strconv.Itoa(firstShowcaseID + i)
		cl.LastName, cl.FirstName, cl.MiddleName = s.last, s.first, s.middle
		cl.Phone, cl.Email = s.phone, s.email
		cl.kid = s.kid
		if s.card != "" {
			cl.Cards = []string{s.card}
		}
		cl.Deposit, cl.Debt = rub(s.deposit), rub(0)
		cl.Blocked, cl.BlockReason = s.blockReason != "", s.blockReason
		cl.Note = s.note
		if s.birthdayToday {
			cl.Birthday = models.Date{Year: c.base.Year - s.age, Month: c.base.Month, Day: c.base.Day}
		} else {
			// Some way off today, so no other showcase verdict gains a
			// birthday on the day the desk happens to run.
			d := c.base.AddDays(53 + 29*i)
			cl.Birthday = models.NewDate(d.Year-s.age-1, d.Month, d.Day)
		}
	}
}

// indexShowcase puts the showcase clients in the search index; generate
// calls it before any generated client is indexed.
func (c *Club) indexShowcase() {
	for i := range showcase {
		cl := c.clients[i]
		c.search.addClient(cl.idx, cl.Client)
		c.search.addPhoneDigits(models.PhoneDigits(cl.Phone))
		c.search.addEmail(cl.Email)
		for _, t := range cl.Cards {
			c.search.addCard(cl.idx, t)
		}
	}
}

// placeShowcase gives the showcase clients the memberships and past visits
// that make their verdicts, relative to the club's day.
func (c *Club) placeShowcase(now time.Time) {
	b := c.base
	rng := rand.New(rand.NewPCG(seedShowcase, uint64(b.Year*10000+int(b.Month)*100+b.Day)))
	get := func(id string) *client { cl := c.find(id); cl.hasHist = true; return cl }
	p := func(id string) models.Plan { pl, _ := c.plan(id); return pl }

	cl := get(idGreen)
	old := c.addMembership(cl, p(planUnlimited), b.AddDays(-5).AddMonths(-1))
	old.State = models.StateExpired
	c.pastVisits(rng, cl, old, 9)
	cur := c.addMembership(cl, p(planUnlimited), b.AddDays(-5))
	c.pastVisits(rng, cl, cur, 3)

	cl = get(idExpired)
	old = c.addMembership(cl, p(planEight), b.AddDays(-100))
	old.State, old.VisitsLeft = models.StateExpired, 0
	c.pastVisits(rng, cl, old, 8)
	cur = c.addMembership(cl, p(planTwelve), b.AddDays(-7).AddMonths(-2).AddDays(1))
	cur.State, cur.End, cur.VisitsLeft = models.StateExpired, b.AddDays(-7), 2
	c.pastVisits(rng, cl, cur, 10)

	cl = get(idFrozen)
	cur = c.addMembership(cl, p(planYear), b.AddDays(-120))
	cur.State, cur.FrozenUntil, cur.End = models.StateFrozen, b.AddDays(10), cur.End.AddDays(21)
	c.pastVisits(rng, cl, cur, 25)

	cl = get(idDebt)
	cur = c.addMembership(cl, p(planUnlimited), b.AddDays(-3))
	cur.AmountDue = rub(2500)
	c.pastVisits(rng, cl, cur, 2)

	cl = get(idBlocked)
	cur = c.addMembership(cl, p(planEight), b.AddDays(-10))
	cur.VisitsLeft = 5
	c.pastVisits(rng, cl, cur, 3)

	cl = get(idBirthday)
	cur = c.addMembership(cl, p(planTwelve), b.AddDays(-14))
	cur.VisitsLeft = 9
	c.pastVisits(rng, cl, cur, 3)

	cl = get(idNote)
	cur = c.addMembership(cl, p(planEight), b.AddDays(-9))
	cur.VisitsLeft = 5
	c.pastVisits(rng, cl, cur, 3)

	cl = get(idLastVisit)
	cur = c.addMembership(cl, p(planEight), b.AddDays(3).AddMonths(-1))
	cur.End, cur.VisitsLeft = b.AddDays(2), 1
	c.pastVisits(rng, cl, cur, 7)

	cl = get(idKid)
	cur = c.addMembership(cl, p(planKidsEight), b.AddDays(-6))
	cur.VisitsLeft = 6
	c.pastVisits(rng, cl, cur, 2)

	get(idNew) // registered, never bought anything

	cl = get(idCheckedIn)
	cur = c.addMembership(cl, p(planTwelve), b.AddDays(-20))
	cur.VisitsLeft = 8
	c.pastVisits(rng, cl, cur, 4)
	// Her visit twelve minutes ago is recorded with today's timetable, which
	// links it to the lesson she came for (openDay).

	cl = get(idNoVisits)
	cur = c.addMembership(cl, p(planEight), b.AddDays(-18))
	cur.VisitsLeft = 0
	c.pastVisits(rng, cl, cur, 8)

	cl = get(idNotStarted)
	old = c.addMembership(cl, p(planUnlimited), b.AddDays(-10).AddMonths(-1))
	old.State = models.StateExpired
	c.pastVisits(rng, cl, old, 7)
	cur = c.addMembership(cl, p(planUnlimited), b.AddDays(3))
	cur.State = models.StateNotStarted
}

// pastVisits records n visits on m spread over the days between its start
// and yesterday (or its end, if earlier).
func (c *Club) pastVisits(rng *rand.Rand, cl *client, m *models.Membership, n int) {
	from, to := m.Start, m.End
	if y := c.base.AddDays(-1); to.IsZero() || to.After(y) {
		to = y
	}
	if from.IsZero() || to.Before(from) {
		return
	}
	days := from.DaysUntil(to) + 1
	var vs []models.Visit
	for range min(n, days) {
		d := from.AddDays(rng.IntN(days))
		vs = append(vs, models.Visit{ClientID: cl.ID, At: visitTime(rng, d, c.loc), MembershipID: m.ID})
	}
	c.addVisits(cl, vs)
}
