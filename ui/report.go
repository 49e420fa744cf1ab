package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
)

// reportScreen shows the shift in figures: check-ins, sales and money taken
// by method, for the club's today.
type reportScreen struct {
	sh     *shared
	day    models.Date
	report *models.ShiftReport
	req    int
	err    string
	width  int
}

func newReport(sh *shared) *reportScreen { return &reportScreen{sh: sh, day: sh.today()} }

func (s *reportScreen) Init() tea.Cmd {
	prov, day := s.sh.prov, s.day
	var cmd tea.Cmd
	s.req, cmd = run(s.sh, s, s.sh.tr.Screen.Report, false, func(ctx context.Context) (models.ShiftReport, error) {
		return prov.ShiftReport(ctx, day)
	})
	return cmd
}

func (s *reportScreen) Title() string {
	return s.sh.tr.Screen.Report + " · " + s.day.Short()
}
func (s *reportScreen) Typing() bool     { return false }
func (s *reportScreen) SetSize(w, _ int) { s.width = w }
func (s *reportScreen) Help() []key.Binding {
	return []key.Binding{s.sh.keys.Refresh, s.sh.keys.Back}
}

func (s *reportScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case doneMsg[models.ShiftReport]:
		if !ours(&s.req, msg) {
			return s, nil
		}
		if msg.err != nil {
			s.err = describe(s.sh.tr, msg.err)
			return s, nil
		}
		r := msg.val
		s.report, s.err = &r, ""
	case refreshMsg:
		return s, s.Init()
	case tea.KeyPressMsg:
		if key.Matches(msg, s.sh.keys.Back) {
			return s, pop(nil)
		}
	}
	return s, nil
}

func (s *reportScreen) View() string {
	sh, t := s.sh, s.sh.tr
	lines := []string{""}
	switch {
	case s.err != "":
		return "\n " + sh.th.Error.Render(cut(s.err, s.width-2))
	case s.report == nil:
		return "\n " + sh.th.Dim.Render(t.Loading+"…")
	}
	r := s.report
	row := func(label, value string) string { return "   " + fit(label+":", 24) + " " + value }
	lines = append(lines, row(t.ShiftCheckIns, fmt.Sprint(r.CheckIns)), row(t.ShiftSales, fmt.Sprint(r.Sales)), "")
	if len(r.Takings) == 0 {
		lines = append(lines, "   "+sh.th.Dim.Render(t.ShiftNone))
	}
	for _, p := range r.Takings {
		lines = append(lines, row(t.PayMethod[p.Method], p.Amount.String()))
	}
	lines = append(lines, "", row(t.ShiftTotal, sh.th.Bold.Render(r.Total.String())))
	return strings.Join(lines, "\n")
}
