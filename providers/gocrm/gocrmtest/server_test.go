package gocrmtest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/gocrm"
	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
)

type keyring map[string]string

func (k keyring) Secret(name string) (string, error) {
	if v, ok := k[name]; ok {
		return v, nil
	}
	return "", errors.New("not found")
}
func (k keyring) SetSecret(name, value string) error { k[name] = value; return nil }

// The adapter against the fake: what the end-to-end test drives, checked
// call by call.
func TestTheAdapterAgainstTheFake(t *testing.T) {
	loc, _ := time.LoadLocation(gocrmtest.Timezone)
	now := time.Date(2026, 11, 22, 10, 5, 0, 0, loc)
	srv := gocrmtest.New(func() time.Time { return now })
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("the fake listens on %s", srv.URL)
	}
	keys := keyring{"app_token": gocrmtest.AppToken}
	c, err := gocrm.New(providers.Settings{BaseURL: srv.URL, Branch: gocrmtest.CenterID, Timezone: gocrmtest.Timezone,
		Secrets: keys, Extra: map[string]any{"person": "admin"}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// Sign in: phone, then the SMS code.
	step := c.LoginStart()
	step.Answers = map[string]string{"phone": "+7 951 000-00-00"}
	step, err = c.Login(ctx, step)
	if err != nil || len(step.Ask) != 1 {
		t.Fatalf("%+v %v", step, err)
	}
	step.Answers = map[string]string{"code": gocrmtest.SMSCode}
	step, err = c.Login(ctx, step)
	if err != nil || step.Secrets["access_token"] != gocrmtest.AccessToken || step.Secrets["refresh_token"] != gocrmtest.RefreshToken {
		t.Fatalf("%+v %v", step, err)
	}
	keys["access_token"] = step.Secrets["access_token"]
	if _, err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if zone, err := c.BranchZone(ctx); err != nil || zone != gocrmtest.Timezone {
		t.Fatalf("%q %v", zone, err)
	}

	// A child by name, and both of a parent's children by phone.
	found, err := c.SearchClients(ctx, "маша", 10)
	if err != nil || len(found) != 1 || found[0].Guardian != "Смирнова Ольга Петровна" {
		t.Fatalf("%+v %v", found, err)
	}
	masha := found[0]
	if byPhone, _ := c.SearchClients(ctx, "8 912 000-11-22", 10); len(byPhone) != 2 {
		t.Fatalf("by phone %+v", byPhone)
	}
	card, err := c.Client(ctx, masha.ID)
	if err != nil || card.Debt.Minor != 150000 || !strings.Contains(card.Note, "ул.Победы") {
		t.Fatalf("%+v %v", card, err)
	}
	ms, _ := c.Memberships(ctx, masha.ID)
	if len(ms) != 1 || ms[0].VisitsLeft != 5 || !ms[0].Usable(models.DateOf(now, loc)) {
		t.Fatalf("%+v", ms)
	}
	vs, _ := c.Visits(ctx, masha.ID, now.Add(-30*24*time.Hour))
	if len(vs) != 1 || vs[0].At.Day() != 21 {
		t.Fatalf("visits %+v", vs)
	}

	// Today, the roster, a booking.
	from, to := models.DateOf(now, loc).Bounds(loc)
	ls, err := c.Lessons(ctx, from, to)
	if err != nil || len(ls) != 4 || ls[0].Instructor != "Мария Петровна, Олег Иванов" || ls[1].Title != "Индивидуальное" {
		t.Fatalf("%+v %v", ls, err)
	}
	evening := srv.HourAt(17, 0)
	roster, err := c.Roster(ctx, evening)
	if err != nil || len(roster) != 2 || !strings.HasPrefix(roster[1].ClientName, "Маша") {
		t.Fatalf("roster %+v %v", roster, err)
	}
	if _, err := c.Book(ctx, evening, "1003"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Book(ctx, evening, "1003"); !errors.Is(err, providers.ErrAlreadyBooked) {
		t.Fatalf("twice: %v", err)
	}
	if got := srv.Booked(evening); len(got) != 3 {
		t.Fatalf("booked %v", got)
	}
	full := srv.HourAt(18, 30)
	if _, err := c.Book(ctx, full, "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Book(ctx, full, "2"); !errors.Is(err, providers.ErrLessonFull) {
		t.Fatalf("full: %v", err)
	}

	// A walk-in lead: refused without a birthday, then registered.
	_, err = c.CreateClient(ctx, models.NewClient{LastName: "Петрова", FirstName: "Катя", Phone: "+7 900 111-22-33"})
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Fields["birthday"] == "" {
		t.Fatalf("no birthday: %v", err)
	}
	lead, err := c.CreateClient(ctx, models.NewClient{LastName: "Петрова", FirstName: "Катя", Phone: "+7 900 111-22-33", Birthday: models.NewDate(2019, 4, 1)})
	if err != nil || !strings.HasPrefix(lead.ID, "lead:") || len(srv.Leads()) != 1 {
		t.Fatalf("%+v %v", lead, err)
	}

	// The debt by QR; with the bank down, its words.
	page, err := c.OpenPaymentPage(ctx, providers.OnlinePayment{ClientID: masha.ID, Purpose: providers.OnlineDebt, Amount: card.Debt})
	if err != nil || !strings.HasPrefix(page.URL, "https://yoomoney.ru/") || srv.Payments()[0].Type != "debt" {
		t.Fatalf("%+v %v", page, err)
	}
	srv.SetBankDown(true)
	if _, err := c.OpenPaymentPage(ctx, providers.OnlinePayment{ClientID: masha.ID, Purpose: providers.OnlineBuyPlan, Plan: models.Plan{ID: "2"}}); err == nil || !strings.Contains(err.Error(), "Нет связи с банком") {
		t.Fatalf("bank down: %v", err)
	}

	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Check(ctx); !errors.Is(err, providers.ErrUnauthorized) {
		t.Fatalf("after logout: %v", err)
	}
}
