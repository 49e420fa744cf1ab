package screens

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
)

// clientCreatedMsg hands a client registered for a lesson (a walk-in) back
// to the roster.
type clientCreatedMsg struct{ client models.Client }

// leadSavedMsg hands a walk-in the CRM saved as a lead back to the roster,
// which lists it: not booked, not marked, until the CRM registers them.
type leadSavedMsg struct{ client models.Client }

const (
	fLast = iota
	fFirst
	fMiddle
	fPhone
	fEmail
	fBirthday
	fCard
	fGuardian
	fGuardianPhone
	fCount
)

// clientForm registers someone at the desk. Opened from a roster it is a
// walk-in: the new client is booked and marked as came.
type clientForm struct {
	base
	sh     *Common
	fields [fCount]textinput.Model
	focus  int
	lesson *models.Lesson
	// shown are the fields on the form, in order: the card is left out
	// where the CRM keeps no cards (Go-CRM), rather than typed and
	// dropped; the parent's name and phone are asked where the CRM
	// registers a child through its parent (Go-CRM's lead form).
	shown []int
	req   int
	err   string
	width int
}

func newClientForm(sh *Common, initial string, lesson *models.Lesson) *clientForm {
	t := sh.tr
	labels := [fCount]string{t.FieldLastName, t.FieldFirstName, t.FieldMiddleName, t.FieldPhone, t.FieldEmail, t.FieldBirthday, t.FieldCard,
		t.FieldGuardian, t.FieldGuardianPhone}
	s := &clientForm{sh: sh, lesson: lesson, shown: []int{fLast, fFirst, fMiddle, fPhone, fEmail, fBirthday}}
	if sh.can(providers.CapBindCard) {
		s.shown = append(s.shown, fCard)
	}
	if guardianFirst(sh) {
		s.shown = append(s.shown, fGuardian, fGuardianPhone)
	}
	for i := range s.fields {
		in := components.NewInput(components.Fit(labels[i]+":", 16), 80)
		s.fields[i] = in
	}
	s.fields[fBirthday].Placeholder = t.DateFormat
	s.fields[fPhone].Placeholder = "+7 ..."
	// What was typed in search seeds the form: digits are a phone, words a
	// name.
	initial = strings.TrimSpace(initial)
	if initial != "" {
		if strings.IndexFunc(initial, unicode.IsLetter) < 0 {
			s.fields[fPhone].SetValue(initial)
		} else {
			words := strings.Fields(initial)
			for i, w := range words {
				if i < 3 {
					s.fields[fLast+i].SetValue(capitalise(w))
				}
			}
		}
	}
	s.fields[0].Focus()
	return s
}

func capitalise(s string) string {
	r := []rune(strings.ToLower(s))
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func (s *clientForm) Title() string {
	if s.lesson != nil {
		return s.sh.tr.Screen.WalkIn + ": " + components.Clean(s.lesson.Title) + " " + s.sh.clock(s.lesson.Start)
	}
	return s.sh.tr.Screen.NewClient
}
func (s *clientForm) Typing() bool { return true }
func (s *clientForm) Kind() Kind   { return KindNewClient }
func (s *clientForm) SetSize(w, _ int) {
	s.width = w
	for i := range s.fields {
		s.fields[i].SetWidth(min(w-20, 50))
	}
}

func (s *clientForm) Help() []key.Binding {
	return []key.Binding{s.sh.keys.Tab, s.sh.keys.Submit, s.sh.keys.Back}
}

// TakeScan puts a scanned card into the card field, where there is one.
func (s *clientForm) TakeScan(tag string) (Action, bool) {
	if s.has(fCard) {
		s.fields[fCard].SetValue(tag)
	}
	return nil, true
}

func (s *clientForm) move(d int) Action {
	at := slices.Index(s.shown, s.focus)
	s.fields[s.focus].Blur()
	s.focus = s.shown[(at+d+len(s.shown))%len(s.shown)]
	return cmd(s.fields[s.focus].Focus())
}

func (s *clientForm) Update(msg tea.Msg) Action {
	k := s.sh.keys
	switch msg := msg.(type) {
	case doneMsg[models.Client]:
		if !ours(&s.req, msg) {
			return nil
		}
		if msg.err != nil {
			s.err = s.sh.describe(msg.err)
			return nil
		}
		if l := msg.val.Lead; l != nil {
			// The CRM saved a request, not a client: nothing to open, book
			// or mark yet; say what happens next, in green — it is done.
			saved := toast(models.Green, "%s", components.Clean(l.Next.In(s.sh.tr.Lang)))
			if s.lesson != nil {
				return Then(Pop{Screen: s, Then: leadSavedMsg{msg.val}}, saved)
			}
			return Then(Pop{Screen: s}, saved)
		}
		created := toast(models.Green, s.sh.tr.CreatedOK, components.Clean(msg.val.ShortName()))
		if s.lesson != nil {
			return Then(Pop{Screen: s, Then: clientCreatedMsg{msg.val}}, created)
		}
		return Then(Pop{Screen: s}, OpenClient{msg.val}, created)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Back):
			return Pop{Screen: s}
		case key.Matches(msg, k.Tab, k.Down):
			return s.move(1)
		case key.Matches(msg, k.BackTab, k.Up):
			return s.move(-1)
		case key.Matches(msg, k.Submit):
			return s.submit()
		case key.Matches(msg, k.Confirm):
			if s.focus == s.shown[len(s.shown)-1] {
				return s.submit()
			}
			return s.move(1)
		}
	}
	var c tea.Cmd
	s.fields[s.focus], c = s.fields[s.focus].Update(msg)
	return cmd(c)
}

// value is a field as typed, cleaned: a multi-line paste becomes one line
// and control characters go.
func (s *clientForm) value(i int) string {
	return strings.TrimSpace(components.Clean(s.fields[i].Value()))
}

// refuse says what is wrong with a field and puts the cursor in it;
// nothing is sent.
func (s *clientForm) refuse(i int, msg string) Action {
	s.err = msg
	s.fields[s.focus].Blur()
	s.focus = i
	return cmd(s.fields[s.focus].Focus())
}

func (s *clientForm) submit() Action {
	if s.req != 0 {
		return nil
	}
	t := s.sh.tr
	s.splitFirstLine()
	for _, req := range []struct {
		i     int
		label string
	}{{fLast, t.FieldLastName}, {fFirst, t.FieldFirstName}, {fPhone, t.FieldPhone}} {
		if s.value(req.i) == "" {
			return s.refuse(req.i, fmt.Sprintf(t.Required, req.label))
		}
	}
	for _, f := range []struct {
		i     int
		label string
	}{{fLast, t.FieldLastName}, {fFirst, t.FieldFirstName}, {fMiddle, t.FieldMiddleName}} {
		if models.CheckName(s.value(f.i)) != nil {
			return s.refuse(f.i, fmt.Sprintf(t.BadName, f.label))
		}
	}
	if models.CheckPhone(s.value(fPhone)) != nil {
		return s.refuse(fPhone, fmt.Sprintf(t.BadPhone, s.value(fPhone)))
	}
	if models.CheckEmail(s.value(fEmail)) != nil {
		return s.refuse(fEmail, fmt.Sprintf(t.BadEmail, s.value(fEmail)))
	}
	nc := models.NewClient{
		LastName: s.value(fLast), FirstName: s.value(fFirst), MiddleName: s.value(fMiddle),
		Phone: s.value(fPhone), Email: s.value(fEmail),
		Guardian: s.value(fGuardian), GuardianPhone: s.value(fGuardianPhone),
	}
	if nc.Guardian != "" && models.CheckName(strings.ReplaceAll(nc.Guardian, " ", "")) != nil {
		return s.refuse(fGuardian, fmt.Sprintf(t.BadName, t.FieldGuardian))
	}
	if nc.GuardianPhone != "" && models.CheckPhone(nc.GuardianPhone) != nil {
		return s.refuse(fGuardianPhone, fmt.Sprintf(t.BadPhone, nc.GuardianPhone))
	}
	if b := s.value(fBirthday); b != "" {
		d, err := models.ParseDate(b)
		if err != nil {
			return s.refuse(fBirthday, fmt.Sprintf(t.ErrBadDate, b))
		}
		// A two-digit year is read as 20xx; nobody is born in the future.
		if d.After(s.sh.today()) {
			d = models.NewDate(d.Year-100, d.Month, d.Day)
		}
		if d.After(s.sh.today()) || d.Year < s.sh.today().Year-110 {
			return s.refuse(fBirthday, fmt.Sprintf(t.BadBirthday, b))
		}
		nc.Birthday = d
	}
	if c := s.value(fCard); c != "" {
		tag, err := models.NormalizeTag(c, s.sh.tagFmt)
		if err != nil || !s.sh.isCard(c) {
			return s.refuse(fCard, fmt.Sprintf(t.CardNotRead, components.Clean(c)))
		}
		nc.Card = tag
	}
	s.err = ""
	prov := s.sh.prov
	var a Action
	s.req, a = Run(s.sh, s, t.Screen.NewClient+": "+nc.LastName, true,
		func(ctx context.Context) (models.Client, error) { return prov.CreateClient(ctx, nc) })
	return a
}

// splitFirstLine reads a whole walk-in typed into the first field —
// "Иванов Иван 8 916 123-45-67", surname, name, patronymic and phone — into
// their fields, so that registering someone at the desk is the data and
// Ctrl+S. It acts only while the name and phone fields are empty (never
// over what was typed there), the phone being the words from the first one
// that starts with a digit or "+" to the end.
func (s *clientForm) splitFirstLine() {
	if s.value(fFirst) != "" || s.value(fPhone) != "" || s.value(fMiddle) != "" {
		return
	}
	words := strings.Fields(s.value(fLast))
	if len(words) < 2 {
		return
	}
	names, phone := words, ""
	for i, w := range words {
		if w[0] == '+' || w[0] >= '0' && w[0] <= '9' {
			names, phone = words[:i], strings.Join(words[i:], " ")
			break
		}
	}
	if len(names) == 0 || len(names) > 3 || phone != "" && models.CheckPhone(phone) != nil {
		return
	}
	for i, w := range names {
		s.fields[fLast+i].SetValue(capitalise(w))
	}
	if phone != "" {
		s.fields[fPhone].SetValue(phone)
	}
}

func (s *clientForm) View() string {
	sh := s.sh
	lines := []string{""}
	for _, i := range s.shown {
		line := "  " + s.fields[i].View()
		if i == s.focus {
			line = sh.th.Focused.Render("›") + " " + s.fields[i].View()
		}
		lines = append(lines, line)
	}
	formHint := sh.tr.FormHint
	if !s.has(fCard) {
		formHint = sh.tr.FormHintNoCard
	}
	lines = append(lines, "", " "+sh.th.Dim.Render(components.Cut(formHint, s.width-2)),
		" "+sh.th.Dim.Render(components.Cut(fmt.Sprintf(sh.tr.R.OneLine, sh.keys.Submit.Help().Key), s.width-2)))
	if s.err != "" {
		lines = append(lines, " "+sh.th.Error.Render(components.Cut(s.err, s.width-2)))
	}
	return strings.Join(lines, "\n")
}

func (s *clientForm) has(field int) bool { return slices.Contains(s.shown, field) }

// guardianFirst reports whether the CRM registers a child through the
// parent's contact: Go-CRM's lead form wants the parent's name and phone
// (its fio is the contact's), never the child's.
func guardianFirst(sh *Common) bool { return sh.prov.Info().Name == "gocrm" }
