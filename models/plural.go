package models

import (
	"fmt"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// PluralSep separates the plural forms of a counted message: "%d visit|%d
// visits", "%d посещение|%d посещения|%d посещений".
const PluralSep = "|"

// pluralForms are the CLDR cardinal categories each language of the desk
// uses for whole numbers, in the order a counted message lists its forms.
// The rule that picks the category is CLDR's (golang.org/x/text), not ours.
var pluralForms = map[string][]plural.Form{
	"en": {plural.One, plural.Other},
	"ru": {plural.One, plural.Few, plural.Many},
}

// PluralForms is how many forms a counted message has in lang.
func PluralForms(lang string) int { return len(pluralForms[langOf(lang)]) }

func langOf(lang string) string {
	if lang == "ru" {
		return "ru"
	}
	return "en"
}

// PluralIndex is which of lang's forms a count takes: for Russian 0 for
// 1, 21, 101; 1 for 2–4, 22; 2 for 0, 5–20, 111; for English 0 for 1 and
// 1 for everything else.
func PluralIndex(lang string, n int) int {
	tag := language.English
	if langOf(lang) == "ru" {
		tag = language.Russian
	}
	if n < 0 {
		n = -n
	}
	form := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
	forms := pluralForms[langOf(lang)]
	for i, f := range forms {
		if f == form {
			return i
		}
	}
	return len(forms) - 1
}

// Plural picks the form of a counted message for n: Plural("ru", 3,
// "%d посещение|%d посещения|%d посещений") is "%d посещения". A message
// with fewer forms than the language has (an abbreviation that does not
// change: "%d мес.") gives its last one.
func Plural(lang string, n int, forms string) string {
	parts := strings.Split(forms, PluralSep)
	i := PluralIndex(lang, n)
	if i >= len(parts) {
		i = len(parts) - 1
	}
	return parts[i]
}

// Count formats a counted message with n in the form n takes:
// Count("en", 1, "%d visit|%d visits") is "1 visit".
func Count(lang string, n int, forms string) string {
	return fmt.Sprintf(Plural(lang, n, forms), n)
}

// Count words a counted message in both languages: Words{EN: "%d
// month|%d months", RU: "%d мес."}.Count(1) is "1 month", "1 мес.".
func (w Words) Count(n int) Words {
	return Words{EN: Count("en", n, w.EN), RU: Count("ru", n, w.RU)}
}
