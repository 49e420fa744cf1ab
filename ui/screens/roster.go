package screens

import (
	"context"
	"errors"
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

// markDone reports a confirmed attendance mark or cancellation.
type markDone struct {
	bookingID string
	mark      models.Attendance
	cancel    bool
	late      bool
}

type rosterMode int

const (
	rosterNormal rosterMode = iota
	rosterConfirmCancel
	rosterConfirmLate
	// rosterConfirmVisit: a mark the CRM would put on every booking of the
	// visit (YCLIENTS), asked before it is sent so.
	rosterConfirmVisit
	// rosterConfirmAll: "all came", naming how many it marks.
	rosterConfirmAll
	// rosterConfirmEarly: a mark more than an hour before the lesson.
	rosterConfirmEarly
	// rosterConfirmAdd: a scanned card whose client is not on the list.
	rosterConfirmAdd
)

// earlyMark is how long before its lesson a mark is questioned: someone
// marked "came" that early is likely on the wrong lesson.
const earlyMark = time.Hour

// cardFoundMsg answers the lookup of a card scanned on the roster.
type cardFoundMsg struct {
	tag    string
	client models.Client
}

// rosterScreen is a lesson's list: who is booked and who came.
type rosterScreen struct {
	base
	sh       *Common
	lesson   models.Lesson
	bookings []models.Booking
	table    components.Table
	req      int
	err      string
	loaded   bool
	mode     rosterMode
	// asked is the booking a cancellation question is about: the answer
	// acts on it only, even if the list was read again meanwhile.
	asked string
	// visitMark is the mark asked for the whole visit, and what the CRM
	// said the visit holds.
	visitMark  models.Attendance
	visitWords string
	// writes maps a write in flight to the booking it touches; one write per
	// booking at a time, so a double key press cannot mark twice. then is
	// the mark pressed for a booking while its write was on its way, sent
	// once that write is answered.
	writes map[int]string
	then   map[string]models.Attendance
	// markOnBook marks the client attended once the booking made for them
	// (a walk-in) is confirmed.
	bookReq    int
	markOnBook bool
	// leads are walk-ins the CRM saved as requests, shown under the list.
	leads []models.Client
	// scans are the lookups of cards scanned here, each answered in turn
	// (a queue at the door scans one after another); scanned is the client
	// the question to add is about.
	scans   map[int]bool
	scanned models.Client
	// allCount is how many "all came" would mark, as the question said;
	// earlyOK says an early mark was confirmed once for this roster.
	allCount int
	earlyOK  bool
	// placed says the cursor was put on the first row to mark, once.
	placed bool
	// withDue adds the payment column: some booking is paid per visit.
	withDue bool
	width   int
	height  int
}

func newRoster(sh *Common, l models.Lesson) *rosterScreen {
	s := &rosterScreen{sh: sh, lesson: l, writes: map[int]string{}, then: map[string]models.Attendance{}, scans: map[int]bool{}}
	s.table = s.newTable()
	return s
}

func (s *rosterScreen) newTable() components.Table {
	sh := s.sh
	cols := []components.Column{
		{Title: sh.tr.ColNo, Width: 3, Right: true},
		{Title: sh.tr.ColName, Flex: 1, Min: 22, Max: 44},
		{Title: sh.tr.ColPhone, Width: 16, Drop: 1},
		{Title: sh.tr.ColStatus, Width: 15},
	}
	if s.withDue {
		cols = append(cols, components.Column{Title: sh.tr.ColDue, Width: 10, Right: true})
	}
	return components.NewTable(sh.th, cols...)
}

// Init reads the roster, unless the timetable read it ahead (preload).
func (s *rosterScreen) Init() Action {
	if s.loaded {
		return nil
	}
	return s.load()
}

// preload shows bookings the timetable read a moment ago, so the roster
// opens without waiting; F5 reads it again.
func (s *rosterScreen) preload(bs []models.Booking) {
	s.loaded = true
	s.setBookings(bs)
}

func (s *rosterScreen) Title() string {
	return s.sh.tr.Screen.Roster + ": " + components.Clean(s.lesson.Title) + " " + s.sh.clock(s.lesson.Start)
}

func (s *rosterScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.table.SetSize(w-2, max(h-3, 1))
}

func (s *rosterScreen) Kind() Kind { return KindRoster }

func (s *rosterScreen) peek() Snapshot {
	return Snapshot{Kind: KindRoster, Lesson: s.lesson, Bookings: s.bookings, Cursor: s.table.Cursor(), Loading: s.req != 0,
		Stage: int(s.mode)}
}

func (s *rosterScreen) Help() []key.Binding {
	k := s.sh.keys
	if s.mode != rosterNormal {
		return []key.Binding{k.Yes, k.No}
	}
	var out []key.Binding
	if s.sh.can(providers.CapAttendance) {
		out = append(out, k.Attended, k.NoShow, k.Undo)
	}
	// Someone owes for today's visit: paying comes before the rarer keys,
	// so it stays on the line at 80 columns.
	if s.sh.can(providers.CapTakePayment) && s.anyDue() {
		out = append(out, k.PayVisit)
	}
	if s.sh.can(providers.CapAttendance) {
		out = append(out, k.AllCame)
	}
	if s.sh.can(providers.CapBook) {
		out = append(out, k.AddClient)
		if s.sh.can(providers.CapCreateClient) {
			out = append(out, k.WalkIn)
		}
	}
	if b, ok := s.selected(); s.sh.can(providers.CapCancelBooking) && (!ok || b.Attendance != models.Attended) {
		// Not offered on a row that came: there is nothing to cancel.
		out = append(out, k.Cancel)
		if s.sh.can(providers.CapLateCancel) {
			out = append(out, k.LateCancel)
		}
	}
	return append(out, k.Back)
}

// payVisitKey is a pay key, worded for a visit.
func payVisitKey(sh *Common, b key.Binding) key.Binding {
	b.SetHelp(b.Help().Key, sh.tr.KeyPayVisit)
	return b
}

func (s *rosterScreen) anyDue() bool {
	for _, b := range s.bookings {
		if b.Active() && b.AmountDue.IsPositive() {
			return true
		}
	}
	return false
}

func (s *rosterScreen) load() Action {
	prov, id := s.sh.prov, s.lesson.ID
	superseded := cancelRead(s.req)
	var a Action
	s.req, a = Run(s.sh, s, s.sh.tr.Screen.Roster+" "+components.Clean(s.lesson.Title), false,
		func(ctx context.Context) ([]models.Booking, error) { return prov.Roster(ctx, id) })
	return Then(superseded, a)
}

func (s *rosterScreen) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case doneMsg[[]models.Booking]:
		if !ours(&s.req, msg) {
			return nil
		}
		if msg.err != nil {
			s.err = s.sh.describe(msg.err)
			return nil
		}
		s.err, s.loaded = "", true
		s.setBookings(msg.val)
	case doneMsg[markDone]:
		bookingID, ok := s.writes[msg.id]
		if !ok {
			return nil
		}
		delete(s.writes, msg.id)
		next, queued := s.then[bookingID]
		delete(s.then, bookingID)
		if errors.Is(msg.err, providers.ErrWholeVisit) {
			if _, ok := providers.As[providers.VisitMarker](s.sh.prov); ok {
				// One mark would change every booking of the visit: say
				// which, and send it so only on a yes.
				s.mode, s.asked, s.visitMark = rosterConfirmVisit, bookingID, msg.val.mark
				s.visitWords = components.Clean(providers.Explain(msg.err, s.sh.tr.Lang))
				s.keepCursorOn(bookingID)
				return nil
			}
		}
		if msg.err != nil {
			// The mark that was to follow rested on this one: not sent.
			return Then(toast(components.FailLevel(msg.err), "%s", s.sh.describe(msg.err)), s.load())
		}
		a := Then(s.applied(bookingID, msg.val), s.load())
		if queued {
			for _, b := range s.bookings {
				if b.ID == bookingID {
					a = Then(a, s.mark(b, next))
				}
			}
		}
		return a
	case doneMsg[models.Booking]:
		if !ours(&s.bookReq, msg) {
			return nil
		}
		if msg.err != nil {
			s.markOnBook = false
			return Then(toast(models.Red, "%s", s.sh.describe(msg.err)), s.load())
		}
		b := msg.val
		s.bookings = append(s.bookings, b)
		s.setBookings(s.bookings)
		if s.markOnBook {
			s.markOnBook = false
			return s.mark(b, models.Attended)
		}
		return Then(toast(models.Green, s.sh.tr.AddedOK, components.Clean(b.ClientName)), s.load())
	case pickedMsg:
		if msg.purpose == pickRoster {
			return s.add(msg.client, false)
		}
	case clientCreatedMsg:
		return s.add(msg.client, true)
	case doneMsg[cardFoundMsg]:
		return s.onScanned(msg)
	case leadSavedMsg:
		s.leads = append(s.leads, msg.client)
	case reloadMsg, Refresh:
		return s.load()
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *rosterScreen) key(msg tea.KeyPressMsg) Action {
	k := s.sh.keys
	if s.mode != rosterNormal {
		mode := s.mode
		switch {
		case key.Matches(msg, k.Yes):
			s.mode = rosterNormal
			switch mode {
			case rosterConfirmAll:
				return s.markAll()
			case rosterConfirmAdd:
				return s.add(s.scanned, true)
			}
			if b, ok := s.selected(); ok && b.ID == s.asked {
				switch mode {
				case rosterConfirmVisit:
					return s.markVisit(b, s.visitMark)
				case rosterConfirmEarly:
					s.earlyOK = true
					a := s.mark(b, models.Attended)
					s.nextUnmarked()
					return a
				}
				return s.cancel(b, mode == rosterConfirmLate)
			}
		case key.Matches(msg, k.No, k.Back):
			s.mode = rosterNormal
		}
		return nil // Enter does not answer: a cancellation takes a letter
	}
	b, ok := s.selected()
	switch {
	case key.Matches(msg, k.Back):
		return Pop{Screen: s, Then: reloadMsg{}}
	case s.sh.moveInList(&s.table, msg):
	case !s.loaded && key.Matches(msg, k.Attended, k.NoShow, k.Undo, k.Cancel, k.LateCancel, k.AllCame):
		// A mark pressed before the list came: it has no row to act on,
		// and must not look as if it did nothing.
		return toast(models.Yellow, "%s", s.sh.tr.ListLoading)
	case key.Matches(msg, k.Attended) && ok:
		if s.early() && s.sh.can(providers.CapAttendance) && b.Active() && b.Attendance != models.Attended {
			s.mode, s.asked = rosterConfirmEarly, b.ID
			return nil
		}
		// One key a row: the mark, and on to the next row not yet marked.
		a := s.mark(b, models.Attended)
		s.nextUnmarked()
		return a
	case key.Matches(msg, k.AllCame):
		if !s.sh.can(providers.CapAttendance) {
			return s.sh.refuse(providers.CapAttendance)
		}
		if s.allCount = len(s.toMark()); s.allCount == 0 {
			return toast(models.Green, "%s", s.sh.tr.R.NothingToMark)
		}
		s.mode = rosterConfirmAll
	case key.Matches(msg, k.NoShow) && ok:
		return s.mark(b, models.NoShow)
	case key.Matches(msg, k.Undo) && ok:
		return s.mark(b, models.Expected)
	case key.Matches(msg, k.AddClient):
		if a := s.canAdd(); a != nil {
			return a
		}
		return Push{newSearch(s.sh, pickRoster)}
	case key.Matches(msg, k.WalkIn):
		if a := s.canAdd(); a != nil {
			return a
		}
		if !s.sh.can(providers.CapCreateClient) {
			return s.sh.refuse(providers.CapCreateClient)
		}
		l := s.lesson
		return Push{newClientForm(s.sh, "", &l)}
	case key.Matches(msg, k.Cancel, k.LateCancel) && ok && b.Active() && b.Attendance == models.Attended:
		// Whoever came is not cancelled: undo the mark first (u).
		return toast(models.Yellow, s.sh.tr.CameNoCancel, components.Clean(b.ClientName))
	case key.Matches(msg, k.Cancel) && ok && b.Active():
		if !s.sh.can(providers.CapCancelBooking) {
			return s.sh.refuse(providers.CapCancelBooking)
		}
		s.mode, s.asked = rosterConfirmCancel, b.ID
	case key.Matches(msg, k.LateCancel) && ok && b.Active():
		if !s.sh.can(providers.CapLateCancel) {
			return s.sh.refuse(providers.CapLateCancel)
		}
		s.mode, s.asked = rosterConfirmLate, b.ID
	case key.Matches(msg, k.PayVisit) && ok:
		return payVisit(s.sh, b)
	}
	return nil
}

// early reports whether a mark now is more than an hour before the lesson
// and was not confirmed yet on this roster.
func (s *rosterScreen) early() bool {
	return !s.earlyOK && s.lesson.Start.Sub(s.sh.now()) > earlyMark
}

// toMark lists the bookings "all came" marks: active, not marked, no
// write on its way.
func (s *rosterScreen) toMark() []models.Booking {
	var out []models.Booking
	for _, b := range s.bookings {
		if b.Active() && b.Attendance == models.Expected && !s.busy(b.ID) {
			out = append(out, b)
		}
	}
	return out
}

// markAll marks every booking still to mark, as the question counted
// them: if the list changed meanwhile, it asks again.
func (s *rosterScreen) markAll() Action {
	bs := s.toMark()
	if len(bs) != s.allCount {
		s.allCount, s.mode = len(bs), rosterConfirmAll
		if len(bs) == 0 {
			s.mode = rosterNormal
		}
		return nil
	}
	var as []Action
	for _, b := range bs {
		as = append(as, s.mark(b, models.Attended))
	}
	return Then(as...)
}

// TakeScan: a card scanned on the roster marks its client came, or offers
// to book them when they are not on the list. Where the CRM cannot look a
// card up or mark, the card opens as anywhere.
func (s *rosterScreen) TakeScan(tag string) (Action, bool) {
	if !s.sh.can(providers.CapCardLookup) || !s.sh.can(providers.CapAttendance) {
		return nil, false
	}
	if s.mode != rosterNormal {
		return toast(models.Yellow, s.sh.tr.R.ScanAnswerFirst, components.Clean(tag)), true
	}
	prov := s.sh.prov
	id, a := Run(s.sh, s, s.sh.tr.LabelCard+" "+tag, false, func(ctx context.Context) (cardFoundMsg, error) {
		c, err := prov.ClientByCard(ctx, tag)
		return cardFoundMsg{tag: tag, client: c}, err
	})
	s.scans[id] = true
	return a, true
}

// scanned acts on the client whose card was scanned here.
func (s *rosterScreen) onScanned(msg doneMsg[cardFoundMsg]) Action {
	if !s.scans[msg.id] {
		return nil
	}
	delete(s.scans, msg.id)
	t := s.sh.tr
	switch {
	case errors.Is(msg.err, providers.ErrNotFound):
		return toast(models.Yellow, t.R.ScanNotHere, components.Clean(msg.val.tag))
	case msg.err != nil:
		return toast(components.FailLevel(msg.err), "%s", s.sh.describe(msg.err))
	}
	c := msg.val.client
	if s.mode != rosterNormal {
		// A question came up meanwhile: the card does not move the
		// cursor from under it.
		return toast(models.Yellow, t.R.ScanAnswerFirst, components.Clean(msg.val.tag))
	}
	for i, b := range s.bookings {
		if b.ClientID != c.ID || !b.Active() {
			continue
		}
		s.table.SetCursor(i)
		if b.Attendance == models.Attended {
			return toast(models.Green, t.Marked, components.Clean(b.ClientName), bookingState(t, b))
		}
		if s.early() {
			s.mode, s.asked = rosterConfirmEarly, b.ID
			return nil
		}
		a := s.mark(b, models.Attended)
		s.nextUnmarked()
		return Then(a, toast(models.Green, t.R.ScanMarked, components.Clean(b.ClientName)))
	}
	if !s.sh.can(providers.CapBook) {
		return toast(models.Yellow, t.R.ScanNotListed, components.Clean(c.ShortName()))
	}
	s.mode, s.scanned = rosterConfirmAdd, c
	return nil
}

// canAdd refuses, before asking anyone, to add to a full lesson.
func (s *rosterScreen) canAdd() Action {
	if !s.sh.can(providers.CapBook) {
		return s.sh.refuse(providers.CapBook)
	}
	if s.lesson.Full() {
		return toast(models.Red, s.sh.tr.LessonFullNow, s.lesson.Booked, s.lesson.Capacity)
	}
	return nil
}

func (s *rosterScreen) add(c models.Client, markAttended bool) Action {
	for _, b := range s.bookings {
		if b.ClientID == c.ID && b.Active() {
			return toast(models.Yellow, s.sh.tr.AlreadyInRoster, components.Clean(c.ShortName()))
		}
	}
	if a := s.canAdd(); a != nil {
		return a
	}
	if s.bookReq != 0 {
		return nil
	}
	prov, lessonID, clientID := s.sh.prov, s.lesson.ID, c.ID
	s.markOnBook = markAttended && s.sh.can(providers.CapAttendance)
	var a Action
	s.bookReq, a = Run(s.sh, s, s.sh.tr.KeyBook+": "+components.Clean(c.ShortName()), true,
		func(ctx context.Context) (models.Booking, error) { return prov.Book(ctx, lessonID, clientID) })
	return a
}

func (s *rosterScreen) busy(bookingID string) bool {
	for _, id := range s.writes {
		if id == bookingID {
			return true
		}
	}
	return false
}

func (s *rosterScreen) mark(b models.Booking, a models.Attendance) Action {
	if !s.sh.can(providers.CapAttendance) {
		return s.sh.refuse(providers.CapAttendance)
	}
	if !b.Active() {
		return nil
	}
	if s.busy(b.ID) {
		// A second mark while the first is on its way (u then n, read at
		// once) is not dropped: it follows when the first is answered.
		s.then[b.ID] = a
		return nil
	}
	if b.Attendance == a {
		return nil
	}
	delete(s.then, b.ID)
	prov := s.sh.prov
	id, start := Run(s.sh, s, components.Clean(b.ClientName), true, func(ctx context.Context) (markDone, error) {
		return markDone{bookingID: b.ID, mark: a}, prov.MarkAttendance(ctx, b.ID, a)
	})
	s.writes[id] = b.ID
	return start
}

// markVisit marks every booking of b's visit, as the receptionist confirmed
// having seen them.
func (s *rosterScreen) markVisit(b models.Booking, a models.Attendance) Action {
	vm, ok := providers.As[providers.VisitMarker](s.sh.prov)
	if !ok || s.busy(b.ID) {
		return nil
	}
	id, start := Run(s.sh, s, components.Clean(b.ClientName), true, func(ctx context.Context) (markDone, error) {
		return markDone{bookingID: b.ID, mark: a}, vm.MarkVisit(ctx, b.ID, a)
	})
	s.writes[id] = b.ID
	return start
}

func (s *rosterScreen) cancel(b models.Booking, late bool) Action {
	if s.busy(b.ID) {
		return nil
	}
	prov := s.sh.prov
	id, a := Run(s.sh, s, components.Clean(b.ClientName), true, func(ctx context.Context) (markDone, error) {
		return markDone{bookingID: b.ID, cancel: true, late: late}, prov.CancelBooking(ctx, b.ID, late)
	})
	s.writes[id] = b.ID
	return a
}

// applied updates the row the provider confirmed, before the roster is read
// again, so the mark shows at once.
func (s *rosterScreen) applied(bookingID string, d markDone) Action {
	for i := range s.bookings {
		b := &s.bookings[i]
		if b.ID != bookingID {
			continue
		}
		switch {
		case d.cancel && d.late:
			b.Status = models.LateCancelled
		case d.cancel:
			b.Status = models.Cancelled
		default:
			b.Attendance = d.mark
		}
		s.setBookings(s.bookings)
		if d.cancel {
			return toast(models.Green, s.sh.tr.CancelledOK, components.Clean(b.ClientName))
		}
		return toast(models.Green, s.sh.tr.Marked, components.Clean(b.ClientName), bookingState(s.sh.tr, *b))
	}
	return nil
}

func (s *rosterScreen) selected() (models.Booking, bool) {
	if len(s.bookings) == 0 {
		return models.Booking{}, false
	}
	return s.bookings[s.table.Cursor()], true
}

// payVisit opens the payment of a visit's amount due, when there is one.
func payVisit(sh *Common, b models.Booking) Action {
	switch {
	case !sh.can(providers.CapTakePayment):
		return sh.refuse(providers.CapTakePayment)
	case !b.Active() || !b.AmountDue.IsPositive():
		return toast(models.Green, "%s", sh.tr.NothingDue)
	}
	return Push{newPayVisit(sh, b)}
}

// dueCell is a booking's payment: what it owes, or that it is paid.
func dueCell(t *i18n.Texts, b models.Booking) string {
	switch {
	case b.AmountDue.IsPositive():
		return b.AmountDue.String()
	case b.Paid:
		return t.BookingPaid
	}
	return ""
}

func (s *rosterScreen) setBookings(bs []models.Booking) {
	keep := ""
	if b, ok := s.selected(); ok {
		keep = b.ID
	}
	defer func() { s.keepCursorOn(keep) }() // last: the first placement below may set it
	s.bookings = bs
	withDue := false
	for _, b := range bs {
		withDue = withDue || b.AmountDue.IsPositive() || b.Paid
	}
	if withDue != s.withDue {
		cursor := s.table.Cursor()
		s.withDue = withDue
		s.table = s.newTable()
		s.table.SetSize(s.width-2, max(s.height-3, 1))
		defer s.table.SetCursor(cursor)
	}
	booked := 0
	rows := make([]components.Row, len(bs))
	for i, b := range bs {
		var style *lipgloss.Style
		switch {
		case !b.Active():
			style = &s.sh.th.Dim
		case b.Attendance == models.Attended:
			style = &s.sh.th.OK
			booked++
		case b.Attendance == models.NoShow:
			style = &s.sh.th.Warn
			booked++
		default:
			booked++
		}
		cells := []string{fmt.Sprint(i + 1), components.Clean(b.ClientName), components.FormatPhone(b.ClientPhone), bookingState(s.sh.tr, b)}
		if s.withDue {
			cells = append(cells, dueCell(s.sh.tr, b))
		}
		rows[i] = components.Row{Cells: cells, Style: style}
	}
	s.lesson.Booked = booked
	s.table.SetRows(rows)
	if !s.placed && len(bs) > 0 {
		// The list opens on the first row still to mark: a marks from
		// there, one key a row.
		s.placed, keep = true, ""
		for _, b := range bs {
			if b.Active() && b.Attendance == models.Expected {
				keep = b.ID
				break
			}
		}
	}
}

// nextUnmarked moves the cursor to the next booking after it that is
// still to be marked, wrapping round; it stays where none is.
func (s *rosterScreen) nextUnmarked() {
	n, at := len(s.bookings), s.table.Cursor()
	for i := 1; i < n; i++ {
		j := (at + i) % n
		if b := s.bookings[j]; b.Active() && b.Attendance == models.Expected && !s.busy(b.ID) {
			s.table.SetCursor(j)
			return
		}
	}
}

// keepCursorOn puts the cursor back on booking id after the list was read
// again: a key acts on the row the receptionist looked at, even when the
// rows moved.
func (s *rosterScreen) keepCursorOn(id string) {
	for i, b := range s.bookings {
		if b.ID == id {
			s.table.SetCursor(i)
			return
		}
	}
}

func (s *rosterScreen) View() string {
	sh, l := s.sh, s.lesson
	var b strings.Builder
	places := fmt.Sprintf("%d/%d", l.Booked, l.Capacity)
	if l.Capacity == 0 {
		places = fmt.Sprintf(sh.tr.PlacesBooked, l.Booked) // no capacity is claimed
	}
	head := sh.clock(l.Start) + "–" + sh.clock(l.End)
	for _, part := range []string{l.Title, l.Room, l.Instructor} {
		if part != "" {
			head += " · " + components.Clean(part)
		}
	}
	right := places
	if l.Full() {
		right = sh.tr.PlacesFull + " " + places
	}
	hw := min(s.width, readingWidth) - 2
	b.WriteString(" " + components.Spread(sh.th.Title.Render(components.Cut(head, hw-16)), right, hw) + "\n")
	switch {
	case s.mode != rosterNormal:
		bk, _ := s.selected()
		q := fmt.Sprintf(sh.tr.ConfirmCancel, components.Clean(bk.ClientName))
		switch s.mode {
		case rosterConfirmLate:
			q = fmt.Sprintf(sh.tr.ConfirmLateCancel, components.Clean(bk.ClientName))
		case rosterConfirmVisit:
			q = s.visitWords + " " + sh.tr.ConfirmMarkVisit
		case rosterConfirmAll:
			q = fmt.Sprintf(sh.tr.R.ConfirmAllCame, s.allCount)
		case rosterConfirmEarly:
			q = fmt.Sprintf(sh.tr.R.ConfirmEarly, sh.clock(l.Start), components.Clean(bk.ClientName))
		case rosterConfirmAdd:
			q = fmt.Sprintf(sh.tr.R.ScanNotBooked, components.Clean(s.scanned.ShortName()))
		}
		for _, l := range components.Wrap(q, s.width-1, " ") {
			b.WriteString(sh.th.Warn.Render(l) + "\n")
		}
	default:
		b.WriteString(sh.listStatus(s.width, s.err, s.loaded && len(s.bookings) == 0, sh.tr.RosterEmpty) + "\n")
	}
	if len(s.bookings) > 0 {
		b.WriteString(s.table.Indented())
	}
	for _, c := range s.leads {
		line := components.Clean(c.ShortName()) + " — " + components.Clean(c.Lead.Roster.In(sh.tr.Lang))
		b.WriteString("\n " + sh.th.Warn.Render(components.Cut(line, s.width-2)))
	}
	return b.String()
}
