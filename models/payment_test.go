package models

import (
	"errors"
	"testing"
)

func TestDiscountOff(t *testing.T) {
	price := rub(150000)
	cases := []struct {
		name string
		d    Discount
		want int64
	}{
		{"none", Discount{}, 0},
		{"none ignores stray fields", Discount{Kind: DiscountNone, Percent: 50, Amount: rub(100)}, 0},
		{"10 percent", Discount{Kind: DiscountPercent, Percent: 10}, 15000},
		{"100 percent", Discount{Kind: DiscountPercent, Percent: 100}, 150000},
		{"percent above 100 is capped at the price", Discount{Kind: DiscountPercent, Percent: 150}, 150000},
		{"negative percent gives nothing", Discount{Kind: DiscountPercent, Percent: -10}, 0},
		{"amount", Discount{Kind: DiscountAmount, Amount: rub(20000)}, 20000},
		{"amount equal to price", Discount{Kind: DiscountAmount, Amount: rub(150000)}, 150000},
		{"amount above price is capped", Discount{Kind: DiscountAmount, Amount: rub(200000)}, 150000},
		{"negative amount gives nothing", Discount{Kind: DiscountAmount, Amount: rub(-500)}, 0},
		{"amount without currency", Discount{Kind: DiscountAmount, Amount: Money{Minor: 500}}, 500},
	}
	for _, c := range cases {
		if got := c.d.Off(price); got != rub(c.want) {
			t.Errorf("%s: Off = %#v, want %d RUB", c.name, got, c.want)
		}
	}
	// Half of 3,33 ₽ is 1,665 ₽: rounded half away from zero.
	if got := (Discount{Kind: DiscountPercent, Percent: 50}).Off(rub(333)); got != rub(167) {
		t.Errorf("50%% of 3,33 = %#v, want 1,67", got)
	}
}

func TestSaleTotals(t *testing.T) {
	plan := Plan{Price: rub(150000)}
	withFee := Plan{Price: rub(150000), MembershipFee: rub(50000)}
	cases := []struct {
		name string
		sale Sale
		want Totals
	}{
		{"plain", Sale{Plan: plan, Payments: []Payment{{PayCash, rub(150000)}}},
			Totals{Price: rub(150000), Discount: rub(0), Total: rub(150000), Paid: rub(150000)}},
		{"no payments", Sale{Plan: plan},
			Totals{Price: rub(150000), Discount: rub(0), Total: rub(150000), Paid: rub(0)}},
		{"percent discount", Sale{Plan: plan, Discount: Discount{Kind: DiscountPercent, Percent: 10, Reason: "student"}},
			Totals{Price: rub(150000), Discount: rub(15000), Total: rub(135000), Paid: rub(0)}},
		{"amount discount capped at price", Sale{Plan: plan, Discount: Discount{Kind: DiscountAmount, Amount: rub(999999), Reason: "gift"}},
			Totals{Price: rub(150000), Discount: rub(150000), Total: rub(0), Paid: rub(0)}},
		{"fee added", Sale{Plan: withFee},
			Totals{Price: rub(150000), Discount: rub(0), Fee: rub(50000), Total: rub(200000), Paid: rub(0)}},
		{"discount does not touch the fee", Sale{Plan: withFee, Discount: Discount{Kind: DiscountPercent, Percent: 100, Reason: "staff"}},
			Totals{Price: rub(150000), Discount: rub(150000), Fee: rub(50000), Total: rub(50000), Paid: rub(0)}},
		{"amount discount capped, fee still due", Sale{Plan: withFee, Discount: Discount{Kind: DiscountAmount, Amount: rub(999999), Reason: "gift"}},
			Totals{Price: rub(150000), Discount: rub(150000), Fee: rub(50000), Total: rub(50000), Paid: rub(0)}},
		{"split payment", Sale{Plan: withFee, Payments: []Payment{{PayCash, rub(50000)}, {PayCard, rub(120000)}, {PayDeposit, rub(30000)}}},
			Totals{Price: rub(150000), Discount: rub(0), Fee: rub(50000), Total: rub(200000), Paid: rub(200000)}},
		{"kopecks", Sale{Plan: Plan{Price: rub(99999)}, Discount: Discount{Kind: DiscountPercent, Percent: 15, Reason: "promo"}},
			Totals{Price: rub(99999), Discount: rub(15000), Total: rub(84999), Paid: rub(0)}}, // 14999.85 → 15000
	}
	for _, c := range cases {
		if got := c.sale.Totals(); got != c.want {
			t.Errorf("%s: Totals = %+v, want %+v", c.name, got, c.want)
		}
		if got := c.sale.Totals(); got.Total != got.Price.Sub(got.Discount).Add(got.Fee) {
			t.Errorf("%s: Total %v != Price - Discount + Fee", c.name, got.Total)
		}
	}
}

func TestSaleValidate(t *testing.T) {
	plan := Plan{Price: rub(150000)}
	withFee := Plan{Price: rub(150000), MembershipFee: rub(50000)}
	pay := func(amounts ...int64) []Payment {
		var ps []Payment
		for i, a := range amounts {
			ps = append(ps, Payment{Method: PaymentMethods[i%len(PaymentMethods)], Amount: rub(a)})
		}
		return ps
	}
	pct := func(p int64, reason string) Discount {
		return Discount{Kind: DiscountPercent, Percent: p, Reason: reason}
	}
	amt := func(a int64, reason string) Discount {
		return Discount{Kind: DiscountAmount, Amount: rub(a), Reason: reason}
	}
	cases := []struct {
		name string
		sale Sale
		want error
	}{
		{"paid in cash", Sale{Plan: plan, Payments: pay(150000)}, nil},
		{"paid by card", Sale{Plan: plan, Payments: []Payment{{PayCard, rub(150000)}}}, nil},
		{"nothing paid", Sale{Plan: plan}, ErrPaymentsMismatch},
		{"underpaid", Sale{Plan: plan, Payments: pay(149999)}, ErrPaymentsMismatch},
		{"overpaid", Sale{Plan: plan, Payments: pay(150001)}, ErrPaymentsMismatch},
		{"split that adds up", Sale{Plan: plan, Payments: pay(100000, 50000)}, nil},
		{"split in three with kopecks", Sale{Plan: plan, Payments: pay(33333, 33333, 83334)}, nil},
		{"split that does not add up", Sale{Plan: plan, Payments: pay(100000, 40000)}, ErrPaymentsMismatch},
		{"split that overshoots", Sale{Plan: plan, Payments: pay(100000, 60000)}, ErrPaymentsMismatch},
		{"zero part", Sale{Plan: plan, Payments: pay(150000, 0)}, ErrNonPositive},
		{"negative part balancing the sum", Sale{Plan: plan, Payments: pay(160000, -10000)}, ErrNonPositive},
		{"fee must be paid too", Sale{Plan: withFee, Payments: pay(150000)}, ErrPaymentsMismatch},
		{"price and fee paid", Sale{Plan: withFee, Payments: pay(150000, 50000)}, nil},
		{"percent discount with reason", Sale{Plan: plan, Discount: pct(10, "student"), Payments: pay(135000)}, nil},
		{"percent discount without reason", Sale{Plan: plan, Discount: pct(10, ""), Payments: pay(135000)}, ErrDiscountReason},
		{"percent 0", Sale{Plan: plan, Discount: pct(0, "why"), Payments: pay(150000)}, ErrDiscountRange},
		{"percent 101", Sale{Plan: plan, Discount: pct(101, "why"), Payments: pay(0)}, ErrDiscountRange},
		{"negative percent", Sale{Plan: plan, Discount: pct(-5, "why"), Payments: pay(150000)}, ErrDiscountRange},
		{"range is checked before the reason", Sale{Plan: plan, Discount: pct(0, ""), Payments: pay(150000)}, ErrDiscountRange},
		{"percent 100 makes it free", Sale{Plan: plan, Discount: pct(100, "staff")}, nil},
		{"percent 100, fee still due", Sale{Plan: withFee, Discount: pct(100, "staff"), Payments: pay(50000)}, nil},
		{"percent 100, a payment is too much", Sale{Plan: plan, Discount: pct(100, "staff"), Payments: pay(1)}, ErrPaymentsMismatch},
		{"amount discount with reason", Sale{Plan: plan, Discount: amt(20000, "promo"), Payments: pay(130000)}, nil},
		{"amount discount without reason", Sale{Plan: plan, Discount: amt(20000, ""), Payments: pay(130000)}, ErrDiscountReason},
		{"amount discount capped at price", Sale{Plan: plan, Discount: amt(200000, "gift")}, nil},
		{"amount discount capped, someone still pays", Sale{Plan: plan, Discount: amt(200000, "gift"), Payments: pay(1)}, ErrPaymentsMismatch},
		{"zero amount discount needs no reason", Sale{Plan: plan, Discount: amt(0, ""), Payments: pay(150000)}, nil},
		{"discount checked before payments", Sale{Plan: plan, Discount: pct(10, "")}, ErrDiscountReason},
		{"free plan, nothing paid", Sale{Plan: Plan{Price: rub(0)}}, nil},
	}
	for _, c := range cases {
		err := c.sale.Validate()
		if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("%s: Validate() = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestValidatePayments(t *testing.T) {
	cases := []struct {
		name     string
		payments []Payment
		total    Money
		want     error
	}{
		{"nothing for nothing", nil, rub(0), nil},
		{"nothing for something", nil, rub(100), ErrPaymentsMismatch},
		{"exact", []Payment{{PayCash, rub(100)}}, rub(100), nil},
		{"a kopeck short", []Payment{{PayCash, rub(99)}}, rub(100), ErrPaymentsMismatch},
		{"something for nothing", []Payment{{PayCash, rub(100)}}, rub(0), ErrPaymentsMismatch},
		{"split", []Payment{{PayCash, rub(40)}, {PayCard, rub(60)}}, rub(100), nil},
		{"zero part", []Payment{{PayCash, rub(100)}, {PayCard, rub(0)}}, rub(100), ErrNonPositive},
		{"negative part", []Payment{{PayCash, rub(-100)}}, rub(-100), ErrNonPositive},
		{"payment without currency", []Payment{{PayCash, Money{Minor: 100}}}, rub(100), nil},
	}
	for _, c := range cases {
		err := ValidatePayments(c.payments, c.total)
		if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("%s: ValidatePayments = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestResultSums(t *testing.T) {
	po := func(a int64, o Outcome) PaymentOutcome {
		return PaymentOutcome{Payment: Payment{PayCard, rub(a)}, Outcome: o}
	}
	cases := []struct {
		name               string
		ps                 []PaymentOutcome
		charged, uncertain Money
	}{
		{"none", nil, Money{}, Money{}},
		{"all done", []PaymentOutcome{po(100, OutcomeDone), po(50, OutcomeDone)}, rub(150), Money{}},
		{"second refused", []PaymentOutcome{po(100, OutcomeDone), po(50, OutcomeFailed)}, rub(100), Money{}},
		{"second lost, third not tried", []PaymentOutcome{po(100, OutcomeDone), po(50, OutcomeUnknown), po(25, OutcomeNotTried)}, rub(100), rub(50)},
		{"nothing went through", []PaymentOutcome{po(100, OutcomeFailed), po(50, OutcomeNotTried)}, Money{}, Money{}},
	}
	for _, c := range cases {
		sr := SaleResult{Payments: c.ps}
		if got := sr.Charged(); got != c.charged {
			t.Errorf("%s: SaleResult.Charged = %#v, want %#v", c.name, got, c.charged)
		}
		if got := sr.Unconfirmed(); got != c.uncertain {
			t.Errorf("%s: SaleResult.Unconfirmed = %#v, want %#v", c.name, got, c.uncertain)
		}
		if got := (PaymentResult{Payments: c.ps}).Charged(); got != c.charged {
			t.Errorf("%s: PaymentResult.Charged = %#v, want %#v", c.name, got, c.charged)
		}
	}
}

func TestPaymentMethodsOrder(t *testing.T) {
	want := []PaymentMethod{PayCash, PayCard, PayDeposit, PayTransfer, PayOther}
	if len(PaymentMethods) != len(want) {
		t.Fatalf("PaymentMethods = %v, want %v", PaymentMethods, want)
	}
	for i := range want {
		if PaymentMethods[i] != want[i] {
			t.Errorf("PaymentMethods[%d] = %v, want %v", i, PaymentMethods[i], want[i])
		}
	}
}
