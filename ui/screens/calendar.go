package screens

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
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
	// The picker's filter (by time or title), the lessons it shows (the
	// table's rows, by index into lessons), and the lessons of the day
	// the client is booked in already, as read for the day shown.
	filter   textinput.Model
	shown    []int
	booked   map[string]bool
	bookedOf models.Date
	mineReq  int
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
	if forClient != nil {
		s.filter = components.NewInput(sh.tr.Filter, 20)
		s.filter.Placeholder = sh.tr.R.PickFilter
		s.filter.Focus()
	}
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
	shown := make([]models.Lesson, 0, len(s.shown))
	for _, i := range s.shown {
		shown = append(shown, s.lessons[i])
	}
	return Snapshot{Kind: s.Kind(), Lessons: shown, Cursor: s.table.Cursor(), Loading: s.req != 0 || s.preReq != 0 || s.mineReq != 0,
		Query: s.filter.Value()}
}

// Typing: the picker's filter takes what is typed.
func (s *calendarScreen) Typing() bool { return s.forClient != nil }

func (s *calendarScreen) Title() string {
	if s.forClient != nil {
		return s.sh.tr.Screen.BookFor + ": " + components.Clean(s.forClient.ShortName())
	}
	return s.sh.tr.Screen.Calendar
}

func (s *calendarScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.table.SetSize(w-2, max(h-3, 1))
	s.filter.SetWidth(min(max(w-12, 8), 30))
}

func (s *calendarScreen) Help() []key.Binding {
	k := s.sh.keys
	open := k.Open
	if s.forClient != nil {
		// t is typed into the filter here.
		open.SetHelp(open.Help().Key, s.sh.tr.KeyBook)
		return []key.Binding{open, k.Up, k.PrevDay, k.NextDay, k.Back}
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
	return Then(superseded, a, s.loadMine())
}

// mineMsg is the client's bookings of the day the picker shows.
type mineMsg struct {
	day      models.Date
	bookings []models.Booking
}

// loadMine reads, for the picker, the client's bookings of the day shown,
// so that the lessons they are in already are marked.
func (s *calendarScreen) loadMine() Action {
	if s.forClient == nil {
		return nil
	}
	prov, id, day := s.sh.prov, s.forClient.ID, s.day
	from, to := day.Bounds(s.sh.loc)
	superseded := cancelRead(s.mineReq)
	var a Action
	s.mineReq, a = Run(s.sh, s, components.Clean(s.forClient.ShortName()), false, func(ctx context.Context) (mineMsg, error) {
		bs, err := prov.ClientBookings(ctx, id, from, to)
		return mineMsg{day: day, bookings: bs}, err
	})
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
	case doneMsg[mineMsg]:
		if !ours(&s.mineReq, msg) || msg.err != nil || msg.val.day != s.day {
			return nil // without it the lessons are unmarked, and the CRM refuses a double booking
		}
		s.booked, s.bookedOf = map[string]bool{}, msg.val.day
		for _, b := range msg.val.bookings {
			if b.Active() {
				s.booked[b.Lesson.ID] = true
			}
		}
		s.render()
		return nil
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
		case key.Matches(msg, k.Back) && s.filter.Value() != "":
			s.filter.SetValue("")
			s.render()
			return nil
		case key.Matches(msg, k.Back):
			return Pop{Screen: s, Then: reloadMsg{}}
		case s.sh.moveInList(&s.table, msg):
			return s.restPrefetch()
		case key.Matches(msg, k.PrevDay):
			return s.goTo(s.day.AddDays(-1))
		case key.Matches(msg, k.NextDay):
			return s.goTo(s.day.AddDays(1))
		case key.Matches(msg, k.Today) && s.forClient == nil:
			return s.goTo(s.sh.today())
		case key.Matches(msg, k.Open):
			return s.open()
		case s.forClient != nil:
			return typeInto(&s.filter, msg, s.render)
		}
	}
	return nil
}

func (s *calendarScreen) goTo(d models.Date) Action {
	s.day, s.loaded, s.lessons, s.shown, s.booked = d, false, nil, nil, nil
	s.table.SetRows(nil)
	return s.load()
}

func (s *calendarScreen) selected() (models.Lesson, bool) {
	if len(s.shown) == 0 {
		return models.Lesson{}, false
	}
	return s.lessons[s.shown[s.table.Cursor()]], true
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
	if s.booked[l.ID] {
		return toast(models.Yellow, s.sh.tr.AlreadyInRoster, components.Clean(s.forClient.ShortName()))
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
	s.render()
	now := s.sh.now()
	switch {
	case first && s.day == s.sh.today():
		for row, i := range s.shown {
			if s.lessons[i].End.After(now) {
				s.table.SetCursor(row)
				break
			}
		}
	case keep != "":
		// The lesson the cursor was on stays under it when the day is
		// read again: Enter opens what the receptionist looked at.
		s.keepCursorOn(keep)
	}
}

func (s *calendarScreen) keepCursorOn(id string) {
	for row, i := range s.shown {
		if s.lessons[i].ID == id {
			s.table.SetCursor(row)
		}
	}
}

// matches reports whether the picker's filter q takes lesson l: part of its
// title (typed in either layout), or the start of its time — "12", "12:3",
// "930" and "09:30" all find 09:30 and 12:30 as they should.
func (s *calendarScreen) matches(l models.Lesson, q string) bool {
	if q == "" {
		return true
	}
	title := strings.ToLower(components.Clean(l.Title))
	if strings.Contains(title, q) || strings.Contains(title, models.RussianLayout(q)) {
		return true
	}
	digits := strings.NewReplacer(":", "", ".", "", "-", "").Replace(q)
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	at := strings.ReplaceAll(s.sh.clock(l.Start), ":", "")
	return strings.HasPrefix(at, digits) || strings.HasPrefix(strings.TrimPrefix(at, "0"), digits)
}

// render builds the rows of the lessons the filter lets through, keeping
// the cursor on the lesson it was on where it still shows.
func (s *calendarScreen) render() {
	keep := ""
	if l, ok := s.selected(); ok {
		keep = l.ID
	}
	q := strings.ToLower(strings.TrimSpace(s.filter.Value()))
	now := s.sh.now()
	s.shown = s.shown[:0]
	var rows []components.Row
	for i, l := range s.lessons {
		if !s.matches(l, q) {
			continue
		}
		s.shown = append(s.shown, i)
		places := fmt.Sprintf("%d/%d", l.Booked, l.Capacity)
		if l.Capacity == 0 {
			places = fmt.Sprintf(s.sh.tr.PlacesBooked, l.Booked) // no capacity is claimed
		}
		var style *lipgloss.Style
		switch {
		case l.Cancelled:
			places = s.sh.tr.Cancelled
			style = &s.sh.th.Error
		case s.booked[l.ID]:
			// The client is in it already: said on the row, not found
			// out from the CRM's refusal.
			places = "✔ " + s.sh.tr.R.AlreadyBooked
			style = &s.sh.th.OK
		case l.Full():
			places = s.sh.tr.PlacesFull + " " + places
			style = &s.sh.th.Warn
		case l.End.Before(now):
			style = &s.sh.th.Dim
		}
		cells := []string{s.sh.clock(l.Start) + "–" + s.sh.clock(l.End), components.Clean(l.Title)}
		if s.rooms {
			cells = append(cells, components.Clean(l.Room))
		}
		rows = append(rows, components.Row{Cells: append(cells, components.Clean(l.Instructor), places), Style: style})
	}
	s.table.SetRows(rows)
	if keep != "" {
		s.keepCursorOn(keep)
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
	status := sh.listStatus(s.width, s.err, s.loaded && len(s.lessons) == 0, sh.tr.NoLessons)
	if s.forClient != nil && status == "" {
		status = " " + s.filter.View()
		if len(s.shown) == 0 && len(s.lessons) > 0 {
			status += sh.th.Dim.Render("  " + fmt.Sprintf(sh.tr.PlanNone, components.Clean(s.filter.Value())))
		}
	}
	b.WriteString(status + "\n")
	if len(s.shown) > 0 {
		b.WriteString(s.table.Indented())
	}
	return b.String()
}
