package providers

import (
	"context"
	"errors"
	"strings"

	"github.com/clubdesk/clubdesk/models"
)

// ErrNotAPI is the cause of an answer that came from the CRM's web
// application rather than its API: a web page (HTML), or a redirect to a
// login page. The base URL usually lacks a path prefix (LuckyFit's /api);
// `clubdesk doctor` and `clubdesk login` try the neighbours (BaseProber).
// It travels as the Err of an *Error whose Kind is ErrUnavailable (a read)
// or ErrOutcomeUnknown (a write), so errors.Is finds both.
var ErrNotAPI = errors.New("the address answers a web page, not the API")

// BaseAnswer is what an address answered when the desk tried it as the
// base of the CRM's API.
type BaseAnswer int

// What an address can answer.
const (
	// BaseAPI is the API's own format, whatever it said of the key: this
	// is the address to use.
	BaseAPI BaseAnswer = iota
	// BaseWebPage is a web page (HTML): the CRM's web application.
	BaseWebPage
	// BaseLoginPage is a redirect to a login page: the web application
	// asking a person to sign in.
	BaseLoginPage
	// BaseNoMethod is the API's format saying there is no such method:
	// the path prefix is wrong.
	BaseNoMethod
	// BaseUnreachable is no answer at all.
	BaseUnreachable
	// BaseOther is anything else: an error status, a garbled answer, a
	// redirect to another host (never followed).
	BaseOther
)

// BaseAttempt is one address tried and what it answered.
type BaseAttempt struct {
	URL    string
	Answer BaseAnswer
	Status int // the HTTP status, 0 without an answer
	// KeyRefused says the API answered and refused the key: the address
	// is right, the key is not.
	KeyRefused bool
	// Location is where a redirect pointed (a login page's path).
	Location string
	// Words is what the address answered, for login and doctor.
	Words Words
}

// BaseProbe is what the desk found trying the configured base URL and its
// neighbours (with and without the API's path prefix).
type BaseProbe struct {
	Configured string
	// Working is the first address that answers as the API; "" when none
	// does.
	Working string
	Tried   []BaseAttempt
}

// Fits reports whether the configured address is the one that answers.
func (p BaseProbe) Fits() bool {
	return p.Working != "" && strings.TrimRight(p.Working, "/") == strings.TrimRight(p.Configured, "/")
}

// Words is the probe in one sentence per address tried, then what to do:
// "https://my.lucky.fitness: a web page (HTML), not the API; https://my.lucky.fitness/api: the API answers — set base_url = "https://my.lucky.fitness/api"".
func (p BaseProbe) Words() Words {
	var parts []Words
	for _, a := range p.Tried {
		parts = append(parts, Words{EN: a.URL + ": " + a.Words.EN, RU: a.URL + ": " + a.Words.RU})
	}
	out := models.Join(parts, "; ")
	var advice Words
	switch {
	case p.Fits():
	case p.Working != "":
		advice = Words{EN: `set base_url = "%s" in the profile`, RU: `укажите в профиле base_url = "%s"`}.Fill(p.Working)
	default:
		advice = Words{EN: "no address answers as the API: check base_url and the line", RU: "ни один адрес не отвечает как API: проверьте base_url и связь"}
	}
	return models.Join([]Words{out, advice}, " — ")
}

// BaseProber is a provider that can tell whether its base URL reaches the
// CRM's API or its web application, and which neighbouring address does
// (LuckyFit: the base with and without /api). `clubdesk login` runs it when
// the check fails with ErrNotAPI, and `clubdesk doctor` always; both print
// BaseProbe.Words. It reads only (one harmless GET per address) and never
// sends the key to another host.
type BaseProber interface {
	ProbeBase(ctx context.Context) (BaseProbe, error)
}
