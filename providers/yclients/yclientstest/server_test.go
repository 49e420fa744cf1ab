package yclientstest_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/offline"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/yclients"
	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

type secrets map[string]string

func (s secrets) Secret(name string) (string, error) {
	if v, ok := s[name]; ok {
		return v, nil
	}
	return "", errors.New("not found")
}
func (s secrets) SetSecret(name, value string) error { s[name] = value; return nil }

// now is a weekday morning in Moscow.
var now = time.Date(2026, 11, 23, 10, 5, 0, 0, yclientstest.Moscow)

func desk(t *testing.T, tokens secrets) (*yclientstest.Server, *yclients.Client) {
	t.Helper()
	srv := yclientstest.NewServer("p-tok", "u-tok", func() time.Time { return now })
	t.Cleanup(srv.Close)
	c, err := yclients.New(providers.Settings{BaseURL: srv.URL, Branch: "37532", Secrets: tokens,
		Now: func() time.Time { return now }}, yclients.WithLimits())
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestTheAdapterAgainstTheFake runs a morning at the desk through the
// adapter: the fake must understand every request it sends.
func TestTheAdapterAgainstTheFake(t *testing.T) {
	srv, c := desk(t, secrets{"partner_token": "p-tok", "user_token": "u-tok"})
	ctx := context.Background()
	if _, err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	found, err := c.SearchClients(ctx, "Зелен", 20)
	if err != nil || len(found) != 1 || found[0].Cards[0] != "0040856634" || found[0].Deposit.Minor != 150000 {
		t.Fatalf("search %+v %v", found, err)
	}
	byCard, err := c.ClientByCard(ctx, "0021478305")
	if err != nil || byCard.LastName != "Должиков" || byCard.Note == "" {
		t.Fatalf("card %+v %v", byCard, err)
	}
	ms, err := c.Memberships(ctx, "101")
	if err != nil || len(ms) != 1 || !ms[0].Unlimited || ms[0].State != models.StateActive {
		t.Fatalf("memberships %+v %v", ms, err)
	}
	vs, err := c.Visits(ctx, "101", now.Add(-30*24*time.Hour))
	if err != nil || len(vs) != 3 {
		t.Fatalf("visits %+v %v", vs, err)
	}
	from, to := models.DateOf(now, yclientstest.Moscow).Bounds(yclientstest.Moscow)
	ls, err := c.Lessons(ctx, from, to)
	if err != nil || len(ls) != 5 {
		t.Fatalf("lessons %+v %v", ls, err)
	}
	var pilates, cycle models.Lesson
	for _, l := range ls {
		switch l.Title {
		case "Пилатес":
			pilates = l
		case "Сайкл":
			cycle = l
		}
	}
	if pilates.Capacity != 10 || pilates.Booked != 3 || !cycle.Full() {
		t.Fatalf("pilates %+v cycle %+v", pilates, cycle)
	}
	roster, err := c.Roster(ctx, pilates.ID)
	if err != nil || len(roster) != 3 {
		t.Fatalf("roster %+v %v", roster, err)
	}
	var dolzhikov models.Booking
	for _, b := range roster {
		if b.ClientID == "102" {
			dolzhikov = b
		}
	}
	if dolzhikov.AmountDue.Minor != 80000 || dolzhikov.Paid {
		t.Fatalf("Должиков owes %+v", dolzhikov)
	}
	if err := c.MarkAttendance(ctx, dolzhikov.ID, models.Attended); err != nil {
		t.Fatal(err)
	}
	if a, _ := srv.Attendance("Должиков", "Пилатес"); a != 1 {
		t.Fatalf("attendance %d", a)
	}
	res, err := c.TakePayment(ctx, models.PaymentRequest{ClientID: "102", Purpose: models.PayForBooking, BookingID: dolzhikov.ID,
		Payments: []models.Payment{{Method: models.PayCard, Amount: dolzhikov.AmountDue}}})
	if err != nil || res.Charged().Minor != 80000 {
		t.Fatalf("pay %+v %v", res, err)
	}
	if p := srv.Payments(); len(p) != 1 || p[0].Code != 2 {
		t.Fatalf("payments %+v", p)
	}
	if a, _ := srv.Attendance("Должиков", "Пилатес"); a != 1 {
		t.Fatalf("the payment changed the mark: %d", a)
	}
	b, err := c.Book(ctx, pilates.ID, "105")
	if err != nil || b.ClientID != "105" {
		t.Fatalf("book %+v %v", b, err)
	}
	if _, err := c.Book(ctx, pilates.ID, "105"); !errors.Is(err, providers.ErrAlreadyBooked) {
		t.Fatalf("second booking: %v", err)
	}
	if _, err := c.Book(ctx, cycle.ID, "105"); !errors.Is(err, providers.ErrLessonFull) {
		t.Fatalf("full: %v", err)
	}
	if err := c.CancelBooking(ctx, b.ID, false); err != nil {
		t.Fatal(err)
	}
	created, err := c.CreateClient(ctx, models.NewClient{LastName: "Петров", FirstName: "Пётр", Phone: "+7 916 555-00-99", Card: "0077001122"})
	if err != nil || created.ID == "" {
		t.Fatalf("create %+v %v", created, err)
	}
	if err := c.BindCard(ctx, "105", "0077001133"); err != nil {
		t.Fatal(err)
	}
	if cl, err := c.ClientByCard(ctx, "0077001133"); err != nil || cl.ID != "105" {
		t.Fatalf("bound card %+v %v", cl, err)
	}
}

func TestTheFakeFallsBackWithoutEvents(t *testing.T) {
	srv, c := desk(t, secrets{"partner_token": "p-tok", "user_token": "u-tok"})
	srv.RefuseEvents()
	from, to := models.DateOf(now, yclientstest.Moscow).Bounds(yclientstest.Moscow)
	ls, err := c.Lessons(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	// Бокс has no records: without the events search it is not known.
	if len(ls) != 4 {
		t.Fatalf("%+v", ls)
	}
	for _, l := range ls {
		if l.Title == "Пилатес" && (l.Capacity != 0 || l.Booked != 3) {
			t.Fatalf("pilates %+v", l)
		}
	}
}

func TestTheFakeLogsInWithTwoFactor(t *testing.T) {
	tokens := secrets{"partner_token": "p-tok"}
	_, c := desk(t, tokens)
	ctx := context.Background()
	step, err := c.Login(ctx, providers.LoginStep{Answers: map[string]string{"login": yclientstest.Login, "password": yclientstest.Password}})
	if err != nil || len(step.Ask) != 1 {
		t.Fatalf("%+v %v", step, err)
	}
	step.Answers = map[string]string{"code": yclientstest.Code}
	done, err := c.Login(ctx, step)
	if err != nil || done.Secrets["user_token"] != "u-tok" {
		t.Fatalf("%+v %v", done, err)
	}
	if _, err := c.Check(ctx); err != nil {
		t.Fatalf("check after login: %v", err)
	}
}

// TestAVisitOfThreeOnATengeAccount: the fake's visit of three records in
// tenge. Paying one record pays it alone (its sale document, the cash
// desk); the whole visit is paid only confirmed and exact; a mark of one
// is refused until the whole visit is confirmed, and then marks all three.
func TestAVisitOfThreeOnATengeAccount(t *testing.T) {
	srv, c := desk(t, secrets{"partner_token": "p-tok", "user_token": "u-tok"})
	srv.SetCurrency("₸")
	ids := srv.SeedVisitOfThree()
	ctx := context.Background()
	rid := strconv.Itoa(ids[0])
	g, err := c.VisitOf(ctx, rid)
	due, known := g.Due()
	if err != nil || len(g.Records) != 3 || !known || due != models.Major(74000, "KZT") || due.String() != "74 000 ₸" {
		t.Fatalf("visit %+v %v (%v)", g, err, due)
	}
	if !g.PaysAlone(models.PayCash) || c.Info().Currency != "KZT" {
		t.Fatalf("alone %v, currency %q", g.Alone, c.Info().Currency)
	}
	pay := func(major int64, whole bool) (models.PaymentResult, error) {
		return c.TakePayment(ctx, models.PaymentRequest{ClientID: "110", Purpose: models.PayForBooking, BookingID: rid, WholeVisit: whole,
			Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(major, "KZT")}}})
	}
	// The morning class alone.
	if res, err := pay(28000, false); err != nil || res.Charged() != models.Major(28000, "KZT") {
		t.Fatalf("one record: %+v %v", res, err)
	}
	if sp := srv.SalePayments(); len(sp) != 1 || sp[0].RecordID != ids[0] || sp[0].AccountID != yclientstest.CashDesk || sp[0].Amount != 28000 {
		t.Fatalf("document payments %+v", sp)
	}
	if !srv.PaidOf(ids[0]) || srv.PaidOf(ids[1]) || len(srv.Payments()) != 0 {
		t.Fatalf("paid %v %v, fast payments %+v", srv.PaidOf(ids[0]), srv.PaidOf(ids[1]), srv.Payments())
	}
	// The rest of the visit, whole: 46 000, confirmed.
	rid = strconv.Itoa(ids[1])
	if _, err := pay(24000, true); !errors.Is(err, providers.ErrValidation) {
		t.Fatalf("part of the visit confirmed whole: %v", err)
	}
	if res, err := pay(46000, true); err != nil || res.Charged() != models.Major(46000, "KZT") {
		t.Fatalf("whole visit: %+v %v", res, err)
	}
	if p := srv.Payments(); len(p) != 1 || len(p[0].Records) != 2 || !srv.PaidOf(ids[2]) {
		t.Fatalf("fast payments %+v", p)
	}
	// Marks.
	if err := c.MarkAttendance(ctx, rid, models.Attended); !errors.Is(err, providers.ErrWholeVisit) {
		t.Fatalf("one mark of three: %v", err)
	}
	if srv.AttendanceOf(ids[2]) != 0 {
		t.Fatal("a refused mark reached YCLIENTS")
	}
	if err := c.MarkVisit(ctx, rid, models.Attended); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if srv.AttendanceOf(id) != 1 {
			t.Fatalf("record %d not marked", id)
		}
	}
	// Without a cash desk one record is refused with the visit listed.
	srv2, c2 := desk(t, secrets{"partner_token": "p-tok", "user_token": "u-tok"})
	srv2.CloseCashDesks()
	ids2 := srv2.SeedVisitOfThree()
	_, err = c2.TakePayment(ctx, models.PaymentRequest{ClientID: "110", Purpose: models.PayForBooking, BookingID: strconv.Itoa(ids2[0]),
		Payments: []models.Payment{{Method: models.PayCard, Amount: models.Major(28000, "RUB")}}})
	if !errors.Is(err, providers.ErrWholeVisit) || !strings.Contains(providers.Explain(err, "ru"), "74 000 ₽") {
		t.Fatalf("no desk: %v", err)
	}
	if len(srv2.SalePayments())+len(srv2.Payments()) != 0 {
		t.Fatal("a payment was taken")
	}
}

// TestTheFakeFilesClientsAsALiveAccount: abonements in each status with an
// unlimited link, middle_name, a birthday of 1900, a black-list category,
// payment_status and goods in a record's payments.
func TestTheFakeFilesClientsAsALiveAccount(t *testing.T) {
	srv, c := desk(t, secrets{"partner_token": "p-tok", "user_token": "u-tok"})
	ctx := context.Background()
	ms, err := c.Memberships(ctx, "107")
	if err != nil || len(ms) != 4 {
		t.Fatalf("%+v %v", ms, err)
	}
	states := map[string]models.Membership{}
	for _, m := range ms {
		states[m.Title] = m
	}
	if states["Групповые 8 занятий"].State != models.StateNotStarted || !states["Безлимит групповые + 3 массажа"].Unlimited ||
		states["Месяц утро"].State != models.StateExpired || states["Разовое занятие"].HasVisits() {
		t.Fatalf("abonements %+v", states)
	}
	romanov, err := c.Client(ctx, "108")
	if err != nil || romanov.MiddleName != "Андреевич" || romanov.Birthday != models.NoYear(time.March, 14) || romanov.Birthday.Short() != "14.03" {
		t.Fatalf("Романов %+v %v", romanov, err)
	}
	if v := models.Judge(models.VerdictInput{Client: romanov, Now: now, Location: yclientstest.Moscow}); v.Level != models.Red ||
		v.Reasons[0].Code != models.ReasonBlackList || v.Reasons[0].Text != "Black list" {
		t.Fatalf("verdict %+v", v)
	}
	if orlova, _ := c.Client(ctx, "109"); orlova.Birthday != models.NewDate(1990, 4, 1) || orlova.MiddleName != "Сергеевна" {
		t.Fatalf("Орлова %+v", orlova)
	}
	if kovaleva, _ := c.Client(ctx, "107"); !kovaleva.Birthday.IsZero() || len(kovaleva.Tags) != 1 {
		t.Fatalf("Ковалёва %+v", kovaleva)
	}
	// Goods in a record: Должиков bought a towel he paid for; the 800 for
	// Pilates is still due, not 300.
	from, to := models.DateOf(now, yclientstest.Moscow).Bounds(yclientstest.Moscow)
	ls, _ := c.Lessons(ctx, from, to)
	var pilates string
	for _, l := range ls {
		if l.Title == "Пилатес" {
			pilates = l.ID
		}
	}
	roster, _ := c.Roster(ctx, pilates)
	var rid int
	for _, b := range roster {
		if b.ClientID == "102" {
			rid, _ = strconv.Atoi(b.ID)
		}
	}
	srv.SellGoods(rid, "Полотенце", 500, true)
	roster, _ = c.Roster(ctx, pilates)
	for _, b := range roster {
		if b.ClientID == "102" && (b.AmountDue.Minor != 80000 || b.Paid) {
			t.Fatalf("with goods paid: %+v", b)
		}
		if b.ClientID == "101" && !b.Paid { // payment_status 1
			t.Fatalf("Зеленина's paid visit: %+v", b)
		}
	}
}

// TestTheFakeRefusesThePastAndInEnglish: the events search refuses a
// period before today (the desk asks from today, groups the past), and an
// Altegio account refuses in English.
func TestTheFakeRefusesThePastAndInEnglish(t *testing.T) {
	srv, c := desk(t, secrets{"partner_token": "p-tok", "user_token": "u-tok"})
	srv.English()
	ctx := context.Background()
	from, _ := models.DateOf(now, yclientstest.Moscow).AddDays(-1).Bounds(yclientstest.Moscow)
	_, to := models.DateOf(now, yclientstest.Moscow).Bounds(yclientstest.Moscow)
	ls, err := c.Lessons(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Title == "Сайкл" && models.DateOf(l.Start, yclientstest.Moscow) == models.DateOf(now, yclientstest.Moscow) && l.Capacity != 2 {
			t.Fatalf("today's capacity lost: %+v", l)
		}
	}
	var cycle string
	for _, l := range ls {
		if l.Title == "Сайкл" && l.Capacity == 2 {
			cycle = l.ID
		}
	}
	if cycle == "" {
		t.Fatal("today's cycle class lost its capacity: the events were asked from yesterday")
	}
	// An event YCLIENTS does not know: its English refusal is read as
	// "not found", in its own words.
	_, err = c.Book(ctx, "A3489999", "105")
	if !errors.Is(err, providers.ErrNotFound) || providers.ProviderMessage(err) != "Group event not found" {
		t.Fatalf("English refusal: %v", err)
	}
}

// TestAMarkAnswered429IsSentAfterThePause: through the offline desk, a mark
// the fake answers 429 is kept and sent again after Retry-After, once.
func TestAMarkAnswered429IsSentAfterThePause(t *testing.T) {
	srv, c := desk(t, secrets{"partner_token": "p-tok", "user_token": "u-tok"})
	ctx := context.Background()
	from, to := models.DateOf(now, yclientstest.Moscow).Bounds(yclientstest.Moscow)
	ls, _ := c.Lessons(ctx, from, to)
	var pilates string
	for _, l := range ls {
		if l.Title == "Пилатес" {
			pilates = l.ID
		}
	}
	j, err := journal.Open(t.TempDir(), journal.Who{Profile: "main", Provider: "yclients"})
	if err != nil {
		t.Fatal(err)
	}
	off := offline.New(c, j, nil)
	rec := journal.Wrap(off, j)
	roster, _ := rec.Roster(ctx, pilates)
	var booking string
	for _, b := range roster {
		if b.ClientID == "102" {
			booking = b.ID
		}
	}
	srv.RateLimit("PUT /api/v1/visits", 1, 1)
	if err := rec.MarkAttendance(ctx, booking, models.Attended); !errors.Is(err, providers.ErrQueued) {
		t.Fatalf("429: %v", err)
	}
	if a, _ := srv.Attendance("Должиков", "Пилатес"); a != 0 || off.Queued() != 1 {
		t.Fatalf("attendance %d, queued %d", a, off.Queued())
	}
	deadline := time.Now().Add(5 * time.Second)
	for off.Queued() > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if a, _ := srv.Attendance("Должиков", "Пилатес"); a != 1 || off.Queued() != 0 || srv.Requests("PUT /api/v1/visits") != 2 {
		t.Fatalf("after the pause: attendance %d, queued %d, %d PUTs", a, off.Queued(), srv.Requests("PUT /api/v1/visits"))
	}
	ops := j.Since(time.Time{})
	if len(ops) != 1 || ops[0].Phase() != journal.Done {
		t.Fatalf("journal %+v", ops)
	}
}
