package screens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// Part is a part of the client's card that is read on its own.
type Part uint8

// The card's parts.
const (
	PartClient Part = 1 << iota
	PartMemberships
	PartVisits
	PartBookings
)

// Parts is a set of parts; the empty set is every part.
type Parts = Part

// cardParts lists every part, in the order the card reads them.
var cardParts = []Part{PartClient, PartMemberships, PartVisits, PartBookings}

// has reports whether the set holds p; the empty set holds every part.
func (ps Parts) has(p Part) bool { return ps == 0 || ps&p != 0 }

// reloadMsg asks the card to read again after a change made on another
// screen (a sale, a booking, a card bound): the parts the change can touch,
// or everything when it names none.
type reloadMsg struct{ parts Parts }

// afterCheckIn are the card's parts a check-in changes: the membership's
// visits, the visit itself, a booking marked attended. The client's record
// stays as it was.
const afterCheckIn = PartMemberships | PartVisits | PartBookings

// verdictParts are what the verdict rests on.
const verdictParts = PartClient | PartMemberships | PartVisits

// checkInWindow links a check-in to a booking whose lesson starts this close
// to now.
const checkInWindow = 30 * time.Minute

// VisitHistory is how far back the card looks for recent visits.
const VisitHistory = 30 * 24 * time.Hour

// settle is how long a verdict is on screen before the card's keys act on
// it: a key that comes sooner was pressed before the receptionist could
// have seen whose card this is (keys bunched by a link, a reader's stray
// Enter), and is refused with a note. People take longer to react.
const settle = 250 * time.Millisecond

type cardMode int

const (
	cardNormal   cardMode = iota
	cardRecheck           // asking whether to check in again
	cardOverride          // asking the reason to let a red verdict in
	cardUndo              // asking whether to take the check-in back
)

// cardScreen is the client's card: the verdict first, then the profile,
// memberships, today's bookings and recent visits.
type cardScreen struct {
	base
	sh     *Common
	client models.Client

	memberships []models.Membership
	visits      []models.Visit
	bookings    []models.Booking
	// partialTries counts the asks for bookings known only in part;
	// partialNote says what is not known yet (providers.ErrPartial), shown
	// dim beside what is: it is no failure.
	partialTries int
	partialNote  string
	// loading holds the request id of every part still on its way.
	loading map[Part]int
	errs    map[Part]string
	verdict *models.Verdict
	// judgedAt is when the card opened, or its verdict last appeared or
	// changed: the card's keys wait until it has been seen.
	judgedAt time.Time

	mode    cardMode
	reason  textinput.Model
	checkIn int // id of the check-in in flight
	// overriding is the reason of the check-in in flight past a red
	// verdict: the log says the override once it went through.
	overriding string

	// fromScan: the card opened by a scan, whose green verdict checks in
	// by itself (RushSettings.CheckInOnScan); scanDecided says that was
	// decided once, for this card, whatever the verdict.
	fromScan, scanDecided bool
	// byScan says the check-in in flight is the scan's own.
	byScan bool
	// checkedAt is when a check-in from this card went through: the
	// verdict then says it was done.
	checkedAt time.Time
	// visit is what that check-in returned: what an undo takes back
	// (CapUndoCheckIn). undoing is the undo in flight; undone says one was
	// sent and went through or may have (its answer never came): never a
	// second one.
	visit   models.Visit
	undoing int
	undone  bool
	// keptAt is when a check-in from this card was kept at the desk
	// (offline, providers.ErrQueued): it too may be taken back — dropped
	// before it is sent.
	keptAt time.Time
	// alerted says a red verdict rang and flashed already; flash counts
	// the banner's flashes left.
	alerted bool
	flash   int

	width, height int
}

func newCard(sh *Common, c models.Client) *cardScreen {
	in := components.NewInput("> ", 200)
	return &cardScreen{sh: sh, client: c, loading: map[Part]int{}, errs: map[Part]string{}, reason: in, judgedAt: sh.now()}
}

// NewCard is a client's card, read again in full as it opens.
func NewCard(sh *Common, c models.Client) Screen { return newCard(sh, c) }

// NewScannedCard is the card of a client whose card was scanned: once its
// verdict is green (and the desk is set so) it checks the client in.
func NewScannedCard(sh *Common, c models.Client) Screen {
	s := newCard(sh, c)
	s.fromScan = true
	return s
}

// undoWindow is how long after a check-in the card offers to undo it, or
// says that it cannot be undone here.
const undoWindow = 5 * time.Minute

// undoneCheckIn is the answer to an undo (UndoCheckIn returns no value).
type undoneCheckIn struct{}

// flashEvery is the pace of a red verdict's flashes; flashes how many
// changes of the banner they make.
const (
	flashEvery = 150 * time.Millisecond
	flashes    = 6
)

// flashMsg turns the banner of card over once.
type flashMsg struct{ card *cardScreen }

func (s *cardScreen) Init() Action { return s.load(0) }

func (s *cardScreen) Title() string {
	return s.sh.tr.Screen.Card + ": " + components.Clean(s.client.ShortName())
}

func (s *cardScreen) Typing() bool { return s.mode == cardOverride }

func (s *cardScreen) Kind() Kind { return KindCard }

func (s *cardScreen) peek() Snapshot {
	return Snapshot{Kind: KindCard, Client: s.client, Verdict: s.verdict, Loading: len(s.loading) > 0,
		Bookings: s.bookings, Stage: int(s.mode)}
}

func (s *cardScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.reason.SetWidth(w - 6)
}

func (s *cardScreen) Help() []key.Binding {
	k := s.sh.keys
	switch s.mode {
	case cardRecheck, cardUndo:
		return []key.Binding{k.Yes, k.No}
	case cardOverride: // a reason is being typed: y and n are letters
		letIn := k.Confirm
		letIn.SetHelp(letIn.Help().Key, s.sh.tr.KeyLetIn)
		return []key.Binding{letIn, k.Back}
	}
	var out []key.Binding
	add := func(c providers.Capability, b key.Binding) {
		if s.sh.can(c) {
			out = append(out, b)
		}
	}
	add(providers.CapCheckIn, k.CheckIn)
	if s.undoOffered() {
		out = append(out, k.UndoCheckIn)
	}
	switch {
	case s.membershipDue():
		add(providers.CapTakePayment, k.Pay)
	case s.visitDue() != nil:
		add(providers.CapTakePayment, payVisitKey(s.sh, k.Pay))
	}
	add(providers.CapSell, k.Sell)
	add(providers.CapBook, k.Book)
	add(providers.CapBindCard, k.BindCard)
	add(providers.CapDepositTopUp, k.TopUp)
	out = append(out, k.Back)
	// Last: where the line is full it gives way, and F1 lists it.
	if onlinePayer(s.sh) != nil {
		out = append(out, k.Online)
	}
	return out
}

// load starts the reads the card needs in one parallel round: the client
// (refreshed), memberships, visits and today's bookings, or only the parts
// named.
func (s *cardScreen) load(parts Parts) Action {
	sh, prov, id := s.sh, s.sh.prov, s.client.ID
	name := components.Clean(s.client.ShortName())
	var as []Action
	start := func(part Part, reqID int, a Action) {
		s.loading[part] = reqID
		as = append(as, a)
	}
	if parts.has(PartClient) {
		rid, a := Run(sh, s, name, false, func(ctx context.Context) (models.Client, error) { return prov.Client(ctx, id) })
		start(PartClient, rid, a)
	}
	if parts.has(PartMemberships) && sh.can(providers.CapMemberships) {
		rid, a := Run(sh, s, name, false, func(ctx context.Context) ([]models.Membership, error) { return prov.Memberships(ctx, id) })
		start(PartMemberships, rid, a)
	}
	if parts.has(PartVisits) && sh.can(providers.CapVisits) {
		since := sh.now().Add(-VisitHistory)
		rid, a := Run(sh, s, name, false, func(ctx context.Context) ([]models.Visit, error) { return prov.Visits(ctx, id, since) })
		start(PartVisits, rid, a)
	}
	if parts.has(PartBookings) && sh.can(providers.CapCalendar) {
		s.partialTries = 0
		rid, a := s.readBookings(0)
		start(PartBookings, rid, a)
	}
	s.judge()
	return Then(as...)
}

// partialRetry is how long the card waits before asking again for
// bookings the adapter knew only in part (providers.ErrPartial: a big
// club's rosters still being read); maxPartialTries bounds the asking.
const (
	partialRetry    = time.Second
	maxPartialTries = 60
)

// readBookings asks for the client's bookings today, after wait.
func (s *cardScreen) readBookings(wait time.Duration) (int, Action) {
	sh, prov, id := s.sh, s.sh.prov, s.client.ID
	from, to := sh.today().Bounds(sh.loc)
	return Run(sh, s, components.Clean(s.client.ShortName()), false, func(ctx context.Context) ([]models.Booking, error) {
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return prov.ClientBookings(ctx, id, from, to)
	})
}

// owns reports whether id is the request for part, and marks it arrived.
func (s *cardScreen) owns(part Part, id int, err error) bool {
	if rid, ok := s.loading[part]; !ok || rid != id {
		return false
	}
	delete(s.loading, part)
	delete(s.errs, part)
	if err != nil {
		s.errs[part] = s.sh.describe(err)
	}
	return true
}

func (s *cardScreen) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case doneMsg[models.Client]:
		if s.owns(PartClient, msg.id, msg.err) && msg.err == nil {
			s.client = msg.val
			s.judge()
		}
		return s.judged()
	case doneMsg[[]models.Membership]:
		if s.owns(PartMemberships, msg.id, msg.err) && msg.err == nil {
			s.memberships = msg.val
			s.judge()
		}
		return s.judged()
	case doneMsg[[]models.Visit]:
		if s.owns(PartVisits, msg.id, msg.err) && msg.err == nil {
			s.visits = msg.val
			s.judge()
		}
		return s.judged()
	case doneMsg[[]models.Booking]:
		if !s.owns(PartBookings, msg.id, msg.err) {
			return nil
		}
		partial := errors.Is(msg.err, providers.ErrPartial)
		s.partialNote = ""
		if msg.err == nil || partial {
			// What is known is shown, and the note says what is not yet.
			s.bookings = msg.val
		}
		if partial {
			s.partialNote = s.errs[PartBookings]
			delete(s.errs, PartBookings)
		}
		if partial && s.partialTries < maxPartialTries {
			s.partialTries++
			rid, a := s.readBookings(partialRetry)
			s.loading[PartBookings] = rid
			return a
		}
		return s.judged()
	case flashMsg:
		if msg.card != s || s.flash <= 0 {
			return nil
		}
		s.flash--
		if s.flash > 0 {
			return cmd(s.sh.after(flashEvery, flashMsg{s}))
		}
	case doneMsg[models.Visit]:
		if !ours(&s.checkIn, msg) {
			return nil
		}
		a := s.checkedIn(msg.val, msg.err)
		s.byScan = false
		return Then(a, s.load(afterCheckIn))
	case doneMsg[undoneCheckIn]:
		if !ours(&s.undoing, msg) {
			return nil
		}
		return Then(s.undid(msg.err), s.load(afterCheckIn))
	case reloadMsg:
		return s.load(msg.parts)
	case Refresh:
		return s.load(0)
	case Sell:
		if a := s.unseen(); a != nil {
			return a
		}
		return s.sell()
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	if s.mode == cardOverride {
		var c tea.Cmd
		s.reason, c = s.reason.Update(msg)
		return cmd(c)
	}
	return nil
}

// judged is what a verdict asks for once it is there: a red one is heard
// and seen (once a card); a green one on a scanned card checks in, once
// everything the check-in rests on has arrived without error.
func (s *cardScreen) judged() Action {
	v := s.verdict
	if v == nil {
		return nil
	}
	var as []Action
	if v.Level == models.Red && !s.alerted {
		s.alerted = true
		if s.sh.rush.BellOnRed {
			as = append(as, cmd(tea.Raw("\a")))
		}
		if s.sh.rush.FlashOnRed {
			s.flash = flashes
			as = append(as, cmd(s.sh.after(flashEvery, flashMsg{s})))
		}
	}
	return Then(append(as, s.checkInOnScan())...)
}

// checkInOnScan checks a scanned green card in, once: never when a part
// failed to load or today's bookings are known in part (the verdict, or
// the lesson the visit belongs to, may rest on less than it seems), nor when
// this desk's journal already holds a check-in of the client inside the
// window a second one is questioned in — a card scanned again is not a
// second visit, whether or not the CRM shows the first yet.
func (s *cardScreen) checkInOnScan() Action {
	if !s.fromScan || s.scanDecided || len(s.loading) > 0 {
		return nil
	}
	s.scanDecided = true
	switch {
	case !s.sh.rush.CheckInOnScan, !s.sh.can(providers.CapCheckIn), s.verdict.Level != models.Green,
		len(s.errs) > 0, s.partialNote != "", s.checkIn != 0:
		return nil
	}
	if _, ok := s.journalCheckIn(); ok {
		return nil // the verdict, which counts it, is not green: never here
	}
	s.byScan = true
	return s.doCheckIn("")
}

// journalCheckIn is the latest check-in of the client this desk's journal
// recorded within models.RecentCheckIn, unless it was refused, found not
// to have gone through, or taken back (UndoCheckIn).
func (s *cardScreen) journalCheckIn() (time.Time, bool) {
	j := s.sh.journal
	if j == nil {
		return time.Time{}, false
	}
	var at time.Time
	ops := j.Since(s.sh.now().Add(-models.RecentCheckIn))
	undone := undoneVisits(ops)
	for _, op := range ops {
		if op.Intent.Kind != journal.CheckIn || op.Intent.ClientID != s.client.ID || takenBack(op, undone) {
			continue
		}
		if p := op.Phase(); p == journal.Refused || p == journal.Dismissed {
			continue
		}
		if op.Intent.At.After(at) {
			at = op.Intent.At
		}
	}
	return at, !at.IsZero()
}

// unseen refuses a key that acts on the client before the card — whose it
// is, and its verdict once it came — has been on the screen long enough to
// be seen (nil when it has).
func (s *cardScreen) unseen() Action {
	if s.sh.now().Sub(s.judgedAt) < settle {
		return toast(models.Yellow, s.sh.tr.CardSettling, components.Clean(s.client.ShortName()))
	}
	return nil
}

// acts lists the card's keys that act on the client.
func (s *cardScreen) acts(msg tea.KeyPressMsg) bool {
	k := s.sh.keys
	return key.Matches(msg, k.CheckIn, k.Sell, k.Book, k.BindCard, k.Pay, k.TopUp, k.Online)
}

func (s *cardScreen) key(msg tea.KeyPressMsg) Action {
	k := s.sh.keys
	switch s.mode {
	case cardRecheck:
		switch {
		case key.Matches(msg, k.Yes):
			s.mode = cardNormal
			return s.doCheckIn("")
		case key.Matches(msg, k.No, k.Back):
			s.mode = cardNormal
		}
		return nil // Enter does not answer: a second check-in takes a letter
	case cardUndo:
		switch {
		case key.Matches(msg, k.Yes):
			s.mode = cardNormal
			return s.doUndo()
		case key.Matches(msg, k.No, k.Back):
			s.mode = cardNormal
		}
		return nil // Enter does not answer: an undo takes a letter
	case cardOverride:
		switch {
		case key.Matches(msg, k.Back):
			s.mode = cardNormal
			s.reason.Blur()
		case s.reason.Value() == "" && s.presetReason(msg) != "":
			reason := s.presetReason(msg)
			s.mode = cardNormal
			s.reason.Blur()
			return s.doCheckIn(reason)
		case key.Matches(msg, k.Confirm):
			reason := strings.TrimSpace(s.reason.Value())
			if reason == "" {
				return toast(models.Red, "%s", s.sh.tr.OverrideNeedReason)
			}
			s.mode = cardNormal
			s.reason.Blur()
			return s.doCheckIn(reason)
		default:
			var c tea.Cmd
			s.reason, c = s.reason.Update(msg)
			return cmd(c)
		}
		return nil
	}
	if key.Matches(msg, k.Back) {
		return Pop{Screen: s}
	}
	if key.Matches(msg, k.UndoCheckIn) {
		return s.startUndo()
	}
	if !s.acts(msg) {
		return nil
	}
	if key.Matches(msg, k.Pay, k.TopUp, k.Online) && s.sh.offline() {
		return s.sh.noMoneyOffline()
	}
	if a := s.unseen(); a != nil {
		return a
	}
	switch {
	case key.Matches(msg, k.CheckIn):
		return s.startCheckIn()
	case key.Matches(msg, k.Sell):
		return s.sell()
	case key.Matches(msg, k.Book):
		if s.unsupported(providers.CapBook) {
			return s.sh.refuse(providers.CapBook)
		}
		c := s.client
		return Push{newCalendar(s.sh, &c)}
	case key.Matches(msg, k.BindCard):
		if s.unsupported(providers.CapBindCard) {
			return s.sh.refuse(providers.CapBindCard)
		}
		return Push{newBindCard(s.sh, s.client)}
	case key.Matches(msg, k.Pay):
		if s.unsupported(providers.CapTakePayment) {
			return s.sh.refuse(providers.CapTakePayment)
		}
		if _, waiting := s.loading[PartMemberships]; waiting {
			return toast(models.Yellow, "%s", s.sh.tr.CardLoading)
		}
		for _, m := range s.memberships {
			if m.AmountDue.IsPositive() {
				return Push{newPayDebt(s.sh, s.client, m)}
			}
		}
		if s.dueUnknown() {
			// What is owed could not be read: never "nothing due".
			return toast(models.Yellow, "%s", s.sh.tr.DueUnreadable)
		}
		if _, waiting := s.loading[PartBookings]; waiting {
			return toast(models.Yellow, "%s", s.sh.tr.CardLoading)
		}
		if b := s.visitDue(); b != nil {
			return payVisit(s.sh, *b)
		}
		if s.client.Debt.IsPositive() {
			// The client's own balance (YCLIENTS, Go-CRM): no call pays it.
			return toast(models.Yellow, "%s", s.sh.tr.DebtNotHere)
		}
		return toast(models.Green, "%s", s.sh.tr.NothingDue)
	case key.Matches(msg, k.TopUp):
		if s.unsupported(providers.CapDepositTopUp) {
			return s.sh.refuse(providers.CapDepositTopUp)
		}
		return Push{newTopUp(s.sh, s.client)}
	case key.Matches(msg, k.Online):
		if onlinePayer(s.sh) == nil {
			return s.sh.refuse(providers.CapOnlinePay)
		}
		return Push{newOnlineFromCard(s.sh, s.client, s.memberships)}
	}
	return nil
}

// presetReason is the config's reason the digit msg picks, or "".
func (s *cardScreen) presetReason(msg tea.KeyPressMsg) string {
	rs := s.sh.overrideReasons()
	if len(msg.Text) != 1 || msg.Text[0] < '1' || msg.Text[0] > '9' {
		return ""
	}
	if i := int(msg.Text[0] - '1'); i < len(rs) {
		return strings.TrimSpace(rs[i])
	}
	return ""
}

func (s *cardScreen) unsupported(c providers.Capability) bool { return !s.sh.can(c) }

// membershipDue reports whether a membership has an amount due: what the
// pay key settles first.
func (s *cardScreen) membershipDue() bool {
	for _, m := range s.memberships {
		if m.AmountDue.IsPositive() {
			return true
		}
	}
	return false
}

// dueUnknown reports whether some membership's amount due could not be
// read.
func (s *cardScreen) dueUnknown() bool {
	for _, m := range s.memberships {
		if m.DueUnknown || m.AmountDue.Unknown {
			return true
		}
	}
	return false
}

// visitDue is today's first booking with a visit to pay, or nil.
func (s *cardScreen) visitDue() *models.Booking {
	for i := range s.bookings {
		if b := &s.bookings[i]; b.Active() && b.AmountDue.IsPositive() {
			return b
		}
	}
	return nil
}

func (s *cardScreen) sell() Action {
	if s.unsupported(providers.CapSell) {
		return s.sh.refuse(providers.CapSell)
	}
	if a := s.sh.noMoneyOffline(); a != nil {
		return a
	}
	return Push{newSale(s.sh, s.client)}
}

// judge recomputes the verdict once the parts it rests on have arrived; a
// verdict that appears or changes starts the settle time again.
func (s *cardScreen) judge() {
	for _, part := range cardParts {
		if _, waiting := s.loading[part]; waiting && verdictParts&part != 0 {
			s.verdict = nil
			return
		}
	}
	v := models.Judge(models.VerdictInput{
		Client: s.client, Memberships: s.memberships, Visits: s.withJournal(),
		Now: s.sh.now(), Location: s.sh.loc,
	})
	if s.verdict == nil || s.verdict.Level != v.Level {
		s.judgedAt = s.sh.now()
	}
	s.verdict = &v
}

func (s *cardScreen) due() models.Money {
	d := s.client.Debt
	for _, m := range s.memberships {
		d = d.Add(m.AmountDue)
	}
	return d
}

// startCheckIn guards the check-in: a red verdict needs a typed reason, a
// second check-in within hours needs a yes.
func (s *cardScreen) startCheckIn() Action {
	if s.unsupported(providers.CapCheckIn) {
		return s.sh.refuse(providers.CapCheckIn)
	}
	if s.checkIn != 0 {
		return nil // one check-in at a time: a second Enter must not count twice
	}
	if s.verdict == nil {
		return toast(models.Yellow, "%s", s.sh.tr.NoCheckInWithoutVerdict)
	}
	if s.verdict.Level == models.Red {
		if s.sh.noOverride != nil {
			// Said before a reason is typed, not after.
			return toast(models.Red, "%s", s.sh.describe(s.sh.noOverride))
		}
		s.mode = cardOverride
		s.reason.SetValue("")
		return cmd(s.reason.Focus())
	}
	for _, r := range s.verdict.Reasons {
		if r.Code == models.ReasonCheckedIn && r.Level == models.Yellow {
			s.mode = cardRecheck
			return nil
		}
	}
	if _, ok := s.journalCheckIn(); ok {
		// This desk let them in a moment ago, whatever the CRM shows yet.
		s.mode = cardRecheck
		return nil
	}
	return s.doCheckIn("")
}

// withJournal is the client's visits with the check-in this desk's journal
// holds and the CRM does not show yet (its answer lags, or it was kept
// offline): the verdict then says they are in already, as it would once
// the CRM shows it — a card scanned again is not a second visit.
func (s *cardScreen) withJournal() []models.Visit {
	at, ok := s.journalCheckIn()
	if !ok {
		return s.visits
	}
	for _, v := range s.visits {
		if v.At.Sub(at).Abs() <= 2*time.Minute {
			return s.visits
		}
	}
	return append([]models.Visit{{ClientID: s.client.ID, At: at}}, s.visits...)
}

// lastCheckIn is the latest check-in the verdict or the journal knows.
func (s *cardScreen) lastCheckIn() time.Time {
	var at time.Time
	if s.verdict != nil {
		at = s.verdict.LastCheckIn
	}
	if j, ok := s.journalCheckIn(); ok && j.After(at) {
		at = j
	}
	return at
}

func (s *cardScreen) doCheckIn(override string) Action {
	req := models.CheckIn{ClientID: s.client.ID, Override: override}
	if s.verdict != nil && s.verdict.Use != nil {
		req.MembershipID = s.verdict.Use.ID
	}
	if b := s.nearBooking(); b != nil {
		req.BookingID = b.ID
	}
	prov := s.sh.prov
	var a Action
	s.overriding = override
	s.checkIn, a = Run(s.sh, s, s.sh.tr.KeyCheckIn+": "+components.Clean(s.client.ShortName()), true,
		func(ctx context.Context) (models.Visit, error) { return prov.CheckIn(ctx, req) })
	return a
}

// nearBooking is today's booking whose lesson starts within ±30 minutes.
func (s *cardScreen) nearBooking() *models.Booking {
	now := s.sh.now()
	var best *models.Booking
	for i := range s.bookings {
		b := &s.bookings[i]
		d := b.Lesson.Start.Sub(now).Abs()
		if b.Active() && d <= checkInWindow && (best == nil || d < best.Lesson.Start.Sub(now).Abs()) {
			best = b
		}
	}
	return best
}

func (s *cardScreen) checkedIn(v models.Visit, err error) Action {
	name := components.Clean(s.client.ShortName())
	if errors.Is(err, providers.ErrQueued) {
		s.keptAt, s.visit = s.sh.now(), v
	}
	if err != nil {
		return toast(components.FailLevel(err), "%s", s.sh.describe(err))
	}
	if s.overriding != "" {
		s.sh.log.Warn("red verdict overridden", "client", s.client.ID, "operator", s.sh.operator, "reason", s.overriding)
	}
	s.checkedAt, s.visit = s.sh.now(), v
	if s.byScan {
		return nil // the banner says it: the help line stays on the keys
	}
	if v.LessonTitle != "" {
		if b := s.nearBooking(); b != nil {
			return toast(models.Green, s.sh.tr.CheckedInLesson, name, components.Clean(v.LessonTitle), s.sh.clock(b.Lesson.Start))
		}
	}
	return toast(models.Green, s.sh.tr.CheckedIn, name)
}

// View draws the card. It fits 80x21 by giving each list a share of the
// rows and saying how many it left out.
func (s *cardScreen) View() string {
	sh, t := s.sh, s.sh.tr
	w := s.width
	var lines []string
	lines = append(lines, s.verdictLines(w)...)
	switch s.mode {
	case cardRecheck:
		since := sh.now().Sub(s.lastCheckIn())
		for _, l := range components.Wrap(fmt.Sprintf(t.ConfirmRecheck, components.Clean(s.client.ShortName()), t.Ago(since)), w-1, " ") {
			lines = append(lines, sh.th.Warn.Render(l))
		}
	case cardUndo:
		q := fmt.Sprintf(t.R.ConfirmUndo, components.Clean(s.client.ShortName()), sh.clock(s.madeAt()))
		for _, l := range components.Wrap(q, w-1, " ") {
			lines = append(lines, sh.th.Warn.Render(l))
		}
	case cardOverride:
		for _, l := range components.Wrap(t.OverridePrompt, w-1, " ") {
			lines = append(lines, sh.th.Error.Render(l))
		}
		lines = append(lines, " "+s.reason.View())
		if rs := sh.overrideReasons(); len(rs) > 0 {
			lines = append(lines, sh.th.Dim.Render(components.Cut(" "+t.R.ReasonsHint, w)))
			for i, r := range rs {
				lines = append(lines, components.Cut("   "+fmt.Sprintf(t.R.ReasonPick, i+1, components.Clean(r)), w))
			}
		}
	}
	lines = append(lines, "")
	// Past readingWidth a row's parts drift apart (a membership's state far
	// from its name); the banner above still spans the terminal.
	w = min(w, readingWidth)
	lines = append(lines, s.profileLines(w)...)

	budget := s.height - len(lines)
	mem := s.membershipLines(w)
	book := s.bookingLines(w)
	vis := s.visitLines(w)
	// Memberships matter most at the desk, then today's bookings.
	mem = clip(t, mem, max(budget-len(book)-len(vis), 3))
	budget -= len(mem)
	book = clip(t, book, max(budget-len(vis), 2))
	budget -= len(book)
	vis = clip(t, vis, max(budget, 0))
	lines = append(lines, mem...)
	lines = append(lines, book...)
	lines = append(lines, vis...)
	return strings.Join(lines, "\n")
}

// clip keeps a section (its heading and rows) within n lines, replacing the
// tail by "…and N more".
func clip(t *i18n.Texts, lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	if n <= 1 {
		return lines[:max(n, 0)]
	}
	hidden := len(lines) - n + 1
	return append(lines[:n-1:n-1], "   "+fmt.Sprintf(t.MoreRows, hidden))
}

func (s *cardScreen) verdictLines(w int) []string {
	sh, t := s.sh, s.sh.tr
	if s.verdict == nil {
		msg := t.VerdictChecking
		for _, e := range s.errs {
			msg = e
		}
		return []string{sh.th.Dim.Render(components.Fit(" … "+msg, w))}
	}
	v := s.verdict
	level := v.Level
	head := map[models.Level]string{models.Green: t.VerdictGreen, models.Yellow: t.VerdictYellow, models.Red: t.VerdictRed}[v.Level]
	done := !s.checkedAt.IsZero()
	if done {
		// Once in, the verdict says so — not "check: already in".
		level, head = models.Green, fmt.Sprintf(t.R.CheckedInAt, sh.clock(s.checkedAt))
	}
	style := sh.th.Verdict(level)
	if s.flash%2 == 1 {
		style = style.Reverse(true)
	}
	lines := []string{style.Render(components.Fit(" "+styles.LevelMark(level)+" "+head, w))}
	for _, r := range v.Reasons {
		if done && r.Code == models.ReasonCheckedIn && !v.LastCheckIn.Before(s.checkedAt.Add(-2*time.Minute)) {
			continue // the check-in just made, said above
		}
		lines = append(lines, sh.th.Level(r.Level).Render(components.Cut(" "+styles.LevelMark(r.Level)+" "+s.reasonText(r), w)))
	}
	if done && sh.now().Sub(s.checkedAt) < undoWindow {
		note := fmt.Sprintf(t.R.NoUndo, sh.crmName())
		switch {
		case s.undone:
			note = t.R.UndoUnconfirmed
		case s.undoOffered():
			note = fmt.Sprintf(t.R.UndoHint, sh.keys.UndoCheckIn.Help().Key, sh.clock(s.checkedAt.Add(undoWindow)))
		}
		for _, l := range components.Wrap(note, w-1, " ") {
			lines = append(lines, sh.th.Dim.Render(l))
		}
	} else if !done && s.undoOffered() {
		// A check-in kept offline: it can be dropped before it is sent.
		note := fmt.Sprintf(t.R.UndoHint, sh.keys.UndoCheckIn.Help().Key, sh.clock(s.madeAt().Add(undoWindow)))
		for _, l := range components.Wrap(note, w-1, " ") {
			lines = append(lines, sh.th.Dim.Render(l))
		}
	}
	return lines
}

func (s *cardScreen) reasonText(r models.Reason) string {
	t := s.sh.tr
	text := components.Clean(r.Text)
	switch r.Code {
	case models.ReasonBlocked:
		// CRMs often write the reason as a whole sentence ("Карта
		// заблокирована: утеря"): do not say "blocked" twice.
		stem := strings.TrimRight(strings.TrimSuffix(t.ReasonBlocked, "%s"), ": ")
		switch {
		case text == "":
			return stem
		case strings.HasPrefix(strings.ToLower(text), strings.ToLower(stem)):
			return text
		}
		return fmt.Sprintf(t.ReasonBlocked, text)
	case models.ReasonDebt:
		return fmt.Sprintf(t.ReasonDebt, r.Amount.In(t.Lang))
	case models.ReasonNoMembership:
		return t.ReasonNoMembership
	case models.ReasonExpired:
		return fmt.Sprintf(t.ReasonExpired, text, r.Date.Short())
	case models.ReasonFrozen:
		return fmt.Sprintf(t.ReasonFrozen, text, r.Date.Short())
	case models.ReasonNoVisits:
		return fmt.Sprintf(t.ReasonNoVisits, text)
	case models.ReasonNotYetStarted:
		return fmt.Sprintf(t.ReasonNotYetStarted, text, r.Date.Short())
	case models.ReasonCheckedIn:
		return fmt.Sprintf(t.ReasonCheckedIn, t.Ago(r.Since))
	case models.ReasonEndsSoon:
		return fmt.Sprintf(t.ReasonEndsSoon, r.Date.Short(), t.InDays(r.Days))
	case models.ReasonLastVisit:
		return t.ReasonLastVisit
	case models.ReasonBirthday:
		return t.ReasonBirthday
	case models.ReasonNote:
		return fmt.Sprintf(t.ReasonNote, text)
	case models.ReasonBlackList:
		return fmt.Sprintf(t.ReasonBlackList, text)
	case models.ReasonActive:
		title := ""
		if s.verdict.Use != nil {
			title = components.Clean(s.verdict.Use.Title)
		}
		left := t.VisitsUnlimited
		if r.Visits >= 0 {
			left = t.Visits(r.Visits)
		}
		if r.Date.IsZero() {
			return fmt.Sprintf(t.ReasonActiveNoEnd, title, left)
		}
		return fmt.Sprintf(t.ReasonActive, title, r.Date.Short(), left)
	}
	return text
}

func (s *cardScreen) profileLines(w int) []string {
	sh, t, c := s.sh, s.sh.tr, s.client
	name := sh.th.Title.Render(components.Clean(c.FullName()))
	// A CRM without deposits (Go-CRM) shows none rather than "0 ₽".
	money := ""
	if sh.can(providers.CapDepositTopUp) || !c.Deposit.IsZero() {
		money = t.LabelDeposit + ": " + c.Deposit.In(t.Lang)
	}
	switch d := s.due(); {
	case d.IsPositive():
		money = strings.TrimSpace(sh.th.Error.Render(t.LabelDebt+": "+d.String()) + "  " + money)
	case d.Unknown || s.dueUnknown():
		// Never "no debt" for what could not be read.
		money = strings.TrimSpace(sh.th.Warn.Render(t.LabelDebt+": "+models.AmountUnknown.In(t.Lang)) + "  " + money)
	}
	// Phone and card first: they are what the receptionist checks.
	var facts, more []string
	if c.Phone != "" {
		facts = append(facts, t.LabelPhone+" "+components.FormatPhone(c.Phone))
	}
	if c.Guardian != "" {
		facts = append(facts, t.LabelGuardian+" "+components.Clean(c.Guardian))
	}
	switch {
	case len(c.Cards) > 0:
		facts = append(facts, t.LabelCard+" "+components.Clean(strings.Join(c.Cards, ", ")))
	case sh.can(providers.CapBindCard) || sh.can(providers.CapCardLookup):
		// "no card" only where the CRM has cards at all.
		facts = append(facts, t.LabelNoCard)
	}
	if !c.Birthday.IsZero() {
		more = append(more, t.LabelBirthday+" "+c.Birthday.Short())
	}
	if c.Email != "" {
		more = append(more, components.Clean(c.Email))
	}
	if c.Discount > 0 {
		more = append(more, fmt.Sprintf(t.LabelDiscount, c.Discount))
	}
	if len(c.Tags) > 0 {
		more = append(more, t.LabelTags+": "+components.Clean(strings.Join(c.Tags, ", ")))
	}
	lines := []string{
		" " + components.Spread(name, money, w-2),
		" " + sh.th.Dim.Render(components.Cut(strings.Join(facts, " · "), w-2)),
	}
	if len(more) > 0 {
		lines = append(lines, " "+sh.th.Dim.Render(components.Cut(strings.Join(more, " · "), w-2)))
	}
	return lines
}

// sectionHead is a section's heading, and the "nothing here" line once its
// part has loaded empty.
func (s *cardScreen) sectionHead(title string, part Part, none string, empty bool) []string {
	lines := []string{s.section(title, part)}
	if _, waiting := s.loading[part]; empty && !waiting {
		lines = append(lines, s.sh.th.Dim.Render("   "+none))
	}
	return lines
}

func (s *cardScreen) section(title string, part Part) string {
	line := " " + s.sh.th.Section.Render(title)
	if _, waiting := s.loading[part]; waiting {
		line += s.sh.th.Dim.Render(" …")
	}
	if e := s.errs[part]; e != "" {
		line += " " + s.sh.th.Error.Render(e)
	}
	if part == PartBookings && s.partialNote != "" {
		line += " " + s.sh.th.Dim.Render(s.partialNote)
	}
	return line
}

func (s *cardScreen) membershipLines(w int) []string {
	sh, t := s.sh, s.sh.tr
	lines := s.sectionHead(t.SecMemberships, PartMemberships, t.NoMemberships, len(s.memberships) == 0)
	today := sh.today()
	for _, m := range s.memberships {
		state := m.EffectiveState(today)
		stateText := map[models.MembershipState]string{
			models.StateActive: t.StateActive, models.StateNotStarted: t.StateNotStarted,
			models.StateFrozen: t.StateFrozen, models.StateExpired: t.StateExpired,
		}[state]
		visits := t.VisitsUnlimited
		if !m.Unlimited {
			visits = fmt.Sprintf(t.VisitsOf, m.VisitsLeft, m.VisitsTotal)
		}
		until := ""
		switch {
		case state == models.StateFrozen && !m.FrozenUntil.IsZero():
			until = fmt.Sprintf(t.FrozenUntil, m.FrozenUntil.Short())
		case !m.End.IsZero():
			until = fmt.Sprintf(t.Until, m.End.Short())
		case state == models.StateNotStarted:
			until = t.StateStartsOnVisit
		}
		due := ""
		switch {
		case m.AmountDue.IsPositive():
			due = fmt.Sprintf(t.Due, m.AmountDue)
		case m.DueUnknown || m.AmountDue.Unknown:
			due = fmt.Sprintf(t.Due, models.AmountUnknown.In(t.Lang))
		}
		text := "   " + components.Fit(components.Clean(m.Title), max(w-60, 14)) + " " + components.Fit(stateText, 10) + " " + components.Fit(visits, 9) + " " + components.Fit(until, 16) + " " + due
		style := sh.th.Dim
		switch {
		case m.AmountDue.IsPositive():
			style = sh.th.Error
		case state == models.StateActive || state == models.StateNotStarted && m.Usable(today):
			style = sh.th.Bold
		}
		lines = append(lines, style.Render(components.Cut(text, w)))
		if len(m.Services) > 0 {
			// What the pass holds per service (YCLIENTS' links).
			var per []string
			for _, sv := range m.Services {
				left := t.VisitsUnlimited
				if !sv.Unlimited {
					left = fmt.Sprint(sv.Left)
				}
				per = append(per, components.Clean(sv.Title)+": "+left)
			}
			lines = append(lines, sh.th.Dim.Render(components.Cut("     "+strings.Join(per, " · "), w)))
		}
	}
	return lines
}

func (s *cardScreen) bookingLines(w int) []string {
	if !s.sh.can(providers.CapCalendar) {
		return nil
	}
	sh, t := s.sh, s.sh.tr
	lines := s.sectionHead(t.SecToday, PartBookings, t.NoBookings, len(s.bookings) == 0)
	for _, b := range s.bookings {
		l := b.Lesson
		text := "   " + sh.clock(l.Start) + " " + components.Clean(l.Title)
		if l.Room != "" {
			text += " · " + components.Clean(l.Room)
		}
		text += " · " + bookingState(t, b)
		if b.Active() && b.AmountDue.IsPositive() {
			lines = append(lines, sh.th.Warn.Render(components.Cut(text+" · "+fmt.Sprintf(t.Due, b.AmountDue), w)))
			continue
		}
		lines = append(lines, components.Cut(text, w))
	}
	return lines
}

func (s *cardScreen) visitLines(w int) []string {
	if !s.sh.can(providers.CapVisits) {
		return nil
	}
	sh, t := s.sh, s.sh.tr
	lines := s.sectionHead(t.SecVisits, PartVisits, t.NoVisits, len(s.visits) == 0)
	if len(s.visits) == 0 {
		return lines
	}
	// Visits go on one line: they are context, not something to act on.
	var parts []string
	for _, v := range s.visits {
		at := v.At.In(sh.loc)
		p := at.Format("02.01 15:04")
		if v.LessonTitle != "" {
			p += " " + components.Clean(v.LessonTitle)
		}
		parts = append(parts, p)
	}
	return append(lines, sh.th.Dim.Render(components.Cut("   "+strings.Join(parts, " · "), w)))
}

// bookingState words a booking's status and attendance.
func bookingState(t *i18n.Texts, b models.Booking) string {
	switch b.Status {
	case models.Cancelled:
		return t.BookingCancelled
	case models.LateCancelled:
		return t.BookingLate
	}
	switch b.Attendance {
	case models.Attended:
		return t.BookingAttended
	case models.NoShow:
		return t.BookingNoShow
	}
	return t.BookingExpected
}
