package screens

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
)

type payStage int

const (
	payEdit payStage = iota
	payConfirm
	paySending
	payResult
	// payVisitReading: the visit the booking belongs to is being read;
	// payVisitChoice: it holds other bookings, and the receptionist
	// chooses this booking alone or the whole visit, seeing each.
	payVisitReading
	payVisitChoice
)

// paymentScreen takes money outside a sale: settling a membership's debt,
// paying one visit or topping up the deposit. It asks before sending and
// reports every part.
type paymentScreen struct {
	base
	sh      *Common
	client  models.Client
	purpose models.PaymentPurpose
	member  models.Membership
	booking models.Booking // the visit, for PayForBooking
	form    *components.PayForm
	stage   payStage
	parts   []models.Payment
	req     int
	result  models.PaymentResult
	err     error
	width   int

	// visit is the booking's visit, when the CRM groups bookings into
	// visits that a payment acts on together (YCLIENTS); whole says the
	// receptionist chose to pay all of it.
	visit    *models.VisitGroup
	visitReq int
	whole    bool
}

func newPayDebt(sh *Common, c models.Client, m models.Membership) *paymentScreen {
	return &paymentScreen{sh: sh, client: c, purpose: models.PayForMembership, member: m,
		form: components.NewPayForm(sh.payDeps(), components.PayUpTo, m.AmountDue, c.Deposit)}
}

// newPayVisit pays a booking's amount due: all of it, by cash or card.
func newPayVisit(sh *Common, b models.Booking) *paymentScreen {
	c := models.Client{ID: b.ClientID, LastName: b.ClientName}
	return &paymentScreen{sh: sh, client: c, purpose: models.PayForBooking, booking: b,
		form: components.NewPayForm(sh.payDeps(), components.PayWhole, b.AmountDue, models.Money{})}
}

func newTopUp(sh *Common, c models.Client) *paymentScreen {
	return &paymentScreen{sh: sh, client: c, purpose: models.PayToDeposit,
		form: components.NewPayForm(sh.payDeps(), components.PayAny, models.Money{Currency: sh.currency()}, c.Deposit)}
}

// Init reads the visit a booking belongs to, where the CRM has visits: a
// payment of it may pay the other bookings too, so the receptionist must
// see them first.
func (s *paymentScreen) Init() Action {
	vi, ok := providers.As[providers.VisitInspector](s.sh.prov)
	if s.purpose != models.PayForBooking || !ok {
		return nil
	}
	s.stage = payVisitReading
	id := s.booking.ID
	var a Action
	s.visitReq, a = Run(s.sh, s, s.sh.tr.Screen.PayVisit, false, func(ctx context.Context) (models.VisitGroup, error) {
		return vi.VisitOf(ctx, id)
	})
	return a
}

func (s *paymentScreen) Title() string {
	title := s.sh.tr.Screen.Payment
	switch s.purpose {
	case models.PayToDeposit:
		title = s.sh.tr.Screen.TopUp
	case models.PayForBooking:
		title = s.sh.tr.Screen.PayVisit
	}
	return title + ": " + components.Clean(s.client.ShortName())
}
func (s *paymentScreen) Typing() bool { return s.stage == payEdit }
func (s *paymentScreen) Kind() Kind   { return KindPayment }
func (s *paymentScreen) peek() Snapshot {
	return Snapshot{Kind: KindPayment, Client: s.client, Stage: int(s.stage)}
}
func (s *paymentScreen) SetSize(w, _ int) { s.width = w }
func (s *paymentScreen) Help() []key.Binding {
	k := s.sh.keys
	switch s.stage {
	case payVisitChoice:
		var out []key.Binding
		if len(s.visit.Alone) > 0 {
			out = append(out, k.VisitOne)
		}
		if _, ok := s.visit.Due(); ok {
			out = append(out, k.VisitWhole)
		}
		return append(out, k.Back)
	case payEdit:
		return []key.Binding{k.Confirm, k.Up, k.FillRest, k.Back}
	case payConfirm:
		return []key.Binding{k.Yes, k.No}
	case payResult:
		return []key.Binding{k.Confirm}
	}
	return nil
}

func (s *paymentScreen) Update(msg tea.Msg) Action {
	k := s.sh.keys
	switch msg := msg.(type) {
	case doneMsg[models.VisitGroup]:
		if !ours(&s.visitReq, msg) {
			return nil
		}
		switch {
		case msg.err != nil:
			// Unread, the visit may hold more: nothing is paid from here.
			s.stage, s.err = payResult, msg.err
			s.result = models.PaymentResult{}
		case msg.val.Multi():
			g := msg.val
			s.visit, s.stage = &g, payVisitChoice
		default:
			s.stage = payEdit
		}
		return nil
	case doneMsg[models.PaymentResult]:
		if !ours(&s.req, msg) {
			return nil
		}
		s.stage, s.result, s.err = payResult, msg.val, msg.err
		if len(s.result.Payments) == 0 {
			// The adapter said nothing per part: the whole request failed or
			// its fate is unknown.
			outcome := models.OutcomeFailed
			if msg.err == nil {
				outcome = models.OutcomeDone
			} else if components.UnknownOutcome(msg.err) {
				outcome = models.OutcomeUnknown
			}
			for _, p := range s.parts {
				s.result.Payments = append(s.result.Payments, models.PaymentOutcome{Payment: p, Outcome: outcome})
			}
		}
		return nil
	case tea.KeyPressMsg:
		switch s.stage {
		case payEdit:
			switch {
			case key.Matches(msg, k.Back):
				return Pop{Screen: s}
			case key.Matches(msg, k.Confirm):
				ps, err := s.form.Check()
				if err != nil {
					s.form.Err = s.sh.describe(err)
					return nil
				}
				s.parts, s.stage = ps, payConfirm
				return nil
			}
			return cmd(s.form.Update(msg))
		case payVisitChoice:
			return s.chooseVisit(msg)
		case payConfirm:
			// Money moves on a letter only: a second Enter is not a yes.
			switch {
			case key.Matches(msg, k.Yes):
				return s.send()
			case key.Matches(msg, k.No, k.Back):
				s.stage = payEdit
			}
		case payResult:
			if key.Matches(msg, k.Confirm, k.Back) {
				return Pop{Screen: s, Then: reloadMsg{}}
			}
		}
		return nil
	}
	if s.stage == payEdit {
		return cmd(s.form.Update(msg))
	}
	return nil
}

func (s *paymentScreen) send() Action {
	s.stage = paySending
	req := models.PaymentRequest{ClientID: s.client.ID, Purpose: s.purpose, MembershipID: s.member.ID,
		BookingID: s.booking.ID, Payments: s.parts, WholeVisit: s.whole}
	prov, purpose := s.sh.prov, s.purpose
	var a Action
	s.req, a = Run(s.sh, s, s.Title(), true, func(ctx context.Context) (models.PaymentResult, error) {
		if purpose == models.PayToDeposit {
			return prov.TopUpDeposit(ctx, req)
		}
		return prov.TakePayment(ctx, req)
	})
	return a
}

func (s *paymentScreen) View() string {
	sh, t := s.sh, s.sh.tr
	lines := []string{""}
	switch s.purpose {
	case models.PayForMembership:
		lines = append(lines, " "+sh.th.Title.Render(fmt.Sprintf(t.PayDebtTitle, components.Clean(s.member.Title))+": "+s.member.AmountDue.String()))
	case models.PayForBooking:
		l := s.booking.Lesson
		lines = append(lines, " "+sh.th.Title.Render(components.Cut(fmt.Sprintf(t.PayVisitTitle, components.Clean(l.Title), sh.clock(l.Start))+": "+
			s.booking.AmountDue.String(), s.width-2)))
	default:
		lines = append(lines, " "+sh.th.Title.Render(t.TopUpAmount)+sh.th.Dim.Render("  "+t.LabelDeposit+": "+s.client.Deposit.String()))
	}
	lines = append(lines, "")
	switch s.stage {
	case payVisitReading:
		lines = append(lines, " "+sh.th.Dim.Render(t.Loading+"…"))
	case payVisitChoice:
		lines = append(lines, s.visitLines()...)
	case payEdit:
		lines = append(lines, s.form.View(s.width)...)
		lines = append(lines, "", " "+sh.th.Dim.Render(components.Cut(t.PayHint, s.width-2)))
	case payConfirm:
		total := components.Sum(s.parts, s.form.Currency())
		ask := t.ConfirmPay
		switch {
		case s.purpose == models.PayToDeposit:
			ask = t.ConfirmTopUp
		case s.whole:
			ask = t.ConfirmPayVisit
		}
		lines = append(lines, "   "+t.Total+": "+sh.th.Bold.Render(total.String()), "   "+components.PaymentsLine(t, s.parts), "",
			" "+sh.th.Warn.Render(components.Cut(fmt.Sprintf(ask, total)+t.YesNo, s.width-2)))
	case paySending:
		lines = append(lines, " "+sh.th.Warn.Render("⟳ "+t.Sending+"…"))
	case payResult:
		// Done, done in part, unknown or not done, in the words the
		// sale, the journal and the shift report use. Unknown is never
		// "failed": it may have gone through, and the journal keeps it
		// for a check.
		v := s.result.Verdict()
		if components.UnknownOutcome(s.err) {
			v = models.SettledUnknown
		}
		kind, subject := models.WritePay, components.Sum(s.parts, s.form.Currency()).String()
		if s.purpose == models.PayToDeposit {
			kind = models.WriteTopUp
		}
		if v == models.SettledDone || v == models.SettledInPart {
			subject = s.result.Charged().String()
		}
		head := sh.th.Level(v.Level()).Render(v.Mark() + " " + v.Heading(kind, subject).In(t.Lang))
		lines = append(lines, " "+components.Cut(head, s.width-2))
		switch {
		case v == models.SettledUnknown:
			lines = append(lines, " "+sh.th.Error.Render(components.Cut(t.PaymentUnknown, s.width-2)))
		case s.err != nil:
			for _, l := range components.Wrap(components.Describe(t, s.err), s.width-1, " ") {
				lines = append(lines, sh.th.Error.Render(l))
			}
		}
		lines = append(lines, "")
		lines = append(lines, components.OutcomeLines(t, sh.th, s.result.Payments, s.width)...)
		back := t.ResultHint // to the card it came from
		if s.purpose == models.PayForBooking {
			back = t.ResultBack // to the roster
		}
		lines = append(lines, "", " "+sh.th.Dim.Render(back))
	}
	return strings.Join(lines, "\n")
}

// chooseVisit takes the receptionist's choice for a visit of several
// bookings: this booking alone (where the CRM can take it alone) or the
// whole visit, each at the amount it shows.
func (s *paymentScreen) chooseVisit(msg tea.KeyPressMsg) Action {
	k, g := s.sh.keys, s.visit
	switch {
	case key.Matches(msg, k.Back):
		return Pop{Screen: s}
	case key.Matches(msg, k.VisitOne) && len(g.Alone) > 0:
		s.whole = false
		s.form = components.NewPayForm(s.sh.payDeps(), components.PayWhole, s.booking.AmountDue, models.Money{})
	case key.Matches(msg, k.VisitWhole):
		total, ok := g.Due()
		if !ok || !total.IsPositive() {
			return toast(models.Yellow, "%s", s.sh.tr.VisitDueUnknown)
		}
		s.whole = true
		s.form = components.NewPayForm(s.sh.payDeps(), components.PayWhole, total, models.Money{})
	default:
		return nil
	}
	s.stage = payEdit
	return nil
}

// visitLines list the visit's bookings, what each owes, and the choices.
func (s *paymentScreen) visitLines() []string {
	sh, t, g := s.sh, s.sh.tr, s.visit
	lines := []string{" " + sh.th.Warn.Render(components.Cut(fmt.Sprintf(t.VisitHolds, len(g.Records)), s.width-2))}
	for _, r := range g.Records {
		state := fmt.Sprintf(t.Due, r.Due)
		switch {
		case r.Paid:
			state = t.BookingPaid
		case !r.DueKnown:
			state = fmt.Sprintf(t.Due, models.AmountUnknown.In(t.Lang))
		}
		line := "   " + sh.clock(r.Start) + " " + components.Clean(r.Title)
		if r.Instructor != "" {
			line += " · " + components.Clean(r.Instructor)
		}
		line = components.Fit(line, max(s.width-24, 20)) + " " + state
		if r.BookingID == s.booking.ID {
			line = sh.th.Bold.Render(line)
		}
		lines = append(lines, components.Cut(line, s.width))
	}
	total, ok := g.Due()
	lines = append(lines, "")
	if !ok {
		lines = append(lines, " "+sh.th.Error.Render(components.Cut(t.VisitDueUnknown, s.width-2)))
	} else {
		lines = append(lines, " "+sh.th.Bold.Render(fmt.Sprintf(t.VisitTotal, total)))
	}
	lines = append(lines, "")
	if len(g.Alone) > 0 {
		lines = append(lines, "   "+fmt.Sprintf(t.VisitPayOne, s.keys1(), s.booking.AmountDue))
	}
	if ok {
		lines = append(lines, "   "+fmt.Sprintf(t.VisitPayWhole, s.keys2(), total))
	}
	return lines
}

func (s *paymentScreen) keys1() string { return s.sh.keys.VisitOne.Help().Key }
func (s *paymentScreen) keys2() string { return s.sh.keys.VisitWhole.Help().Key }
