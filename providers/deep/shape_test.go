package deep

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
)

// personal is an answer full of one person's data and of secrets: a name,
// phones, e-mails, cards, a comment, ids, a birthday, an address, an API
// key echoed back, a token in a field named like a status.
const personal = `{"success": true, "error": "", "total": 2, "data": [
 {"id": 10004, "surname": "Должиковщина", "name": "Игорёк", "patronymic": "Петрович",
  "phone1": "+7 (916) 555-00-04", "phone2": 79165550004, "email1": "dolzhikov.igor@mail.ru",
  "tag": "0021478305", "cardnum": "01026F6C3A", "message": "Вернуть забытое полотенце в шкафчик 17",
  "birthday": "1984-04-11", "created_at": "2026-11-22 07:12:00", "ticket_state": 1,
  "status": "79165550004", "api_key": "lf-live-0f9a8b7c6d5e", "address": "ул. Малая Бронная, д. 21",
  "10004": {"note": "Иванов"}, "dolzhikov@mail.ru": 1, "locked": ""},
 {"id": "10005", "surname": "Блохин", "name": "Андрей", "phone1": "79165550005", "email1": null,
  "tag": 27719048, "message": "секретный-пароль-qwerty", "birthday": "02.05.1980", "ticket_state": "2",
  "status": "Активный", "created_at": "2026-11-22T07:40:00+05:00", "locked": "Карта заблокирована: утеря"}
]}`

// TestReportHoldsNoPersonOrSecret feeds a report an answer full of
// personal data and secrets and finds none of them in the file: not a
// name, a phone's digits, an e-mail, a card, a comment, an id, a birthday,
// an address, nor the key.
func TestReportHoldsNoPersonOrSecret(t *testing.T) {
	defer redact.Forget()
	redact.Remember("lf-live-0f9a8b7c6d5e")
	b := NewBook("luckyfit", []Assumption{{1, models.Words{EN: "a client's fields", RU: "поля клиента"}}})
	b.Call(Call{Read: "a page of clients", Request: "GET /clients", Params: []string{"params", "match#surname"}, Status: 200,
		Answer: Of([]byte(personal), "ticket_state", "status")})
	b.Held(1, Same("id, surname, name"))
	data, err := b.Report().JSON()
	if err != nil {
		t.Fatal(err)
	}
	out := string(data)
	for _, bad := range []string{
		"Должиков", "Игорёк", "Петрович", "Блохин", "Андрей", "916", "555", "79165550004", "0021478305", "01026F6C3A",
		"27719048", "dolzhikov", "mail.ru", "полотенце", "шкафчик", "пароль", "qwerty", "10004", "10005", "1984", "1980",
		"Бронная", "lf-live", "0f9a8b7c6d5e", "Иванов", "утеря", "2026-11-22",
	} {
		if strings.Contains(out, bad) {
			t.Errorf("the report holds %q", bad)
		}
	}
	// Digit runs, but for the HTTP status of each read.
	if m := regexp.MustCompile(`[0-9]{3,}`).FindAllString(strings.ReplaceAll(out, `"status": 200`, ""), -1); len(m) > 0 {
		t.Errorf("the report holds digit runs %q", m)
	}
	// What a fixture is written from is there.
	for _, want := range []string{`"surname": "string(6..12)"`, `"birthday": "string(10), dates DD.MM.YYYY, YYYY-MM-DD"`,
		`"ticket_state": "number int | digits(1) | enum 1, \"2\""`, `"status": "string(8..11) | enum string(11), \"Активный\""`,
		`"created_at": "string(19..25), dates YYYY-MM-DD hh:mm:ss, YYYY-MM-DDThh:mm:ss±hh:mm"`,
		`"‹key›"`, `"array": "2"`, `"email1": "null | string(22)"`, `"(present in some only)"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	if !json.Valid(data) {
		t.Fatal("not JSON")
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestDateShape(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-22": "YYYY-MM-DD", "2026-11-22 07:12:00": "YYYY-MM-DD hh:mm:ss", "2026-11-22T07:12": "YYYY-MM-DDThh:mm",
		"2026-11-22T07:12:00.000-07:00": "YYYY-MM-DDThh:mm:ss.fff±hh:mm", "2019-01-17T19:41:44+0900": "YYYY-MM-DDThh:mm:ss±hhmm",
		"2026-11-22T07:12:00Z": "YYYY-MM-DDThh:mm:ssZ", "22.11.2026": "DD.MM.YYYY", "22.11.2026 10:00": "DD.MM.YYYY hh:mm",
		"10:00": "hh:mm", "0000-00-00 00:00:00": "YYYY-MM-DD hh:mm:ss (zero)", "79165550004": "", "Йога": "", "2026-1-2": "",
	} {
		if got := DateShape(in); got != want {
			t.Errorf("DateShape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBookKeepsTheWorst(t *testing.T) {
	b := NewBook("x", []Assumption{{1, Same("one")}, {2, Same("two")}, {3, Same("three")}})
	b.Held(1, Same("a"))
	b.Broken(1, Same("b"))
	b.Held(1, Same("c"))
	b.Cannot(2, Write)
	b.Held(3, Same("d"))
	r := b.Report()
	if c, _ := r.Check(1); c.Result != NotHeld || c.Seen.EN != "b" {
		t.Fatalf("1: %+v", c)
	}
	if c, _ := r.Check(2); c.Result != Unchecked || c.Seen != Write {
		t.Fatalf("2: %+v", c)
	}
	if got := r.Broken(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("broken %v", got)
	}
}
