package models

import "testing"

func TestLessonPlaces(t *testing.T) {
	cases := []struct {
		name string
		l    Lesson
		full bool
		free int
	}{
		{"no limit", Lesson{Capacity: 0, Booked: 40}, false, -1},
		{"empty", Lesson{Capacity: 12}, false, 12},
		{"some booked", Lesson{Capacity: 12, Booked: 5}, false, 7},
		{"one place left", Lesson{Capacity: 12, Booked: 11}, false, 1},
		{"full", Lesson{Capacity: 12, Booked: 12}, true, 0},
		{"overbooked", Lesson{Capacity: 12, Booked: 14}, true, 0},
	}
	for _, c := range cases {
		if got := c.l.Full(); got != c.full {
			t.Errorf("%s: Full = %v, want %v", c.name, got, c.full)
		}
		if got := c.l.Free(); got != c.free {
			t.Errorf("%s: Free = %d, want %d", c.name, got, c.free)
		}
	}
}

func TestBookingActive(t *testing.T) {
	cases := []struct {
		s    BookingStatus
		want bool
	}{
		{Booked, true},
		{Cancelled, false},
		{LateCancelled, false},
	}
	for _, c := range cases {
		if got := (Booking{Status: c.s}).Active(); got != c.want {
			t.Errorf("Booking{Status: %v}.Active() = %v, want %v", c.s, got, c.want)
		}
	}
}
