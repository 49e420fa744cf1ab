package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// TagFormat is how the club's CRM writes a card number, and so how the desk
// rewrites what the reader typed before looking it up. Readers and CRMs write
// one EM-Marine card as 01026F6C3A (hex, 40 bits), 0040856634 (decimal of the
// low 32 bits), 07302202 (Wiegand-26: decimal of the low 24 bits) or
// 111,27706 (facility,number of the low 24 bits).
type TagFormat string

// Tag formats, as written in the config's scanner.tag_format.
const (
	TagAsRead     TagFormat = "as-read"     // unchanged but trimmed and upper-cased
	TagStripZeros TagFormat = "strip-zeros" // leading zeros removed
	TagDecToHex   TagFormat = "dec-to-hex"  // decimal in, hex out (8 digits, 10 above 32 bits)
	TagHexToDec   TagFormat = "hex-to-dec"  // hex in, 10-digit decimal of the low 32 bits out
	TagEMMarine   TagFormat = "em-marine"   // "FFF,NNNNN" of the low 24 bits
	TagWiegand26  TagFormat = "wiegand26"   // 8-digit decimal of the low 24 bits
)

// TagFormats lists the formats the config accepts.
var TagFormats = []TagFormat{TagAsRead, TagStripZeros, TagDecToHex, TagHexToDec, TagEMMarine, TagWiegand26}

// ErrBadTag is returned for input that cannot be a card number.
var ErrBadTag = errors.New("not a card number")

// ParseTagFormat checks a config value; empty means as-read.
func ParseTagFormat(s string) (TagFormat, error) {
	if s == "" {
		return TagAsRead, nil
	}
	for _, f := range TagFormats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown tag format %q (one of %v)", s, TagFormats)
}

// ruToLatin maps the Russian ЙЦУКЕН layout to the US layout key by key: a
// card reader is a keyboard, so with a Russian layout active it "types" ФИ
// for AB.
var ruToLatin = func() map[rune]rune {
	ru := "йцукенгшщзхъфывапролджэячсмитьбюё"
	us := "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
	m := map[rune]rune{}
	usr := []rune(us)
	for i, r := range []rune(ru) {
		m[r] = usr[i]
		m[unicode.ToUpper(r)] = unicode.ToUpper(usr[i])
	}
	return m
}()

// latinToRu is ruToLatin reversed.
var latinToRu = func() map[rune]rune {
	m := map[rune]rune{}
	for ru, lat := range ruToLatin {
		m[lat] = ru
	}
	return m
}()

// RussianLayout rewrites characters typed with a US layout into the ones the
// same keys type with the Russian layout: the desk's single-letter keys work
// whichever layout is on.
func RussianLayout(s string) string {
	return strings.Map(func(r rune) rune {
		if c, ok := latinToRu[r]; ok {
			return c
		}
		return r
	}, s)
}

// LatinLayout rewrites characters typed with a Russian layout into the ones
// the same keys type with a US layout; other characters pass unchanged.
func LatinLayout(s string) string {
	return strings.Map(func(r rune) rune {
		if l, ok := ruToLatin[r]; ok {
			return l
		}
		return r
	}, s)
}

// CleanTag is what every format starts from: the reader's characters mapped
// back to the US layout, trimmed and upper-cased. It refuses anything that is
// not letters, digits or the EM-Marine comma.
func CleanTag(raw string) (string, error) {
	s := strings.ToUpper(LatinLayout(strings.TrimSpace(raw)))
	if s == "" || len(s) > 32 {
		return "", fmt.Errorf("%q: %w", raw, ErrBadTag)
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == ',') {
			return "", fmt.Errorf("%q: %w", raw, ErrBadTag)
		}
	}
	return s, nil
}

// NormalizeTag turns what a reader typed into the form the CRM stores.
func NormalizeTag(raw string, f TagFormat) (string, error) {
	s, err := CleanTag(raw)
	if err != nil {
		return "", err
	}
	switch f {
	case TagAsRead, "":
		return s, nil
	case TagStripZeros:
		if t := strings.TrimLeft(s, "0"); t != "" {
			return t, nil
		}
		return "0", nil
	}
	v, err := tagValue(s, f == TagHexToDec)
	if err != nil {
		return "", fmt.Errorf("%q: %w", raw, err)
	}
	switch f {
	case TagDecToHex:
		if v > 0xFFFFFFFF {
			return fmt.Sprintf("%010X", v), nil
		}
		return fmt.Sprintf("%08X", v), nil
	case TagHexToDec:
		return fmt.Sprintf("%010d", v&0xFFFFFFFF), nil
	case TagEMMarine:
		return fmt.Sprintf("%03d,%05d", (v>>16)&0xFF, v&0xFFFF), nil
	case TagWiegand26:
		return fmt.Sprintf("%08d", v&0xFFFFFF), nil
	}
	return "", fmt.Errorf("unknown tag format %q", f)
}

// tagValue reads a cleaned tag as a number: "FFF,NNNNN" as EM-Marine, hex
// when asked or when it holds A–F, decimal otherwise.
func tagValue(s string, hex bool) (uint64, error) {
	if fac, num, ok := strings.Cut(s, ","); ok {
		f, err1 := strconv.ParseUint(fac, 10, 8)
		n, err2 := strconv.ParseUint(num, 10, 16)
		if err1 != nil || err2 != nil {
			return 0, ErrBadTag
		}
		return f<<16 | n, nil
	}
	base := 10
	if hex || strings.ContainsAny(s, "ABCDEF") {
		base = 16
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, ErrBadTag
	}
	return v, nil
}

// reading is one way to understand a tag: a value of which the low bits bits
// are known.
type reading struct {
	value uint64
	bits  int
}

// readings lists the plausible meanings of a cleaned tag, by its shape.
func readings(s string) []reading {
	if strings.Contains(s, ",") {
		if v, err := tagValue(s, false); err == nil {
			return []reading{{v, 24}}
		}
		return nil
	}
	var out []reading
	digits := strings.Trim(s, "0123456789") == ""
	if digits {
		if v, err := strconv.ParseUint(s, 10, 64); err == nil {
			switch {
			case len(s) == 8 && v < 1<<24:
				out = append(out, reading{v, 24}) // Wiegand-26
			case v < 1<<32:
				out = append(out, reading{v, 32}) // DEC10, perhaps without its zeros
			default:
				out = append(out, reading{v, 64})
			}
		}
	}
	if v, err := strconv.ParseUint(s, 16, 64); err == nil && (len(s) == 6 || len(s) == 8 || len(s) == 10) {
		out = append(out, reading{v, len(s) * 4})
	}
	return out
}

// SameCard reports whether two tags, perhaps written in different formats,
// can be the same physical card: equal when cleaned and stripped of leading
// zeros, or agreeing on the low bits both formats carry (at least 24).
func SameCard(a, b string) bool {
	ca, err1 := CleanTag(a)
	cb, err2 := CleanTag(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if strings.TrimLeft(ca, "0") == strings.TrimLeft(cb, "0") {
		return true
	}
	for _, ra := range readings(ca) {
		for _, rb := range readings(cb) {
			bits := min(ra.bits, rb.bits)
			if bits < 24 {
				continue
			}
			mask := uint64(1)<<bits - 1
			if bits == 64 {
				mask = ^uint64(0)
			}
			if ra.value&mask == rb.value&mask {
				return true
			}
		}
	}
	return false
}

// LooksLikeCard reports whether text a reader (or a paste) produced can be a
// card number: hex digits or the EM-Marine comma, at least one digit, once
// mapped back from a Russian layout. It is stricter than CleanTag so that a
// fast-typed surname ("Смирнов" is CVBHYJD on the same keys) is never taken
// for a scan.
func LooksLikeCard(raw string) bool {
	s, err := CleanTag(raw)
	if err != nil {
		return false
	}
	digit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'A' && r <= 'F', r == ',':
		default:
			return false
		}
	}
	return digit
}

// AcceptsTag reports whether raw, as a reader typed it, has the shape of a
// card in format f: the format's alphabet (decimal for dec-to-hex, hex for
// hex-to-dec, FFF,NNNNN or a number for EM-Marine and Wiegand-26, hex
// digits otherwise — with at least one digit, so a fast-typed surname is
// never a card) and a value the format can rewrite. What it refuses is a
// search, never a card.
func AcceptsTag(raw string, f TagFormat) bool {
	if !LooksLikeCard(raw) {
		return false
	}
	s, _ := CleanTag(raw)
	switch f {
	case TagDecToHex:
		if strings.Trim(s, "0123456789") != "" {
			return false
		}
	case TagHexToDec, TagStripZeros:
		if strings.Contains(s, ",") {
			return false
		}
	}
	_, err := NormalizeTag(raw, f)
	return err == nil
}

// ReadsAsPhone reports whether a run of digits a reader could have typed is
// more likely a phone number: 11 digits starting with 7 or 8, 10 starting
// with 9, or a "+" number of 10–15 digits. Card numbers (0040856634,
// 07302202, hex) do not read so; the desk searches phones with such a run
// when no card carries it.
func ReadsAsPhone(raw string) bool {
	s := strings.TrimSpace(raw)
	plus := strings.HasPrefix(s, "+")
	d := strings.TrimPrefix(s, "+")
	if d == "" || strings.Trim(d, "0123456789") != "" {
		return false
	}
	switch {
	case plus:
		return len(d) >= 10 && len(d) <= 15 && d[0] != '0'
	case len(d) == 11:
		return d[0] == '7' || d[0] == '8'
	case len(d) == 10:
		return d[0] == '9'
	}
	return false
}
