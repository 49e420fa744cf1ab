package screens

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
)

// journalScreen lists the operations the desk sent: first those whose
// answer never came, which the receptionist settles here — by asking the
// CRM where the adapter can look (providers.Reconciler), or by looking in
// the CRM themselves — before anything is repeated; Tab shows the day's
// audit trail at this desk.
type journalScreen struct {
	base
	sh    *Common
	today bool // the day's trail rather than what needs checking
	ops   []journal.Operation
	table components.Table

	askReq     int
	askOp      string
	findings   map[string]string // op → what the CRM showed, in words
	found      map[string]models.Finding
	resolveReq int
	width      int
	height     int
}

// resolvedMsg is the journal's answer to a receptionist's verdict.
type resolvedMsg struct {
	op    string
	phase journal.Phase
	err   error
	// A settlement in part opens the client's card with what is left.
	clientID, clientName string
	rest                 models.Money
}

func newJournal(sh *Common) *journalScreen {
	t := &sh.tr.J
	s := &journalScreen{sh: sh, findings: map[string]string{}, found: map[string]models.Finding{}}
	s.table = components.NewTable(sh.th,
		components.Column{Title: t.ColTime, Width: 11},
		components.Column{Title: t.ColWhat, Flex: 3, Min: 16, Max: 60},
		components.Column{Title: t.ColClient, Flex: 2, Max: 40, Drop: 1},
		components.Column{Title: t.ColSum, Width: 12, Right: true},
		components.Column{Title: t.ColState, Width: 12},
	)
	s.reload()
	return s
}

// NewJournal is the operation journal: first what needs checking.
func NewJournal(sh *Common) Screen { return newJournal(sh) }

func (s *journalScreen) Title() string {
	if s.today {
		return s.sh.tr.J.Title + " · " + s.sh.tr.J.Today
	}
	return s.sh.tr.J.Title + " · " + s.sh.tr.J.Pending
}

func (s *journalScreen) Kind() Kind { return KindJournal }

func (s *journalScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.table.SetSize(w-2, max(h-8, 3))
}

func (s *journalScreen) Help() []key.Binding {
	k := s.sh.keys
	if s.today {
		return []key.Binding{k.Up, k.Trail, k.Back}
	}
	out := []key.Binding{k.Ask, k.WentThrough, k.NotThrough}
	if f, ok := s.found[s.selected().Intent.Op]; ok && f.Verdict() == models.SettledInPart {
		out = append(out, k.InPart)
	}
	return append(out, k.Trail, k.Back)
}

// reload reads the journal (it is in memory: no I/O) and keeps the cursor
// on the same operation.
func (s *journalScreen) reload() {
	j := s.sh.journal
	if j == nil {
		return
	}
	keep := s.selected().Intent.Op
	if s.today {
		start, _ := s.sh.today().Bounds(s.sh.loc)
		s.ops = j.Since(start)
	} else {
		s.ops = j.Pending()
	}
	rows := make([]components.Row, 0, len(s.ops))
	cursor := 0
	for i, op := range s.ops {
		if op.Intent.Op == keep {
			cursor = i
		}
		rows = append(rows, s.row(op))
	}
	s.table.SetRows(rows)
	s.table.SetCursor(cursor)
}

func (s *journalScreen) row(op journal.Operation) components.Row {
	sh := s.sh
	in := op.Intent
	at := in.At.In(sh.loc)
	stamp := at.Format("15:04")
	if models.DateOf(at, sh.loc) != sh.today() {
		stamp = at.Format("02.01 15:04")
	}
	r := components.Row{Cells: []string{stamp, s.what(in), components.Clean(in.ClientName), s.sum(in), s.state(op)}}
	switch {
	case op.Phase().NeedsCheck():
		r.Style = &sh.th.Error
	case op.Phase() == journal.Refused, op.Phase() == journal.Partial, op.Phase() == journal.Audit:
		r.Style = &sh.th.Warn
	}
	return r
}

// state words an operation's outcome: a write of money in the words the
// result screens use (done, done in part, unknown, not done), the rest by
// the journal's phase.
func (s *journalScreen) state(op journal.Operation) string {
	switch op.Intent.Kind {
	case models.WriteSell, models.WritePay, models.WriteTopUp:
		if _, settled := op.Phase().Settled(); settled && op.Phase() != journal.Intent {
			return op.Verdict().Words().In(s.sh.tr.Lang)
		}
	}
	return s.sh.tr.J.Phase[op.Phase()]
}

// what names an operation: "Продажа: Безлимит на месяц".
func (s *journalScreen) what(in journal.Entry) string {
	t := &s.sh.tr.J
	what := t.Kind[in.Kind]
	subject := strings.TrimSpace(in.Subject)
	switch in.Kind {
	case models.WriteAttend, models.WriteCancel, models.WritePaymentPage:
		if w, ok := t.Subject[subject]; ok {
			subject = w
		}
	}
	if subject != "" {
		what += ": " + components.Clean(subject)
	}
	return what
}

func (s *journalScreen) sum(in journal.Entry) string {
	if in.Amount == 0 {
		return ""
	}
	return models.Money{Minor: in.Amount, Currency: in.Currency}.String()
}

func (s *journalScreen) selected() journal.Operation {
	if i := s.table.Cursor(); i >= 0 && i < len(s.ops) {
		return s.ops[i]
	}
	return journal.Operation{}
}

func (s *journalScreen) Update(msg tea.Msg) Action {
	k := s.sh.keys
	switch msg := msg.(type) {
	case doneMsg[models.Finding]:
		if !ours(&s.askReq, msg) {
			return nil
		}
		s.findings[s.askOp] = s.finding(msg.val, msg.err)
		if msg.err == nil {
			s.found[s.askOp] = msg.val
		}
	case resolvedMsg:
		if msg.op == "" || s.resolveReq == 0 {
			return nil
		}
		s.resolveReq = 0
		s.reload()
		if msg.err != nil {
			return toast(models.Red, "%s: %s", s.sh.tr.J.ResolveFailed, components.Clean(msg.err.Error()))
		}
		if msg.phase == journal.ConfirmedPart && msg.clientID != "" {
			// What is left is the client's to pay: their card shows it.
			return Then(OpenClient{models.Client{ID: msg.clientID, LastName: msg.clientName}},
				toast(models.Yellow, s.sh.tr.J.RestToTake, msg.rest))
		}
		return toast(models.Green, s.sh.tr.J.Resolved, s.sh.tr.J.Phase[msg.phase])
	case Refresh, reloadMsg, Focus:
		s.reload()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Back):
			return Pop{Screen: s, Then: reloadMsg{}}
		case key.Matches(msg, k.Trail):
			s.today = !s.today
			s.reload()
		case s.sh.moveInList(&s.table, msg):
		case s.today:
		case key.Matches(msg, k.Ask):
			return s.ask()
		case key.Matches(msg, k.WentThrough):
			return s.resolve(journal.Confirmed)
		case key.Matches(msg, k.NotThrough):
			return s.resolve(journal.Dismissed)
		case key.Matches(msg, k.InPart):
			return s.resolvePart()
		}
	}
	return nil
}

// ask has the CRM look for the selected operation's trace.
func (s *journalScreen) ask() Action {
	op := s.selected()
	if op.Intent.Op == "" {
		return nil
	}
	rec, ok := providers.As[providers.Reconciler](s.sh.prov)
	if !ok {
		s.findings[op.Intent.Op] = s.sh.tr.J.NoReconcile
		return nil
	}
	lost := op.Lost()
	s.askOp, s.findings[op.Intent.Op] = op.Intent.Op, s.sh.tr.J.Asking
	var a Action
	s.askReq, a = Run(s.sh, s, s.sh.tr.J.KeyAsk, false, func(ctx context.Context) (models.Finding, error) {
		return rec.Reconcile(ctx, lost)
	})
	return a
}

func (s *journalScreen) finding(f models.Finding, err error) string {
	t := &s.sh.tr.J
	switch {
	case err != nil:
		return t.AskFailed + ": " + s.sh.describe(err)
	case len(f.Steps) > 0:
		// Each request the desk sent, found or not: never a found one
		// under "not found".
		v := f.Verdict()
		return v.Mark() + " " + v.Words().In(s.sh.tr.Lang) + " — " + components.Clean(f.StepsWords().In(s.sh.tr.Lang))
	case f.Found:
		return fmt.Sprintf(t.Found, components.Clean(f.Detail.In(s.sh.tr.Lang)))
	default:
		return fmt.Sprintf(t.NotFound, components.Clean(f.Detail.In(s.sh.tr.Lang)))
	}
}

// resolve writes the receptionist's verdict (file I/O: in a command).
func (s *journalScreen) resolve(phase journal.Phase) Action {
	op := s.selected()
	j, by := s.sh.journal, s.sh.settler()
	if op.Intent.Op == "" || j == nil || s.resolveReq != 0 {
		return nil
	}
	note := s.sh.tr.J.ByDesk
	if f := s.findings[op.Intent.Op]; f != "" && f != s.sh.tr.J.Asking {
		note += ": " + f
	}
	s.resolveReq = 1
	id := op.Intent.Op
	return Do{func() tea.Msg { return resolvedMsg{op: id, phase: phase, err: j.ResolveBy(by, id, phase, note)} }}
}

// resolvePart settles a lost write the CRM shows in part: what it shows
// went through, the rest did not — and is left to take, on the client's
// card. Only after asking the CRM, and only when it showed some of it.
func (s *journalScreen) resolvePart() Action {
	op := s.selected()
	j, by := s.sh.journal, s.sh.settler()
	f, asked := s.found[op.Intent.Op]
	if op.Intent.Op == "" || j == nil || s.resolveReq != 0 {
		return nil
	}
	if !asked || f.Verdict() != models.SettledInPart {
		return toast(models.Yellow, "%s", s.sh.tr.J.InPartFirst)
	}
	parts, ref := journal.PartsFound(f)
	note := s.sh.tr.J.ByDesk + ": " + components.Clean(f.StepsWords().In(s.sh.tr.Lang))
	s.resolveReq = 1
	id, client, name, rest := op.Intent.Op, op.Intent.ClientID, op.Intent.ClientName, f.Unpaid()
	return Do{func() tea.Msg {
		return resolvedMsg{op: id, phase: journal.ConfirmedPart, err: j.ResolvePartBy(by, id, parts, ref, note),
			clientID: client, clientName: name, rest: rest}
	}}
}

func (s *journalScreen) View() string {
	sh, t := s.sh, &s.sh.tr.J
	var b strings.Builder
	b.WriteString("\n")
	if len(s.ops) == 0 {
		empty := t.NonePending
		if s.today {
			empty = t.NoneToday
		}
		b.WriteString(" " + sh.th.Dim.Render(components.Cut(empty, s.width-2)) + "\n")
	} else {
		b.WriteString(s.table.Indented() + "\n")
	}
	if sh.journal != nil && sh.journal.Skipped() > 0 {
		b.WriteString(" " + sh.th.Warn.Render(components.Cut(fmt.Sprintf(t.Broken, sh.journal.Skipped()), s.width-2)) + "\n")
	}
	op := s.selected()
	if op.Intent.Op == "" {
		return b.String()
	}
	b.WriteString("\n")
	for _, line := range s.detail(op) {
		for _, l := range components.Wrap(line, s.width-2, "") {
			b.WriteString(" " + l + "\n")
		}
	}
	return b.String()
}

// detail says what was sent (parts and their fate), what came back, and
// what the CRM showed when asked.
func (s *journalScreen) detail(op journal.Operation) []string {
	sh, t := s.sh, &s.sh.tr.J
	in := op.Intent
	sent := in.At.In(sh.loc).Format("02.01 15:04:05") + whoSaid(in)
	head := sh.th.Bold.Render(s.what(in))
	for _, part := range []string{components.Clean(in.ClientName), s.sum(in)} {
		if part != "" {
			head += " · " + part
		}
	}
	lines := []string{head, sh.th.Label.Render(t.Sent+": ") + sent}
	parts := op.Last.Parts
	if len(parts) == 0 {
		parts = in.Parts
	}
	var ps []string
	for _, p := range parts {
		item := t.Part[p.Method] + " " + models.Money{Minor: p.Amount, Currency: p.Currency}.String()
		if p.Outcome != "" {
			outcome := t.Outcome[p.Outcome]
			if outcome == "" {
				outcome = components.Clean(p.Outcome)
			}
			item += " — " + outcome
		}
		ps = append(ps, item)
	}
	if len(ps) > 0 {
		lines = append(lines, "  "+strings.Join(ps, " · "))
	}
	if in.Kind == models.WriteOverride && in.Reason != "" {
		lines = append(lines, "  "+t.Override+": «"+components.Clean(in.Reason)+"»")
	}
	if op.Last.Op != "" && op.Last.Phase != journal.Intent {
		answer := t.Phase[op.Phase()]
		if m := answerWords(op.Last, sh.tr.Lang); m != "" {
			answer += ": " + components.Clean(m)
		}
		lines = append(lines, sh.th.Label.Render(t.Answer+": ")+answer)
		switch op.Phase() {
		case journal.Confirmed, journal.Dismissed, journal.ConfirmedPart:
			// The receptionist's verdict: when, and whose.
			lines = append(lines, sh.th.Label.Render(t.Checked+": ")+op.Last.At.In(sh.loc).Format("02.01 15:04:05")+whoSaid(op.Last))
		}
	}
	if f := s.findings[in.Op]; f != "" {
		lines = append(lines, sh.th.Label.Render(t.CRMSays+": ")+f)
	}
	return lines
}

// whoSaid is " · operator @ desk" of a line, "" when it names neither.
func whoSaid(e journal.Entry) string {
	if e.Operator == "" && e.Desk == "" {
		return ""
	}
	return " · " + components.Clean(strings.Trim(e.Operator+" @ "+e.Desk, " @"))
}

// answerWords is what an outcome said, for the journal's "Answer" line:
// the CRM's words, the desk's in the console's language, and the log's
// English only in the English console.
func answerWords(last journal.Entry, lang string) string {
	parts := []string{strings.TrimSpace(last.Message), strings.TrimSpace(last.Why.In(lang))}
	if parts[0] == "" && parts[1] == "" && lang == "en" {
		parts = append(parts, strings.TrimSpace(last.Error))
	}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " — ")
}
