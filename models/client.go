package models

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Client is a person the club knows: a member, a parent, a child in the
// swimming school.
type Client struct {
	ID         string
	LastName   string
	FirstName  string
	MiddleName string
	Phone      string // as the provider stores it; compare with PhoneDigits
	Email      string
	Birthday   Date // zero when unknown
	Cards      []string

	// Blocked is set when the club has stopped the client's card; BlockReason
	// says why, in the club's own words.
	Blocked     bool
	BlockReason string
	// Note is the club's message to reception about this client.
	Note string
	// Guardian is the parent or guardian who brings a child client, as the
	// CRM files them (Go-CRM's fio); empty for adults.
	Guardian string

	Deposit Money // money on the client's deposit account
	Debt    Money // owed outside any membership (unpaid invoices)
	// Discount is the client's personal discount in whole percent (YCLIENTS
	// keeps one per client); 0 when there is none.
	Discount int
	// Lead is set when the CRM saved a registration as a lead — a request
	// its staff turn into a client (Go-CRM's walk-in) — rather than as a
	// client: saving it is a success, but until the CRM registers it,
	// it cannot be booked, marked or paid for.
	Lead *Lead
	// Tags are the club's labels on the client, in its own words (YCLIENTS'
	// client categories: "VIP", "Black list"). A black-list tag turns the
	// verdict red with its name (BlackListTag).
	Tags []string
}

// Lead is a registration the CRM keeps as a request for a place.
type Lead struct {
	ID     string // the CRM's number for it
	Status string // the CRM's word for where it stands ("bid")
	// Next says what happens now, for the result and its toast: "Lead №
	// 12345 saved: the child appears once Go-CRM's administrator registers
	// them".
	Next Words
	// Roster is how a roster lists the walk-in: a lead, not marked.
	Roster Words
}

// blackListNames are how clubs name the category of clients who are not let
// in, folded (lower case, ё as е, no spaces or dashes): YCLIENTS' own
// "Чёрный список", Altegio's "Black list", and the usual variants.
var blackListNames = []string{"blacklist", "blacklisted", "черныйсписок", "вчерномсписке", "чс", "стоп-лист", "стоплист", "stoplist", "banned"}

// BlackListTag is the first of the client's tags that names a black list
// ("Black list", "Чёрный список", "ЧС"), as the club wrote it.
func (c Client) BlackListTag() (string, bool) {
	for _, tag := range c.Tags {
		f := strings.Map(func(r rune) rune {
			switch {
			case r == 'ё' || r == 'Ё':
				return 'е'
			case unicode.IsSpace(r), r == '-', r == '_', r == '.', r == '«', r == '»', r == '"':
				return -1
			}
			return unicode.ToLower(r)
		}, tag)
		for _, n := range blackListNames {
			if f == strings.ReplaceAll(n, "-", "") {
				return strings.TrimSpace(tag), true
			}
		}
	}
	return "", false
}

// FullName is "Surname Name Patronymic", the order Russian clubs file by.
func (c Client) FullName() string {
	return joinNonEmpty(c.LastName, c.FirstName, c.MiddleName)
}

// ShortName is "Surname Name".
func (c Client) ShortName() string {
	return joinNonEmpty(c.LastName, c.FirstName)
}

// NewClient is what the desk knows about someone it registers on the spot.
type NewClient struct {
	LastName   string
	FirstName  string
	MiddleName string
	Phone      string
	Email      string
	Birthday   Date
	Card       string
	Comment    string
	// Guardian and GuardianPhone are the parent's (or guardian's) full
	// name and phone, where the form asks for them: a child's contact in a
	// CRM that files children with their parent (Go-CRM's fio). Empty for
	// an adult.
	Guardian      string
	GuardianPhone string
}

// Digits keeps only the ASCII digits of s: "+7 (916) 12" is "791612".
func Digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// PhoneDigits keeps only the digits of a phone number and folds the Russian
// trunk prefix, so "+7 (916) 123-45-67", "8 916 1234567" and "9161234567"
// all become "79161234567". A number written with "+" already carries its
// country code and is never folded: "+81 3 1234 5678" stays "81312345678".
func PhoneDigits(s string) string {
	international := strings.HasPrefix(strings.TrimSpace(s), "+")
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	switch {
	case international: // already has its country code
	case len(d) == 11 && d[0] == '8':
		return "7" + d[1:]
	case len(d) == 10 && d[0] == '9':
		return "7" + d
	}
	return d
}

// Errors of what a receptionist types about a client.
var (
	ErrBadPhone = errors.New("not a phone number")
	ErrBadEmail = errors.New("not an e-mail address")
	ErrBadName  = errors.New("not a name")
)

// CheckPhone accepts a phone number in any usual writing: 10 to 15 digits
// with spaces, dashes, brackets, dots and a leading "+".
func CheckPhone(s string) error {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune(" -+().", r)) {
			return ErrBadPhone
		}
	}
	if n := len(PhoneDigits(s)); n < 10 || n > 15 {
		return ErrBadPhone
	}
	return nil
}

// CheckEmail accepts an empty field or one plain address (no display name,
// a dot in the domain).
func CheckEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return ErrBadEmail
	}
	_, domain, _ := strings.Cut(s, "@")
	if !strings.Contains(strings.Trim(domain, "."), ".") {
		return ErrBadEmail
	}
	return nil
}

// CheckName accepts a surname, name or patronymic: letters of any script,
// spaces, hyphens and apostrophes, at most 60 of them.
func CheckName(s string) error {
	if utf8.RuneCountInString(s) > 60 {
		return ErrBadName
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || strings.ContainsRune(" -'’.", r)) {
			return ErrBadName
		}
	}
	return nil
}

func joinNonEmpty(parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}
