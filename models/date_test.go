package models

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below must exist even on a machine without tzdata
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func TestDateOf(t *testing.T) {
	msk := mustZone(t, "Europe/Moscow")
	vvo := mustZone(t, "Asia/Vladivostok")
	nyc := mustZone(t, "America/New_York")
	// 22:30 UTC on 10 March is already 01:30 on 11 March in Moscow.
	lateUTC := time.Date(2026, 3, 10, 22, 30, 0, 0, time.UTC)
	// 01:30 in Moscow on 11 March is still 10 March in UTC.
	earlyMSK := time.Date(2026, 3, 11, 1, 30, 0, 0, msk)
	cases := []struct {
		name string
		t    time.Time
		loc  *time.Location
		want Date
	}{
		{"late UTC evening in UTC", lateUTC, time.UTC, Date{2026, 3, 10}},
		{"late UTC evening is tomorrow in Moscow", lateUTC, msk, Date{2026, 3, 11}},
		{"early Moscow morning in Moscow", earlyMSK, msk, Date{2026, 3, 11}},
		{"early Moscow morning is yesterday in UTC", earlyMSK, time.UTC, Date{2026, 3, 10}},
		{"nil location means UTC", earlyMSK, nil, Date{2026, 3, 10}},
		{"Vladivostok is ahead of Moscow", time.Date(2026, 3, 10, 16, 0, 0, 0, msk), vvo, Date{2026, 3, 10}},
		{"Vladivostok crosses midnight first", time.Date(2026, 3, 10, 17, 0, 0, 0, msk), vvo, Date{2026, 3, 11}},
		{"New Year in UTC is still 31 Dec in New York", time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC), nyc, Date{2025, 12, 31}},
		{"last nanosecond of the Moscow day", time.Date(2026, 3, 10, 23, 59, 59, 999999999, msk), msk, Date{2026, 3, 10}},
		{"first instant of the Moscow day", time.Date(2026, 3, 11, 0, 0, 0, 0, msk), msk, Date{2026, 3, 11}},
		{"leap day", time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), msk, Date{2028, 2, 29}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := DateOf(c.t, c.loc); got != c.want {
				t.Errorf("DateOf(%s, %v) = %v, want %v", c.t.Format(time.RFC3339Nano), c.loc, got, c.want)
			}
		})
	}
}

func TestNewDateNormalises(t *testing.T) {
	cases := []struct {
		y    int
		m    time.Month
		d    int
		want Date
	}{
		{2026, time.November, 22, Date{2026, 11, 22}},
		{2026, time.November, 31, Date{2026, 12, 1}},
		{2026, time.February, 29, Date{2026, 3, 1}},
		{2028, time.February, 29, Date{2028, 2, 29}},
		{2026, time.March, 0, Date{2026, 2, 28}},
		{2028, time.March, 0, Date{2028, 2, 29}},
		{2026, 13, 1, Date{2027, 1, 1}},
		{2026, 0, 1, Date{2025, 12, 1}},
		{2026, time.January, -1, Date{2025, 12, 30}},
		{2026, time.December, 32, Date{2027, 1, 1}},
	}
	for _, c := range cases {
		if got := NewDate(c.y, c.m, c.d); got != c.want {
			t.Errorf("NewDate(%d, %d, %d) = %v, want %v", c.y, c.m, c.d, got, c.want)
		}
	}
}

func TestDateIsZero(t *testing.T) {
	if !(Date{}).IsZero() {
		t.Error("Date{}.IsZero() = false")
	}
	for _, d := range []Date{{2026, 1, 1}, {0, 1, 1}, {1, 0, 0}} {
		if d.IsZero() {
			t.Errorf("%#v.IsZero() = true", d)
		}
	}
}

func TestAddDays(t *testing.T) {
	cases := []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2026, 3, 10}, 0, Date{2026, 3, 10}},
		{Date{2026, 3, 10}, 1, Date{2026, 3, 11}},
		{Date{2026, 3, 10}, -1, Date{2026, 3, 9}},
		{Date{2026, 1, 31}, 1, Date{2026, 2, 1}},
		{Date{2026, 3, 1}, -1, Date{2026, 2, 28}},
		{Date{2028, 3, 1}, -1, Date{2028, 2, 29}},
		{Date{2026, 12, 31}, 1, Date{2027, 1, 1}},
		{Date{2027, 1, 1}, -1, Date{2026, 12, 31}},
		{Date{2026, 1, 1}, 365, Date{2027, 1, 1}},
		{Date{2028, 1, 1}, 365, Date{2028, 12, 31}},
		{Date{2026, 3, 28}, 2, Date{2026, 3, 30}}, // across the European DST change
	}
	for _, c := range cases {
		if got := c.d.AddDays(c.n); got != c.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", c.d, c.n, got, c.want)
		}
	}
}

func TestAddMonths(t *testing.T) {
	cases := []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2026, 1, 15}, 0, Date{2026, 1, 15}},
		{Date{2026, 1, 15}, 1, Date{2026, 2, 15}},
		{Date{2026, 1, 31}, 1, Date{2026, 2, 28}}, // clamped, common year
		{Date{2028, 1, 31}, 1, Date{2028, 2, 29}}, // clamped, leap year
		{Date{2026, 1, 30}, 1, Date{2026, 2, 28}},
		{Date{2026, 1, 29}, 1, Date{2026, 2, 28}},
		{Date{2028, 1, 29}, 1, Date{2028, 2, 29}},
		{Date{2026, 1, 28}, 1, Date{2026, 2, 28}},
		{Date{2026, 1, 31}, 2, Date{2026, 3, 31}}, // not clamped through February
		{Date{2026, 1, 31}, 3, Date{2026, 4, 30}},
		{Date{2026, 8, 31}, 1, Date{2026, 9, 30}},
		{Date{2026, 10, 31}, 4, Date{2027, 2, 28}},
		{Date{2026, 12, 15}, 1, Date{2027, 1, 15}},
		{Date{2026, 11, 30}, 3, Date{2027, 2, 28}},
		{Date{2026, 1, 15}, -1, Date{2025, 12, 15}},
		{Date{2026, 3, 31}, -1, Date{2026, 2, 28}},
		{Date{2028, 3, 31}, -1, Date{2028, 2, 29}},
		{Date{2026, 5, 31}, -3, Date{2026, 2, 28}},
		{Date{2028, 2, 29}, 12, Date{2029, 2, 28}},
		{Date{2028, 2, 29}, 48, Date{2032, 2, 29}},
		{Date{2028, 2, 29}, -12, Date{2027, 2, 28}},
		{Date{2026, 6, 30}, 24, Date{2028, 6, 30}},
		{Date{2026, 1, 1}, 12, Date{2027, 1, 1}},
		{Date{2026, 1, 1}, -25, Date{2023, 12, 1}},
	}
	for _, c := range cases {
		if got := c.d.AddMonths(c.n); got != c.want {
			t.Errorf("%v.AddMonths(%d) = %v, want %v", c.d, c.n, got, c.want)
		}
	}
}

func TestDateCompare(t *testing.T) {
	cases := []struct {
		a, b Date
		want int
	}{
		{Date{2026, 3, 10}, Date{2026, 3, 10}, 0},
		{Date{2026, 3, 9}, Date{2026, 3, 10}, -1},
		{Date{2026, 3, 11}, Date{2026, 3, 10}, 1},
		{Date{2026, 2, 28}, Date{2026, 3, 1}, -1},
		{Date{2026, 12, 31}, Date{2027, 1, 1}, -1},
		{Date{2027, 1, 1}, Date{2026, 12, 31}, 1},
		{Date{2026, 1, 31}, Date{2026, 2, 1}, -1}, // day larger but month smaller
		{Date{}, Date{2026, 1, 1}, -1},
	}
	for _, c := range cases {
		if got := c.a.Compare(c.b); got != c.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := c.b.Compare(c.a); got != -c.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", c.b, c.a, got, -c.want)
		}
		if got := c.a.Before(c.b); got != (c.want < 0) {
			t.Errorf("%v.Before(%v) = %v", c.a, c.b, got)
		}
		if got := c.a.After(c.b); got != (c.want > 0) {
			t.Errorf("%v.After(%v) = %v", c.a, c.b, got)
		}
	}
}

func TestDaysUntil(t *testing.T) {
	cases := []struct {
		from, to Date
		want     int
	}{
		{Date{2026, 3, 10}, Date{2026, 3, 10}, 0},
		{Date{2026, 3, 10}, Date{2026, 3, 11}, 1},
		{Date{2026, 3, 11}, Date{2026, 3, 10}, -1},
		{Date{2026, 2, 28}, Date{2026, 3, 1}, 1},
		{Date{2028, 2, 28}, Date{2028, 3, 1}, 2},
		{Date{2026, 1, 1}, Date{2027, 1, 1}, 365},
		{Date{2028, 1, 1}, Date{2029, 1, 1}, 366},
		{Date{2027, 1, 1}, Date{2026, 1, 1}, -365},
		{Date{2026, 12, 31}, Date{2027, 1, 1}, 1},
		// Across both European DST changes of 2026 (29 March, 25 October).
		{Date{2026, 3, 28}, Date{2026, 3, 30}, 2},
		{Date{2026, 3, 1}, Date{2026, 4, 1}, 31},
		{Date{2026, 10, 24}, Date{2026, 10, 26}, 2},
		{Date{2026, 10, 1}, Date{2026, 11, 1}, 31},
		{Date{2026, 11, 1}, Date{2026, 10, 1}, -31},
	}
	for _, c := range cases {
		if got := c.from.DaysUntil(c.to); got != c.want {
			t.Errorf("%v.DaysUntil(%v) = %d, want %d", c.from, c.to, got, c.want)
		}
		if got := c.from.AddDays(c.want); got != c.to {
			t.Errorf("%v.AddDays(%d) = %v, want %v (DaysUntil and AddDays disagree)", c.from, c.want, got, c.to)
		}
	}
}

// TestBoundsBerlinDST walks every day of a year in a zone with daylight
// saving: each day's bounds must cover exactly that day, the two change days
// are 23 and 25 hours long, and DaysUntil counts calendar days even though
// the wall-clock distance between the days' starts is not a multiple of 24h.
func TestBoundsBerlinDST(t *testing.T) {
	ber := mustZone(t, "Europe/Berlin")
	spring, autumn := Date{2026, 3, 29}, Date{2026, 10, 25}
	first := Date{2026, 1, 1}
	for d := first; d.Year == 2026; d = d.AddDays(1) {
		start, end := d.Bounds(ber)
		want := 24 * time.Hour
		switch d {
		case spring:
			want = 23 * time.Hour
		case autumn:
			want = 25 * time.Hour
		}
		if got := end.Sub(start); got != want {
			t.Errorf("%v.Bounds(Berlin) is %v long, want %v", d, got, want)
		}
		if h, m, s := start.Clock(); h != 0 || m != 0 || s != 0 {
			t.Errorf("%v.Bounds(Berlin) starts at %s, want midnight", d, start)
		}
		if got := DateOf(start, ber); got != d {
			t.Errorf("DateOf(start of %v) = %v", d, got)
		}
		if got := DateOf(end.Add(-time.Nanosecond), ber); got != d {
			t.Errorf("DateOf(last instant of %v) = %v", d, got)
		}
		if got := DateOf(end, ber); got != d.AddDays(1) {
			t.Errorf("DateOf(end of %v) = %v, want next day", d, got)
		}
		if got := d.DaysUntil(DateOf(end, ber)); got != 1 {
			t.Errorf("%v.DaysUntil(next day via Bounds) = %d", d, got)
		}
		if got, want := first.DaysUntil(d), d.In(time.UTC).YearDay()-1; got != want {
			t.Errorf("%v.DaysUntil(%v) = %d, want %d", first, d, got, want)
		}
	}
	// The wall-clock distance from 1 March to 1 April in Berlin is an hour
	// short of 31 days; DaysUntil must not be fooled by it.
	mar, _ := Date{2026, 3, 1}.Bounds(ber)
	apr, _ := Date{2026, 4, 1}.Bounds(ber)
	if got := apr.Sub(mar); got != 31*24*time.Hour-time.Hour {
		t.Fatalf("Berlin 1 Mar → 1 Apr = %v; tzdata without DST?", got)
	}
	if got := (Date{2026, 3, 1}).DaysUntil(Date{2026, 4, 1}); got != 31 {
		t.Errorf("DaysUntil across spring DST = %d, want 31", got)
	}
	// A zone without DST: every day is 24 hours.
	msk := mustZone(t, "Europe/Moscow")
	for _, d := range []Date{spring, autumn} {
		if s, e := d.Bounds(msk); e.Sub(s) != 24*time.Hour {
			t.Errorf("%v.Bounds(Moscow) is %v long", d, e.Sub(s))
		}
	}
}

func TestDateInNilLocation(t *testing.T) {
	d := Date{2026, 3, 10}
	if got, want := d.In(nil), time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("In(nil) = %v, want %v", got, want)
	}
	s, e := d.Bounds(nil)
	if e.Sub(s) != 24*time.Hour || s.Location() != time.UTC {
		t.Errorf("Bounds(nil) = %v, %v", s, e)
	}
}

func TestSameDayOfYear(t *testing.T) {
	cases := []struct {
		name     string
		birthday Date
		today    Date
		want     bool
	}{
		{"same day", Date{1990, 3, 11}, Date{2026, 3, 11}, true},
		{"day before", Date{1990, 3, 11}, Date{2026, 3, 10}, false},
		{"same day other month", Date{1990, 3, 11}, Date{2026, 4, 11}, false},
		{"same month other day", Date{1990, 3, 11}, Date{2026, 3, 12}, false},
		{"29 Feb celebrated on 28 Feb in a common year", Date{2000, 2, 29}, Date{2027, 2, 28}, true},
		{"29 Feb not on 1 Mar in a common year", Date{2000, 2, 29}, Date{2027, 3, 1}, false},
		{"29 Feb on 29 Feb in a leap year", Date{2000, 2, 29}, Date{2028, 2, 29}, true},
		{"29 Feb not on 28 Feb in a leap year", Date{2000, 2, 29}, Date{2028, 2, 28}, false},
		{"29 Feb on 28 Feb 2100 (not leap)", Date{2000, 2, 29}, Date{2100, 2, 28}, true},
		{"29 Feb on 29 Feb 2000 (leap)", Date{1996, 2, 29}, Date{2000, 2, 29}, true},
		{"29 Feb not on 28 Feb 2000 (leap)", Date{1996, 2, 29}, Date{2000, 2, 28}, false},
		{"28 Feb birthday on 28 Feb in a leap year", Date{1990, 2, 28}, Date{2028, 2, 28}, true},
		{"28 Feb birthday not on 29 Feb", Date{1990, 2, 28}, Date{2028, 2, 29}, false},
		{"28 Feb birthday in a common year", Date{1990, 2, 28}, Date{2027, 2, 28}, true},
		{"31 Dec", Date{1990, 12, 31}, Date{2026, 12, 31}, true},
		{"1 Jan", Date{1990, 1, 1}, Date{2026, 1, 1}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.birthday.SameDayOfYear(c.today); got != c.want {
				t.Errorf("%v.SameDayOfYear(%v) = %v, want %v", c.birthday, c.today, got, c.want)
			}
		})
	}
}

func TestDateStringShort(t *testing.T) {
	cases := []struct {
		d            Date
		iso, display string
	}{
		{Date{}, "", ""},
		{Date{2026, 11, 22}, "2026-11-22", "22.11.2026"},
		{Date{2026, 1, 2}, "2026-01-02", "02.01.2026"},
		{Date{2028, 2, 29}, "2028-02-29", "29.02.2028"},
		{Date{987, 3, 4}, "0987-03-04", "04.03.0987"},
	}
	for _, c := range cases {
		if got := c.d.String(); got != c.iso {
			t.Errorf("%#v.String() = %q, want %q", c.d, got, c.iso)
		}
		if got := c.d.Short(); got != c.display {
			t.Errorf("%#v.Short() = %q, want %q", c.d, got, c.display)
		}
	}
}

func TestParseDate(t *testing.T) {
	good := []struct {
		in   string
		want Date
	}{
		{"2026-11-22", Date{2026, 11, 22}},
		{"22.11.2026", Date{2026, 11, 22}},
		{"22.11.26", Date{2026, 11, 22}},
		{"22/11/2026", Date{2026, 11, 22}},
		{"  22.11.2026\t", Date{2026, 11, 22}},
		{"\n2026-11-22 ", Date{2026, 11, 22}},
		{"01.02.2026", Date{2026, 2, 1}},
		{"1.2.2026", Date{2026, 2, 1}},
		{"1.02.2026", Date{2026, 2, 1}},
		{"01.2.2026", Date{2026, 2, 1}},
		{"1.2.26", Date{2026, 2, 1}},
		{"01.02.26", Date{2026, 2, 1}},
		{"15.03.85", Date{1985, 3, 15}},
		{"29.02.2028", Date{2028, 2, 29}},
		{"2028-02-29", Date{2028, 2, 29}},
		{"31.12.1999", Date{1999, 12, 31}},
		{"01/01/2000", Date{2000, 1, 1}},
	}
	for _, c := range good {
		got, err := ParseDate(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []string{
		"", "   ", "abc", "today",
		"2026-02-30", "2026-13-01", "2026-00-10", "2026-11-00",
		"29.02.2027", "31.04.2026", "32.01.2026", "22.13.2026", "00.11.2026",
		"22.11", "22.11.", "22.11.2026.", "22..11.2026",
		"22-11-2026", "2026/11/22", "2026.11.22",
		"22.11.2026 10:00", "2026-11-22T00:00:00Z",
		"22.11.026", "22.11.20266", "+22.11.2026", "-22.11.2026",
		"22.11.2026\x1b[31m",
	}
	for _, s := range bad {
		got, err := ParseDate(s)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", s, got)
		}
		if !got.IsZero() {
			t.Errorf("ParseDate(%q) returned %v with its error, want the zero date", s, got)
		}
	}
}

func TestParseDateRoundTrip(t *testing.T) {
	for d := (Date{2027, 12, 25}); d.Year < 2029; d = d.AddDays(3) {
		for _, s := range []string{d.String(), d.Short()} {
			if got, err := ParseDate(s); err != nil || got != d {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", s, got, err, d)
			}
		}
	}
}

func TestADayWithoutItsYear(t *testing.T) {
	d := NoYear(time.March, 14)
	if d.IsZero() || d.HasYear() || d.Short() != "14.03" || d.String() != "--03-14" {
		t.Fatalf("%#v: zero %v, year %v, %q %q", d, d.IsZero(), d.HasYear(), d.Short(), d.String())
	}
	if strings.Contains(d.Short(), "1900") || strings.Contains(d.Short(), "0000") {
		t.Fatalf("a year was printed: %q", d.Short())
	}
	if !d.SameDayOfYear(NewDate(2026, time.March, 14)) || d.SameDayOfYear(NewDate(2026, time.March, 15)) {
		t.Fatal("the birthday is not told by its day")
	}
	// 29 February without a year is still celebrated on the 28th.
	if !NoYear(time.February, 29).SameDayOfYear(NewDate(2027, time.February, 28)) {
		t.Fatal("29 February in a common year")
	}
	if !NewDate(1984, time.April, 11).HasYear() {
		t.Fatal("a full date has no year")
	}
}
