package models

import (
	"strings"
	"testing"
)

// FuzzNormalizeTag: whatever a reader (or a person) types, normalising
// never panics, and a card it accepts is printable, upper-case, matches
// itself and comes out the same when normalised again as read.
func FuzzNormalizeTag(f *testing.F) {
	for _, s := range []string{"0040856634", "01026F6C3A", "07302202", "111,27706", "ФИ0123", " 00ab12cd\n", "9999999999999999999999", "-1", "", "0x1F"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, raw string, format uint8) {
		tf := TagFormats[int(format)%len(TagFormats)]
		out, err := NormalizeTag(raw, tf)
		if err != nil {
			return
		}
		if out == "" || strings.IndexFunc(out, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == ',') }) >= 0 {
			t.Fatalf("NormalizeTag(%q, %s) = %q: not a card number", raw, tf, out)
		}
		if !SameCard(out, out) {
			t.Fatalf("%q is not the same card as itself", out)
		}
		if again, err := NormalizeTag(out, TagAsRead); err != nil || again != out {
			t.Fatalf("as-read of %q = %q, %v", out, again, err)
		}
		_ = LooksLikeCard(raw)
	})
}

// FuzzParseMoney: an amount the desk accepts prints back to itself, and is
// never read through floating point.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1500", "1500.50", "1 500,50", "-3", "0.005", "1e3", "99999999999999999999", "₽100", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s, "RUB")
		if err != nil {
			return
		}
		back, err := ParseMoney(m.Decimal(), "RUB")
		if err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %+v, whose Decimal %q reads back as %+v, %v", s, m, m.Decimal(), back, err)
		}
	})
}

// FuzzParseAmount: whatever a CRM sends as an amount, reading it never
// panics, and an amount it reads prints back to itself.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"3500", "3500.000", "1e4", "-1e18", "1.5E+3", "3500 руб.", "1,500.50", "99999999999999999999", "", "₽1", "1e-400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseAmount(s, "RUB")
		if err != nil {
			if m != (Money{}) {
				t.Fatalf("ParseAmount(%q) failed with %+v", s, m)
			}
			return
		}
		back, err := ParseAmount(m.Decimal(), "RUB")
		if err != nil || back != m {
			t.Fatalf("ParseAmount(%q) = %+v, whose Decimal %q reads back as %+v, %v", s, m, m.Decimal(), back, err)
		}
	})
}
