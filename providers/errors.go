package providers

import (
	"errors"
	"fmt"
	"time"
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

	// Refusals the desk words specially.
	ErrLessonFull        = errors.New("the lesson is full")
	ErrAlreadyBooked     = errors.New("the client is already booked")
	ErrCardInUse         = errors.New("the card belongs to another client")
	ErrInsufficientFunds = errors.New("not enough money on the deposit")
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
	// Fields holds per-field validation messages (Go-CRM's errors object).
	Fields map[string]string
	// RetryAfter is the provider's requested pause on ErrRateLimited.
	RetryAfter time.Duration
	Err        error // the underlying cause, if any
}

func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
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
func ProviderMessage(err error) string {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	var ue *UnsupportedError
	if errors.As(err, &ue) {
		return ue.Reason
	}
	return ""
}
