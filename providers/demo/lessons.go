package demo

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// maxSpan bounds a timetable request: a year and a little, the most a desk
// ever shows, so a typo in a date cannot make the club invent decades.
const maxSpan = 400 * 24 * time.Hour

// Lessons lists the lessons starting in [from, to), by start time.
func (c *Club) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	const op = "lessons"
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return []models.Lesson{}, nil
	}
	if to.Sub(from) > maxSpan {
		return nil, fail(providers.ErrValidation, op, "Слишком длинный период: не больше 400 дней")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []models.Lesson{}
	last := models.DateOf(to.Add(-time.Nanosecond), c.loc)
	for d := models.DateOf(from, c.loc); !d.After(last); d = d.AddDays(1) {
		for _, l := range c.day(d).lessons {
			if !l.Start.Before(from) && l.Start.Before(to) {
				out = append(out, l.Lesson)
			}
		}
	}
	return out, nil
}

// Roster lists a lesson's bookings: those holding a place first, then the
// cancelled ones, each by name.
func (c *Club) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	const op = "roster"
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.findLesson(lessonID)
	if l == nil {
		return nil, fail(providers.ErrNotFound, op, "Занятие %s не найдено", lessonID)
	}
	out := make([]models.Booking, 0, len(l.bookings))
	for _, b := range l.bookings {
		out = append(out, c.public(l, b))
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int {
		return cmp.Or(cmp.Compare(a.Status, b.Status), strings.Compare(a.ClientName, b.ClientName))
	})
	return out, nil
}

// Book puts a client into a lesson.
func (c *Club) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	const op = "book"
	if err := c.begin(ctx, op); err != nil {
		return models.Booking{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.findLesson(lessonID)
	if l == nil {
		return models.Booking{}, fail(providers.ErrNotFound, op, "Занятие %s не найдено", lessonID)
	}
	cl, err := c.lookup(op, clientID)
	if err != nil {
		return models.Booking{}, err
	}
	switch {
	case l.Cancelled:
		return models.Booking{}, fail(providers.ErrValidation, op, "Занятие «%s» %s отменено", l.Title, c.when(l))
	case !l.End.After(c.now()):
		return models.Booking{}, fail(providers.ErrValidation, op, "Занятие «%s» %s уже закончилось", l.Title, c.when(l))
	case l.active(cl.idx) != nil:
		return models.Booking{}, fail(providers.ErrAlreadyBooked, op, "%s уже в списке на «%s» %s",
			cl.ShortName(), l.Title, c.when(l))
	case l.Full():
		return models.Booking{}, fail(providers.ErrLessonFull, op, "Занятие заполнено: %d из %d", l.Booked, l.Capacity)
	}
	c.ensureHistory(cl)
	b := l.add(cl.idx, models.Booked)
	b.due = c.dropIn(cl, models.DateOf(l.Start, c.loc))
	return c.public(l, b), nil
}

// when is a lesson's date and time as the CRM words it: 22.11 в 19:00.
func (c *Club) when(l *lesson) string {
	return l.Start.In(c.loc).Format("02.01 в 15:04")
}

// CancelBooking frees the place; late records a cancellation inside the
// club's cut-off, which the club may charge for.
func (c *Club) CancelBooking(ctx context.Context, bookingID string, late bool) error {
	const op = "cancel booking"
	if err := c.begin(ctx, op); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l, b := c.findBooking(bookingID)
	switch {
	case b == nil:
		return fail(providers.ErrNotFound, op, "Запись %s не найдена", bookingID)
	case b.status != models.Booked:
		return fail(providers.ErrValidation, op, "Запись уже отменена")
	case b.att == models.Attended:
		return fail(providers.ErrValidation, op, "Клиент уже отмечен на занятии: сначала снимите отметку")
	case !l.End.After(c.now()):
		return fail(providers.ErrValidation, op, "Занятие «%s» %s уже закончилось", l.Title, c.when(l))
	}
	b.status = models.Cancelled
	if late {
		b.status = models.LateCancelled
	}
	l.Booked--
	return nil
}

// MarkAttendance records whether a booked client came; Expected undoes a
// mark.
func (c *Club) MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error {
	const op = "mark attendance"
	if err := c.begin(ctx, op); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, b := c.findBooking(bookingID)
	switch {
	case b == nil:
		return fail(providers.ErrNotFound, op, "Запись %s не найдена", bookingID)
	case a != models.Expected && a != models.Attended && a != models.NoShow:
		return fail(providers.ErrValidation, op, "Неизвестная отметка посещения")
	case b.status != models.Booked:
		return fail(providers.ErrValidation, op, "Запись отменена: отметить посещение нельзя")
	}
	b.att = a
	return nil
}

// CheckIn lets a client in. It takes a visit from the membership asked for
// or, when none is named, from the usable one that ends first; a membership
// that starts on the first visit starts today. A blocked card or no usable
// membership is refused unless the receptionist gave an override reason,
// in which case the visit is recorded without taking from a membership.
func (c *Club) CheckIn(ctx context.Context, in models.CheckIn) (models.Visit, error) {
	const op = "check in"
	if err := c.begin(ctx, op); err != nil {
		return models.Visit{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := c.lookup(op, in.ClientID)
	if err != nil {
		return models.Visit{}, err
	}
	c.ensureHistory(cl)
	now := c.now()
	today := models.DateOf(now, c.loc)
	override := strings.TrimSpace(in.Override) != ""

	var l *lesson
	var b *booking
	if in.BookingID != "" {
		l, b = c.findBooking(in.BookingID)
		switch {
		case b == nil:
			return models.Visit{}, fail(providers.ErrNotFound, op, "Запись %s не найдена", in.BookingID)
		case b.ci != cl.idx:
			return models.Visit{}, fail(providers.ErrValidation, op, "Запись %s сделана на другого клиента", in.BookingID)
		case b.status != models.Booked:
			return models.Visit{}, fail(providers.ErrValidation, op, "Запись на «%s» отменена", l.Title)
		}
	}
	if cl.Blocked && !override {
		return models.Visit{}, fail(providers.ErrValidation, op, "Вход запрещён. %s", cl.BlockReason)
	}
	mi := -1
	if in.MembershipID != "" {
		mi = slices.IndexFunc(cl.ms, func(m models.Membership) bool { return m.ID == in.MembershipID })
		if mi < 0 {
			return models.Visit{}, fail(providers.ErrNotFound, op, "Абонемент %s у клиента не найден", in.MembershipID)
		}
		if m := cl.ms[mi]; !m.Usable(today) {
			if !override {
				return models.Visit{}, fail(providers.ErrValidation, op, "%s", unusable(m, today))
			}
			mi = -1
		}
	} else if mi = bestMembership(cl.ms, today); mi < 0 && !override {
		return models.Visit{}, fail(providers.ErrValidation, op, "%s", noMembership(cl.ms, today))
	}
	v, undo := c.admit(cl, mi, l, b, now)
	if c.admitted == nil {
		c.admitted = map[string]admission{}
	}
	c.admitted[v.ID] = undo
	return v, nil
}

// admit records a visit at the given instant, taking it from membership mi
// (none when mi < 0) and marking the booking, if any, attended; the
// admission says what it changed.
func (c *Club) admit(cl *client, mi int, l *lesson, b *booking, at time.Time) (models.Visit, admission) {
	v := models.Visit{At: at}
	var undo admission
	if mi >= 0 {
		m := &cl.ms[mi]
		undo.membership, undo.before = m.ID, *m
		if m.State == models.StateNotStarted {
			m.State = models.StateActive
			if m.Start.IsZero() {
				m.Start = models.DateOf(at, c.loc)
			}
			if m.End.IsZero() {
				if p, ok := c.plan(m.PlanID); ok {
					m.End = p.EndFor(m.Start)
				}
			}
		}
		if !m.Unlimited {
			m.VisitsLeft--
		}
		v.MembershipID = m.ID
	}
	if b != nil {
		v.LessonID, v.LessonTitle = l.ID, l.Title
		undo.booking, undo.att = b, b.att
		b.att = models.Attended
	}
	vs := []models.Visit{v}
	c.addVisits(cl, vs)
	return vs[0], undo
}

// bestMembership is the usable membership that ends first, so nothing the
// client paid for expires unused (as models.Judge picks it); -1 when none.
func bestMembership(ms []models.Membership, today models.Date) int {
	best := -1
	for i, m := range ms {
		if !m.Usable(today) {
			continue
		}
		if best < 0 || !m.End.IsZero() && (ms[best].End.IsZero() || m.End.Before(ms[best].End)) {
			best = i
		}
	}
	return best
}

// unusable says why a membership cannot be used today.
func unusable(m models.Membership, today models.Date) string {
	switch st := m.EffectiveState(today); {
	case st == models.StateFrozen:
		return "Абонемент «" + m.Title + "» заморожен до " + m.FrozenUntil.Short()
	case st == models.StateExpired:
		return "Абонемент «" + m.Title + "» закончился " + m.End.Short()
	case m.Start.After(today):
		return "Абонемент «" + m.Title + "» начнёт действовать " + m.Start.Short()
	case !m.HasVisits():
		return "По абонементу «" + m.Title + "» не осталось посещений"
	}
	return "Абонемент «" + m.Title + "» сейчас не действует"
}

// noMembership says why a client has nothing to come in on: the membership
// that explains most (frozen, not started, used up) or the latest to end.
func noMembership(ms []models.Membership, today models.Date) string {
	if len(ms) == 0 {
		return "Нет действующего абонемента"
	}
	for _, m := range ms {
		st := m.EffectiveState(today)
		if st == models.StateFrozen || st != models.StateExpired && (m.Start.After(today) || !m.HasVisits()) {
			return unusable(m, today)
		}
	}
	latest := ms[0]
	for _, m := range ms[1:] {
		if m.End.After(latest.End) {
			latest = m
		}
	}
	return unusable(latest, today)
}
