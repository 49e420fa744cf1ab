package models

import (
	"errors"
	"testing"
)

func TestSameCardAcrossFormats(t *testing.T) {
	forms := []string{"01026F6C3A", "0040856634", "07302202", "111,27706", "01026а6с3ф", "40856634"}
	for _, a := range forms {
		for _, b := range forms {
			if !SameCard(a, b) {
				t.Errorf("SameCard(%q, %q) = false, want true", a, b)
			}
		}
	}
	for _, other := range []string{"0040856635", "111,27707", "01026F6C3B", "1234567890", ""} {
		if SameCard("0040856634", other) {
			t.Errorf("SameCard(0040856634, %q) = true, want false", other)
		}
	}
}

func TestNormalizeTag(t *testing.T) {
	cases := []struct {
		raw  string
		f    TagFormat
		want string
	}{
		{" 0040856634 ", TagAsRead, "0040856634"},
		{"0040856634", TagStripZeros, "40856634"},
		{"0000", TagStripZeros, "0"},
		{"0040856634", TagDecToHex, "026F6C3A"},
		{"01026F6C3A", TagHexToDec, "0040856634"},
		{"01026ФИ", TagAsRead, "01026AB"},
		{"01026F6C3A", TagEMMarine, "111,27706"},
		{"0040856634", TagWiegand26, "07302202"},
		{"111б27706", TagWiegand26, "07302202"},
		{"111,27706", TagDecToHex, "006F6C3A"},
	}
	for _, c := range cases {
		got, err := NormalizeTag(c.raw, c.f)
		if err != nil || got != c.want {
			t.Errorf("NormalizeTag(%q, %s) = %q, %v; want %q", c.raw, c.f, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "12\x1b[31m", "хлеб с маслом", "999,99999"} {
		if _, err := NormalizeTag(bad, TagWiegand26); err == nil {
			t.Errorf("NormalizeTag(%q) accepted hostile or malformed input", bad)
		}
	}
}

func TestParseTagFormat(t *testing.T) {
	for _, f := range TagFormats {
		if got, err := ParseTagFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseTagFormat(%q) = %q, %v", f, got, err)
		}
	}
	if got, err := ParseTagFormat(""); err != nil || got != TagAsRead {
		t.Errorf("ParseTagFormat(\"\") = %q, %v; want as-read", got, err)
	}
	for _, bad := range []string{"hex", "AS-READ", " as-read", "wiegand", "dec"} {
		if got, err := ParseTagFormat(bad); err == nil {
			t.Errorf("ParseTagFormat(%q) = %q, want an error", bad, got)
		}
	}
}

func TestLatinLayout(t *testing.T) {
	cases := []struct{ in, want string }{
		{"ЙЦУКЕН", "QWERTY"},
		{"йцукен", "qwerty"},
		{"фисву", "abcde"},
		{"ФИСВУ", "ABCDE"},
		{"111б27706", "111,27706"},
		{"0123456789", "0123456789"},
		{"AbC", "AbC"},
		{"", ""},
		{"ж", ";"},
		{"ё", "`"},
	}
	for _, c := range cases {
		if got := LatinLayout(c.in); got != c.want {
			t.Errorf("LatinLayout(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanTag(t *testing.T) {
	good := []struct{ in, want string }{
		{"  01026f6c3a\r\n", "01026F6C3A"},
		{"01026ФИ", "01026AB"},
		{"111б27706", "111,27706"},
		{"12345678901234567890123456789012", "12345678901234567890123456789012"}, // 32: the limit
	}
	for _, c := range good {
		if got, err := CleanTag(c.in); err != nil || got != c.want {
			t.Errorf("CleanTag(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	bad := []string{"", "   ", "123456789012345678901234567890123", "12 34", "12-34", "12;34", "ё", "ж", "12\x00", "１２３", "12.34"}
	for _, s := range bad {
		got, err := CleanTag(s)
		if err == nil || !errors.Is(err, ErrBadTag) {
			t.Errorf("CleanTag(%q) = %q, %v; want ErrBadTag", s, got, err)
		}
	}
}

func TestNormalizeTagMore(t *testing.T) {
	cases := []struct {
		raw  string
		f    TagFormat
		want string
	}{
		{"01026f6c3a", "", "01026F6C3A"},
		{"0", TagDecToHex, "00000000"},
		{"4294967295", TagDecToHex, "FFFFFFFF"},
		{"4294967296", TagDecToHex, "0100000000"},    // above 32 bits: ten hex digits
		{"1099511627775", TagDecToHex, "FFFFFFFFFF"}, // 40 bits
		{"FF01026F6C3A", TagHexToDec, "0040856634"},  // only the low 32 bits
		{"0040856634", TagEMMarine, "111,27706"},
		{"01026F6C3A", TagWiegand26, "07302202"},
		{"255,65535", TagWiegand26, "16777215"},
		{"0,0", TagWiegand26, "00000000"},
		{"000", TagStripZeros, "0"},
		{"ABC", TagStripZeros, "ABC"},
	}
	for _, c := range cases {
		got, err := NormalizeTag(c.raw, c.f)
		if err != nil || got != c.want {
			t.Errorf("NormalizeTag(%q, %q) = %q, %v; want %q", c.raw, c.f, got, err, c.want)
		}
	}
	bad := []struct {
		raw string
		f   TagFormat
	}{
		{"256,1", TagWiegand26},  // facility is one byte
		{"1,65536", TagEMMarine}, // number is two bytes
		{"1,2,3", TagWiegand26},
		{",", TagWiegand26},
		{"111,", TagWiegand26},
		{",27706", TagWiegand26},
		{"G1", TagDecToHex},
		{"123456789012345678901", TagDecToHex}, // above 64 bits
		{"ABC", "bogus"},
	}
	for _, c := range bad {
		if got, err := NormalizeTag(c.raw, c.f); err == nil {
			t.Errorf("NormalizeTag(%q, %q) = %q, want an error", c.raw, c.f, got)
		}
	}
}

func TestSameCardMore(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"0004335823930", "01026F6C3A", true}, // the full 40-bit ID in decimal
		{"01026F6C3A", "01026f6c3a", true},
		{"01026F6C3A", "02026F6C3A", false}, // same low 32 bits, different 40-bit IDs
		{"00000ABC", "ABC", true},
		{"0040856634", "  0040856634\n", true},
		{"111,27706", "112,27706", false},
		{"0040856634", "хлеб", false},
		{"", "", false},
	}
	for _, c := range cases {
		if got := SameCard(c.a, c.b); got != c.want {
			t.Errorf("SameCard(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := SameCard(c.b, c.a); got != c.want {
			t.Errorf("SameCard(%q, %q) = %v, want %v (not symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestLooksLikeCard(t *testing.T) {
	for _, ok := range []string{"0040856634", "01026F6C3A", "01026а6с3ф", "111,27706", "111б27706"} {
		if !LooksLikeCard(ok) {
			t.Errorf("LooksLikeCard(%q) = false", ok)
		}
	}
	for _, no := range []string{"Смирнов", "CAFEBABE", "пропускаю по просьбе", "", "12 34", "+79161234567"} {
		if LooksLikeCard(no) {
			t.Errorf("LooksLikeCard(%q) = true", no)
		}
	}
}
