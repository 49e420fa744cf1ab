package httpx

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/providers"
)

// A payment answered with a redirect: the server may have applied it. The
// write is never sent again (307 would repeat the body) nor turned into a
// GET (302, whose 404 would read as "nothing happened"): its outcome is
// unknown.
func TestAWriteNeverFollowsARedirect(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusFound, http.StatusPermanentRedirect, http.StatusSeeOther} {
		var mu sync.Mutex
		var seen []string
		c, n := server(t, func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			seen = append(seen, r.Method+" "+r.URL.Path+" "+string(body))
			mu.Unlock()
			if r.URL.Path == "/transactions" {
				http.Redirect(w, r, "/transactions/61", status) // applied, then redirected
				return
			}
			http.NotFound(w, r)
		})
		_, err := c.Write.R().SetBody(`{"summ":2500}`).Post("/transactions")
		mapped := c.TransportError("pay", true, err)
		if !errors.Is(mapped, providers.ErrOutcomeUnknown) || !errors.Is(mapped, providers.ErrRedirectRefused) || errors.Is(mapped, providers.ErrUnavailable) {
			t.Errorf("%d: %v", status, mapped)
		}
		if n.Load() != 1 {
			t.Errorf("%d: %d requests reached the server (want the payment once): %q", status, n.Load(), seen)
		}
		var pe *providers.Error
		if !errors.As(mapped, &pe) || !strings.Contains(pe.Desk.RU, "проверьте в CRM") {
			t.Errorf("%d: the desk's words: %+v", status, pe)
		}
	}
}

// An answer too large, or one that cannot be read, is not a lost
// connection: the desk stays online and says what happened.
func TestAnAnswerTooLargeOrUnreadableIsNotNoConnection(t *testing.T) {
	c, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":"`))
		w.Write([]byte(strings.Repeat("x", 17<<20))) // 17 MB
	})
	_, err := c.Read.R().Get("/clients")
	read := c.TransportError("search clients", false, err)
	if !errors.Is(read, providers.ErrBadAnswer) || !errors.Is(read, providers.ErrAnswerTooLarge) || errors.Is(read, providers.ErrUnavailable) {
		t.Fatalf("a 17 MB answer to a read: %v", read)
	}
	if got := providers.Explain(read, "ru"); !strings.Contains(got, "слишком большой") {
		t.Fatalf("the desk's words: %q", got)
	}
	_, err = c.Write.R().SetBody(`{}`).Post("/transactions")
	if w := c.TransportError("pay", true, err); !errors.Is(w, providers.ErrOutcomeUnknown) {
		t.Fatalf("a 17 MB answer to a payment: %v", w)
	}
	g := c.Garbled("search clients", false, 200, errors.New("not JSON"))
	if !errors.Is(g, providers.ErrBadAnswer) || !errors.Is(g, providers.ErrAnswerUnreadable) || errors.Is(g, providers.ErrUnavailable) {
		t.Fatalf("garbled read: %v", g)
	}
	if w := c.Garbled("pay", true, 200, nil); !errors.Is(w, providers.ErrOutcomeUnknown) || !errors.Is(w, providers.ErrAnswerUnreadable) {
		t.Fatalf("garbled write: %v", w)
	}
}

func TestASearchPullsAtMostSearchMaxBody(t *testing.T) {
	c, _ := server(t, func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, SearchMaxBody+1)) })
	_, err := Search(c.Read.R()).Get("/clients")
	if got := c.TransportError("search clients", false, err); !errors.Is(got, providers.ErrAnswerTooLarge) {
		t.Fatalf("a search past its cap: %v", got)
	}
}

// A CRM that echoes the key in its refusal (200, 401, 500): the key is in
// no error text, whatever the desk shows or keeps of it. The key is known
// only from the request that carried it (a key typed at login and not yet
// stored is not in the keyring).
func TestAnEchoedKeyIsInNoErrorText(t *testing.T) {
	redact.Forget()
	t.Cleanup(redact.Forget)
	const key = "lf-echoed-key-7c2d91"
	for _, status := range []int{200, 401, 500} {
		c, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, `{"success":false,"error":"Неверный API-ключ `+r.Header.Get("Api-Key")+`"}`)
		})
		resp, err := c.Write.R().SetHeader("Api-Key", key).SetQueryParam("api_key", key).Post("/transactions")
		if err != nil {
			t.Fatal(err)
		}
		body := string(resp.Body())
		if !strings.Contains(body, key) {
			t.Fatalf("the server did not echo the key: %s", body)
		}
		errs := []error{c.StatusError("pay", true, status, resp.Header(), body), c.Garbled("pay", true, status, errors.New(body))}
		for _, e := range errs {
			pe := &providers.Error{}
			errors.As(e, &pe)
			for _, s := range []string{e.Error(), providers.Explain(e, "ru"), providers.Explain(e, "en"), providers.ProviderMessage(e), pe.Message} {
				if strings.Contains(s, key) {
					t.Errorf("%d: the key is in %q", status, s)
				}
			}
		}
		// An error the adapter builds itself from the body: its rendering
		// is redacted too.
		own := &providers.Error{Kind: providers.ErrValidation, Op: "pay", Message: body, Fields: map[string]string{"key": body}}
		if strings.Contains(own.Error(), key) || strings.Contains(providers.Explain(own, "ru"), key) ||
			strings.Contains(providers.FieldMessages(own)["key"], key) || strings.Contains(providers.Scrub(own).(*providers.Error).Message, key) {
			t.Errorf("%d: an adapter's own error shows the key", status)
		}
	}
}
