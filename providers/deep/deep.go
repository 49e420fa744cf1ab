// Package deep is what `clubdesk doctor --deep` is built from: an adapter
// reads, once each and read-only, what the desk reads of its CRM, and
// checks every numbered assumption of its package doc against the answers
// — held, did not hold (with what was seen instead), or could not check
// (with why) — and keeps the shapes of those answers for `--report FILE`.
//
// A shape is what a fixture can be written from without any person's data
// or any secret: keys, JSON types, string lengths, date shapes (YYYY-MM-DD,
// DD.MM.YYYY hh:mm), array lengths, and the values of a few keys the
// adapter names as enumerations (ticket_state, attendance, status...). Every
// name, phone, e-mail, card, comment and id is replaced by its shape, and
// what Seen says of an answer is written in shapes too, since it goes into
// the report.
package deep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Checker is an adapter that can check its assumptions against the live
// account (`clubdesk doctor --deep`). Check reads only — never a write,
// whatever the CRM — once each read the desk uses, within the provider's
// rate limits, and never fails as a whole: a read that fails leaves the
// assumptions it would have shown "could not check", with the reason.
type Checker interface {
	DeepCheck(ctx context.Context) Report
}

// Result is what the answers showed of one assumption.
type Result int

// What an assumption can be found to be.
const (
	// Unchecked: no answer could show it (a write's answer, no data of
	// that kind on the account, a read that failed).
	Unchecked Result = iota
	// Held: the answers are as the assumption says.
	Held
	// NotHeld: an answer shows otherwise; Seen says what came instead.
	NotHeld
)

// String is the result in the report's words.
func (r Result) String() string {
	switch r {
	case Held:
		return "held"
	case NotHeld:
		return "did not hold"
	}
	return "could not check"
}

// Words is the result in the receptionist's languages.
func (r Result) Words() models.Words {
	switch r {
	case Held:
		return models.Words{EN: "held", RU: "подтвердилось"}
	case NotHeld:
		return models.Words{EN: "did not hold", RU: "не подтвердилось"}
	}
	return models.Words{EN: "could not check", RU: "не проверить"}
}

// Level colours a result: a broken assumption is red, one that could not
// be checked yellow.
func (r Result) Level() models.Level {
	switch r {
	case Held:
		return models.Green
	case NotHeld:
		return models.Red
	}
	return models.Yellow
}

// Assumption is one numbered assumption of an adapter's package doc, in a
// few words.
type Assumption struct {
	Number int
	About  models.Words
}

// Check is an assumption as the answers showed it.
type Check struct {
	Assumption
	Result Result
	// Seen is what held, what came instead, or why it could not be
	// checked — in shapes, never a person's data.
	Seen models.Words
}

// Call is one read as the report keeps it.
type Call struct {
	// Read is what the desk reads: "a page of clients".
	Read string `json:"read"`
	// Request is the method and the path with every id as {id}:
	// "GET /clients/id/{id}".
	Request string `json:"request"`
	// Params are the names of the parameters sent (and of the filters
	// inside LuckyFit's params), never their values.
	Params []string `json:"params,omitempty"`
	Status int      `json:"status,omitempty"`
	// Failed says how the read failed, in kinds and statuses only.
	Failed string `json:"failed,omitempty"`
	// Answer is the answer's shape.
	Answer any `json:"answer,omitempty"`
}

// Report is everything `doctor --deep` found.
type Report struct {
	Provider string
	Checks   []Check
	Calls    []Call
	// Keys are what the answers show of the credentials' kind (a parent's
	// token where staff's is needed, rights missing for the desk's
	// actions): a line each for doctor, with what to ask the CRM's
	// administrator for.
	Keys []providers.Diagnosis
}

// Broken lists the numbers of the assumptions that did not hold.
func (r Report) Broken() []int {
	var out []int
	for _, c := range r.Checks {
		if c.Result == NotHeld {
			out = append(out, c.Number)
		}
	}
	return out
}

// Check returns the check of assumption n.
func (r Report) Check(n int) (Check, bool) {
	for _, c := range r.Checks {
		if c.Number == n {
			return c, true
		}
	}
	return Check{}, false
}

// reportFile is the --report file.
type reportFile struct {
	About       string        `json:"about"`
	Provider    string        `json:"provider"`
	Assumptions []reportCheck `json:"assumptions"`
	Keys        []string      `json:"keys,omitempty"`
	Calls       []Call        `json:"calls"`
}

type reportCheck struct {
	Number int    `json:"number"`
	About  string `json:"about"`
	Result string `json:"result"`
	Seen   string `json:"seen,omitempty"`
}

// JSON is the --report file: the assumptions' results and the shapes of
// the answers, in English. It holds no person's data and no secret: every
// value is a shape, and the whole is passed through the redaction of
// every secret the process knows before it is returned.
func (r Report) JSON() ([]byte, error) {
	f := reportFile{
		About:    "clubdesk doctor --deep: the shapes of the CRM's answers (keys, JSON types, lengths, date shapes, enumerations) and the adapter's assumptions; no value of any person or secret",
		Provider: r.Provider,
		Calls:    r.Calls,
	}
	for _, c := range r.Checks {
		f.Assumptions = append(f.Assumptions, reportCheck{Number: c.Number, About: c.About.EN, Result: c.Result.String(), Seen: c.Seen.EN})
	}
	for _, k := range r.Keys {
		f.Keys = append(f.Keys, k.Label.EN+": "+k.Text.EN)
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return []byte(redact.String(string(data))), nil
}

// Book collects what the reads show of each assumption. Every assumption
// starts "could not check"; a read that shows one makes it held, and one
// that contradicts it makes it "did not hold" whatever else held.
type Book struct {
	provider string
	order    []int
	checks   map[int]*Check
	why      map[int][]models.Words
	calls    []Call
	keys     []providers.Diagnosis
}

// NoAnswer is why an assumption no read showed could not be checked.
var NoAnswer = models.Words{EN: "no answer of a read shows it", RU: "ни один ответ на чтение этого не показывает"}

// Write is why an assumption about a write's answer cannot be checked.
var Write = models.Words{EN: "it is about a write's answer, and doctor --deep sends no write", RU: "это об ответе на запись, а doctor --deep ничего не записывает"}

// NewBook starts a book of the adapter's assumptions.
func NewBook(provider string, all []Assumption) *Book {
	b := &Book{provider: provider, checks: map[int]*Check{}, why: map[int][]models.Words{}}
	for _, a := range all {
		b.order = append(b.order, a.Number)
		b.checks[a.Number] = &Check{Assumption: a}
	}
	return b
}

func (b *Book) check(n int) *Check {
	c, ok := b.checks[n]
	if !ok { // an adapter's slip: the number is not in its table
		c = &Check{Assumption: Assumption{Number: n, About: models.Words{EN: fmt.Sprintf("assumption %d", n), RU: fmt.Sprintf("допущение %d", n)}}}
		b.checks[n] = c
		b.order = append(b.order, n)
	}
	return c
}

// Held records that an answer showed assumption n as it says.
func (b *Book) Held(n int, seen models.Words) {
	c := b.check(n)
	switch c.Result {
	case NotHeld:
	case Held:
		c.Seen = join(c.Seen, seen)
	default:
		c.Result, c.Seen = Held, seen
	}
}

// Broken records that an answer contradicts assumption n: seen says what
// came instead, in shapes.
func (b *Book) Broken(n int, seen models.Words) {
	c := b.check(n)
	if c.Result == NotHeld {
		c.Seen = join(c.Seen, seen)
		return
	}
	c.Result, c.Seen = NotHeld, seen
}

// Cannot records why assumption n could not be checked (kept only while
// nothing else showed it).
func (b *Book) Cannot(n int, why models.Words) {
	b.check(n)
	b.why[n] = append(b.why[n], why)
}

// Call keeps a read for the report.
func (b *Book) Call(c Call) { b.calls = append(b.calls, c) }

// Key adds what an answer shows of the credentials' kind.
func (b *Book) Key(d providers.Diagnosis) { b.keys = append(b.keys, d) }

// Report is the book's findings, by assumption number.
func (b *Book) Report() Report {
	nums := slices.Clone(b.order)
	sort.Ints(nums)
	r := Report{Provider: b.provider, Calls: b.calls, Keys: b.keys}
	for _, n := range nums {
		c := *b.checks[n]
		if c.Result == Unchecked {
			why := b.why[n]
			if len(why) == 0 {
				why = []models.Words{NoAnswer}
			}
			c.Seen = models.Join(dedupe(why), "; ")
		}
		r.Checks = append(r.Checks, c)
	}
	return r
}

func join(a, b models.Words) models.Words {
	if a == b {
		return a
	}
	return models.Join([]models.Words{a, b}, "; ")
}

func dedupe(ws []models.Words) []models.Words {
	var out []models.Words
	for _, w := range ws {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Failed words a failed read for Seen and the report: its kind and HTTP
// status, never the CRM's text (which may name a person).
func Failed(request string, err error) models.Words {
	return models.Words{EN: request + " failed: " + FailedShape(err), RU: request + " не прочитан: " + FailedShape(err)}
}

// FailedShape is a failure's kind and status: "HTTP 500, provider
// unavailable"; "a web page, not the API".
func FailedShape(err error) string {
	var pe *providers.Error
	var parts []string
	if errors.As(err, &pe) {
		if pe.Status != 0 {
			parts = append(parts, fmt.Sprintf("HTTP %d", pe.Status))
		}
		if pe.Kind != nil {
			parts = append(parts, pe.Kind.Error())
		}
	}
	switch {
	case errors.Is(err, providers.ErrNotAPI):
		parts = append(parts, "a web page, not the API")
	case errors.Is(err, context.DeadlineExceeded):
		parts = append(parts, "no answer in time")
	case errors.Is(err, providers.ErrUnsupported):
		parts = append(parts, "not supported")
	}
	if len(parts) == 0 {
		return "failed"
	}
	return strings.Join(parts, ", ")
}
