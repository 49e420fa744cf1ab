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
}

// DefaultCurrency is used when a provider does not say which currency it
// counts in.
const DefaultCurrency = "RUB"

// minorDigits is how many minor digits a currency has; every currency our
// providers serve has two, the map is here for the day one does not.
var minorDigits = map[string]int{"JPY": 0, "KRW": 0}

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

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Minor == 0 }

// IsPositive reports whether the amount is above zero.
func (m Money) IsPositive() bool { return m.Minor > 0 }

// Add returns m + o. Amounts of different currencies are never mixed in one
// club; an empty currency adopts the other's.
func (m Money) Add(o Money) Money {
	return Money{Minor: m.Minor + o.Minor, Currency: firstNonEmpty(m.Currency, o.Currency)}
}

// Sub returns m - o.
func (m Money) Sub(o Money) Money {
	return Money{Minor: m.Minor - o.Minor, Currency: firstNonEmpty(m.Currency, o.Currency)}
}

// Percent returns pct percent of m, rounded half away from zero to the minor
// unit.
func (m Money) Percent(pct int64) Money {
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
// "1500.00": the form wire formats and logs want.
func (m Money) Decimal() string {
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
func (m Money) String() string {
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

// CurrencySign is the symbol the desk prints for a currency code.
func CurrencySign(currency string) string {
	switch currency {
	case "RUB", "":
		return "₽"
	case "KZT":
		return "₸"
	case "BYN":
		return "Br"
	case "UAH":
		return "₴"
	case "USD":
		return "$"
	case "EUR":
		return "€"
	}
	return currency
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
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '_' || r == '₽' || r == '₸' || r == '$' || r == '€':
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
