package screens

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
)

type onlineStage int

const (
	onlinePick    onlineStage = iota // choosing what to pay (from the card)
	onlineOpening                    // the provider is asked for the page
	onlineShown                      // the QR code is on screen
	onlineFailed                     // the page did not open
)

// onlineItem is one thing the client can pay for from a phone.
type onlineItem struct {
	label string
	pay   providers.OnlinePayment
}

// onlineScreen puts the provider's payment page on screen as a QR code, for
// the client to pay from a phone; the CRM records the payment itself, so the
// desk sends nothing else. From the card it first lists what can be paid —
// the debt, the client's plans again, any other plan; from a sale it opens
// at once for the plan and total agreed, and Esc goes back to the sale.
//
// Opening the page may be a call to the provider (Go-CRM creates the
// payment): it runs as a write, once, and the receptionist waits for it.
type onlineScreen struct {
	base
	sh     *Common
	client models.Client
	ms     []models.Membership
	fixed  bool // opened from a sale for one item

	items    []onlineItem
	table    components.Table
	plansReq int
	plansErr string

	stage  onlineStage
	chosen onlineItem
	req    int
	page   providers.PaymentPage
	qr     string
	err    error

	width, height int
}

// onlinePayer is the provider's payment page, when it has one.
func onlinePayer(sh *Common) providers.OnlinePayer {
	if !sh.can(providers.CapOnlinePay) {
		return nil
	}
	op, _ := providers.As[providers.OnlinePayer](sh.prov)
	return op
}

// newOnlineFromCard lists what the client on the card can pay by QR.
func newOnlineFromCard(sh *Common, c models.Client, ms []models.Membership) *onlineScreen {
	s := &onlineScreen{sh: sh, client: c, ms: ms}
	s.table = components.NewTable(sh.th, components.Column{Title: sh.tr.OnlinePick, Flex: 1, Max: 60}, components.Column{Title: sh.tr.Total, Width: 16, Right: true})
	return s
}

// newOnlineForSale opens the page for a plan at the total the sale agreed.
func newOnlineForSale(sh *Common, c models.Client, plan models.Plan, total models.Money) *onlineScreen {
	s := newOnlineFromCard(sh, c, nil)
	s.fixed = true
	s.chosen = onlineItem{label: fmt.Sprintf(sh.tr.OnlineBuy, components.Clean(plan.Name)),
		pay: providers.OnlinePayment{ClientID: c.ID, Purpose: providers.OnlineBuyPlan, Plan: plan, Amount: total}}
	return s
}

func (s *onlineScreen) Init() Action {
	if s.fixed {
		return s.open(s.chosen)
	}
	if !s.sh.can(providers.CapPlans) {
		s.setItems(nil)
		return nil
	}
	s.setItems(nil)
	var a Action
	s.plansReq, a = readPlans(s.sh, s, s.sh.tr.Screen.OnlinePay)
	return a
}

func (s *onlineScreen) Title() string {
	return s.sh.tr.Screen.OnlinePay + ": " + components.Clean(s.client.ShortName())
}

func (s *onlineScreen) Kind() Kind { return KindOnline }

func (s *onlineScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.table.SetSize(w-2, max(h-4, 1))
}

func (s *onlineScreen) Help() []key.Binding {
	k := s.sh.keys
	switch s.stage {
	case onlinePick:
		pick := k.Open
		pick.SetHelp(pick.Help().Key, s.sh.tr.KeyPick)
		return []key.Binding{pick, k.Up, k.Back}
	case onlineOpening:
		return nil
	}
	return []key.Binding{k.Back}
}

// setItems lists the debt first, then the plans the client already holds
// (to renew), then the others.
func (s *onlineScreen) setItems(plans []models.Plan) {
	t := s.sh.tr
	s.items = s.items[:0]
	if d := s.client.Debt; d.IsPositive() {
		s.items = append(s.items, onlineItem{label: fmt.Sprintf(t.OnlineDebt, d),
			pay: providers.OnlinePayment{ClientID: s.client.ID, Purpose: providers.OnlineDebt, Amount: d}})
	}
	held := map[string]bool{}
	for _, m := range s.ms {
		if m.PlanID != "" {
			held[m.PlanID] = true
		}
	}
	var renew, other []onlineItem
	for _, p := range plans {
		amount := p.Price.Add(p.MembershipFee)
		if !amount.IsPositive() {
			continue
		}
		it := onlineItem{pay: providers.OnlinePayment{ClientID: s.client.ID, Purpose: providers.OnlineBuyPlan, Plan: p, Amount: amount}}
		if held[p.ID] {
			it.label = fmt.Sprintf(t.OnlineRenew, components.Clean(p.Name))
			renew = append(renew, it)
		} else {
			it.label = fmt.Sprintf(t.OnlineBuy, components.Clean(p.Name))
			other = append(other, it)
		}
	}
	s.items = slices.Concat(s.items, renew, other)
	rows := make([]components.Row, len(s.items))
	for i, it := range s.items {
		rows[i] = components.Row{Cells: []string{it.label, it.pay.Amount.String()}}
	}
	s.table.SetRows(rows)
}

func (s *onlineScreen) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case doneMsg[[]models.Plan]:
		switch {
		case !ours(&s.plansReq, msg):
		case msg.err != nil:
			s.plansErr = s.sh.describe(msg.err)
		default:
			s.setItems(msg.val)
		}
	case doneMsg[providers.PaymentPage]:
		if !ours(&s.req, msg) {
			return nil
		}
		s.opened(msg.val, msg.err)
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *onlineScreen) key(msg tea.KeyPressMsg) Action {
	k := s.sh.keys
	switch s.stage {
	case onlinePick:
		switch {
		case key.Matches(msg, k.Back):
			return Pop{Screen: s}
		case s.sh.moveInList(&s.table, msg):
		case key.Matches(msg, k.Open):
			if len(s.items) > 0 {
				return s.open(s.items[s.table.Cursor()])
			}
		}
	case onlineOpening:
		// The provider may be creating the payment: wait for its answer.
	case onlineShown, onlineFailed:
		if key.Matches(msg, k.Back) || s.stage == onlineFailed && key.Matches(msg, k.Open) {
			if s.fixed {
				return Pop{Screen: s}
			}
			s.stage, s.qr, s.err = onlinePick, "", nil
		}
	}
	return nil
}

// open asks the provider for the page. It is never repeated by itself: a
// second page is the receptionist's choice.
func (s *onlineScreen) open(it onlineItem) Action {
	op := onlinePayer(s.sh)
	if op == nil {
		return s.sh.refuse(providers.CapOnlinePay)
	}
	if s.req != 0 {
		return nil
	}
	s.chosen, s.stage = it, onlineOpening
	pay := it.pay
	var a Action
	s.req, a = Run(s.sh, s, s.sh.tr.KeyOnline+": "+it.label, true, func(ctx context.Context) (providers.PaymentPage, error) {
		return op.OpenPaymentPage(ctx, pay)
	})
	return a
}

func (s *onlineScreen) opened(page providers.PaymentPage, err error) {
	pay := s.chosen.pay
	if err == nil {
		s.qr, err = components.RenderQR(page.URL, s.sh.th.Dark)
	}
	if err != nil {
		s.stage, s.err = onlineFailed, err
		s.sh.log.Warn("online payment page not opened", "client", s.client.ID, "purpose", int(pay.Purpose), "plan", pay.Plan.ID, "err", err)
		return
	}
	s.stage, s.page = onlineShown, page
	s.sh.log.Info("online payment shown", "client", s.client.ID, "purpose", int(pay.Purpose), "plan", pay.Plan.ID,
		"amount", pay.Amount.Decimal(), "payment", page.ID)
}

func (s *onlineScreen) View() string {
	sh, t := s.sh, s.sh.tr
	w := s.width
	switch s.stage {
	case onlineOpening:
		return strings.Join([]string{"", " " + sh.th.Title.Render(components.Cut(s.chosen.label+" · "+s.chosen.pay.Amount.String(), w-2)),
			"", " " + sh.th.Warn.Render("⟳ "+t.OnlineOpening)}, "\n")
	case onlineFailed:
		lines := []string{"", " " + sh.th.Title.Render(components.Cut(s.chosen.label+" · "+s.chosen.pay.Amount.String(), w-2)), "",
			" " + sh.th.Verdict(models.Red).Render(components.Fit(" ✖ "+t.OnlineFailed, w-2))}
		why := components.Describe(t, s.err)
		if components.UnknownOutcome(s.err) {
			why = t.OnlineUnknown
		}
		for _, l := range components.Wrap(why, w-1, " ") {
			lines = append(lines, sh.th.Error.Render(l))
		}
		return strings.Join(append(lines, "", " "+sh.th.Dim.Render(components.Cut(t.OnlineBack, w-2))), "\n")
	case onlineShown:
		return s.qrView()
	}
	lines := []string{""}
	switch {
	case s.plansErr != "":
		lines = append(lines, " "+sh.th.Error.Render(components.Cut(s.plansErr, w-2)))
	case s.plansReq != 0:
		lines = append(lines, " "+sh.th.Dim.Render(t.Loading+"…"))
	case len(s.items) == 0:
		lines = append(lines, " "+sh.th.Warn.Render(components.Cut(t.OnlineNothing, w-2)))
	}
	if len(s.items) > 0 {
		lines = append(lines, s.table.Indented())
	}
	return strings.Join(lines, "\n")
}

// qrView puts the code on the left and what it pays, the hint and the link
// on the right; a terminal too narrow for that gets them under the code,
// the amount above it.
func (s *onlineScreen) qrView() string {
	sh, t := s.sh, s.sh.tr
	code := strings.Split(s.qr, "\n")
	qrWidth := 0
	if len(code) > 0 {
		qrWidth = ansi.StringWidth(code[0])
	}
	title := fmt.Sprintf(t.OnlineTitle, s.chosen.pay.Amount)
	side := s.width - qrWidth - 4
	if side < 24 {
		lines := []string{" " + sh.th.Title.Render(components.Cut(title, s.width-2))}
		for _, l := range code {
			lines = append(lines, " "+l)
		}
		return strings.Join(append(lines, " "+sh.th.Dim.Render(components.Cut(s.page.URL, s.width-2)),
			" "+sh.th.Dim.Render(components.Cut(t.OnlineHint, s.width-2))), "\n")
	}
	var right []string
	for _, l := range components.Wrap(title, side, "") {
		right = append(right, sh.th.Title.Render(l))
	}
	right = append(right, "")
	for _, l := range components.Wrap(s.chosen.label, side, "") {
		right = append(right, sh.th.Bold.Render(l))
	}
	right = append(right, "")
	right = append(right, components.Wrap(t.OnlineHint, side, "")...)
	right = append(right, "")
	for _, l := range components.Wrap(s.page.URL, side, "") {
		right = append(right, sh.th.Dim.Render(l))
	}
	lines := make([]string, max(len(code), len(right)))
	for i := range lines {
		left := strings.Repeat(" ", qrWidth)
		if i < len(code) {
			left = code[i]
		}
		lines[i] = " " + left
		if i < len(right) && right[i] != "" {
			lines[i] += "  " + right[i]
		}
	}
	return strings.Join(lines, "\n")
}
