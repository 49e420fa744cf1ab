package models

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day with no time and no zone: a birthday, the first or
// last day of a membership, the club's "today". Keeping it apart from
// time.Time stops a day from sliding by one when the desk's machine and the
// club sit in different time zones.
//
// A birthday may be known without its year (YCLIENTS files it as 1900):
// such a date has Year 0 (see NoYear); it prints as "14.03", so no age and
// no "1900" ever reach the screen, and only SameDayOfYear means anything on
// it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the calendar day that instant t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// NewDate builds a Date, normalising overflow (Nov 31 → Dec 1) as time.Date does.
func NewDate(year int, month time.Month, day int) Date {
	y, m, d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// NoYear is a day of the year whose year is not known: a birthday the CRM
// keeps without one.
func NoYear(month time.Month, day int) Date { return Date{Month: month, Day: day} }

// HasYear reports whether the date names its year; a birthday kept without
// one (NoYear) does not, and no age can be told from it.
func (d Date) HasYear() bool { return d.Year != 0 }

// In is the first instant of the day in loc.
func (d Date) In(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Bounds is the half-open interval [start, end) the day covers in loc; it is
// 23 or 25 hours long on daylight-saving changes.
func (d Date) Bounds(loc *time.Location) (start, end time.Time) {
	return d.In(loc), d.AddDays(1).In(loc)
}

// AddDays moves the date by n days (negative goes back).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// AddMonths moves the date by n months, clamping to the month's last day
// (Jan 31 + 1 month = Feb 28), which is how clubs count monthly memberships.
func (d Date) AddMonths(n int) Date {
	first := NewDate(d.Year, d.Month+time.Month(n), 1)
	last := NewDate(first.Year, first.Month+1, 0).Day
	return Date{first.Year, first.Month, min(d.Day, last)}
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return sign(d.Year - o.Year)
	case d.Month != o.Month:
		return sign(int(d.Month) - int(o.Month))
	default:
		return sign(d.Day - o.Day)
	}
}

// DaysUntil is the number of days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int {
	return int(o.In(time.UTC).Sub(d.In(time.UTC)).Hours() / 24)
}

// SameDayOfYear reports whether d and o share month and day (birthdays);
// a 29 February birthday is celebrated on 28 February in common years.
func (d Date) SameDayOfYear(o Date) bool {
	if d.Month == time.February && d.Day == 29 && !isLeap(o.Year) {
		return o.Month == time.February && o.Day == 28
	}
	return d.Month == o.Month && d.Day == o.Day
}

// String is the ISO form, 2026-11-22; empty for the zero date; "--11-22"
// (ISO 8601's form) for a day whose year is not known.
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case !d.HasYear():
		return fmt.Sprintf("--%02d-%02d", int(d.Month), d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Short is the form the desk prints: 22.11.2026, or 22.11 when the year is
// not known.
func (d Date) Short() string {
	switch {
	case d.IsZero():
		return ""
	case !d.HasYear():
		return fmt.Sprintf("%02d.%02d", d.Day, int(d.Month))
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// ParseDate reads the forms a receptionist types and providers send:
// 2026-11-22, 22.11.2026, 22.11.26, 22/11/2026.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006", "02.01.06", "2.1.06", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t.Year(), t.Month(), t.Day()}, nil
		}
	}
	return Date{}, fmt.Errorf("%q is not a date (expected DD.MM.YYYY)", s)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
