package models

import "errors"

// PaymentMethod is how money reaches the club.
type PaymentMethod int

// Payment methods the desk offers. The order is the order on screen.
const (
	PayCash PaymentMethod = iota
	PayCard
	PayDeposit
	PayTransfer
	PayOther
)

// PaymentMethods lists every method in display order.
var PaymentMethods = []PaymentMethod{PayCash, PayCard, PayDeposit, PayTransfer, PayOther}

// Payment is one part of a (possibly split) payment.
type Payment struct {
	Method PaymentMethod
	Amount Money
}

// DiscountKind says how a discount is given.
type DiscountKind int

// Discount kinds.
const (
	DiscountNone DiscountKind = iota
	DiscountPercent
	DiscountAmount
)

// Discount lowers a plan's price. A discount above zero needs a reason: clubs
// audit them.
type Discount struct {
	Kind    DiscountKind
	Percent int64 // whole percent, 1..100, for DiscountPercent
	Amount  Money // for DiscountAmount
	Reason  string
}

// Off is how much the discount takes off price. It never exceeds the price.
func (d Discount) Off(price Money) Money {
	var off Money
	switch d.Kind {
	case DiscountPercent:
		off = price.Percent(d.Percent)
	case DiscountAmount:
		off = d.Amount
	}
	off.Currency = price.Currency
	if off.Minor > price.Minor {
		off.Minor = price.Minor
	}
	if off.Minor < 0 {
		off.Minor = 0
	}
	return off
}

// Errors from validating a sale before anything is sent.
var (
	ErrDiscountReason   = errors.New("a discount needs a reason")
	ErrDiscountRange    = errors.New("a percent discount is between 1 and 100")
	ErrPaymentsMismatch = errors.New("the payments do not add up to the total")
	ErrNonPositive      = errors.New("a payment must be above zero")
	ErrTooLarge         = errors.New("the amount is above what a desk takes at once")
	// ErrUnknownAmount: a price, a fee or a total the CRM sent and the
	// desk could not read. Nothing is sold or charged on it: 0 ₽ would be
	// a guess.
	ErrUnknownAmount = errors.New("an amount the CRM sent cannot be read")
)

// UnknownAmountRefusal is what the desk says when it refuses to sell or
// charge on an amount it could not read.
var UnknownAmountRefusal = Words{
	EN: "the CRM's amount cannot be read: nothing can be sold or charged on it at the desk; check the price in the CRM",
	RU: "сумму из CRM не прочитать: на кассе по ней ничего не продать и не провести; проверьте цену в CRM",
}

// MaxDeskPayment is the most one part of a payment at the desk may be: far
// above any membership, well below a slip of the finger that adds zeros.
var MaxDeskPayment = Major(1_000_000, "RUB")

// Sale is the request to sell a plan to a client and take payment for it.
type Sale struct {
	ClientID string
	Plan     Plan
	Start    Date
	Discount Discount
	Payments []Payment
}

// Totals is the arithmetic of a sale as the confirmation screen shows it.
type Totals struct {
	Price    Money
	Discount Money
	Fee      Money
	Total    Money // Price - Discount + Fee
	Paid     Money // sum of payments
}

// Totals computes the sale's figures.
func (s Sale) Totals() Totals {
	t := Totals{Price: s.Plan.Price, Fee: s.Plan.MembershipFee}
	t.Discount = s.Discount.Off(s.Plan.Price)
	t.Total = t.Price.Sub(t.Discount).Add(t.Fee)
	t.Paid = Money{Currency: t.Price.Currency}
	for _, p := range s.Payments {
		t.Paid = t.Paid.Add(p.Amount)
	}
	return t
}

// Validate checks what can be checked before talking to the provider. A
// plan whose price or fee could not be read is never sold.
func (s Sale) Validate() error {
	if s.Plan.Price.Unknown || s.Plan.MembershipFee.Unknown || s.Discount.Amount.Unknown {
		return ErrUnknownAmount
	}
	switch s.Discount.Kind {
	case DiscountPercent:
		if s.Discount.Percent < 1 || s.Discount.Percent > 100 {
			return ErrDiscountRange
		}
		if s.Discount.Reason == "" {
			return ErrDiscountReason
		}
	case DiscountAmount:
		if s.Discount.Amount.IsPositive() && s.Discount.Reason == "" {
			return ErrDiscountReason
		}
	}
	return ValidatePayments(s.Payments, s.Totals().Total)
}

// ValidatePayments checks that every part is positive and the parts add up
// to total exactly.
func ValidatePayments(payments []Payment, total Money) error {
	if total.Unknown {
		return ErrUnknownAmount
	}
	sum := Money{Currency: total.Currency}
	for _, p := range payments {
		if p.Amount.Unknown {
			return ErrUnknownAmount
		}
		if !p.Amount.IsPositive() {
			return ErrNonPositive
		}
		sum = sum.Add(p.Amount)
	}
	if sum.Minor != total.Minor {
		return ErrPaymentsMismatch
	}
	return nil
}

// Outcome is what became of one step of a write that moves money.
type Outcome int

// Outcomes of a step.
const (
	OutcomeDone     Outcome = iota
	OutcomeFailed           // the provider refused it: nothing happened
	OutcomeNotTried         // an earlier step failed, so this one was not sent
	OutcomeUnknown          // sent, but no answer: check in the CRM before repeating
)

// PaymentOutcome records what happened to one part of a payment.
type PaymentOutcome struct {
	Payment Payment
	Outcome Outcome
	Detail  string // the provider's words when it refused, or a receipt number
}

// SaleResult is what a sale did, step by step, so that a failure can say
// exactly what was and was not charged.
type SaleResult struct {
	// MembershipCreated is OutcomeDone once the provider confirmed the
	// membership; Membership is then filled in.
	MembershipCreated Outcome
	Membership        Membership
	Payments          []PaymentOutcome
}

// Charged sums the payments the provider confirmed.
func (r SaleResult) Charged() Money { return sumOutcomes(r.Payments, OutcomeDone) }

// Unconfirmed sums the payments whose fate is unknown.
func (r SaleResult) Unconfirmed() Money { return sumOutcomes(r.Payments, OutcomeUnknown) }

func sumOutcomes(ps []PaymentOutcome, want Outcome) Money {
	var m Money
	for _, p := range ps {
		if p.Outcome == want {
			m = m.Add(p.Payment.Amount)
		}
	}
	return m
}

// PaymentPurpose says what a payment outside a sale is for.
type PaymentPurpose int

// Payment purposes.
const (
	PayForMembership PaymentPurpose = iota // settle a membership's amount due
	PayToDeposit                           // top up the deposit account
	PayForBooking                          // pay one visit: a booking's amount due, in full
)

// PaymentRequest asks the provider to take money outside a sale.
type PaymentRequest struct {
	ClientID     string
	Purpose      PaymentPurpose
	MembershipID string // for PayForMembership
	BookingID    string // for PayForBooking
	Payments     []Payment
	// WholeVisit says, for PayForBooking, that the receptionist was shown
	// every booking of the visit BookingID belongs to (VisitGroup) and
	// confirmed paying all of them at once: Payments then add up to the
	// visit's whole due. Without it a provider whose CRM pays a visit whole
	// (YCLIENTS' fast payment) takes only a visit that holds this booking
	// alone, or this booking's own due by a way that pays it alone, and
	// refuses the rest before any money moves.
	WholeVisit bool
}

// PaymentResult is what a payment request did, part by part.
type PaymentResult struct {
	Payments []PaymentOutcome
}

// Charged sums the parts the provider confirmed.
func (r PaymentResult) Charged() Money { return sumOutcomes(r.Payments, OutcomeDone) }
