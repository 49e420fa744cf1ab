package providers

import (
	"errors"
	"fmt"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
)

// Sentinel errors every adapter maps its failures to. Match with errors.Is.
var (
	ErrNotFound       = errors.New("not found")
	ErrUnauthorized   = errors.New("credentials rejected")
	ErrRateLimited    = errors.New("too many requests")
	ErrValidation     = errors.New("rejected by the provider")
	ErrUnavailable    = errors.New("provider unavailable")
	ErrOutcomeUnknown = errors.New("outcome unknown")
	ErrUnsupported    = errors.New("not supported by this provider")
	// ErrQueued: the CRM is unreachable and the write (an attendance mark,
	// a check-in) is kept at the desk, to be checked and sent when it is
	// back. ErrOffline: it is unreachable and the write is refused — money
	// never moves offline.
	ErrQueued  = errors.New("kept at the desk until the CRM answers again")
	ErrOffline = errors.New("the CRM is unreachable")
	// ErrBadAnswer: the CRM answered, and its answer cannot be used (too
	// large, unreadable, a redirect the desk does not follow). The line is
	// up: the desk stays online, and says what happened. Its cause is one
	// of ErrAnswerTooLarge, ErrAnswerUnreadable, ErrRedirectRefused (a
	// write answered so is ErrOutcomeUnknown with the same cause).
	ErrBadAnswer = errors.New("the CRM's answer cannot be used")

	// Causes of ErrBadAnswer.
	ErrAnswerTooLarge   = errors.New("the answer is too large")
	ErrAnswerUnreadable = errors.New("the answer is not readable")
	ErrRedirectRefused  = errors.New("redirected to another address, not followed")

	// Refusals the desk words specially.
	ErrLessonFull        = errors.New("the lesson is full")
	ErrAlreadyBooked     = errors.New("the client is already booked")
	ErrCardInUse         = errors.New("the card belongs to another client")
	ErrInsufficientFunds = errors.New("not enough money on the deposit")

	// ErrNotPermitted: the desk itself refuses, before anything is sent,
	// because the operator at it may not do this (clubdesk serve's
	// operators file); the Desk words say which permission is missing.
	ErrNotPermitted = errors.New("not permitted to this operator")
)

// ErrLead is the cause of a refusal to book, mark or take money for a
// lead (models.Client.Lead): the CRM saved the registration, and it
// becomes a client only once the CRM's staff register it. It travels as
// the Err of an *Error of Kind ErrValidation; a walk-in flow checks
// Client.Lead before booking rather than meeting it.
var ErrLead = errors.New("a lead, not yet a client")

// Refusals every adapter words the same way, for Refusal.
var (
	CardNotFound   = Words{EN: "card %s not found", RU: "карта %s не найдена"}
	ClientNotFound = Words{EN: "client %s not found", RU: "клиент %s не найден"}
	CardHeld       = Words{EN: "card %s already belongs to %s", RU: "карта %s уже у клиента %s"}
	NoPlaces       = Words{EN: "no places left: %d of %d", RU: "нет свободных мест: %d из %d"}
)

// What a Reconciler says it found of a lost booking.
var (
	BookingFound   = Words{EN: "booking № %s", RU: "запись № %s"}
	BookingMissing = Words{EN: "the client is not booked for the lesson", RU: "записи клиента на занятие нет"}
)

// Error is a provider failure with what the provider itself said.
type Error struct {
	Kind    error  // one of the sentinels above
	Op      string // what the desk was doing: "search clients"
	Status  int    // HTTP status, 0 when not from HTTP
	Message string // the provider's own words, shown to the receptionist
	// Synthetic says Message is the desk's own English description (a
	// dropped connection, an HTML page), not the provider's words.
	Synthetic bool
	// Desk is the adapter's own reason in both languages, when the desk
	// refuses by itself or words what it found ("card 0040 not found"),
	// rather than passing on the provider's Message.
	Desk Words
	// Fields holds per-field validation messages (Go-CRM's errors object).
	Fields map[string]string
	// RetryAfter is the provider's requested pause on ErrRateLimited.
	RetryAfter time.Duration
	Err        error // the underlying cause, if any
}

// Error is the failure in English, for the log and support. Every secret
// the process holds is redacted from it (package redact), whatever the CRM
// echoed.
func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Desk.EN != "" {
		msg += ": " + e.Desk.EN
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return redact.String(msg)
}

// Unwrap exposes both the kind and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Errorf builds an *Error of the given kind with the provider's message.
func Errorf(kind error, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Message: fmt.Sprintf(format, args...)}
}

// Refusal builds an *Error of the given kind that the desk words itself,
// in both languages, the same arguments filling both:
//
//	Refusal(ErrNotFound, "card lookup", Words{EN: "card %s not found", RU: "карта %s не найдена"}, tag)
func Refusal(kind error, op string, why Words, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Desk: why.Fill(args...)}
}

// Explain returns what err carries for the receptionist beyond its kind, in
// lang: the desk's own words, else the provider's. A synthetic message (the
// desk's English about the line) is only given in English. Secrets are
// redacted from it.
func Explain(err error, lang string) string {
	var pe *Error
	if errors.As(err, &pe) {
		switch {
		case pe.Desk.EN != "":
			return redact.String(pe.Desk.In(lang))
		case pe.Synthetic && lang != "en":
			return ""
		}
		return redact.String(pe.Message)
	}
	var ue *UnsupportedError
	if errors.As(err, &ue) {
		return redact.String(ue.Why.In(lang))
	}
	return ""
}

// FieldMessages is the per-field messages a refusal carries (Go-CRM's and
// YCLIENTS' validation errors), with secrets redacted: what the screen
// shows of Error.Fields.
func FieldMessages(err error) map[string]string {
	var pe *Error
	if !errors.As(err, &pe) {
		return nil
	}
	return redact.Map(pe.Fields)
}

// UnsupportedError is returned when a capability the provider lacks is
// called anyway.
type UnsupportedError struct {
	Capability Capability
	Reason     string // English, for logs
	Why        Words  // for the receptionist
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Capability, ErrUnsupported, e.Reason)
}

// Unwrap makes errors.Is(err, ErrUnsupported) true.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// ProviderMessage returns the provider's own words carried by err, if any.
// Secrets are redacted from it.
func ProviderMessage(err error) string {
	var pe *Error
	if errors.As(err, &pe) {
		return redact.String(pe.Message)
	}
	var ue *UnsupportedError
	if errors.As(err, &ue) {
		return redact.String(ue.Reason)
	}
	return ""
}

// Scrub redacts every secret from the texts of the *Error values in err's
// chain (Message, Desk, Fields), in place, and returns err: for an error
// kept or shown outside this process's own rendering (a result stored for
// later).
func Scrub(err error) error {
	var pe *Error
	if errors.As(err, &pe) {
		pe.Message = redact.String(pe.Message)
		pe.Desk = Words{EN: redact.String(pe.Desk.EN), RU: redact.String(pe.Desk.RU)}
		pe.Fields = redact.Map(pe.Fields)
	}
	return err
}
