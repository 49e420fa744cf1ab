package models

import "fmt"

// Words is a sentence the desk itself says to the people at the desk, in
// both of the console's languages. Text a CRM sends (a client's name, its
// own error message) stays a plain string: it is shown as the CRM wrote it.
type Words struct{ EN, RU string }

// In picks the language ("ru", or English for anything else).
func (w Words) In(lang string) string {
	if lang == "ru" && w.RU != "" {
		return w.RU
	}
	return w.EN
}

// Fill formats both sentences with the same arguments: Words{EN: "card %s
// not found", RU: "карта %s не найдена"}.Fill(tag).
func (w Words) Fill(args ...any) Words {
	return Words{EN: fmt.Sprintf(w.EN, args...), RU: fmt.Sprintf(w.RU, args...)}
}

// IsZero reports whether nothing is said.
func (w Words) IsZero() bool { return w.EN == "" && w.RU == "" }

// Join puts sentences together with sep, language by language, skipping
// the empty ones.
func Join(parts []Words, sep string) Words {
	var out Words
	for _, p := range parts {
		if p.IsZero() {
			continue
		}
		if !out.IsZero() {
			out.EN += sep
			out.RU += sep
		}
		out.EN += p.EN
		out.RU += p.RU
	}
	return out
}
