package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// payRule says how the parts of a payment must add up.
type payRule int

const (
	payExactly payRule = iota // a sale: exactly the total
	payUpTo                   // a debt: above zero, at most what is due
	payAny                    // a top-up: any amount above zero
	payWhole                  // a visit: exactly the total, by one method, cash or card
)

// errOneMethod refuses a visit's payment split over methods or short of
// the total: a visit is paid whole (YCLIENTS' fast payment pays it so).
var errOneMethod = errors.New("a visit is paid in full by one method")

// payForm splits a payment over methods: one amount field per method, the
// cursor on one of them. It is the payment step of a sale, a debt payment
// and a deposit top-up.
type payForm struct {
	sh      *shared
	rule    payRule
	total   models.Money
	deposit models.Money
	methods []models.PaymentMethod
	inputs  []textinput.Model
	cursor  int
	err     string
}

func newPayForm(sh *shared, rule payRule, total, deposit models.Money) *payForm {
	p := &payForm{sh: sh, rule: rule, total: total, deposit: deposit}
	for _, m := range models.PaymentMethods {
		// A top-up from the deposit itself makes no sense, and an empty
		// deposit cannot pay.
		if m == models.PayDeposit && (rule == payAny || !deposit.IsPositive()) {
			continue
		}
		if rule == payWhole && m != models.PayCash && m != models.PayCard {
			continue
		}
		in := newInput("", 14)
		in.SetWidth(14)
		p.methods = append(p.methods, m)
		p.inputs = append(p.inputs, in)
	}
	if rule != payAny && total.IsPositive() {
		p.inputs[0].SetValue(editable(total))
	}
	p.inputs[0].Focus()
	return p
}

func (p *payForm) currency() string {
	if p.total.Currency != "" {
		return p.total.Currency
	}
	return p.sh.info.Currency
}

// payments parses the fields; an empty field is no payment.
func (p *payForm) payments() ([]models.Payment, error) {
	var out []models.Payment
	for i, in := range p.inputs {
		v := strings.TrimSpace(in.Value())
		if v == "" {
			continue
		}
		amt, err := models.ParseMoney(v, p.currency())
		if err != nil {
			return nil, fmt.Errorf(p.sh.tr.ErrBadAmount, clean(v))
		}
		if amt.IsZero() {
			continue
		}
		if !amt.IsPositive() {
			return nil, models.ErrNonPositive
		}
		if amt.Minor > models.MaxDeskPayment.Minor {
			return nil, fmt.Errorf(p.sh.tr.ErrTooLarge, models.MaxDeskPayment)
		}
		out = append(out, models.Payment{Method: p.methods[i], Amount: amt})
	}
	return out, nil
}

func sum(ps []models.Payment, currency string) models.Money {
	total := models.Money{Currency: currency}
	for _, p := range ps {
		total = total.Add(p.Amount)
	}
	return total
}

// check validates the split by the form's rule; the error is worded for
// the receptionist.
func (p *payForm) check() ([]models.Payment, error) {
	ps, err := p.payments()
	if err != nil {
		return nil, err
	}
	paid := sum(ps, p.currency())
	for _, pm := range ps {
		if pm.Method == models.PayDeposit && pm.Amount.Minor > p.deposit.Minor {
			return nil, providers.ErrInsufficientFunds
		}
	}
	switch p.rule {
	case payExactly:
		if err := models.ValidatePayments(ps, p.total); err != nil {
			return nil, err
		}
	case payWhole:
		if len(ps) != 1 || ps[0].Amount.Minor != p.total.Minor {
			return nil, errOneMethod
		}
	case payUpTo:
		if !paid.IsPositive() {
			return nil, models.ErrNonPositive
		}
		if paid.Minor > p.total.Minor {
			return nil, models.ErrPaymentsMismatch
		}
	case payAny:
		if !paid.IsPositive() {
			return nil, models.ErrNonPositive
		}
	}
	return ps, nil
}

func (p *payForm) remaining() models.Money {
	ps, _ := p.payments()
	return p.total.Sub(sum(ps, p.currency()))
}

func (p *payForm) focus(i int) tea.Cmd {
	p.inputs[p.cursor].Blur()
	p.cursor = (i + len(p.inputs)) % len(p.inputs)
	return p.inputs[p.cursor].Focus()
}

// Update handles the keys of the form; Enter is left to the screen.
func (p *payForm) Update(msg tea.Msg) tea.Cmd {
	k := &p.sh.keys
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		p.err = ""
		switch {
		case key.Matches(kp, k.Up, k.BackTab):
			return p.focus(p.cursor - 1)
		case key.Matches(kp, k.Down, k.Tab):
			return p.focus(p.cursor + 1)
		case key.Matches(kp, k.FillRest):
			// Put whatever is not yet allocated into this method.
			cur, _ := models.ParseMoney(p.inputs[p.cursor].Value(), p.currency())
			rest := p.remaining().Add(cur)
			if rest.IsPositive() {
				p.inputs[p.cursor].SetValue(editable(rest))
			} else {
				p.inputs[p.cursor].SetValue("")
			}
			p.inputs[p.cursor].CursorEnd()
			return nil
		}
	}
	var cmd tea.Cmd
	p.inputs[p.cursor], cmd = p.inputs[p.cursor].Update(msg)
	return cmd
}

// View lists the methods with their amounts and what is left to allocate.
func (p *payForm) View(width int) []string {
	sh, t := p.sh, p.sh.tr
	var lines []string
	for i, m := range p.methods {
		mark := "  "
		if i == p.cursor {
			mark = sh.th.Focused.Render("› ")
		}
		line := "   " + mark + fit(t.PayMethod[m], 22) + " " + p.inputs[i].View()
		if m == models.PayDeposit {
			line += sh.th.Dim.Render("  " + fmt.Sprintf(t.Available, p.deposit))
		}
		lines = append(lines, cut(line, width))
	}
	ps, err := p.payments()
	paid := sum(ps, p.currency())
	summary := "   " + t.Paid + ": " + paid.String()
	if p.rule == payExactly || p.rule == payWhole {
		rest := p.total.Sub(paid)
		style := sh.th.OK
		if !rest.IsZero() {
			style = sh.th.Warn
		}
		summary += "   " + style.Render(t.Remaining+": "+rest.String())
	}
	lines = append(lines, "", summary)
	if err == nil && p.err != "" {
		lines = append(lines, "   "+sh.th.Error.Render(cut(p.err, width-4)))
	} else if err != nil {
		lines = append(lines, "   "+sh.th.Error.Render(cut(describe(t, err), width-4)))
	}
	return lines
}

// paymentsLine words a split for the confirmation: "Наличные 1 000 ₽ + Банковская карта 500 ₽".
func paymentsLine(t *texts, ps []models.Payment) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = t.PayMethod[p.Method] + " " + p.Amount.String()
	}
	return strings.Join(parts, " + ")
}

// outcomeLines reports what happened to every part of a payment.
func outcomeLines(sh *shared, outs []models.PaymentOutcome, width int) []string {
	var lines []string
	for _, o := range outs {
		state, style := sh.tr.StepDone, sh.th.OK
		switch o.Outcome {
		case models.OutcomeFailed:
			state, style = sh.tr.StepFailed, sh.th.Error
		case models.OutcomeNotTried:
			state, style = sh.tr.StepNotTried, sh.th.Dim
		case models.OutcomeUnknown:
			state, style = sh.tr.StepUnknown, sh.th.Error
		}
		line := "   " + fit(sh.tr.PayMethod[o.Payment.Method], 22) + " " + fit(o.Payment.Amount.String(), 14) + " " + state
		if o.Detail != "" {
			line += " — " + clean(o.Detail)
		}
		lines = append(lines, style.Render(cut(line, width)))
	}
	return lines
}

// editable is an amount as the receptionist would type it: "3600", or
// "3600.50" when there are kopecks.
func editable(m models.Money) string {
	d := m.Decimal()
	if i := strings.IndexByte(d, '.'); i >= 0 && strings.Trim(d[i+1:], "0") == "" {
		return d[:i]
	}
	return d
}
