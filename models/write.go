package models

import "time"

// WriteKind names a write the desk sends to a CRM. The strings are stable:
// the operation journal stores them.
type WriteKind string

// Kinds of write.
const (
	WriteSell    WriteKind = "sell"
	WritePay     WriteKind = "pay"
	WriteTopUp   WriteKind = "top-up"
	WriteBook    WriteKind = "book"
	WriteCancel  WriteKind = "cancel-booking"
	WriteAttend  WriteKind = "attendance"
	WriteCheckIn WriteKind = "check-in"
	// WriteUndoCheckIn cancels a check-in this desk made a moment ago (the
	// visit it created).
	WriteUndoCheckIn WriteKind = "undo-check-in"
	WriteBindCard    WriteKind = "bind-card"
	WriteNewClient   WriteKind = "new-client"
	// WritePaymentPage asks the CRM for a page where the client pays from a
	// phone (Go-CRM creates a payment for it). The money moves later, on
	// the page, and the CRM records it there.
	WritePaymentPage WriteKind = "payment-page"
	// WriteOverride is not sent anywhere: it records a red verdict the
	// receptionist let through, with the reason they typed.
	WriteOverride WriteKind = "override"
)

// MovesMoney reports whether writes of this kind take payments.
func (k WriteKind) MovesMoney() bool { return k == WriteSell || k == WritePay || k == WriteTopUp }

// LostWrite is a write whose answer never came: what the desk sent, so that
// the CRM can be asked whether it happened.
type LostWrite struct {
	Kind      WriteKind
	ClientID  string
	SubjectID string // the plan sold, the membership or booking paid, the lesson booked
	Amount    Money
	Payments  []Payment
	// Fee is the membership fee a sale carried (part of Amount), which a
	// CRM may take as a request of its own (LuckyFit's fee transaction);
	// zero when none, or when the journal line predates it.
	Fee Money
	// Start is the first day a sale named (zero when it did not, or the
	// journal line predates it): it tells the membership it created from
	// an older one for the same plan.
	Start  Date
	SentAt time.Time
}

// Finding is what a CRM's records say about a lost write.
type Finding struct {
	// Found means the CRM shows it happened — every request the desk sent
	// for it; not found means it shows nothing yet, which is not proof
	// that it did not.
	Found  bool
	Detail Words // what was found: "payment 2 500 ₽ № 61 at 10:42"
	// Steps is each request the desk sent for the write, in the order it
	// sent them, and whether the CRM shows it: a sale's membership, each
	// payment, the fee. Empty from a CRM that can only say yes or no.
	Steps []FoundStep
}

// StepKind is what one request of a write was.
type StepKind int

// Kinds of step.
const (
	// StepRecord is a write's one request (a booking).
	StepRecord StepKind = iota
	// StepMembership is the membership a sale created.
	StepMembership
	// StepPayment is money paid: towards a membership's price, a debt, a
	// deposit.
	StepPayment
	// StepFee is a membership fee sent as its own payment.
	StepFee
)

// FoundStep is one request the desk sent for a lost write, and what the
// CRM shows of it.
type FoundStep struct {
	Kind StepKind
	// Payment is the method and amount sent, for StepPayment and StepFee.
	Payment Payment
	Found   bool
	// Ref is the CRM's id of what was found: a membership, a transaction.
	Ref string
	// What is what was looked for ("cash 20 000 ₽"); Detail what was
	// found ("№ 612 at 10:42").
	What, Detail Words
}

// Verdict reads the steps: every one found is done; some found is done in
// part (the rest may be taken again, or may yet appear); none found is
// unknown, never "failed" — the CRM showing nothing yet is no proof.
func (f Finding) Verdict() Settled {
	if len(f.Steps) == 0 {
		if f.Found {
			return SettledDone
		}
		return SettledUnknown
	}
	found := 0
	for _, s := range f.Steps {
		if s.Found {
			found++
		}
	}
	switch found {
	case len(f.Steps):
		return SettledDone
	case 0:
		return SettledUnknown
	}
	return SettledInPart
}

// Missing are the steps the CRM does not show.
func (f Finding) Missing() []FoundStep {
	var out []FoundStep
	for _, s := range f.Steps {
		if !s.Found {
			out = append(out, s)
		}
	}
	return out
}

// Unpaid sums the payment steps the CRM does not show: what is left to
// take when the rest went through.
func (f Finding) Unpaid() Money {
	var m Money
	for _, s := range f.Missing() {
		if s.Kind == StepPayment || s.Kind == StepFee {
			m = m.Add(s.Payment.Amount)
		}
	}
	return m
}

// StepsWords says each step under the heading it belongs to, found items
// never under "not found": "found: membership № 777 «Годовой клубный»;
// cash 20 000 ₽ № 612 at 10:42 · not found yet: card 16 000 ₽".
func (f Finding) StepsWords() Words {
	var found, missing []Words
	for _, s := range f.Steps {
		w := s.What
		if s.Found && !s.Detail.IsZero() {
			w = Join([]Words{s.What, s.Detail}, " ")
		}
		if s.Found {
			found = append(found, w)
		} else {
			missing = append(missing, w)
		}
	}
	var parts []Words
	if len(found) > 0 {
		parts = append(parts, Join([]Words{{EN: "found:", RU: "найдено:"}, Join(found, "; ")}, " "))
	}
	if len(missing) > 0 {
		parts = append(parts, Join([]Words{{EN: "not found yet:", RU: "пока не найдено:"}, Join(missing, "; ")}, " "))
	}
	return Join(parts, " · ")
}
