package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// todays returns today's lessons.
func todays(t *testing.T, c *Club) []models.Lesson {
	t.Helper()
	from, to := models.DateOf(testNow, moscow).Bounds(moscow)
	ls, err := c.Lessons(bg, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// lessonWhere returns the first of today's lessons that ok accepts.
func lessonWhere(t *testing.T, c *Club, ok func(models.Lesson) bool) models.Lesson {
	t.Helper()
	for _, l := range todays(t, c) {
		if ok(l) {
			return l
		}
	}
	t.Fatal("no such lesson today")
	return models.Lesson{}
}

func TestBook(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 500})
	full := lessonWhere(t, c, models.Lesson.Full)
	_, err := c.Book(bg, full.ID, idNew)
	if pe := wantKind(t, err, providers.ErrLessonFull); !strings.Contains(pe.Message, "заполнено") {
		t.Errorf("message %q", pe.Message)
	}

	open := lessonWhere(t, c, func(l models.Lesson) bool { return !l.Full() && l.Start.After(testNow) && !l.Cancelled })
	b, err := c.Book(bg, open.ID, idNew)
	if err != nil {
		t.Fatal(err)
	}
	if b.Lesson.Booked != open.Booked+1 || b.ClientName != "Новосёлов Кирилл" || b.Status != models.Booked || b.ID == "" {
		t.Errorf("booking %+v", b)
	}
	_, err = c.Book(bg, open.ID, idNew)
	wantKind(t, err, providers.ErrAlreadyBooked)

	past := lessonWhere(t, c, func(l models.Lesson) bool { return !l.End.After(testNow) })
	_, err = c.Book(bg, past.ID, idNew)
	wantKind(t, err, providers.ErrValidation)
	c.findLesson(open.ID).Cancelled = true // as a CRM may report
	_, err = c.Book(bg, open.ID, idExpired)
	wantKind(t, err, providers.ErrValidation)
	c.findLesson(open.ID).Cancelled = false
	_, err = c.Book(bg, "L20261122-77", idNew)
	wantKind(t, err, providers.ErrNotFound)
	_, err = c.Book(bg, open.ID, "10")
	wantKind(t, err, providers.ErrNotFound)

	// The roster and the client's bookings see it.
	r, _ := c.Roster(bg, open.ID)
	if !strings.Contains(bookingIDs(r), b.ID) {
		t.Errorf("roster %s lacks %s", bookingIDs(r), b.ID)
	}
	bs, _ := c.ClientBookings(bg, idNew, testNow, testNow.Add(24*time.Hour))
	if len(bs) != 1 || bs[0].ID != b.ID {
		t.Errorf("client bookings %+v", bs)
	}

	// Cancelling frees the place, and the client may book again.
	if err := c.CancelBooking(bg, b.ID, true); err != nil {
		t.Fatal(err)
	}
	r, _ = c.Roster(bg, open.ID)
	ls := todays(t, c)
	for _, l := range ls {
		if l.ID == open.ID && l.Booked != open.Booked {
			t.Errorf("after cancelling, Booked %d, want %d", l.Booked, open.Booked)
		}
	}
	if last := r[len(r)-1]; last.ID != b.ID || last.Status != models.LateCancelled {
		t.Errorf("the cancelled booking is %+v", last)
	}
	wantKind(t, c.CancelBooking(bg, b.ID, false), providers.ErrValidation)
	wantKind(t, c.CancelBooking(bg, "B20261122-01-99", false), providers.ErrNotFound)
	if _, err := c.Book(bg, open.ID, idNew); err != nil {
		t.Errorf("booking again after cancelling: %v", err)
	}

	// A place freed in the full lesson can be taken.
	r, _ = c.Roster(bg, full.ID)
	if err := c.CancelBooking(bg, r[0].ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Book(bg, full.ID, idNew); err != nil {
		t.Errorf("booking the freed place: %v", err)
	}
	_, err = c.Book(bg, full.ID, idExpired)
	wantKind(t, err, providers.ErrLessonFull)
}

func bookingIDs(bs []models.Booking) string {
	var ids []string
	for _, b := range bs {
		ids = append(ids, b.ID)
	}
	return strings.Join(ids, " ")
}

func TestMarkAttendance(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 500})
	l := lessonWhere(t, c, func(l models.Lesson) bool { return l.Booked > 1 && l.Start.After(testNow) })
	r, _ := c.Roster(bg, l.ID)
	id := r[0].ID
	for _, a := range []models.Attendance{models.Attended, models.NoShow, models.Expected} {
		if err := c.MarkAttendance(bg, id, a); err != nil {
			t.Fatal(err)
		}
		r, _ := c.Roster(bg, l.ID)
		for _, b := range r {
			if b.ID == id && b.Attendance != a {
				t.Errorf("after marking %d, attendance is %d", a, b.Attendance)
			}
		}
	}
	wantKind(t, c.MarkAttendance(bg, "B20261122-01-99", models.Attended), providers.ErrNotFound)
	wantKind(t, c.MarkAttendance(bg, id, models.Attendance(9)), providers.ErrValidation)
	if err := c.CancelBooking(bg, id, false); err != nil {
		t.Fatal(err)
	}
	wantKind(t, c.MarkAttendance(bg, id, models.Attended), providers.ErrValidation)
}

func TestCheckIn(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 500})
	today := models.DateOf(testNow, moscow)
	// Зеленина has a booking at midday; she checks in for it.
	from, to := today.Bounds(moscow)
	bs, _ := c.ClientBookings(bg, idGreen, from, to)
	before, _ := c.ShiftReport(bg, today)
	v, err := c.CheckIn(bg, models.CheckIn{ClientID: idGreen, BookingID: bs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if !v.At.Equal(testNow) || v.LessonID != bs[0].Lesson.ID || v.MembershipID == "" || v.ID == "" {
		t.Errorf("visit %+v", v)
	}
	bs, _ = c.ClientBookings(bg, idGreen, from, to)
	if bs[0].Attendance != models.Attended {
		t.Errorf("the booking is %+v, want attended", bs[0])
	}
	if vs, _ := c.Visits(bg, idGreen, from); len(vs) != 1 || vs[0].ID != v.ID {
		t.Errorf("visits today %+v", vs)
	}
	if verdict := judge(t, c, idGreen, testNow.Add(time.Minute)); verdict.Level != models.Yellow {
		t.Errorf("right after check-in: %v", codes(verdict))
	}
	if after, _ := c.ShiftReport(bg, today); after.CheckIns != before.CheckIns+1 {
		t.Errorf("check-ins %d → %d", before.CheckIns, after.CheckIns)
	}

	// A pack loses a visit; the last one leaves none.
	if _, err := c.CheckIn(bg, models.CheckIn{ClientID: idLastVisit}); err != nil {
		t.Fatal(err)
	}
	ms, _ := c.Memberships(bg, idLastVisit)
	if ms[0].VisitsLeft != 0 {
		t.Errorf("visits left %d, want 0", ms[0].VisitsLeft)
	}
	_, err = c.CheckIn(bg, models.CheckIn{ClientID: idLastVisit})
	wantKind(t, err, providers.ErrValidation)

	// Refusals, unless the receptionist overrides.
	for _, id := range []string{idExpired, idFrozen, idNew, idNoVisits, idNotStarted, idBlocked} {
		_, err := c.CheckIn(bg, models.CheckIn{ClientID: id})
		wantKind(t, err, providers.ErrValidation)
	}
	msBefore, _ := c.Memberships(bg, idExpired)
	v, err = c.CheckIn(bg, models.CheckIn{ClientID: idExpired, Override: "Продлит после тренировки"})
	if err != nil || v.MembershipID != "" {
		t.Errorf("override: %+v, %v", v, err)
	}
	msAfter, _ := c.Memberships(bg, idExpired)
	if msBefore[0].VisitsLeft != msAfter[0].VisitsLeft {
		t.Error("an overridden check-in took a visit from an expired membership")
	}
	_, err = c.CheckIn(bg, models.CheckIn{ClientID: idGreen, MembershipID: "M0"})
	wantKind(t, err, providers.ErrNotFound)
	_, err = c.CheckIn(bg, models.CheckIn{ClientID: idNew, BookingID: "B20261122-01-01"})
	wantKind(t, err, providers.ErrValidation)

	// A plan that starts on the first visit starts today.
	if _, err := c.Sell(bg, models.Sale{ClientID: idNew, Plan: plan(t, c, planPoolTen),
		Payments: []models.Payment{pay(models.PayCard, 5000)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CheckIn(bg, models.CheckIn{ClientID: idNew}); err != nil {
		t.Fatal(err)
	}
	ms, _ = c.Memberships(bg, idNew)
	m := ms[0]
	if m.State != models.StateActive || m.Start != today || m.End != today.AddMonths(2).AddDays(-1) || m.VisitsLeft != 9 {
		t.Errorf("after the first visit: %+v", m)
	}
}
