package models

import (
	"encoding/json"
	"errors"
	"testing"
)

func rub(minor int64) Money { return Money{Minor: minor, Currency: "RUB"} }

func TestParseMoney(t *testing.T) {
	cases := []struct {
		in       string
		currency string
		want     int64
	}{
		{"1500", "RUB", 150000},
		{"1 500", "RUB", 150000},
		{"1\u00a0500", "RUB", 150000}, // no-break space
		{"1\u202f500", "RUB", 150000}, // narrow no-break space
		{"1_500", "RUB", 150000},
		{"1 500 000", "RUB", 150000000},
		{"1500,50", "RUB", 150050},
		{"1500.50", "RUB", 150050},
		{"1500.5", "RUB", 150050},
		{"1500,5", "RUB", 150050},
		{"1500.05", "RUB", 150005},
		{"1 500,50", "RUB", 150050},
		{"₽1500", "RUB", 150000},
		{"1500 ₽", "RUB", 150000},
		{"1500₽", "RUB", 150000},
		{"  42  ", "RUB", 4200},
		{"\t42\n", "RUB", 4200},
		{"0", "RUB", 0},
		{"0,00", "RUB", 0},
		{"0.10", "RUB", 10},
		{"0.01", "RUB", 1},
		{",50", "RUB", 50},
		{".5", "RUB", 50},
		{"1500.", "RUB", 150000},
		{"007", "RUB", 700},
		{"-1500", "RUB", -150000},
		{"-0,50", "RUB", -50},
		{"- 1 500", "RUB", -150000},
		{"-0", "RUB", 0},
		{"999999999999", "RUB", 99999999999900}, // twelve digits: the largest accepted
		{"999 999 999 999,99", "RUB", 99999999999999},
		{"15000 ₸", "KZT", 1500000},
		{"$15.99", "USD", 1599},
		{"€ 10", "EUR", 1000},
		{"1500", "JPY", 1500},
		{"1 500", "JPY", 1500},
		{"1500", "", 150000},
	}
	for _, c := range cases {
		got, err := ParseMoney(c.in, c.currency)
		if err != nil {
			t.Errorf("ParseMoney(%q, %q) failed: %v", c.in, c.currency, err)
			continue
		}
		if want := (Money{Minor: c.want, Currency: c.currency}); got != want {
			t.Errorf("ParseMoney(%q, %q) = %#v, want %#v", c.in, c.currency, got, want)
		}
	}
}

func TestParseMoneyRejects(t *testing.T) {
	cases := []struct {
		in       string
		currency string
	}{
		{"", "RUB"},
		{"   ", "RUB"},
		{"-", "RUB"},
		{"--", "RUB"},
		{".", "RUB"},
		{",", "RUB"},
		{"-.", "RUB"},
		{"-,", "RUB"},
		{"₽", "RUB"},
		{"- ₽", "RUB"},
		{"1.2.3", "RUB"},
		{"1,500.50", "RUB"}, // ambiguous: refused rather than guessed
		{"1.500,50", "RUB"},
		{"abc", "RUB"},
		{"12a", "RUB"},
		{"1e3", "RUB"},
		{"0x10", "RUB"},
		{"1/2", "RUB"},
		{"+1500", "RUB"},
		{"0.001", "RUB"},
		{"1500,505", "RUB"},
		{"1500.5", "JPY"},
		{"1-500", "RUB"},
		{"1500-", "RUB"},
		{"--1500", "RUB"},
		{"-1500-", "RUB"},
		{"1000000000000", "RUB"},        // thirteen digits
		{"99999999999999999999", "RUB"}, // does not fit int64
		{"9223372036854775807", "RUB"},  // fits int64 but not once scaled
		{"92233720368547758.07", "RUB"},
		{"1500\x1b[31m", "RUB"},
		{"１５００", "RUB"}, // full-width digits
	}
	for _, c := range cases {
		got, err := ParseMoney(c.in, c.currency)
		if err == nil {
			t.Errorf("ParseMoney(%q, %q) = %#v, want an error", c.in, c.currency, got)
			continue
		}
		if !errors.Is(err, ErrBadAmount) {
			t.Errorf("ParseMoney(%q) error %v is not ErrBadAmount", c.in, err)
		}
		if got != (Money{}) {
			t.Errorf("ParseMoney(%q) returned %#v with its error", c.in, got)
		}
	}
}

func TestMoneyDecimal(t *testing.T) {
	cases := []struct {
		m    Money
		want string
	}{
		{rub(150000), "1500.00"},
		{rub(150050), "1500.50"},
		{rub(150005), "1500.05"},
		{rub(5), "0.05"},
		{rub(99), "0.99"},
		{rub(0), "0.00"},
		{rub(-150050), "-1500.50"},
		{rub(-5), "-0.05"},
		{rub(-100), "-1.00"},
		{rub(123456789012), "1234567890.12"},
		{Money{Minor: 150050}, "1500.50"},
		{Money{Minor: 1500, Currency: "JPY"}, "1500"},
		{Money{Minor: -1500, Currency: "JPY"}, "-1500"},
		{Money{Minor: 1599, Currency: "USD"}, "15.99"},
	}
	for _, c := range cases {
		if got := c.m.Decimal(); got != c.want {
			t.Errorf("%#v.Decimal() = %q, want %q", c.m, got, c.want)
		}
	}
}

func TestMoneyString(t *testing.T) {
	cases := []struct {
		m    Money
		want string
	}{
		{rub(150000), "1 500 ₽"},
		{rub(150050), "1 500,50 ₽"},
		{rub(150005), "1 500,05 ₽"},
		{rub(0), "0 ₽"},
		{rub(1), "0,01 ₽"},
		{rub(99), "0,99 ₽"},
		{rub(10000), "100 ₽"},
		{rub(100000), "1 000 ₽"},
		{rub(99999900), "999 999 ₽"},
		{rub(100000000), "1 000 000 ₽"},
		{rub(123456789000), "1 234 567 890 ₽"},
		{rub(-150000), "-1 500 ₽"},
		{rub(-150050), "-1 500,50 ₽"},
		{rub(-5), "-0,05 ₽"},
		{Money{Minor: 150000}, "1 500 ₽"},
		{Money{Minor: 1500000, Currency: "KZT"}, "15 000 ₸"},
		{Money{Minor: 5000, Currency: "BYN"}, "50 Br"},
		{Money{Minor: 5000, Currency: "UAH"}, "50 ₴"},
		{Money{Minor: 1599, Currency: "USD"}, "15,99 $"},
		{Money{Minor: 1000, Currency: "EUR"}, "10 €"},
		{Money{Minor: 1000, Currency: "GBP"}, "10 £"},
		{Money{Minor: 1000, Currency: "MDL"}, "10 MDL"},
		{Money{Minor: 1500, Currency: "JPY"}, "1 500 JPY"},
		// The debt the issue saw printed in roubles, in the tenge it was.
		{Money{Minor: 21100000, Currency: "KZT"}, "211 000 ₸"},
		{Money{Minor: 21100050, Currency: "KZT"}, "211 000,50 ₸"},
		{Money{Minor: 150000, Currency: "UZS"}, "1 500 сўм"},
		{Money{Minor: 1500, Currency: "KWD"}, "1,500 KWD"},
		{Money{Minor: 1501, Currency: "KWD"}, "1,501 KWD"},
		{Money{Minor: 1500, Currency: "VND"}, "1 500 ₫"},
	}
	for _, c := range cases {
		if got := c.m.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.m, got, c.want)
		}
	}
}

// What the desk prints, a receptionist may paste back.
func TestMoneyRoundTrip(t *testing.T) {
	for _, cur := range []string{"RUB", "KZT", "USD", "EUR", "JPY"} {
		for _, minor := range []int64{0, 1, 5, 99, 100, 150050, 150000, -150050, 123456789012} {
			m := Money{Minor: minor, Currency: cur}
			forms := []string{m.Decimal()}
			if cur != "JPY" { // String prints "JPY" for a currency without a sign
				forms = append(forms, m.String())
			}
			for _, s := range forms {
				if got, err := ParseMoney(s, cur); err != nil || got != m {
					t.Errorf("ParseMoney(%q, %s) = %#v, %v; want %#v", s, cur, got, err, m)
				}
			}
		}
	}
}

func TestMoneyPercent(t *testing.T) {
	cases := []struct {
		minor, pct, want int64
	}{
		{150000, 10, 15000},
		{150000, 0, 0},
		{150000, 100, 150000},
		{150, 33, 50},   // 49.5 → 50
		{149, 33, 49},   // 49.17 → 49
		{151, 33, 50},   // 49.83 → 50
		{999, 50, 500},  // 499.5 → 500
		{999, 33, 330},  // 329.67 → 330
		{1, 50, 1},      // 0.5 → 1
		{1, 49, 0},      // 0.49 → 0
		{1, 51, 1},      // 0.51 → 1
		{-150, 33, -50}, // half away from zero, not towards +∞
		{-149, 33, -49},
		{-151, 33, -50},
		{-999, 50, -500},
		{-1, 50, -1},
		{-1, 49, 0},
		{0, 50, 0},
		{333333, 15, 50000}, // 49999.95 → 50000
	}
	for _, c := range cases {
		got := rub(c.minor).Percent(c.pct)
		if got != rub(c.want) {
			t.Errorf("rub(%d).Percent(%d) = %#v, want %d", c.minor, c.pct, got, c.want)
		}
	}
	if got := (Money{Minor: 1000, Currency: "KZT"}).Percent(10); got.Currency != "KZT" {
		t.Errorf("Percent lost the currency: %#v", got)
	}
}

func TestMinorDigitsAndMajor(t *testing.T) {
	cases := []struct {
		cur    string
		digits int
		major  int64 // Major(15, cur).Minor
	}{
		{"RUB", 2, 1500},
		{"KZT", 2, 1500},
		{"", 2, 1500},
		{"JPY", 0, 15},
		{"KRW", 0, 15},
		{"VND", 0, 15},
		{"KWD", 3, 15000},
		{"BHD", 3, 15000},
		{"UZS", 2, 1500},
	}
	for _, c := range cases {
		if got := MinorDigits(c.cur); got != c.digits {
			t.Errorf("MinorDigits(%q) = %d, want %d", c.cur, got, c.digits)
		}
		if got := Major(15, c.cur); got != (Money{Minor: c.major, Currency: c.cur}) {
			t.Errorf("Major(15, %q) = %#v", c.cur, got)
		}
	}
	if got := Major(-3, "RUB"); got != rub(-300) {
		t.Errorf("Major(-3) = %#v", got)
	}
}

func TestMoneyArithmetic(t *testing.T) {
	cases := []struct {
		name      string
		got, want Money
	}{
		{"add", rub(150).Add(rub(50)), rub(200)},
		{"sub", rub(150).Sub(rub(200)), rub(-50)},
		{"add adopts currency", Money{Minor: 1}.Add(rub(2)), rub(3)},
		{"sub adopts currency", Money{Minor: 5}.Sub(rub(2)), rub(3)},
		{"add keeps own currency", rub(1).Add(Money{Minor: 2}), rub(3)},
		{"zero plus zero", Money{}.Add(Money{}), Money{}},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %#v, want %#v", c.name, c.got, c.want)
		}
	}
	for _, c := range []struct {
		m             Money
		zero, positiv bool
	}{
		{rub(0), true, false},
		{Money{}, true, false},
		{rub(1), false, true},
		{rub(-1), false, false},
	} {
		if c.m.IsZero() != c.zero || c.m.IsPositive() != c.positiv {
			t.Errorf("%#v: IsZero=%v IsPositive=%v", c.m, c.m.IsZero(), c.m.IsPositive())
		}
	}
}

func TestCurrencySign(t *testing.T) {
	for cur, want := range map[string]string{
		"RUB": "₽", "": "₽", "KZT": "₸", "BYN": "Br", "UAH": "₴", "USD": "$", "EUR": "€", "GBP": "£",
		"GEL": "₾", "AMD": "֏", "AZN": "₼", "KGS": "сом", "MDL": "MDL",
	} {
		if got := CurrencySign(cur); got != want {
			t.Errorf("CurrencySign(%q) = %q, want %q", cur, got, want)
		}
	}
}

func TestParseAmountReadsEveryShapeACRMSends(t *testing.T) {
	cases := []struct {
		in   string
		want int64 // minor units
	}{
		{"3500", 350000}, {"3500.5", 350050}, {"3500.50", 350050}, {"3500.000", 350000}, {"3500.0000000", 350000},
		{"1e4", 1000000}, {"1E4", 1000000}, {"1.5e+3", 150000}, {"2.5e-1", 25}, {"1e-2", 1}, {"-120.50", -12050},
		{"+7", 700}, {"−5", -500}, {"1 500,50", 150050}, {"1,500.50", 150050}, {"1.500,50", 150050}, {"1.500.000", 150000000},
		{"3500 руб.", 350000}, {"3500руб", 350000}, {"3500 р.", 350000}, {"₽3500", 350000}, {"3500 RUB", 350000}, {"3500 ₽", 350000},
		{"1234567890123", 123456789012300}, {"92233720368547758.07", 9223372036854775807}, {"0", 0}, {"0.00", 0}, {"-0", 0},
		{".5", 50}, {"5.", 500},
	}
	for _, c := range cases {
		m, err := ParseAmount(c.in, "RUB")
		if err != nil || m.Minor != c.want || m.Currency != "RUB" || m.Unknown {
			t.Errorf("ParseAmount(%q) = %+v, %v; want %d", c.in, m, err, c.want)
		}
	}
	for _, in := range []string{"", "abc", "1e400", "-1e18", "92233720368547758.08", "3500.005", "1e-3", "3500 USD", "3500 тг",
		"1,5,0", "1.50.0", "12,34.5", "e4", "1e", "1e+", "--5", "5-", "1 2 3 .4.5", "NaN", "Infinity", "0x10", "1,500,50.5.5", "३५००"} {
		if m, err := ParseAmount(in, "RUB"); !errors.Is(err, ErrBadAmount) {
			t.Errorf("ParseAmount(%q) = %+v, %v; want ErrBadAmount", in, m, err)
		}
	}
	if m, err := ParseAmount("1500", "JPY"); err != nil || m.Minor != 1500 {
		t.Errorf("yen: %+v %v", m, err)
	}
}

func TestUnknownMoneyIsNeverZero(t *testing.T) {
	u := UnknownMoney("RUB")
	if u.IsZero() || u.IsPositive() || u.Known() {
		t.Fatalf("unknown money is zero %v positive %v known %v", u.IsZero(), u.IsPositive(), u.Known())
	}
	for _, m := range []Money{u.Add(Major(5, "RUB")), Major(5, "RUB").Add(u), Major(5, "RUB").Sub(u), u.Percent(10)} {
		if !m.Unknown || m.Minor != 0 {
			t.Errorf("arithmetic on an unknown amount gave %+v", m)
		}
	}
	if s := u.String(); s != "? ₽" {
		t.Errorf("String = %q", s)
	}
	if u.In("ru") != "сумма неизвестна" || u.In("en") != "amount unknown" || Major(5, "RUB").In("ru") != "5 ₽" {
		t.Errorf("In: %q %q", u.In("ru"), u.In("en"))
	}
	if _, err := json.Marshal(map[string]any{"sum": json.Number(u.Decimal())}); err == nil {
		t.Error("a request carrying an unknown amount could be built")
	}
}

func TestASaleOnAnUnknownPriceIsRefused(t *testing.T) {
	plan := Plan{ID: "p1", Name: "Безлимит", Price: UnknownMoney("RUB"), Months: 1}
	s := Sale{ClientID: "1", Plan: plan, Start: NewDate(2026, 12, 1)}
	if err := s.Validate(); !errors.Is(err, ErrUnknownAmount) {
		t.Fatalf("a sale at an unknown price (no payment): %v", err)
	}
	s.Payments = []Payment{{Method: PayCash, Amount: Major(100, "RUB")}}
	if err := s.Validate(); !errors.Is(err, ErrUnknownAmount) {
		t.Fatalf("a sale at an unknown price: %v", err)
	}
	s.Plan.Price, s.Plan.MembershipFee = Major(100, "RUB"), UnknownMoney("RUB")
	if err := s.Validate(); !errors.Is(err, ErrUnknownAmount) {
		t.Fatalf("a sale with an unknown fee: %v", err)
	}
	if err := ValidatePayments([]Payment{{Method: PayCash, Amount: UnknownMoney("RUB")}}, Major(1, "RUB")); !errors.Is(err, ErrUnknownAmount) {
		t.Fatalf("a payment of an unknown amount: %v", err)
	}
}

func TestCurrencyCodeReadsWhatCRMsSend(t *testing.T) {
	for name, want := range map[string]string{
		"₽": "RUB", "р": "RUB", "р.": "RUB", " руб. ": "RUB", "RUB": "RUB", "rub": "RUB",
		"₸": "KZT", "тг": "KZT", "Тенге": "KZT", "KZT": "KZT",
		"Br": "BYN", "$": "USD", "€": "EUR", "eur": "EUR", "сўм": "UZS", "₾": "GEL",
		"MDL": "MDL", "xyz": "XYZ",
	} {
		if got, ok := CurrencyCode(name); !ok || got != want {
			t.Errorf("CurrencyCode(%q) = %q %v, want %q", name, got, ok, want)
		}
	}
	// Nothing said, or a sign that names no one currency: the caller
	// chooses (the adapters fall back on RUB only when the CRM says nothing).
	for _, name := range []string{"", "  ", "R", "?", "руб руб"} {
		if got, ok := CurrencyCode(name); ok {
			t.Errorf("CurrencyCode(%q) = %q, want not known", name, got)
		}
	}
}

func TestParseMoneyInOtherCurrencies(t *testing.T) {
	for _, c := range []struct {
		in, cur string
		want    int64
	}{
		{"211 000 ₸", "KZT", 21100000}, {"1,500", "KWD", 1500}, {"1500", "VND", 1500}, {"10 £", "GBP", 1000},
	} {
		got, err := ParseMoney(c.in, c.cur)
		if err != nil || got != (Money{Minor: c.want, Currency: c.cur}) {
			t.Errorf("ParseMoney(%q, %q) = %#v %v", c.in, c.cur, got, err)
		}
	}
	if _, err := ParseMoney("1,5", "VND"); err == nil {
		t.Error("a fraction of a currency without one was read")
	}
}
