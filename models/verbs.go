package models

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// formatVerb is one fmt verb with its flags, width and precision ("%s",
// "%-8d", "%[2]s"); "%%" is a percent sign, not a verb.
var formatVerb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?[a-zA-Z%]`)

// Verbs lists the fmt verbs of a message in the order the arguments are
// consumed, without flags ("%-8d" is "d"): what must agree between a
// message's languages for one Sprintf call to fill both. An indexed verb
// ("%[2]s") is named by its index, so a translation may reorder them.
func Verbs(format string) []string {
	var out []string
	next := 1
	for _, m := range formatVerb.FindAllStringSubmatch(format, -1) {
		v := m[0]
		if strings.HasSuffix(v, "%") {
			continue
		}
		verb := v[len(v)-1:]
		if verb == "v" || verb == "s" || verb == "q" {
			verb = "s" // all take any argument: a translation may use either
		}
		arg := next
		if m[1] != "" {
			arg, _ = strconv.Atoi(strings.Trim(m[1], "[]"))
		}
		next = arg + 1
		out = append(out, strconv.Itoa(arg)+verb)
	}
	slices.Sort(out)
	return out
}

// VerbsAgree reports whether two messages take the same arguments. A
// counted message ("%d visit|%d visits") is compared form by form.
func VerbsAgree(a, b string) bool {
	want := Verbs(strings.Split(a, PluralSep)[0])
	for _, m := range []string{a, b} {
		for _, form := range strings.Split(m, PluralSep) {
			if !slices.Equal(Verbs(form), want) {
				return false
			}
		}
	}
	return true
}
