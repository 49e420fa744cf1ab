package screens

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/ui/components"
)

// reportScreen shows the shift in figures: check-ins, sales and money taken
// by method, for the club's today.
type reportScreen struct {
	base
	sh     *Common
	day    models.Date
	report *models.ShiftReport
	req    int
	err    string
	width  int
}

// NewReport is today's shift report.
func NewReport(sh *Common) Screen { return &reportScreen{sh: sh, day: sh.today()} }

func (s *reportScreen) Init() Action {
	prov, day := s.sh.prov, s.day
	superseded := cancelRead(s.req)
	var a Action
	s.req, a = Run(s.sh, s, s.sh.tr.Screen.Report, false, func(ctx context.Context) (models.ShiftReport, error) {
		return prov.ShiftReport(ctx, day)
	})
	return Then(superseded, a)
}

func (s *reportScreen) Title() string {
	return s.sh.tr.Screen.Report + " · " + s.day.Short()
}

func (s *reportScreen) Kind() Kind { return KindReport }

func (s *reportScreen) SetSize(w, _ int) { s.width = w }
func (s *reportScreen) Help() []key.Binding {
	return []key.Binding{s.whoKey(), s.sh.keys.Refresh, s.sh.keys.Back}
}

// whoKey is Enter, worded for the names behind the check-ins' count.
func (s *reportScreen) whoKey() key.Binding {
	b := s.sh.keys.Open
	b.SetHelp(b.Help().Key, s.sh.tr.R.KeyWhoHere)
	return b
}

func (s *reportScreen) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case doneMsg[models.ShiftReport]:
		if !ours(&s.req, msg) {
			return nil
		}
		if msg.err != nil {
			s.err = s.sh.describe(msg.err)
			return nil
		}
		r := msg.val
		s.report, s.err = &r, ""
	case Refresh:
		return s.Init()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.sh.keys.Back):
			return Pop{Screen: s}
		case key.Matches(msg, s.sh.keys.Open):
			return Push{newWho(s.sh)}
		}
	}
	return nil
}

func (s *reportScreen) View() string {
	sh, t := s.sh, s.sh.tr
	lines := []string{""}
	switch {
	case s.err != "":
		return "\n " + sh.th.Error.Render(components.Cut(s.err, s.width-2))
	case s.report == nil:
		return "\n " + sh.th.Dim.Render(t.Loading+"…")
	}
	r := s.report
	row := func(label, value string) string { return "   " + components.Fit(label+":", 24) + " " + value }
	lines = append(lines, row(t.ShiftCheckIns, fmt.Sprint(r.CheckIns)+sh.th.Dim.Render("   "+t.R.WhoFromReport)), row(t.ShiftSales, fmt.Sprint(r.Sales)), "")
	if len(r.Takings) == 0 {
		lines = append(lines, "   "+sh.th.Dim.Render(t.ShiftNone))
	}
	for _, p := range r.Takings {
		lines = append(lines, row(t.PayMethod[p.Method], p.Amount.String()))
	}
	lines = append(lines, "", row(t.ShiftTotal, sh.th.Bold.Render(r.Total.String())))
	return strings.Join(append(lines, s.desk(row)...), "\n")
}

// desk is what this desk's journal says of the day's sales, in the words
// the result screens use: how many were done, done in part, unknown; what
// is left to take and what may or may not have been taken.
func (s *reportScreen) desk(row func(label, value string) string) []string {
	j := s.sh.journal
	if j == nil {
		return nil
	}
	from, _ := s.day.Bounds(s.sh.loc)
	ty := journal.TallyOf(j.Since(from), journal.Sell)
	if ty.Done+ty.InPart+ty.Unknown+ty.Failed == 0 {
		return nil
	}
	t, th := s.sh.tr, s.sh.th
	lang := t.Lang
	counts := fmt.Sprintf("%s %d · %s %d · %s %d", models.SettledDone.Words().In(lang), ty.Done,
		models.SettledInPart.Words().In(lang), ty.InPart, models.SettledUnknown.Words().In(lang), ty.Unknown)
	lines := []string{"", " " + th.Section.Render(t.ShiftDesk), row(t.ShiftSales, counts)}
	if ty.Owed.IsPositive() {
		lines = append(lines, th.Warn.Render(row(t.ShiftOwed, ty.Owed.String())))
	}
	if ty.Unconfirmed.IsPositive() || ty.Unknown > 0 {
		lines = append(lines, th.Error.Render(row(t.ShiftUnconfirmed, ty.Unconfirmed.In(lang)+" — "+t.ShiftCheckF7)))
	}
	return lines
}
