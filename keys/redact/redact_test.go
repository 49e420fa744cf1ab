package redact

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStringHidesRememberedSecretsAndCredentials(t *testing.T) {
	Forget()
	t.Cleanup(Forget)
	const key, longer = "lf-key-5e1f9a", "lf-key-5e1f9a-and-more"
	Remember(key, "short", "  ", longer)
	if n := len(Known()); n != 2 {
		t.Fatalf("known %d secrets, want 2 (short ones are not secrets)", n)
	}
	cases := []struct{ in, keep string }{
		{"Неверный API-ключ " + key, "Неверный API-ключ"},
		{"token " + longer + " expired", "expired"},
		{`{"error":"bad key","api_key":"zzzzzzzzzz"}`, "bad key"},
		{"GET /x?partner_token=abcdefgh123&branch=1", "branch=1"},
		{"Authorization: Bearer p-token-1, User u-token-2", "Authorization"},
		{"invalid Bearer qwertyuiop12 given", "invalid"},
		{"APP_TOKEN=gocrm-app-token-1", "APP_TOKEN"},
	}
	for _, c := range cases {
		got := String(c.in)
		for _, secret := range []string{key, "zzzzzzzzzz", "abcdefgh123", "p-token-1", "u-token-2", "qwertyuiop12", "gocrm-app-token-1", "and-more"} {
			if strings.Contains(got, secret) {
				t.Errorf("String(%q) = %q keeps %q", c.in, got, secret)
			}
		}
		if !strings.Contains(got, c.keep) || !strings.Contains(got, Mark) {
			t.Errorf("String(%q) = %q lost its sense", c.in, got)
		}
	}
	if s := "Иванов Иван: долг 2 500 ₽"; String(s) != s {
		t.Errorf("an ordinary text changed: %q", String(s))
	}
}

func TestJSONHidesSecretsInsideStringsAndStaysJSON(t *testing.T) {
	Forget()
	t.Cleanup(Forget)
	const key = `k<ey>"&\1234`
	Remember(key)
	doc, _ := json.Marshal(map[string]any{"note": "ключ " + key, "minor": int64(9007199254740993), "password": "hunter22", "list": []any{"a " + key}})
	out := JSON(doc)
	if strings.Contains(string(out), "hunter22") || strings.Contains(string(out), "1234") {
		t.Fatalf("JSON kept a secret: %s", out)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("not JSON any more: %s", out)
	}
	if !strings.Contains(string(out), "9007199254740993") {
		t.Fatalf("a large integer lost its precision: %s", out)
	}
	plain := []byte(`{"name":"Зеленина"}`)
	if got := JSON(plain); string(got) != string(plain) {
		t.Fatalf("a document with nothing to hide was rewritten: %s", got)
	}
}
