package yclientstest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
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
