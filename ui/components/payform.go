package components

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/keymap"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// PayDeps are what a payment form is drawn and driven with.
type PayDeps struct {
	Texts *i18n.Texts
	Keys  *keymap.KeyMap
	Theme *styles.Theme
	// Currency is the club's, for a form that starts at no amount.
	Currency string
}

// PayRule says how the parts of a payment must add up.
type PayRule int

const (
	PayExactly PayRule = iota // a sale: exactly the total
	PayUpTo                   // a debt: above zero, at most what is due
	PayAny                    // a top-up: any amount above zero
	PayWhole                  // a visit: exactly the total, by one method, cash or card
)

// ErrOneMethod refuses a visit's payment split over methods or short of
// the total: a visit is paid whole (YCLIENTS' fast payment pays it so).
var ErrOneMethod = errors.New("a visit is paid in full by one method")

// PayForm splits a payment over methods: one amount field per method, the
// cursor on one of them. It is the payment step of a sale, a debt payment
// and a deposit top-up.
type PayForm struct {
	d       PayDeps
	rule    PayRule
	total   models.Money
	deposit models.Money
	methods []models.PaymentMethod
	inputs  []textinput.Model
	cursor  int
	// given marks the fields whose amount the desk put there (the total,
	// the rest): a digit typed into one replaces it rather than being
	// added to its end.
	given map[int]bool
	// cardFirst: the form opened on the card with the cash proposed.
	cardFirst bool
	// Err is the form's refusal, shown under it.
	Err string
}

// NewPayForm builds a form for total (nothing for a top-up) with the
// client's deposit as a method when it can pay.
func NewPayForm(d PayDeps, rule PayRule, total, deposit models.Money) *PayForm {
	p := &PayForm{d: d, rule: rule, total: total, deposit: deposit, given: map[int]bool{}}
	for _, m := range models.PaymentMethods {
		// A top-up from the deposit itself makes no sense, and an empty
		// deposit cannot pay.
		if m == models.PayDeposit && (rule == PayAny || !deposit.IsPositive()) {
			continue
		}
		if rule == PayWhole && m != models.PayCash && m != models.PayCard {
			continue
		}
		in := NewInput("", 14)
		in.SetWidth(14)
		p.methods = append(p.methods, m)
		p.inputs = append(p.inputs, in)
	}
	if rule != PayAny && total.IsPositive() {
		p.inputs[0].SetValue(Editable(total))
		p.given[0] = true
	}
	if rule == PayExactly && total.IsPositive() && len(p.methods) > 1 && p.methods[1] == models.PayCard {
		// A sale proposes it all in cash and waits on the card: Enter
		// takes the cash, an amount typed is the card's part and the
		// cash follows (↓ 1000 Enter was ↓ 1000 ↑ Ctrl+U = Enter).
		p.cursor, p.cardFirst = 1, true
	}
	p.inputs[p.cursor].Focus()
	return p
}

// Currency is the form's currency.
func (p *PayForm) Currency() string {
	if p.total.Currency != "" {
		return p.total.Currency
	}
	return p.d.Currency
}

// payments parses the fields; an empty field is no payment.
func (p *PayForm) payments() ([]models.Payment, error) {
	var out []models.Payment
	for i, in := range p.inputs {
		v := strings.TrimSpace(in.Value())
		if v == "" {
			continue
		}
		amt, err := models.ParseMoney(v, p.Currency())
		if err != nil {
			return nil, fmt.Errorf(p.d.Texts.ErrBadAmount, Clean(v))
		}
		if amt.IsZero() {
			continue
		}
		if !amt.IsPositive() {
			return nil, models.ErrNonPositive
		}
		if amt.Minor > models.MaxDeskPayment.Minor {
			return nil, fmt.Errorf(p.d.Texts.ErrTooLarge, models.MaxDeskPayment)
		}
		out = append(out, models.Payment{Method: p.methods[i], Amount: amt})
	}
	return out, nil
}

// Sum adds up payments in currency.
func Sum(ps []models.Payment, currency string) models.Money {
	total := models.Money{Currency: currency}
	for _, p := range ps {
		total = total.Add(p.Amount)
	}
	return total
}

// Check validates the split by the form's rule; the error is worded for
// the receptionist.
func (p *PayForm) Check() ([]models.Payment, error) {
	ps, err := p.payments()
	if err != nil {
		return nil, err
	}
	paid := Sum(ps, p.Currency())
	for _, pm := range ps {
		if pm.Method == models.PayDeposit && pm.Amount.Minor > p.deposit.Minor {
			return nil, providers.ErrInsufficientFunds
		}
	}
	switch p.rule {
	case PayExactly:
		if err := models.ValidatePayments(ps, p.total); err != nil {
			return nil, err
		}
	case PayWhole:
		if len(ps) != 1 || ps[0].Amount.Minor != p.total.Minor {
			return nil, ErrOneMethod
		}
	case PayUpTo:
		if !paid.IsPositive() {
			return nil, models.ErrNonPositive
		}
		if paid.Minor > p.total.Minor {
			return nil, models.ErrPaymentsMismatch
		}
	case PayAny:
		if !paid.IsPositive() {
			return nil, models.ErrNonPositive
		}
	}
	return ps, nil
}

func (p *PayForm) remaining() models.Money {
	ps, _ := p.payments()
	return p.total.Sub(Sum(ps, p.Currency()))
}

func (p *PayForm) focus(i int) tea.Cmd {
	p.inputs[p.cursor].Blur()
	p.cursor = (i + len(p.inputs)) % len(p.inputs)
	return p.inputs[p.cursor].Focus()
}

// Update handles the keys of the form; Enter is left to the screen.
func (p *PayForm) Update(msg tea.Msg) tea.Cmd {
	k := p.d.Keys
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		p.Err = ""
		switch {
		case key.Matches(kp, k.Up, k.BackTab):
			return p.focus(p.cursor - 1)
		case key.Matches(kp, k.Down, k.Tab):
			return p.focus(p.cursor + 1)
		case key.Matches(kp, k.FillRest):
			// Put whatever the receptionist did not type elsewhere into
			// this method: what the desk proposed moves here.
			rest := p.total
			for j, in := range p.inputs {
				if j == p.cursor || p.given[j] {
					continue
				}
				amt, _ := models.ParseMoney(in.Value(), p.Currency())
				rest = rest.Sub(amt)
			}
			if rest.IsPositive() && p.follows() {
				for j, given := range p.given {
					if given && j != p.cursor {
						p.inputs[j].SetValue("")
					}
				}
				clear(p.given) // the rest follows one field only
				p.inputs[p.cursor].SetValue(Editable(rest))
				p.given[p.cursor] = true
			} else if cur, _ := models.ParseMoney(p.inputs[p.cursor].Value(), p.Currency()); p.remaining().Add(cur).IsPositive() {
				p.inputs[p.cursor].SetValue(Editable(p.remaining().Add(cur)))
			} else {
				p.inputs[p.cursor].SetValue("")
			}
			p.inputs[p.cursor].CursorEnd()
			return nil
		case p.given[p.cursor] && kp.Text != "":
			// Typing over the amount the desk proposed: a new amount.
			p.inputs[p.cursor].SetValue("")
			p.given[p.cursor] = false
		default:
			p.given[p.cursor] = false
		}
	}
	before := p.inputs[p.cursor].Value()
	var cmd tea.Cmd
	p.inputs[p.cursor], cmd = p.inputs[p.cursor].Update(msg)
	if p.inputs[p.cursor].Value() != before {
		p.rebalance()
	}
	return cmd
}

// follows reports whether the amount the desk proposed follows the rest:
// a form with a total to reach.
func (p *PayForm) follows() bool { return p.rule != PayAny && p.total.IsPositive() }

// rebalance keeps the field the desk proposed at what the others leave of
// the total, so that a split is the other amount typed and nothing more:
// ↓, 1000 by card, and the rest stays cash. A field the receptionist typed
// into is never changed, nor anything while some field is unreadable.
func (p *PayForm) rebalance() {
	if !p.follows() {
		return
	}
	for i := range p.inputs {
		if i == p.cursor || !p.given[i] {
			continue
		}
		others := models.Money{Currency: p.Currency()}
		for j, in := range p.inputs {
			v := strings.TrimSpace(in.Value())
			if j == i || v == "" {
				continue
			}
			amt, err := models.ParseMoney(v, p.Currency())
			if err != nil {
				return
			}
			others = others.Add(amt)
		}
		if rest := p.total.Sub(others); rest.IsPositive() {
			p.inputs[i].SetValue(Editable(rest))
		} else {
			p.inputs[i].SetValue("")
		}
	}
}

// Hint is the form's line of keys: how a split is made where the proposed
// amount follows the rest.
func (p *PayForm) Hint() string {
	switch {
	case p.cardFirst:
		return p.d.Texts.R.SplitHint
	case p.follows() && len(p.methods) > 1:
		return p.d.Texts.R.SplitHintDown
	}
	return p.d.Texts.PayHint
}

// View lists the methods with their amounts and what is left to allocate.
func (p *PayForm) View(width int) []string {
	th, t := p.d.Theme, p.d.Texts
	var lines []string
	for i, m := range p.methods {
		mark := "  "
		if i == p.cursor {
			mark = th.Focused.Render("› ")
		}
		line := "   " + mark + Fit(t.PayMethod[m], 22) + " " + p.inputs[i].View()
		if m == models.PayDeposit {
			line += th.Dim.Render("  " + fmt.Sprintf(t.Available, p.deposit))
		}
		lines = append(lines, Cut(line, width))
	}
	ps, err := p.payments()
	paid := Sum(ps, p.Currency())
	summary := "   " + t.Paid + ": " + paid.String()
	if p.rule == PayExactly || p.rule == PayWhole {
		rest := p.total.Sub(paid)
		style := th.OK
		if !rest.IsZero() {
			style = th.Warn
		}
		summary += "   " + style.Render(t.Remaining+": "+rest.String())
	}
	lines = append(lines, "", summary)
	if err == nil && p.Err != "" {
		lines = append(lines, "   "+th.Error.Render(Cut(p.Err, width-4)))
	} else if err != nil {
		lines = append(lines, "   "+th.Error.Render(Cut(Describe(t, err), width-4)))
	}
	return lines
}

// PaymentsLine words a split for the confirmation: "Наличные 1 000 ₽ + Банковская карта 500 ₽".
func PaymentsLine(t *i18n.Texts, ps []models.Payment) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = t.PayMethod[p.Method] + " " + p.Amount.String()
	}
	return strings.Join(parts, " + ")
}

// OutcomeLines reports what happened to every part of a payment.
func OutcomeLines(t *i18n.Texts, th *styles.Theme, outs []models.PaymentOutcome, width int) []string {
	var lines []string
	for _, o := range outs {
		state, style := t.StepDone, th.OK
		switch o.Outcome {
		case models.OutcomeFailed:
			state, style = t.StepFailed, th.Error
		case models.OutcomeNotTried:
			state, style = t.StepNotTried, th.Dim
		case models.OutcomeUnknown:
			state, style = t.StepUnknown, th.Error
		}
		line := "   " + Fit(t.PayMethod[o.Payment.Method], 22) + " " + Fit(o.Payment.Amount.String(), 14) + " " + state
		if o.Detail != "" {
			line += " — " + Clean(o.Detail)
		}
		lines = append(lines, style.Render(Cut(line, width)))
	}
	return lines
}

// Editable is an amount as the receptionist would type it: "3600", or
// "3600.50" when there are kopecks.
func Editable(m models.Money) string {
	d := m.Decimal()
	if i := strings.IndexByte(d, '.'); i >= 0 && strings.Trim(d[i+1:], "0") == "" {
		return d[:i]
	}
	return d
}
