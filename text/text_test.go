package text

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanDropsWhatMakesNamesLookAlike(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Зеленина Ольга", "Зеленина Ольга"},
		{"\x1b[2J\x1b[31mИванов", "Иванов"},
		{"\x1b]8;;http://evil\x07ссылка\x1b]8;;\x07", "ссылка"},
		{"Анна\u202eанилеЗ", "АннаанилеЗ"},
		{"line\nbreak\ttab\r", "line break tab "},
		{"Ива\u2028нов\u2029Иван", "Ива нов Иван"},
		{"Ив\u200bан\u200cов\u200d\u2060", "Иванов"},
		{"\ufeffИванов", "Иванов"},
		{"Иванов\U000E0041\U000E0042\U000E007F", "Иванов"},
		{"Ива\u00adнов", "Иванов"},
		{"Иван\u3164ов", "Иванов"},
		{"Иванов\u00a0\u00a0Иван", "Иванов Иван"},
		{"👩\u200d👧 Мама", "👩\u200d👧 Мама"},
		{"❤\ufe0f Вера", "❤\ufe0f Вера"},
		{"a\ufe0fb", "ab"},
		{"e\u0301\u0301\u0301\u0301\u0301\u0301\u0301", "e\u0301\u0301\u0301\u0301"},
		{"\u0301Иван", "Иван"},
		{"\xff\xfe broken", " broken"},
		{"\u0085next", " next"},
	}
	for _, c := range cases {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCapCutsAtACharacterAndSaysSo(t *testing.T) {
	long := strings.Repeat("Щ", 3<<20/2) // a 3 MB surname
	got := Cap(long, MaxField)
	if len(got) > MaxField || !utf8.ValidString(got) || !strings.HasSuffix(got, CutMark+"[+3145728 B]") {
		t.Fatalf("Cap: %d bytes, valid %v, ends %q", len(got), utf8.ValidString(got), got[len(got)-20:])
	}
	if s := "Иванов"; Cap(s, MaxField) != s {
		t.Fatal("a short text was changed")
	}
	if got := Cap("abcdef", 3); len(got) > len(CutMark+"[+6 B]") {
		t.Fatalf("Cap below its mark: %q", got)
	}
}

// FuzzCleanText: whatever a CRM sends, what comes out holds no control,
// escape, format or tag character (but a joiner inside an emoji), and
// cleaning twice changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{
		"Зеленина Ольга", "\x1b[2J\x1b[31mИванов", "\x1b]52;c;ZXZpbA==\x07", "Анна\u202eанилеЗ", "王小明", "👩‍👧 Мама",
		"é́ combining", "\x9b31mC1 CSI", "line\nbreak\ttab\r", "\xff\xfe broken utf-8", "Ива\u2028нов", "\ufeff\u200b\u200d",
		"\U000E0041tag", "👩\u200d\u200d👧", "\u0301\u200d❤", "a \u00a0\n b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q is not UTF-8", s, c)
		}
		rs := []rune(c)
		for i, r := range rs {
			bad := r == 0x1b || unicode.IsControl(r) || r == utf8.RuneError || r == 0x2028 || r == 0x2029 ||
				r >= 0xe0000 && r <= 0xe007f || r == 0xfeff
			if unicode.Is(unicode.Cf, r) && !(r == 0x200d && i > 0 && i+1 < len(rs)) {
				bad = true
			}
			if bad {
				t.Fatalf("Clean(%q) = %q keeps %U", s, c, r)
			}
		}
		if again := Clean(c); again != c {
			t.Fatalf("Clean is not idempotent: %q → %q → %q", s, c, again)
		}
	})
}
