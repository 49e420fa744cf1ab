package screens

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/ui/components"
)

type saleStage int

const (
	salePlan saleStage = iota
	saleTerms
	salePay
	saleConfirm
	saleSending
	saleResult
)

// Fields of the terms step.
const (
	termStart = iota
	termKind
	termValue
	termReason
	termCount
)

// saleScreen sells a membership in steps: plan, terms, payment, review,
// result. The sale is sent once, and is not "done" until the provider says
// so; a failure reports what was and was not charged.
type saleScreen struct {
	base
	sh     *Common
	client models.Client
	stage  saleStage

	plans    []models.Plan
	filtered []models.Plan
	filter   textinput.Model
	table    components.Table
	plansReq int
	plansErr string

	plan      models.Plan
	terms     [termCount]textinput.Model
	termFocus int
	kind      models.DiscountKind
	termsErr  string

	pay  *components.PayForm
	sale models.Sale

	req    int
	result models.SaleResult
	err    error

	width, height int
}

func newSale(sh *Common, c models.Client) *saleScreen {
	f := components.NewInput(sh.tr.Filter, 40)
	f.Focus()
	s := &saleScreen{sh: sh, client: c, filter: f}
	s.table = components.NewTable(sh.th,
		components.Column{Title: sh.tr.Plan, Flex: 1, Min: 20, Max: 44, Middle: true},
		components.Column{Title: sh.tr.FieldPeriod, Width: 20, Fit: true},
		components.Column{Title: sh.tr.Price, Width: 26, Fit: true, Right: true},
	)
	for i := range s.terms {
		in := components.NewInput("", 60)
		s.terms[i] = in
	}
	s.terms[termStart].SetValue(sh.today().Short())
	s.terms[termStart].CharLimit = 10
	s.terms[termValue].CharLimit = 12
	return s
}

// Init reads the plans (from memory after the session's first sale).
func (s *saleScreen) Init() Action {
	var a Action
	s.plansReq, a = readPlans(s.sh, s, s.sh.tr.Screen.Sale)
	return a
}

// readPlans reads what the club sells for owner.
func readPlans(sh *Common, owner Screen, label string) (int, Action) {
	prov := sh.prov
	return Run(sh, owner, label, false, func(ctx context.Context) ([]models.Plan, error) { return prov.Plans(ctx) })
}

func (s *saleScreen) Title() string {
	return s.sh.tr.Screen.Sale + ": " + components.Clean(s.client.ShortName())
}

func (s *saleScreen) Typing() bool {
	return s.stage == salePlan || s.stage == saleTerms || s.stage == salePay
}

func (s *saleScreen) Kind() Kind { return KindSale }

func (s *saleScreen) peek() Snapshot {
	return Snapshot{Kind: KindSale, Client: s.client, Stage: int(s.stage), Loading: s.plansReq != 0, Cursor: s.table.Cursor()}
}

// narrowSale is the width below which the plan list words a membership
// fee with its amount only, so that two plans' names can be told apart.
const narrowSale = 80

func (s *saleScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.filter.SetWidth(w - 12)
	s.table.SetSize(w-2, max(h-4, 1))
	if len(s.plans) > 0 {
		s.applyFilter() // the fee's words depend on the width
	}
	s.terms[termStart].SetWidth(11)
	s.terms[termValue].SetWidth(12)
	s.terms[termReason].SetWidth(min(w-26, 50))
}

func (s *saleScreen) Help() []key.Binding {
	k := s.sh.keys
	switch s.stage {
	case salePlan:
		pick := k.Open
		pick.SetHelp(pick.Help().Key, s.sh.tr.KeyPick)
		return []key.Binding{pick, k.Up, k.Back}
	case saleTerms:
		return []key.Binding{k.Confirm, k.Tab, k.Back}
	case salePay:
		if onlinePayer(s.sh) != nil {
			return []key.Binding{k.Confirm, k.Up, k.FillRest, k.QR, k.Back}
		}
		return []key.Binding{k.Confirm, k.Up, k.FillRest, k.Back}
	case saleConfirm:
		return []key.Binding{k.Yes, k.No, k.Back}
	case saleResult:
		return []key.Binding{k.Confirm}
	}
	return nil
}

func (s *saleScreen) setPlans(ps []models.Plan) {
	s.plans = ps
	s.applyFilter()
}

func (s *saleScreen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(s.filter.Value()))
	s.filtered = s.filtered[:0]
	var rows []components.Row
	for _, p := range s.plans {
		if q != "" && !strings.Contains(strings.ToLower(p.Name+" "+p.Group), q) {
			continue
		}
		s.filtered = append(s.filtered, p)
		price := p.Price.In(s.sh.tr.Lang)
		if p.MembershipFee.IsPositive() {
			fee := fmt.Sprintf(s.sh.tr.PlanFee, p.MembershipFee)
			if s.width < narrowSale {
				fee = "+ " + p.MembershipFee.String() // the plan's name needs the room
			}
			price = fmt.Sprintf("%s %s", p.Price, fee)
		}
		rows = append(rows, components.Row{Cells: []string{components.Clean(p.Name), s.planTerms(p), price}})
	}
	s.table.SetRows(rows)
}

// planTerms words what a plan gives: "8 пос. · 1 мес.".
func (s *saleScreen) planTerms(p models.Plan) string {
	t := s.sh.tr
	visits := t.PlanUnlimited
	if !p.Unlimited() {
		visits = t.Count(t.PlanVisits, p.Visits)
	}
	switch {
	case p.Months > 0:
		return visits + " · " + t.Count(t.PlanMonths, p.Months)
	case p.Days > 0:
		return visits + " · " + t.Count(t.PlanDays, p.Days)
	}
	return visits
}

func (s *saleScreen) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case doneMsg[[]models.Plan]:
		if !ours(&s.plansReq, msg) {
			return nil
		}
		if msg.err != nil {
			s.plansErr = s.sh.describe(msg.err)
			return nil
		}
		s.setPlans(msg.val)
		return nil
	case doneMsg[models.SaleResult]:
		if !ours(&s.req, msg) {
			return nil
		}
		s.stage, s.result, s.err = saleResult, msg.val, msg.err
		if msg.err != nil {
			s.sh.log.Error("sale failed", "client", s.client.ID, "plan", s.plan.ID, "err", msg.err)
		} else {
			s.sh.log.Info("sale done", "client", s.client.ID, "plan", s.plan.ID, "membership", msg.val.Membership.ID)
		}
		return nil
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return s.updateInput(msg)
}

// updateInput passes non-key messages (cursor blink, paste) to the focused
// field.
func (s *saleScreen) updateInput(msg tea.Msg) Action {
	var c tea.Cmd
	switch s.stage {
	case salePlan:
		before := s.filter.Value()
		s.filter, c = s.filter.Update(msg)
		if s.filter.Value() != before {
			s.applyFilter()
		}
	case saleTerms:
		s.terms[s.termFocus], c = s.terms[s.termFocus].Update(msg)
	case salePay:
		c = s.pay.Update(msg)
	}
	return cmd(c)
}

func (s *saleScreen) key(msg tea.KeyPressMsg) Action {
	k := s.sh.keys
	switch s.stage {
	case salePlan:
		switch {
		case key.Matches(msg, k.Back):
			return Pop{Screen: s}
		case s.sh.moveInList(&s.table, msg):
			return nil
		case key.Matches(msg, k.Open):
			if len(s.filtered) == 0 {
				return nil
			}
			plan := s.filtered[s.table.Cursor()]
			if plan.Price.Unknown || plan.MembershipFee.Unknown {
				// A plan whose price could not be read is not sold at a guess.
				return toast(models.Red, "%s", models.UnknownAmountRefusal.In(s.sh.tr.Lang))
			}
			s.plan = plan
			s.stage = saleTerms
			return s.focusTerm(termStart)
		}
	case saleTerms:
		return s.termsKey(msg)
	case salePay:
		switch {
		case key.Matches(msg, k.QR) && onlinePayer(s.sh) != nil:
			// The client pays from a phone and the CRM issues the
			// membership itself, so the desk sends no sale.
			s.sh.log.Info("online payment asked", "client", s.client.ID, "plan", s.plan.ID)
			return Push{newOnlineForSale(s.sh, s.client, s.plan, s.sale.Totals().Total)}
		case key.Matches(msg, k.Back):
			s.stage = saleTerms
			return s.focusTerm(s.termFocus)
		case key.Matches(msg, k.Confirm):
			ps, err := s.pay.Check()
			if err != nil {
				s.pay.Err = s.sh.describe(err)
				return nil
			}
			s.sale.Payments = ps
			if err := s.sale.Validate(); err != nil {
				s.pay.Err = s.sh.describe(err)
				return nil
			}
			s.stage = saleConfirm
			return nil
		}
	case saleConfirm:
		// The sale is sent on a letter only: the Enter that ended the
		// payment step, pressed twice, does not send it.
		switch {
		case key.Matches(msg, k.Yes):
			return s.send()
		case key.Matches(msg, k.No, k.Back):
			s.stage = salePay
		}
		return nil
	case saleSending:
		return nil // the sale is in the provider's hands; nothing to press
	case saleResult:
		if key.Matches(msg, k.Confirm, k.Back) {
			// A sale changes the memberships and the money, not the
			// visits or the bookings.
			return Pop{Screen: s, Then: reloadMsg{parts: PartClient | PartMemberships}}
		}
		return nil
	}
	return s.updateInput(msg)
}

// activeTerms lists the fields of the terms step in order; the value and
// reason fields mean nothing without a discount.
func (s *saleScreen) activeTerms() []int {
	if s.kind == models.DiscountNone {
		return []int{termStart, termKind}
	}
	return []int{termStart, termKind, termValue, termReason}
}

func (s *saleScreen) moveTerm(d int) Action {
	list := s.activeTerms()
	idx := 0
	for i, f := range list {
		if f == s.termFocus {
			idx = i
		}
	}
	return s.focusTerm(list[(idx+d+len(list))%len(list)])
}

func (s *saleScreen) focusTerm(i int) Action {
	s.terms[s.termFocus].Blur()
	s.termFocus = i
	if i == termKind {
		return nil
	}
	return cmd(s.terms[i].Focus())
}

func (s *saleScreen) termsKey(msg tea.KeyPressMsg) Action {
	k := s.sh.keys
	switch {
	case key.Matches(msg, k.Back):
		s.stage = salePlan
		return cmd(s.filter.Focus())
	case key.Matches(msg, k.Tab, k.Down):
		return s.moveTerm(1)
	case key.Matches(msg, k.BackTab, k.Up):
		return s.moveTerm(-1)
	case key.Matches(msg, k.Confirm):
		return s.toPayment()
	}
	switch s.termFocus {
	case termStart:
		if key.Matches(msg, k.DayLater, k.DayEarlier) {
			d, err := models.ParseDate(s.terms[termStart].Value())
			if err != nil {
				d = s.sh.today()
			}
			if key.Matches(msg, k.DayLater) {
				d = d.AddDays(1)
			} else {
				d = d.AddDays(-1)
			}
			s.terms[termStart].SetValue(d.Short())
			return nil
		}
	case termKind:
		switch {
		case key.Matches(msg, k.PrevDay):
			s.kind = (s.kind + 2) % 3
		case key.Matches(msg, k.NextDay, k.Cycle):
			s.kind = (s.kind + 1) % 3
		}
		return nil
	}
	return s.updateInput(msg)
}

// toPayment checks the terms and builds the sale.
func (s *saleScreen) toPayment() Action {
	t := s.sh.tr
	start, err := models.ParseDate(s.terms[termStart].Value())
	if err != nil {
		s.termsErr = fmt.Sprintf(t.ErrBadDate, components.Clean(s.terms[termStart].Value()))
		return nil
	}
	d := models.Discount{Kind: s.kind, Reason: strings.TrimSpace(s.terms[termReason].Value())}
	val := strings.TrimSpace(s.terms[termValue].Value())
	switch s.kind {
	case models.DiscountPercent:
		m, err := models.ParseMoney(val, "JPY") // whole numbers only
		if err != nil {
			s.termsErr = t.ErrDiscountRange
			return nil
		}
		d.Percent = m.Minor
	case models.DiscountAmount:
		m, err := models.ParseMoney(val, s.plan.Price.Currency)
		if err != nil {
			s.termsErr = fmt.Sprintf(t.ErrBadAmount, components.Clean(val))
			return nil
		}
		d.Amount = m
		switch {
		case m.Minor < 0:
			s.termsErr = t.ErrNonPositive
			return s.focusTerm(termValue)
		case m.Minor > s.plan.Price.Minor:
			s.termsErr = fmt.Sprintf(t.ErrDiscountAbove, m, s.plan.Price)
			return s.focusTerm(termValue)
		case m.IsZero():
			d.Kind = models.DiscountNone
		}
	}
	sale := models.Sale{ClientID: s.client.ID, Plan: s.plan, Start: start, Discount: d}
	if d.Kind == models.DiscountPercent && (d.Percent < 1 || d.Percent > 100) {
		s.termsErr = t.ErrDiscountRange
		return nil
	}
	if d.Kind != models.DiscountNone && d.Reason == "" {
		s.termsErr = t.ErrDiscountReason
		return s.focusTerm(termReason)
	}
	s.termsErr = ""
	s.sale = sale
	s.pay = components.NewPayForm(s.sh.payDeps(), components.PayExactly, sale.Totals().Total, s.client.Deposit)
	s.stage = salePay
	return nil
}

func (s *saleScreen) send() Action {
	if s.req != 0 {
		return nil
	}
	s.stage = saleSending
	sale, prov := s.sale, s.sh.prov
	s.sh.log.Info("sale sent", "client", s.client.ID, "plan", sale.Plan.ID, "total", sale.Totals().Total.Decimal())
	var a Action
	s.req, a = Run(s.sh, s, s.sh.tr.Screen.Sale+": "+components.Clean(sale.Plan.Name), true,
		func(ctx context.Context) (models.SaleResult, error) { return prov.Sell(ctx, sale) })
	return a
}

func (s *saleScreen) steps() string {
	t := s.sh.tr
	names := []string{t.SaleStepPlan, t.SaleStepTerms, t.SaleStepPay, t.SaleStepConfirm, t.SaleStepResult}
	cur := int(s.stage)
	switch s.stage {
	case saleSending:
		cur = int(saleConfirm)
	case saleResult:
		cur = len(names) - 1
	}
	// A narrow terminal keeps the current step's name and numbers the rest.
	wide := ansi.StringWidth(strings.Join(names, " › "))+3 <= s.width
	parts := make([]string, len(names))
	for i, n := range names {
		if !wide && i != cur {
			n, _, _ = strings.Cut(n, " ")
		}
		switch {
		case i == cur:
			parts[i] = s.sh.th.Focused.Render("[" + n + "]")
		case i < cur:
			parts[i] = s.sh.th.OK.Render(n)
		default:
			parts[i] = s.sh.th.Dim.Render(n)
		}
	}
	return " " + strings.Join(parts, s.sh.th.Dim.Render(" › "))
}

func (s *saleScreen) View() string {
	lines := []string{s.steps(), ""}
	switch s.stage {
	case salePlan:
		lines = append(lines, s.planView()...)
	case saleTerms:
		lines = append(lines, s.termsView()...)
	case salePay:
		lines = append(lines, s.summary(false)...)
		lines = append(lines, "")
		lines = append(lines, s.pay.View(s.width)...)
		lines = append(lines, s.wrapped(s.sh.th.Dim, s.sh.tr.PayHint)...)
	case saleConfirm:
		lines = append(lines, s.summary(true)...)
		ask := fmt.Sprintf(s.sh.tr.ConfirmSale, components.Clean(s.plan.Name), s.sale.Totals().Total) + s.sh.tr.YesNo
		lines = append(lines, "")
		lines = append(lines, s.wrapped(s.sh.th.Warn, ask)...)
		lines = append(lines, s.wrapped(s.sh.th.Dim, s.sh.tr.ConfirmHint)...)
	case saleSending:
		lines = append(lines, s.summary(true)...)
		lines = append(lines, "", " "+s.sh.th.Warn.Render("⟳ "+s.sh.tr.Sending+"…"))
	case saleResult:
		lines = append(lines, s.resultView()...)
	}
	return strings.Join(squeeze(lines, s.height), "\n")
}

// wrapped words a hint or a question over as many lines as it needs: a
// question that names the amount and "y — да" is never cut off.
func (s *saleScreen) wrapped(style lipgloss.Style, text string) []string {
	lines := components.Wrap(text, s.width-1, " ")
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

func (s *saleScreen) planView() []string {
	lines := []string{" " + s.filter.View()}
	switch {
	case s.plansErr != "":
		lines = append(lines, " "+s.sh.th.Error.Render(components.Cut(s.plansErr, s.width-2)))
	case s.plansReq != 0:
		lines = append(lines, " "+s.sh.th.Dim.Render(s.sh.tr.Loading+"…"))
	case len(s.filtered) == 0:
		lines = append(lines, " "+s.sh.th.Warn.Render(fmt.Sprintf(s.sh.tr.PlanNone, components.Clean(s.filter.Value()))))
	default:
		lines = append(lines, "", s.table.Indented())
	}
	return lines
}

func (s *saleScreen) termsView() []string {
	sh, t := s.sh, s.sh.tr
	label := func(i int, text string) string {
		if i == s.termFocus {
			return sh.th.Focused.Render("› " + components.Fit(text, 18))
		}
		return "  " + components.Fit(text, 18)
	}
	kinds := []string{t.DiscountNone, t.DiscountPercent, t.DiscountAmount}
	var kindParts []string
	for i, name := range kinds {
		if models.DiscountKind(i) == s.kind {
			kindParts = append(kindParts, sh.th.Selected.Render(" "+name+" "))
		} else {
			kindParts = append(kindParts, " "+name+" ")
		}
	}
	lines := []string{
		" " + sh.th.Title.Render(components.Clean(s.plan.Name)) + sh.th.Dim.Render(" · "+s.planTerms(s.plan)+" · "+s.plan.Price.String()),
		"",
		" " + label(termStart, t.FieldStart) + " " + s.terms[termStart].View() + sh.th.Dim.Render(components.Cut("  "+t.StartHint, max(s.width-34, 0))),
		" " + label(termKind, t.FieldDiscount) + " " + strings.Join(kindParts, " "),
	}
	if s.kind != models.DiscountNone {
		unit := "%"
		if s.kind == models.DiscountAmount {
			unit = models.CurrencySign(s.plan.Price.Currency)
		}
		lines = append(lines,
			" "+label(termValue, t.FieldDiscountValue)+" "+s.terms[termValue].View()+" "+unit,
			" "+label(termReason, t.FieldReason)+" "+s.terms[termReason].View())
	}
	if total, ok := s.previewTotal(); ok {
		lines = append(lines, "", "   "+components.Fit(t.Total+":", 18)+" "+sh.th.Bold.Render(total.String()))
	}
	lines = append(lines, "")
	lines = append(lines, s.wrapped(sh.th.Dim, t.DiscountHint)...)
	if s.termsErr != "" {
		lines = append(lines, s.wrapped(sh.th.Error, s.termsErr)...)
	}
	return lines
}

// previewTotal is the total as the terms stand, while they are typed.
func (s *saleScreen) previewTotal() (models.Money, bool) {
	sale := models.Sale{Plan: s.plan, Discount: models.Discount{Kind: s.kind}}
	val := strings.TrimSpace(s.terms[termValue].Value())
	switch s.kind {
	case models.DiscountPercent:
		m, err := models.ParseMoney(val, "JPY")
		if err != nil && val != "" {
			return models.Money{}, false
		}
		sale.Discount.Percent = min(max(m.Minor, 0), 100)
	case models.DiscountAmount:
		m, err := models.ParseMoney(val, s.plan.Price.Currency)
		if err != nil && val != "" {
			return models.Money{}, false
		}
		sale.Discount.Amount = m
	}
	return sale.Totals().Total, true
}

// summary is the sale's arithmetic; with payments it is the review screen.
func (s *saleScreen) summary(withPayments bool) []string {
	sh, t := s.sh, s.sh.tr
	tot := s.sale.Totals()
	row := func(label, value string) string { return "   " + components.Fit(label+":", 18) + " " + value }
	lines := []string{
		row(t.Client, components.Clean(s.client.FullName())),
		row(t.Plan, components.Clean(s.plan.Name)+" · "+s.planTerms(s.plan)),
		row(t.FieldPeriod, components.Clean(s.plan.Period(s.sale.Start).In(t.Lang))),
		row(t.Price, tot.Price.String()),
	}
	if tot.Discount.IsPositive() {
		lines = append(lines, row(t.Discount, "−"+tot.Discount.String()+" ("+components.Clean(s.sale.Discount.Reason)+")"))
	}
	if tot.Fee.IsPositive() {
		lines = append(lines, row(t.Fee, tot.Fee.String()))
	}
	lines = append(lines, row(t.Total, sh.th.Bold.Render(tot.Total.String())))
	if withPayments {
		lines = append(lines, row(t.Paid, components.PaymentsLine(t, s.sale.Payments)))
	}
	return lines
}

func (s *saleScreen) resultView() []string {
	sh, t := s.sh, s.sh.tr
	var lines []string
	r := s.result
	// The heading says what the CRM holds, in the words the toast, the
	// journal and the shift report use: done, done in part, unknown, not
	// done — a created membership with money taken is never "failed".
	v := saleVerdict(r, s.err)
	name := components.Clean(s.plan.Name)
	if r.MembershipCreated == models.OutcomeDone && r.Membership.Title != "" {
		name = components.Clean(r.Membership.Title)
	}
	head := v.Mark() + " " + v.Heading(models.WriteSell, name).In(t.Lang)
	lines = append(lines, " "+sh.th.Verdict(v.Level()).Render(components.Fit(" "+head, s.width-2)))
	if r.MembershipCreated == models.OutcomeDone {
		lines = append(lines, "   "+t.FieldPeriod+": "+components.Clean(r.Membership.Period().In(t.Lang)))
	}
	switch v {
	case models.SettledUnknown:
		for _, l := range components.Wrap(t.SaleUnknown, s.width-1, " ") {
			lines = append(lines, sh.th.Error.Render(l))
		}
	case models.SettledInPart, models.SettledFailed:
		if s.err != nil {
			for _, l := range components.Wrap(components.Describe(t, s.err), s.width-1, " ") {
				lines = append(lines, sh.th.Error.Render(l))
			}
		}
	}
	if v == models.SettledInPart || v == models.SettledUnknown {
		lines = append(lines, "   "+components.Clean(r.Summary().In(t.Lang)))
	}
	lines = append(lines, "")
	memState := map[models.Outcome]string{models.OutcomeDone: t.StepDone, models.OutcomeFailed: t.StepFailed,
		models.OutcomeNotTried: t.StepNotTried, models.OutcomeUnknown: t.StepUnknown}[r.MembershipCreated]
	// The plan's name takes what the line has left after its state.
	planName := components.Clean(s.plan.Name)
	nameW := max(14, min(ansi.StringWidth(planName), s.width-3-22-1-ansi.StringWidth(memState)-2))
	lines = append(lines, "   "+components.Fit(t.StepMembership, 22)+" "+components.Fit(planName, nameW)+" "+memState)
	outs := r.Payments
	if len(outs) == 0 {
		// Nothing was reported per payment: none was attempted.
		for _, p := range s.sale.Payments {
			outs = append(outs, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
		}
	}
	lines = append(lines, components.OutcomeLines(t, sh.th, outs, s.width)...)
	charged := r.Charged()
	lines = append(lines, "")
	if charged.IsPositive() {
		lines = append(lines, " "+sh.th.Bold.Render(fmt.Sprintf(t.Charged, charged)))
	} else if s.err != nil && !r.Unconfirmed().IsPositive() && !components.UnknownOutcome(s.err) {
		lines = append(lines, " "+sh.th.Bold.Render(t.NotCharged))
	}
	return append(lines, "", " "+sh.th.Dim.Render(t.ResultHint))
}

// saleVerdict is how a sale ended; an answer that never came is unknown
// whatever the result says.
func saleVerdict(r models.SaleResult, err error) models.Settled {
	if components.UnknownOutcome(err) {
		return models.SettledUnknown
	}
	return r.Verdict()
}
