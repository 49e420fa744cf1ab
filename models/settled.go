package models

// Settled is how a write that moves money ended, in the words the desk
// uses for it everywhere — the result screen's heading, its toast, the
// journal and the shift report — so that a sale where the membership was
// created and part of the money taken is never headed "failed", and one
// whose answer never came is never headed either way.
type Settled int

// How a write ended.
const (
	// SettledDone: every step went through.
	SettledDone Settled = iota
	// SettledInPart: some steps went through and others were refused or
	// not sent: say what was taken and what was not.
	SettledInPart
	// SettledUnknown: a step was sent and its answer never came: it may or
	// may not have happened; check in the CRM (F7) before repeating.
	SettledUnknown
	// SettledFailed: nothing went through.
	SettledFailed
)

var settledWords = [...]Words{
	SettledDone:    {EN: "done", RU: "выполнено"},
	SettledInPart:  {EN: "done in part", RU: "выполнено частично"},
	SettledUnknown: {EN: "unknown", RU: "неизвестно"},
	SettledFailed:  {EN: "not done", RU: "не выполнено"},
}

// Words is the outcome in a word or two: "done", "done in part",
// "unknown", "not done".
func (s Settled) Words() Words {
	if s < 0 || int(s) >= len(settledWords) {
		return settledWords[SettledUnknown]
	}
	return settledWords[s]
}

// Mark is the sign the desk puts before the words.
func (s Settled) Mark() string {
	switch s {
	case SettledDone:
		return "✔"
	case SettledInPart:
		return "◐"
	case SettledFailed:
		return "✖"
	}
	return "?"
}

// Level colours the outcome: done is green, done in part yellow (money is
// still owed), unknown and not done red.
func (s Settled) Level() Level {
	switch s {
	case SettledDone:
		return Green
	case SettledInPart:
		return Yellow
	}
	return Red
}

var headings = map[WriteKind][4]Words{
	WriteSell: {
		SettledDone:    {EN: "Sale done: %s", RU: "Продажа выполнена: %s"},
		SettledInPart:  {EN: "Sale done in part: %s", RU: "Продажа выполнена частично: %s"},
		SettledUnknown: {EN: "Sale outcome unknown: %s — check (F7) before repeating", RU: "Исход продажи неизвестен: %s — проверьте (F7), прежде чем повторять"},
		SettledFailed:  {EN: "Sale not done: %s", RU: "Продажа не выполнена: %s"},
	},
	WritePay: {
		SettledDone:    {EN: "Payment done: %s", RU: "Оплата выполнена: %s"},
		SettledInPart:  {EN: "Payment done in part: %s", RU: "Оплата выполнена частично: %s"},
		SettledUnknown: {EN: "Payment outcome unknown: %s — check (F7) before repeating", RU: "Исход оплаты неизвестен: %s — проверьте (F7), прежде чем повторять"},
		SettledFailed:  {EN: "Payment not done: %s", RU: "Оплата не выполнена: %s"},
	},
	WriteTopUp: {
		SettledDone:    {EN: "Top-up done: %s", RU: "Пополнение выполнено: %s"},
		SettledInPart:  {EN: "Top-up done in part: %s", RU: "Пополнение выполнено частично: %s"},
		SettledUnknown: {EN: "Top-up outcome unknown: %s — check (F7) before repeating", RU: "Исход пополнения неизвестен: %s — проверьте (F7), прежде чем повторять"},
		SettledFailed:  {EN: "Top-up not done: %s", RU: "Пополнение не выполнено: %s"},
	},
}

// Heading is the result screen's and the toast's first line for a write
// of kind about subject (a plan's name, an amount): "Продажа выполнена
// частично: Годовой клубный". Kinds without money use the bare words.
func (s Settled) Heading(kind WriteKind, subject string) Words {
	h, ok := headings[kind]
	if !ok || s < 0 || int(s) >= len(h) {
		w := s.Words()
		if subject == "" {
			return w
		}
		return Words{EN: subject + ": " + w.EN, RU: subject + ": " + w.RU}
	}
	return h[s].Fill(subject)
}

// settle reads steps: any unknown makes the whole unknown; all done is
// done; some done is in part; none is not done.
func settle(steps ...Outcome) Settled {
	done, other := 0, 0
	for _, o := range steps {
		switch o {
		case OutcomeUnknown:
			return SettledUnknown
		case OutcomeDone:
			done++
		default:
			other++
		}
	}
	switch {
	case done == 0:
		return SettledFailed
	case other == 0:
		return SettledDone
	}
	return SettledInPart
}

// Verdict is how the sale ended: the membership and each payment step
// together. A membership created with none of its payment taken (the
// unpaid ticket could not be taken back) is done in part: it is there,
// and owes its price.
func (r SaleResult) Verdict() Settled {
	if r.MembershipCreated == OutcomeUnknown {
		return SettledUnknown
	}
	if r.MembershipCreated != OutcomeDone {
		// No membership: whatever a payment step says, the sale did not
		// happen — unless a payment's fate is unknown.
		for _, p := range r.Payments {
			if p.Outcome == OutcomeUnknown {
				return SettledUnknown
			}
		}
		return SettledFailed
	}
	steps := []Outcome{OutcomeDone}
	for _, p := range r.Payments {
		steps = append(steps, p.Outcome)
	}
	return settle(steps...)
}

// NotTaken sums the payment steps refused or not sent.
func (r SaleResult) NotTaken() Money {
	return sumOutcomes(r.Payments, OutcomeFailed).Add(sumOutcomes(r.Payments, OutcomeNotTried))
}

// Summary says what was taken and what was not, for a sale done in part or
// unknown: "taken 2 000 ₽, not taken 1 500 ₽, unknown 500 ₽".
func (r SaleResult) Summary() Words { return summary(r.Payments) }

// Verdict is how the payment ended, part by part.
func (r PaymentResult) Verdict() Settled {
	steps := make([]Outcome, 0, len(r.Payments))
	for _, p := range r.Payments {
		steps = append(steps, p.Outcome)
	}
	return settle(steps...)
}

// Summary says what was taken and what was not.
func (r PaymentResult) Summary() Words { return summary(r.Payments) }

func summary(ps []PaymentOutcome) Words {
	var parts []Words
	if m := sumOutcomes(ps, OutcomeDone); m.IsPositive() {
		parts = append(parts, Words{EN: "taken %s", RU: "принято %s"}.Fill(m))
	}
	if m := sumOutcomes(ps, OutcomeFailed).Add(sumOutcomes(ps, OutcomeNotTried)); m.IsPositive() {
		parts = append(parts, Words{EN: "not taken %s", RU: "не принято %s"}.Fill(m))
	}
	if m := sumOutcomes(ps, OutcomeUnknown); m.IsPositive() {
		parts = append(parts, Words{EN: "unknown %s — check (F7)", RU: "неизвестно %s — проверьте (F7)"}.Fill(m))
	}
	return Join(parts, ", ")
}
