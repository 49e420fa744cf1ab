package screens

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

// calendarScreen lists a day's lessons. Opened from a client's card it is a
// picker: Enter books that client into the lesson.
type calendarScreen struct {
	base
	sh      *Common
	day     models.Date
	lessons []models.Lesson
	table   components.Table
	req     int
	err     string
	loaded  bool
	// forClient is set when booking a client from the card.
	forClient *models.Client
	bookReq   int
	// rooms says whether the table has a room column.
	rooms bool
	// The roster of the lesson the cursor rests on is read ahead, so that
	// Enter opens it at once: preSeq is the rest being waited for, preReq
	// the read in flight, pre the last roster read.
	preSeq    int
	preReq    int
	preLesson string
	pre       prefetchedRoster
	width     int
	height    int
}

// prefetchedRoster is a lesson's roster read ahead at at.
type prefetchedRoster struct {
	lessonID string
	at       time.Time
	bookings []models.Booking
}

// prefetchMsg fires when the cursor has rested on a lesson.
type prefetchMsg struct{ seq int }

const (
	// PrefetchDelay is how long the cursor rests before the roster is read
	// ahead: scrolling past lessons reads none of them.
	PrefetchDelay = 400 * time.Millisecond
	// PrefetchFresh is how old a roster read ahead may be to open without
	// a request of its own; F5 on the roster reads it again.
	PrefetchFresh = 30 * time.Second
)

func newCalendar(sh *Common, forClient *models.Client) *calendarScreen {
	s := &calendarScreen{sh: sh, day: sh.today(), forClient: forClient, rooms: true}
	s.table = components.NewTable(sh.th, calendarColumns(sh.tr, true)...)
	return s
}

// calendarColumns are the timetable's columns; a CRM whose lessons have no
// rooms (Go-CRM) gets no empty room column, and the instructors its width.
func calendarColumns(t *i18n.Texts, rooms bool) []components.Column {
	cols := []components.Column{{Title: t.ColTime, Width: 11}, {Title: t.ColLesson, Flex: 3, Min: 18, Max: 44}}
	if rooms {
		cols = append(cols, components.Column{Title: t.ColRoom, Flex: 2, Max: 24, Drop: 2})
	}
	return append(cols, components.Column{Title: t.ColInstructor, Flex: 3, Max: 32, Drop: 1}, components.Column{Title: t.ColPlaces, Width: 14, Right: true})
}

// NewCalendar is the club's timetable for today.
func NewCalendar(sh *Common) Screen { return newCalendar(sh, nil) }

func (s *calendarScreen) Init() Action { return s.load() }

func (s *calendarScreen) Kind() Kind {
	if s.forClient != nil {
		return KindBookFor
	}
	return KindCalendar
}

func (s *calendarScreen) peek() Snapshot {
	return Snapshot{Kind: s.Kind(), Lessons: s.lessons, Cursor: s.table.Cursor(), Loading: s.req != 0 || s.preReq != 0}
}

func (s *calendarScreen) Title() string {
	if s.forClient != nil {
		return s.sh.tr.Screen.BookFor + ": " + components.Clean(s.forClient.ShortName())
	}
	return s.sh.tr.Screen.Calendar
}

func (s *calendarScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.table.SetSize(w-2, max(h-3, 1))
}

func (s *calendarScreen) Help() []key.Binding {
	k := s.sh.keys
	open := k.Open
	if s.forClient != nil {
		open.SetHelp(open.Help().Key, s.sh.tr.KeyBook)
	}
	return []key.Binding{open, k.Up, k.PrevDay, k.NextDay, k.Today, k.Back}
}

func (s *calendarScreen) load() Action {
	prov := s.sh.prov
	from, to := s.day.Bounds(s.sh.loc)
	superseded := cancelRead(s.req)
	var a Action
	s.req, a = Run(s.sh, s, s.sh.tr.Screen.Calendar+" "+s.day.Short(), false,
		func(ctx context.Context) ([]models.Lesson, error) { return prov.Lessons(ctx, from, to) })
	return Then(superseded, a)
}

func (s *calendarScreen) Update(msg tea.Msg) Action {
	k := s.sh.keys
	switch msg := msg.(type) {
	case doneMsg[[]models.Lesson]:
		if !ours(&s.req, msg) {
			return nil
		}
		if msg.err != nil {
			s.err = s.sh.describe(msg.err)
			return nil
		}
		s.err = ""
		first := !s.loaded
		s.loaded = true
		s.setLessons(msg.val, first)
		return s.restPrefetch()
	case doneMsg[[]models.Booking]:
		if ours(&s.preReq, msg) && msg.err == nil {
			s.pre = prefetchedRoster{lessonID: s.preLesson, at: s.sh.now(), bookings: msg.val}
		}
		return nil
	case prefetchMsg:
		return s.prefetch(msg.seq)
	case doneMsg[models.Booking]:
		if !ours(&s.bookReq, msg) {
			return nil
		}
		if msg.err != nil {
			return Then(toast(models.Red, "%s", s.sh.describe(msg.err)), s.load())
		}
		b := msg.val
		return Then(Pop{Screen: s, Then: reloadMsg{}}, toast(models.Green, s.sh.tr.BookedOK,
			components.Clean(s.forClient.ShortName()), components.Clean(b.Lesson.Title), s.sh.clock(b.Lesson.Start)))
	case Refresh:
		// F5 asks again what the provider keeps for the session (Go-CRM's
		// instructors), then the day.
		if r, ok := providers.As[providers.Refresher](s.sh.prov); ok {
			r.Refresh(providers.RefreshTimetable)
		}
		return s.load()
	case reloadMsg:
		return s.load()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Back):
			return Pop{Screen: s, Then: reloadMsg{}}
		case s.sh.moveInList(&s.table, msg):
			return s.restPrefetch()
		case key.Matches(msg, k.PrevDay):
			return s.goTo(s.day.AddDays(-1))
		case key.Matches(msg, k.NextDay):
			return s.goTo(s.day.AddDays(1))
		case key.Matches(msg, k.Today):
			return s.goTo(s.sh.today())
		case key.Matches(msg, k.Open):
			return s.open()
		}
	}
	return nil
}

func (s *calendarScreen) goTo(d models.Date) Action {
	s.day, s.loaded, s.lessons = d, false, nil
	s.table.SetRows(nil)
	return s.load()
}

func (s *calendarScreen) selected() (models.Lesson, bool) {
	if len(s.lessons) == 0 {
		return models.Lesson{}, false
	}
	return s.lessons[s.table.Cursor()], true
}

func (s *calendarScreen) open() Action {
	l, ok := s.selected()
	if !ok {
		if !s.loaded && s.req != 0 {
			// Enter before the day came: it acts on nothing, and says so.
			return toast(models.Yellow, "%s", s.sh.tr.ListLoading)
		}
		return nil
	}
	if s.forClient == nil {
		if !s.sh.can(providers.CapRoster) {
			return s.sh.refuse(providers.CapRoster)
		}
		r := newRoster(s.sh, l)
		var superseded Action
		if s.pre.lessonID == l.ID && s.sh.now().Sub(s.pre.at) <= PrefetchFresh {
			r.preload(s.pre.bookings)
		} else {
			// The roster reads for itself; a read ahead still on its way
			// would be a second one.
			superseded = cancelRead(s.preReq)
			s.preReq = 0
		}
		return Then(superseded, Push{r})
	}
	if s.bookReq != 0 {
		return nil
	}
	if l.Full() {
		return toast(models.Red, s.sh.tr.LessonFullNow, l.Booked, l.Capacity)
	}
	prov, clientID := s.sh.prov, s.forClient.ID
	var a Action
	s.bookReq, a = Run(s.sh, s, s.sh.tr.KeyBook+": "+components.Clean(l.Title), true,
		func(ctx context.Context) (models.Booking, error) { return prov.Book(ctx, l.ID, clientID) })
	return a
}

// restPrefetch waits for the cursor to rest before reading its lesson's
// roster ahead (the timetable, not the booking picker).
func (s *calendarScreen) restPrefetch() Action {
	if s.forClient != nil || !s.sh.can(providers.CapRoster) || len(s.lessons) == 0 {
		return nil
	}
	s.preSeq++
	return cmd(s.sh.after(PrefetchDelay, prefetchMsg{s.preSeq}))
}

// prefetch reads the roster of the lesson the cursor rested on, unless it
// was read lately or is being read.
func (s *calendarScreen) prefetch(seq int) Action {
	l, ok := s.selected()
	if seq != s.preSeq || !ok || l.Cancelled {
		return nil
	}
	if s.pre.lessonID == l.ID && s.sh.now().Sub(s.pre.at) <= PrefetchFresh/2 {
		return nil
	}
	if s.preReq != 0 && s.preLesson == l.ID {
		return nil
	}
	superseded := cancelRead(s.preReq)
	prov, id := s.sh.prov, l.ID
	var a Action
	s.preLesson = id
	s.preReq, a = Run(s.sh, s, s.sh.tr.Screen.Roster+" "+components.Clean(l.Title), false,
		func(ctx context.Context) ([]models.Booking, error) { return prov.Roster(ctx, id) })
	return Then(superseded, a)
}

// setLessons fills the table; on the first load of today the cursor goes to
// the first lesson that has not ended, which is what the desk asks about.
func (s *calendarScreen) setLessons(ls []models.Lesson, first bool) {
	keep := ""
	if l, ok := s.selected(); ok {
		keep = l.ID
	}
	s.lessons = ls
	rooms := false
	for _, l := range ls {
		rooms = rooms || l.Room != ""
	}
	if len(ls) > 0 && rooms != s.rooms {
		s.rooms = rooms
		s.table = components.NewTable(s.sh.th, calendarColumns(s.sh.tr, rooms)...)
		s.table.SetSize(s.width-2, max(s.height-3, 1))
	}
	now := s.sh.now()
	rows := make([]components.Row, len(ls))
	next := -1
	for i, l := range ls {
		places := fmt.Sprintf("%d/%d", l.Booked, l.Capacity)
		if l.Capacity == 0 {
			places = fmt.Sprintf(s.sh.tr.PlacesBooked, l.Booked) // no capacity is claimed
		}
		var style *lipgloss.Style
		switch {
		case l.Cancelled:
			places = s.sh.tr.Cancelled
			style = &s.sh.th.Error
		case l.Full():
			places = s.sh.tr.PlacesFull + " " + places
			style = &s.sh.th.Warn
		case l.End.Before(now):
			style = &s.sh.th.Dim
		}
		if next == -1 && l.End.After(now) {
			next = i
		}
		cells := []string{s.sh.clock(l.Start) + "–" + s.sh.clock(l.End), components.Clean(l.Title)}
		if s.rooms {
			cells = append(cells, components.Clean(l.Room))
		}
		rows[i] = components.Row{Cells: append(cells, components.Clean(l.Instructor), places), Style: style}
	}
	s.table.SetRows(rows)
	switch {
	case first && s.day == s.sh.today() && next >= 0:
		s.table.SetCursor(next)
	case keep != "":
		// The lesson the cursor was on stays under it when the day is
		// read again: Enter opens what the receptionist looked at.
		for i, l := range ls {
			if l.ID == keep {
				s.table.SetCursor(i)
			}
		}
	}
}

func (s *calendarScreen) View() string {
	sh := s.sh
	var b strings.Builder
	day := sh.tr.LongDate(s.day.In(sh.loc))
	if s.day == sh.today() {
		day += " (" + sh.tr.Today + ")"
	}
	head := " " + sh.th.Title.Render("◀ "+day+" ▶")
	if s.req != 0 {
		head += sh.th.Dim.Render(" …")
	}
	b.WriteString(head + "\n")
	b.WriteString(sh.listStatus(s.width, s.err, s.loaded && len(s.lessons) == 0, sh.tr.NoLessons) + "\n")
	if len(s.lessons) > 0 {
		b.WriteString(s.table.Indented())
	}
	return b.String()
}
