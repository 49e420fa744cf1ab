package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in integer minor units (kopecks, tiyn, cents) of one
// currency. Floats never carry money in clubdesk: a sum that does not add up
// to the kopeck is a refund dispute at the desk.
type Money struct {
	Minor    int64
	Currency string // ISO 4217 code: RUB, KZT, BYN...
	// Unknown is an amount the CRM sent and the desk could not read (a
	// shape it does not know, more than it can hold). It is never zero:
	// it prints as unknown, anything added to it is unknown, it is neither
	// zero nor positive, and nothing is sold or charged on it (Sale.Validate,
	// ValidatePayments). Minor is 0 then.
	Unknown bool `json:",omitempty"`
}

// UnknownMoney is an amount of currency the desk could not read.
func UnknownMoney(currency string) Money { return Money{Currency: currency, Unknown: true} }

// AmountUnknown is what the desk says of an amount it could not read.
var AmountUnknown = Words{EN: "amount unknown", RU: "сумма неизвестна"}

// unknownSign is how String prints an unknown amount: short enough for
// any column, and never mistaken for a figure.
const unknownSign = "?"

// DefaultCurrency is used when a provider does not say which currency it
// counts in.
const DefaultCurrency = "RUB"

// minorDigits is how many minor digits a currency has when ISO 4217 gives it
// other than two. Most currencies a club's CRM counts in (RUB, KZT, BYN, UZS,
// EUR...) have two; YCLIENTS/Altegio also serve countries whose currency has
// none or three.
var minorDigits = map[string]int{
	"JPY": 0, "KRW": 0, "VND": 0, "ISK": 0, "CLP": 0, "PYG": 0, "UGX": 0, "RWF": 0,
	"XAF": 0, "XOF": 0, "XPF": 0, "KMF": 0, "GNF": 0, "DJF": 0, "BIF": 0, "VUV": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// MinorDigits returns the number of decimal places of currency's minor unit.
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

func scale(currency string) int64 {
	s := int64(1)
	for range MinorDigits(currency) {
		s *= 10
	}
	return s
}

// Major builds an amount from whole units: Major(1500, "RUB") is 1 500,00 ₽.
func Major(units int64, currency string) Money {
	return Money{Minor: units * scale(currency), Currency: currency}
}

// IsZero reports whether the amount is known to be zero.
func (m Money) IsZero() bool { return !m.Unknown && m.Minor == 0 }

// IsPositive reports whether the amount is known to be above zero.
func (m Money) IsPositive() bool { return !m.Unknown && m.Minor > 0 }

// Known reports whether the amount was read (it is not Unknown).
func (m Money) Known() bool { return !m.Unknown }

// Add returns m + o. Amounts of different currencies are never mixed in one
// club; an empty currency adopts the other's. Either unknown, the sum is.
func (m Money) Add(o Money) Money {
	cur := firstNonEmpty(m.Currency, o.Currency)
	if m.Unknown || o.Unknown {
		return UnknownMoney(cur)
	}
	return Money{Minor: m.Minor + o.Minor, Currency: cur}
}

// Sub returns m - o; either unknown, the difference is.
func (m Money) Sub(o Money) Money {
	cur := firstNonEmpty(m.Currency, o.Currency)
	if m.Unknown || o.Unknown {
		return UnknownMoney(cur)
	}
	return Money{Minor: m.Minor - o.Minor, Currency: cur}
}

// Percent returns pct percent of m, rounded half away from zero to the minor
// unit.
func (m Money) Percent(pct int64) Money {
	if m.Unknown {
		return m
	}
	v := m.Minor * pct
	r := v / 100
	if rem := v % 100; rem >= 50 {
		r++
	} else if rem <= -50 {
		r--
	}
	return Money{Minor: r, Currency: m.Currency}
}

// Decimal renders the amount as digits with a decimal point and no grouping,
// "1500.00": the form wire formats and logs want. An unknown amount is
// "unknown", which no JSON encoder takes for a number: a request that
// would carry it cannot even be built.
func (m Money) Decimal() string {
	if m.Unknown {
		return "unknown"
	}
	digits := MinorDigits(m.Currency)
	neg := m.Minor < 0
	v := m.Minor
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v/scale(m.Currency), 10)
	if digits > 0 {
		s += fmt.Sprintf(".%0*d", digits, v%scale(m.Currency))
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String is the human form with a thin grouping space and the currency's
// sign: "1 500 ₽", "1 500,50 ₽". Kopecks are shown only when there are some.
// An unknown amount is "? ₽" (In words it in the desk's language).
func (m Money) String() string {
	if m.Unknown {
		return unknownSign + " " + CurrencySign(m.Currency)
	}
	neg := m.Minor < 0
	v := m.Minor
	if neg {
		v = -v
	}
	sc := scale(m.Currency)
	s := group(strconv.FormatInt(v/sc, 10))
	if frac := v % sc; frac != 0 {
		s += fmt.Sprintf(",%0*d", MinorDigits(m.Currency), frac)
	}
	if neg {
		s = "-" + s
	}
	return s + " " + CurrencySign(m.Currency)
}

// In is String, but an unknown amount is said in lang: "сумма неизвестна",
// "amount unknown".
func (m Money) In(lang string) string {
	if m.Unknown {
		return AmountUnknown.In(lang)
	}
	return m.String()
}

// currencySigns is the symbol the desk prints for a currency code; a code
// without one is printed as the code itself ("1 500 MDL").
var currencySigns = map[string]string{
	"RUB": "₽", "KZT": "₸", "BYN": "Br", "UAH": "₴", "USD": "$", "EUR": "€", "GBP": "£",
	"UZS": "сўм", "KGS": "сом", "TJS": "сом.", "AMD": "֏", "AZN": "₼", "GEL": "₾",
	"PLN": "zł", "CZK": "Kč", "TRY": "₺", "ILS": "₪", "INR": "₹", "VND": "₫", "THB": "฿", "MNT": "₮",
}

// CurrencySign is the symbol the desk prints for a currency code.
func CurrencySign(currency string) string {
	if currency == "" {
		return currencySigns[DefaultCurrency]
	}
	if s, ok := currencySigns[currency]; ok {
		return s
	}
	return currency
}

// currencyNames are the ways CRMs name a currency, folded to lower case:
// YCLIENTS' currency_short_title is a sign or a short word ("₽", "р",
// "руб.", "₸", "тг"), other CRMs send ISO codes or names.
var currencyNames = map[string]string{
	"₽": "RUB", "р": "RUB", "р.": "RUB", "руб": "RUB", "руб.": "RUB", "рубль": "RUB", "рублей": "RUB", "rub": "RUB", "rur": "RUB",
	"₸": "KZT", "тг": "KZT", "тг.": "KZT", "тенге": "KZT", "kzt": "KZT",
	"br": "BYN", "бел. руб.": "BYN", "бел.руб.": "BYN", "byn": "BYN", "byr": "BYN",
	"₴": "UAH", "грн": "UAH", "грн.": "UAH", "uah": "UAH",
	"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
	"сум": "UZS", "сўм": "UZS", "so'm": "UZS", "uzs": "UZS", "сом": "KGS", "kgs": "KGS",
	"֏": "AMD", "драм": "AMD", "amd": "AMD", "₼": "AZN", "ман.": "AZN", "azn": "AZN",
	"₾": "GEL", "лари": "GEL", "gel": "GEL", "zł": "PLN", "zl": "PLN", "pln": "PLN",
	"kč": "CZK", "czk": "CZK", "₺": "TRY", "try": "TRY", "₪": "ILS", "ils": "ILS", "aed": "AED",
}

// CurrencyCode reads how a CRM names its currency — an ISO 4217 code in any
// case ("kzt"), a sign ("₸", "₽") or a short word ("тг", "руб.") — as an
// ISO code. ok is false for an empty name and for one it does not know
// (YCLIENTS' reference shows "R" for a company in New York: a sign that
// names no currency for certain); the caller decides what to fall back to.
func CurrencyCode(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return "", false
	}
	if c, ok := currencyNames[n]; ok {
		return c, true
	}
	if len(n) == 3 && strings.IndexFunc(n, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 {
		return strings.ToUpper(n), true // a code the desk has no sign for is still a code
	}
	return "", false
}

func group(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ErrBadAmount is returned by ParseMoney for input that is not an amount.
var ErrBadAmount = errors.New("not an amount")

// ParseMoney reads an amount as a receptionist types it: "1500", "1 500",
// "1500,50", "1500.5", "₽1500". It never goes through floating point.
func ParseMoney(s, currency string) (Money, error) {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r == '-':
			return r
		case r == ',' || r == '.':
			return '.'
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '_' || strings.ContainsRune("₽₸$€£₴₼₾₺₪֏¥₩₹₫฿₮", r):
			return -1
		}
		return 'x'
	}, strings.TrimSpace(s))
	if !strings.ContainsAny(clean, "0123456789") || strings.ContainsRune(clean, 'x') || strings.Count(clean, ".") > 1 || strings.LastIndex(clean, "-") > 0 {
		return Money{}, fmt.Errorf("%q: %w", s, ErrBadAmount)
	}
	whole, frac, _ := strings.Cut(clean, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	digits := MinorDigits(currency)
	if len(frac) > digits {
		return Money{}, fmt.Errorf("%q has more than %d decimal places: %w", s, digits, ErrBadAmount)
	}
	frac += strings.Repeat("0", digits-len(frac))
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(whole) > 12 {
		return Money{}, fmt.Errorf("%q: %w", s, ErrBadAmount)
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return Money{}, fmt.Errorf("%q: %w", s, ErrBadAmount)
		}
	}
	v := w*scale(currency) + f
	if neg {
		v = -v
	}
	return Money{Minor: v, Currency: currency}, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
