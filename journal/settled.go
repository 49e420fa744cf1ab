package journal

import (
	"github.com/clubdesk/clubdesk/models"
)

// Settled is the phase in the words the desk uses for an outcome
// everywhere (models.Settled: done, done in part, unknown, not done); ok
// is false for a line that is no write's outcome (an audit line, a mark
// kept at the desk).
func (p Phase) Settled() (models.Settled, bool) {
	switch p {
	case Done, Confirmed:
		return models.SettledDone, true
	case Partial, ConfirmedPart:
		return models.SettledInPart, true
	case Intent, Unknown:
		return models.SettledUnknown, true
	case Refused, Dismissed:
		return models.SettledFailed, true
	}
	return 0, false
}

// Verdict is how the operation ended, as far as the desk knows; an
// operation still in the air (an intent, unknown) is SettledUnknown.
func (o Operation) Verdict() models.Settled {
	s, ok := o.Phase().Settled()
	if !ok {
		return models.SettledUnknown
	}
	return s
}

// parts are the operation's latest parts: its outcome's, else its intent's.
func (o Operation) parts() []Part {
	if len(o.Last.Parts) > 0 {
		return o.Last.Parts
	}
	return o.Intent.Parts
}

// Rest is what an operation done in part (by the CRM's answer or the
// receptionist's verdict) left to take: its parts that did not go
// through. Zero for any other outcome.
func (o Operation) Rest() models.Money {
	if o.Verdict() != models.SettledInPart {
		return models.Money{}
	}
	var m models.Money
	for _, p := range o.parts() {
		switch p.Outcome {
		case PartRefused, PartNotSent, PartNotDone:
			m = m.Add(models.Money{Minor: p.Amount, Currency: p.Currency})
		}
	}
	return m
}

// Taken sums the parts that went through (the CRM's word or the
// receptionist's).
func (o Operation) Taken() models.Money {
	var m models.Money
	for _, p := range o.parts() {
		if p.Outcome == PartDone || p.Outcome == "" && o.Verdict() == models.SettledDone {
			m = m.Add(models.Money{Minor: p.Amount, Currency: p.Currency})
		}
	}
	return m
}

// Created is the CRM's id of what the operation created (a sale's
// membership), from the receptionist's settlement or the answer.
func (o Operation) Created() string {
	if o.Last.Ref != "" {
		return o.Last.Ref
	}
	return ""
}

// PartsFound turns what the CRM showed of a lost write into a settlement
// in part (ResolvePart): one part per payment step, done when found and
// not done when not, and the id of the membership when it was found.
func PartsFound(f models.Finding) (parts []Part, ref string) {
	for _, s := range f.Steps {
		switch s.Kind {
		case models.StepMembership:
			if s.Found {
				ref = s.Ref
			}
		case models.StepPayment, models.StepFee:
			p := Part{Method: methodName(s.Payment.Method), Amount: s.Payment.Amount.Minor, Currency: s.Payment.Amount.Currency, Outcome: PartNotDone}
			if s.Kind == models.StepFee {
				p.Detail = "членский взнос"
			}
			if s.Found {
				p.Outcome = PartDone
				p.Detail = joinDetail(p.Detail, "№ "+s.Ref)
			}
			parts = append(parts, p)
		}
	}
	return parts, ref
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// Tally counts operations of one kind by how they ended, for the shift
// report: the same words as the result and the journal.
type Tally struct {
	Done, InPart, Unknown, Failed int
	// Owed is what the operations done in part left to take; Taken what
	// went through; Unconfirmed what the unknown ones may have taken.
	Owed, Taken, Unconfirmed models.Money
}

// Count is how many operations the tally holds.
func (t Tally) Count() int { return t.Done + t.InPart + t.Unknown + t.Failed }

// TallyOf counts the operations of kind among ops (the day's trail,
// Journal.Since).
func TallyOf(ops []Operation, kind Kind) Tally {
	var t Tally
	for _, o := range ops {
		if o.Intent.Kind != kind {
			continue
		}
		s, ok := o.Phase().Settled()
		if !ok {
			continue
		}
		switch s {
		case models.SettledDone:
			t.Done++
		case models.SettledInPart:
			t.InPart++
			t.Owed = t.Owed.Add(o.Rest())
		case models.SettledUnknown:
			t.Unknown++
			t.Unconfirmed = t.Unconfirmed.Add(models.Money{Minor: o.Intent.Amount, Currency: o.Intent.Currency})
		default:
			t.Failed++
		}
		if s != models.SettledUnknown {
			t.Taken = t.Taken.Add(o.Taken())
		}
	}
	return t
}
