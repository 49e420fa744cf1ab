package models

import "testing"

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
