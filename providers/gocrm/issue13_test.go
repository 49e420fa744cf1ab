package gocrm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
	"github.com/clubdesk/clubdesk/providers/wire"
)

// An error answered 200 with status "error" keeps the status Go-CRM
// really gave and its words; it is never "HTTP 422".
func TestAnErrorIn200KeepsTheStatusGiven(t *testing.T) {
	cases := []struct {
		name, body string
		check      func(*providers.Error) bool
	}{
		{"with a message", `{"status":"error","message":"Центр закрыт на ремонт","validation_errors":{},"data":{}}`,
			func(pe *providers.Error) bool {
				return pe.Message == "Центр закрыт на ремонт" && !pe.Synthetic
			}},
		{"fields only", `{"status":"error","message":"","validation_errors":"{\"phone\":\"The phone field is required.\"}","data":{}}`,
			func(pe *providers.Error) bool { return pe.Fields["phone"] != "" && !pe.Synthetic && pe.Message == "" }},
		{"nothing said", `{"status":"error","message":"","validation_errors":{},"data":null}`,
			func(pe *providers.Error) bool {
				return !pe.Synthetic && strings.Contains(pe.Desk.RU, "статусом «error» (HTTP 200)") && strings.Contains(pe.Desk.EN, "status «error» (HTTP 200)")
			}},
	}
	for _, tc := range cases {
		f, c, _ := newWire(t, "1")
		f.Answer("POST /api/v3/leads", 200, tc.body)
		_, err := c.CreateClient(context.Background(), models.NewClient{FirstName: "Вова", Phone: "+79876543210", Birthday: models.NewDate(2019, 1, 1)})
		var pe *providers.Error
		if !errors.As(err, &pe) || !errors.Is(err, providers.ErrValidation) || pe.Status != 200 || !tc.check(pe) {
			t.Errorf("%s: %#v", tc.name, pe)
		}
		if strings.Contains(err.Error(), "422") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// The client API's status:"error" in a 200 likewise.
	f, c, _ := newWire(t, "1")
	f.Answer("GET /api/profile", 200, `{"status":"error","message":""}`)
	_, err := c.Check(context.Background())
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Status != 200 || !strings.Contains(pe.Desk.EN, "HTTP 200") {
		t.Fatalf("client API: %v", err)
	}
}

// Public GET /users fails on live centers: the failure is kept for the
// session (instructors named by what the hours carry), asked again only
// after Refresh (F5 of the timetable), and doctor says it in one line.
func TestFailingUsersIsKeptForTheSession(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, yekaterinburg)
	srv := gocrmtest.New(func() time.Time { return now })
	defer srv.Close()
	srv.SetUsersDown(true)
	sec := &secrets{vals: map[string]string{"app_token": gocrmtest.AppToken, "access_token": gocrmtest.AccessToken}}
	c, err := New(providers.Settings{BaseURL: srv.URL, Branch: gocrmtest.CenterID, Secrets: sec, Timezone: gocrmtest.Timezone,
		Now: func() time.Time { return now }}, WithRetryWait(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	from, to := models.DateOf(now, yekaterinburg).Bounds(yekaterinburg)
	read := func() []models.Lesson {
		t.Helper()
		ls, err := c.Lessons(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	ls := read()
	if len(ls) == 0 || ls[0].Instructor != "#11, #12" {
		t.Fatalf("instructors by what the hour carries: %+v", ls)
	}
	asked := srv.Sent("GET /api/v3/users")
	read()
	read()
	if n := srv.Sent("GET /api/v3/users"); n != asked {
		t.Fatalf("/users asked %d more times on timetable reads", n-asked)
	}
	if c.InstructorsFailure() == nil {
		t.Fatal("the failure is not kept")
	}
	// F5: asked again; once it answers, names.
	srv.SetUsersDown(false)
	c.Refresh(providers.RefreshTimetable)
	if ls := read(); ls[0].Instructor != "Мария Петровна, Олег Иванов" || srv.Sent("GET /api/v3/users") != asked+1 {
		t.Fatalf("after F5: %q, %d asks", ls[0].Instructor, srv.Sent("GET /api/v3/users"))
	}
	// Doctor's line.
	d := c.Diagnose(ctx)
	if len(d) != 1 || d[0].Level != models.Green || !strings.Contains(d[0].Text.RU, "3") {
		t.Fatalf("doctor, /users up: %+v", d)
	}
	srv.SetUsersDown(true)
	d = c.Diagnose(ctx)
	if len(d) != 1 || d[0].Level != models.Yellow || !strings.Contains(d[0].Text.EN, "HTTP 500") || !strings.Contains(d[0].Text.RU, "F5") ||
		d[0].Label.RU != "инструкторы (/users)" {
		t.Fatalf("doctor, /users down: %+v", d)
	}
}

// The names an hour carries itself serve when /users is not there.
func TestHoursCarryTheirInstructorsNames(t *testing.T) {
	var h wireHour
	if err := decodeHour(`{"id":1,"datetime":"2024-01-07 10:00:00","instructors":[{"id":11,"name":"Мария"},12]}`, &h); err != nil {
		t.Fatal(err)
	}
	_, c, _ := newWire(t, "1")
	l, ok := c.lesson(h, nil, nil)
	if !ok || l.Instructor != "Мария, #12" {
		t.Fatalf("lesson %+v", l)
	}
	if err := decodeHour(`{"id":2,"datetime":"2024-01-07 11:00:00","instructors":[13],"instructorName":"Анна Сергеевна"}`, &h); err != nil {
		t.Fatal(err)
	}
	if l, _ := c.lesson(h, nil, nil); l.Instructor != "Анна Сергеевна" {
		t.Fatalf("lesson %+v", l)
	}
	if l, _ := c.lesson(h, map[string]string{"13": "Анна"}, nil); l.Instructor != "Анна" {
		t.Fatalf("/users wins: %+v", l)
	}
}

func decodeHour(s string, h *wireHour) error {
	*h = wireHour{}
	return wire.Decode([]byte(s), h)
}

// Where APP_TOKEN comes from is said both ways: Go-CRM's support on
// request, or generated in the CRM.
func TestLoginSaysWhereTheAppTokenComesFrom(t *testing.T) {
	_, c, _ := newWire(t, "1")
	m := c.LoginStart().Message
	for _, w := range []string{m.RU, keys.Where("gocrm", "app_token").RU} {
		if !strings.Contains(w, "поддержка Go-CRM по запросу") || !strings.Contains(w, "в самой Go-CRM") {
			t.Errorf("RU: %q", w)
		}
	}
	for _, w := range []string{m.EN, keys.Where("gocrm", "app_token").EN} {
		if !strings.Contains(w, "Go-CRM's support") || !strings.Contains(w, "on request") || !strings.Contains(w, "generate") {
			t.Errorf("EN: %q", w)
		}
	}
}
