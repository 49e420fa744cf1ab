package models

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxExponent bounds the exponent ParseAmount reads: 1e40 of anything is
// no amount, and a bound keeps the digit arithmetic small.
const maxExponent = 40

// ParseAmount reads an amount in major units in any shape a CRM's JSON
// carries it (ParseMoney is for what a receptionist types):
//
//   - a JSON number or a decimal string with any number of decimals, as
//     long as those past the currency's minor unit are zeros: 3500,
//     "3500.5", "3500.000", -120.50;
//   - an exponent: 1e4, "1.5E+3", 2.5e-1;
//   - digits grouped by spaces, or by "," or "." when the other one is the
//     decimal point: "1 500,50", "1,500.50", "1.500,50";
//   - the currency written before or after it, when it is this one:
//     "3500 руб.", "3500 р.", "₽3500", "3500 RUB".
//
// Anything else — a fraction of a kopeck, more than an int64 of minor
// units holds, another currency, words — is ErrBadAmount: the caller keeps
// it as UnknownMoney, never as zero. It never goes through floating point.
func ParseAmount(s, currency string) (Money, error) {
	bad := func(why string) (Money, error) {
		if why != "" {
			return Money{}, fmt.Errorf("%q %s: %w", clip(s), why, ErrBadAmount)
		}
		return Money{}, fmt.Errorf("%q: %w", clip(s), ErrBadAmount)
	}
	if len(s) > 200 {
		return bad("is too long")
	}
	v := stripCurrency(strings.TrimSpace(s), currency)
	neg := false
	for _, sign := range []string{"-", "−", "+"} {
		if rest, ok := strings.CutPrefix(v, sign); ok {
			neg, v = sign != "+", strings.TrimSpace(rest)
			break
		}
	}
	mant, exp, err := splitExponent(v)
	if err != nil {
		return bad("")
	}
	whole, frac, ok := splitDecimal(mant)
	if !ok {
		return bad("")
	}
	// The value is 0.whole frac × 10^(exp + len(whole)); in minor units the
	// point moves MinorDigits further.
	digits := whole + frac
	point := len(whole) + exp + MinorDigits(currency) // digits before the point
	digits = strings.TrimLeft(digits, "0")
	point -= len(whole+frac) - len(digits)
	if digits == "" {
		return Money{Currency: currency}, nil
	}
	var intPart, fracPart string
	switch {
	case point <= 0:
		fracPart = strings.Repeat("0", -point) + digits
	case point >= len(digits):
		intPart = digits + strings.Repeat("0", point-len(digits))
	default:
		intPart, fracPart = digits[:point], digits[point:]
	}
	if strings.Trim(fracPart, "0") != "" {
		return bad(fmt.Sprintf("has more than %d decimal places", MinorDigits(currency)))
	}
	if intPart == "" {
		return Money{Currency: currency}, nil
	}
	if len(intPart) > 19 {
		return bad("is more than the desk can hold")
	}
	var minor uint64
	for _, r := range intPart {
		d := uint64(r - '0')
		if minor > (math.MaxInt64-d)/10 {
			return bad("is more than the desk can hold")
		}
		minor = minor*10 + d
	}
	m := int64(minor)
	if neg {
		m = -m
	}
	return Money{Minor: m, Currency: currency}, nil
}

// clip keeps an error message about a long input short.
func clip(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

// splitExponent cuts "1.5e+3" into "1.5" and 3.
func splitExponent(v string) (string, int, error) {
	i := strings.IndexAny(v, "eE")
	if i < 0 {
		return v, 0, nil
	}
	mant, e := v[:i], v[i+1:]
	neg := false
	switch {
	case strings.HasPrefix(e, "-"):
		neg, e = true, e[1:]
	case strings.HasPrefix(e, "+"):
		e = e[1:]
	}
	if e == "" || len(e) > 3 || !allDigits(e) || mant == "" {
		return "", 0, ErrBadAmount
	}
	n := 0
	for _, r := range e {
		n = n*10 + int(r-'0')
	}
	if n > maxExponent {
		return "", 0, ErrBadAmount
	}
	if neg {
		n = -n
	}
	return mant, n, nil
}

// splitDecimal cuts a mantissa into its whole and fraction digits: one
// decimal point ("." or ","), grouping by spaces, or by the other of "."
// and "," in groups of three.
func splitDecimal(v string) (whole, frac string, ok bool) {
	v = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '_' {
			return -1
		}
		return r
	}, v)
	if v == "" {
		return "", "", false
	}
	dots, commas := strings.Count(v, "."), strings.Count(v, ",")
	sep := ""
	switch {
	case dots == 0 && commas == 0:
	case dots > 0 && commas > 0:
		// The rightmost is the decimal point; the other groups thousands.
		if strings.LastIndex(v, ".") > strings.LastIndex(v, ",") {
			sep = "."
		} else {
			sep = ","
		}
		if strings.Count(v, sep) != 1 {
			return "", "", false
		}
	case dots == 1:
		sep = "."
	case commas == 1:
		sep = ","
	}
	group := map[string]string{".": ",", ",": "."}[sep]
	if sep == "" && (dots > 1 || commas > 1) {
		group = map[bool]string{true: ".", false: ","}[dots > 1] // "1.500.000"
	}
	whole, frac = v, ""
	if sep != "" {
		whole, frac, _ = strings.Cut(v, sep)
	}
	if group != "" && strings.Contains(whole, group) {
		parts := strings.Split(whole, group)
		for i, p := range parts {
			if (i == 0 && (len(p) < 1 || len(p) > 3)) || (i > 0 && len(p) != 3) {
				return "", "", false
			}
		}
		whole = strings.Join(parts, "")
	}
	if (whole == "" && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return "", "", false
	}
	return whole, frac, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// currencyWords are the ways a CRM writes a currency beside an amount.
var currencyWords = map[string][]string{
	"RUB": {"₽", "руб.", "руб", "р.", "р", "rub", "rur"},
	"KZT": {"₸", "тг.", "тг", "тенге", "kzt"},
	"BYN": {"br", "byn", "бел. руб.", "бел.руб."},
	"UAH": {"₴", "грн.", "грн", "uah"},
	"USD": {"$", "usd"},
	"EUR": {"€", "eur"},
}

// stripCurrency removes this currency's sign or name written before or
// after the amount, and lowers the case (an exponent "E" is an "e" then).
// Another currency's stays, and makes the amount unreadable.
func stripCurrency(v, currency string) string {
	low := strings.ToLower(v)
	words := append(currencyWords[strings.ToUpper(currency)], strings.ToLower(currency))
	for _, w := range words {
		if w == "" {
			continue
		}
		if rest, ok := strings.CutSuffix(low, w); ok {
			if r, _ := utf8.DecodeLastRuneInString(rest); rest == "" || !unicode.IsLetter(r) {
				return strings.TrimSpace(rest)
			}
		}
		if rest, ok := strings.CutPrefix(low, w); ok {
			if r, _ := utf8.DecodeRuneInString(rest); rest == "" || !unicode.IsLetter(r) {
				return strings.TrimSpace(rest)
			}
		}
	}
	return low
}
