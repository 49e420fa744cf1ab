package components

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

// Describe words an error for the receptionist: what happened in their
// language, then the provider's own words when it gave any. Provider text is
// cleaned before it reaches the screen.
func Describe(t *i18n.Texts, err error) string {
	if err == nil {
		return ""
	}
	var what string
	switch {
	case errors.Is(err, providers.ErrQueued):
		// Kept for a reason the CRM gave (a 429's pause): say it.
		if pe := (*providers.Error)(nil); errors.As(err, &pe) && !pe.Desk.IsZero() {
			return Clean(redact.String(pe.Desk.In(t.Lang)))
		}
		return t.J.ErrQueued
	case errors.Is(err, providers.ErrOffline):
		return t.J.ErrOffline
	case errors.Is(err, providers.ErrPartial):
		// Not a failure: the adapter says, in both languages, what it does
		// not know yet.
		return Clean(providers.Explain(err, t.Lang))
	case errors.Is(err, journal.ErrNotRecorded):
		return t.J.ErrNotRecorded // the desk's own disk, not the CRM
	case errors.Is(err, context.DeadlineExceeded):
		what = t.ErrTimeout
	case errors.Is(err, context.Canceled):
		return ""
	case errors.Is(err, providers.ErrLessonFull):
		what = t.ErrLessonFull
	case errors.Is(err, providers.ErrAlreadyBooked):
		what = t.ErrAlreadyBooked
	case errors.Is(err, providers.ErrCardInUse):
		what = t.ErrCardInUse
	case errors.Is(err, providers.ErrInsufficientFunds):
		what = t.ErrInsufficient
	case errors.Is(err, providers.ErrNotFound):
		what = t.ErrNotFound
	case errors.Is(err, providers.ErrUnauthorized):
		what = t.ErrUnauthorized
	case errors.Is(err, providers.ErrRateLimited):
		what = t.ErrRateLimited
	case errors.Is(err, providers.ErrOutcomeUnknown):
		what = t.ErrOutcomeUnknown
	case errors.Is(err, providers.ErrUnsupported):
		var ue *providers.UnsupportedError
		if errors.As(err, &ue) && ue.Why.EN != "" {
			return t.ErrUnsupported + ": " + Clean(ue.Why.In(t.Lang))
		}
		what = t.ErrUnsupported
	case errors.Is(err, providers.ErrNotAPI):
		what = t.ErrNotAPI
	case errors.Is(err, providers.ErrBadAnswer):
		what = t.ErrBadAnswer
	case errors.Is(err, providers.ErrUnavailable):
		what = t.ErrUnavailable
	case errors.Is(err, providers.ErrValidation):
		what = t.ErrValidation
	case errors.Is(err, models.ErrDiscountReason):
		return t.ErrDiscountReason
	case errors.Is(err, models.ErrDiscountRange):
		return t.ErrDiscountRange
	case errors.Is(err, models.ErrPaymentsMismatch):
		return t.ErrPaymentsMismatch
	case errors.Is(err, models.ErrNonPositive):
		return t.ErrNonPositive
	case errors.Is(err, models.ErrUnknownAmount):
		return models.UnknownAmountRefusal.In(t.Lang)
	case errors.Is(err, ErrOneMethod):
		return t.ErrOneMethod
	default:
		return Clean(t.ErrOther + ": " + redact.String(err.Error()))
	}
	msg := Clean(providers.Explain(err, t.Lang))
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Synthetic && t.Lang != "en" && pe.Status != 0 {
		// The desk's own English words about the line add nothing to the
		// sentence above but the status.
		msg = fmt.Sprintf("HTTP %d", pe.Status)
	}
	if fields := fieldMessages(err); fields != "" {
		msg = strings.TrimSpace(msg + " " + fields)
	}
	if msg == "" {
		return what
	}
	return what + ": " + msg
}

func fieldMessages(err error) string {
	fields := providers.FieldMessages(err) // redacted
	if len(fields) == 0 {
		return ""
	}
	parts := make([]string, 0, len(fields))
	for f, m := range fields {
		parts = append(parts, fmt.Sprintf("%s: %s", Clean(f), Clean(m)))
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

// FailLevel colours a write's failure: a write kept for later is a warning,
// not an error.
func FailLevel(err error) models.Level {
	if errors.Is(err, providers.ErrQueued) || errors.Is(err, providers.ErrLead) {
		return models.Yellow
	}
	return models.Red
}

// IsConnectionError tells the status bar the line to the provider is down.
func IsConnectionError(err error) bool {
	return errors.Is(err, providers.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}

// UnknownOutcome reports whether a write may or may not have happened.
func UnknownOutcome(err error) bool {
	return errors.Is(err, providers.ErrOutcomeUnknown) || errors.Is(err, context.DeadlineExceeded)
}
