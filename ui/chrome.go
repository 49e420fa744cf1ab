package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// View draws the header, the top screen (or the full help), the help line
// and the status bar.
func (m *Model) View() tea.View {
	var b strings.Builder
	b.WriteString(m.header())
	b.WriteByte('\n')
	body := ""
	if m.locked {
		body = m.lockScreen()
	} else if m.showHelp {
		body = m.helpPage()
	} else {
		body = m.top().View()
	}
	b.WriteString(m.chrome.fit(body, m.width, m.contentHeight()))
	b.WriteByte('\n')
	b.WriteString(m.helpLine())
	b.WriteByte('\n')
	b.WriteString(m.statusBar())
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "clubdesk"
	return v
}

// chromeMemo keeps the lines of the last frame (components.Memo): the
// header, help line and status bar are drawn again only when what they show
// changes. A new theme empties it.
type chromeMemo struct {
	header, help, status components.Memo
	// The body's lines as the top screen drew them and as fit cut them,
	// at width: an unchanged line is not measured again.
	width   int
	in, out []string
}

// fit pads or cuts s to exactly height lines of at most width cells, so
// that a screen can never push the status bar off the terminal. A line the
// last frame had at the same place is not cut again.
func (c *chromeMemo) fit(s string, width, height int) string {
	if width != c.width {
		c.width, c.in, c.out = width, nil, nil
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if i < len(c.in) && c.in[i] == l {
			lines[i] = c.out[i]
			continue
		}
		cut := components.Cut(l, width)
		if i < len(c.in) {
			c.in[i], c.out[i] = l, cut
		} else {
			c.in, c.out = append(c.in, l), append(c.out, cut)
		}
		lines[i] = cut
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (m *Model) header() string {
	left := " clubdesk · " + m.top().Title()
	if m.locked {
		left = " clubdesk · " + i18n.Serve(m.tr.Lang).LockedTitle
	} else if m.showHelp {
		left = " clubdesk · " + m.tr.Screen.Help
	}
	right := m.tr.LongDate(m.sh.Now().In(m.sh.Location())) + " "
	return m.chrome.header.Draw(strconv.Itoa(m.width)+"\x00"+left+"\x00"+right, func() string {
		return m.th.Header.Render(components.Spread(left, right, m.width))
	})
}

// helpLine is the line above the status bar, drawn again only when what it
// shows changes: the top screen's keys (which, their words, enabled or
// not), the toast, the width.
func (m *Model) helpLine() string {
	if m.locked || m.showHelp {
		return m.drawHelpLine() // the lock and the full help are rare
	}
	var k strings.Builder
	k.WriteString(strconv.Itoa(m.width))
	switch {
	case m.confirmQuit:
		k.WriteString("\x00quit")
	case m.toast != "":
		k.WriteString("\x00toast" + strconv.Itoa(int(m.toastLevel)) + "\x00" + m.toast)
	default:
		k.WriteString("\x00keys")
		for _, kb := range m.top().Help() {
			bindingKey(&k, kb)
		}
		bindingKey(&k, m.keys.Help)
	}
	return m.chrome.help.Draw(k.String(), m.drawHelpLine)
}

// bindingKey writes what of a binding the help line shows.
func bindingKey(k *strings.Builder, kb key.Binding) {
	h := kb.Help()
	if kb.Enabled() {
		k.WriteString("\x01+")
	} else {
		k.WriteString("\x01-")
	}
	k.WriteString(h.Key)
	k.WriteString("\x02")
	k.WriteString(h.Desc)
}

func (m *Model) drawHelpLine() string {
	switch {
	case m.locked:
		return ""
	case m.confirmQuit:
		// What is being written is in the status bar below.
		return m.th.Error.Render(components.Cut(" "+m.tr.QuitConfirm, m.width))
	case m.toast != "":
		return m.th.Level(m.toastLevel).Render(components.Cut(" "+styles.LevelMark(m.toastLevel)+" "+components.Clean(m.toast), m.width))
	case m.showHelp:
		if m.helpLines() > m.contentHeight() {
			return m.th.Help.Render(components.Cut(" "+m.tr.HelpScroll+" · "+m.tr.HelpClose, m.width))
		}
		return m.th.Help.Render(" " + m.tr.HelpClose)
	}
	return " " + m.shortHelp(m.top().Help(), m.width-1)
}

// shortHelp renders "key desc · key desc" as far as the width allows,
// leaving out what does not fit. The help key always ends the line, so the
// keys left out are one press away; it says "more" when some were.
func (m *Model) shortHelp(bindings []key.Binding, width int) string {
	type item struct{ key, desc string }
	var shown []item
	help := m.keys.Help.Help()
	helpItem := item{help.Key, help.Desc}
	room := width
	if m.keys.Help.Enabled() {
		room -= max(helpWidth(help.Key, help.Desc), helpWidth(help.Key, m.tr.KeyAllKeys)) + 3
	}
	used, left := 0, false
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		h := kb.Help()
		w := helpWidth(h.Key, h.Desc)
		sep := 0
		if used > 0 {
			sep = 3
		}
		if used+sep+w > room {
			left = true
			continue // a shorter one further on (Esc) may still fit
		}
		shown = append(shown, item{h.Key, h.Desc})
		used += sep + w
	}
	if m.keys.Help.Enabled() {
		if left {
			helpItem.desc = m.tr.KeyAllKeys
		}
		shown = append(shown, helpItem)
	}
	var b strings.Builder
	for i, it := range shown {
		if i > 0 {
			b.WriteString(m.th.Help.Render(" · "))
		}
		b.WriteString(m.th.HelpKey.Render(it.key) + " " + m.th.Help.Render(it.desc))
	}
	return b.String()
}

// helpWidth is how many cells "key desc" takes.
func helpWidth(key, desc string) int { return ansi.StringWidth(key + " " + desc) }

func (m *Model) statusBar() string {
	t := m.tr
	parts := []string{m.info.Title}
	if m.info.Demo {
		parts[0] = t.Demo
		if m.noConfig {
			parts[0] += " (" + t.NoConfig + ")"
		}
	}
	if m.info.Branch != "" {
		parts = append(parts, components.Clean(m.info.Branch))
	}
	if m.operator != "" {
		parts = append(parts, components.Clean(m.operator))
	}
	if m.fromEnv {
		parts = append(parts, t.SecretsFromEnv)
	}
	left := " " + strings.Join(parts, " · ")
	pending := m.pendingCount()
	conn := "● " + t.Online
	switch c := m.sh.Connectivity(); {
	case c != nil:
		if since, seen, off := c.Offline(); off {
			shown := "—"
			if !seen.IsZero() {
				shown = m.clock(seen)
			}
			conn = "○ " + fmt.Sprintf(t.J.OfflineSince, m.clock(since), shown)
		}
		if n := c.Queued(); n > 0 {
			conn += " · " + fmt.Sprintf(t.J.QueuedN, n)
		}
	case !m.online:
		conn = "○ " + t.Offline
	}
	if label, write := m.busy(); label != "" {
		verb := t.Loading
		if write {
			verb = t.Sending
		}
		conn = "⟳ " + verb + ": " + components.Clean(label) + " │ " + conn
	}
	clock := m.clock(m.sh.Now())
	// Neither the profile nor the CRM said the club's zone: the clock may
	// be another city's.
	guessed := m.zone != nil && m.zone.Source == providers.ZoneDefault && !m.info.Demo
	key := strconv.Itoa(m.width) + "\x00" + strconv.Itoa(pending) + "\x00" + strconv.FormatBool(guessed) + "\x00" + left + "\x00" + conn + "\x00" + clock
	return m.chrome.status.Draw(key, func() string {
		left := left
		if pending > 0 {
			left = " " + m.th.Error.Render("⚠ "+fmt.Sprintf(t.J.NeedCheck, pending)+" ("+m.keys.Journal.Help().Key+")") + m.th.Status.Render(left)
		}
		clock := clock
		if guessed {
			clock = m.th.Warn.Render(t.ZoneDefault) + m.th.Status.Render(" "+clock)
		}
		right := conn + " │ " + clock + " "
		return m.th.Status.Render(components.Spread(left, right, m.width))
	})
}

// helpPage is the part of the full help that fits, from helpOffset: on a
// short terminal ↑↓ and PgUp/PgDn scroll it.
func (m *Model) helpPage() string {
	lines := strings.Split(strings.TrimRight(m.fullHelp(), "\n"), "\n")
	m.helpOffset = max(min(m.helpOffset, len(lines)-m.contentHeight()), 0)
	return strings.Join(lines[m.helpOffset:], "\n")
}

func (m *Model) helpLines() int {
	return strings.Count(strings.TrimRight(m.fullHelp(), "\n"), "\n") + 1
}

func (m *Model) fullHelp() string {
	k := m.keys
	global := []key.Binding{k.Help, k.Search, k.Calendar, k.Sell, k.Refresh, k.Report, k.Journal, k.Who, k.Back, k.Quit}
	var b strings.Builder
	if z := m.zone; z != nil && z.Name != "" {
		b.WriteString(m.th.Dim.Render(m.tr.HelpZone+": "+components.Clean(z.Words(m.info.Title).In(m.tr.Lang))) + "\n\n")
	}
	b.WriteString(m.th.Section.Render(m.tr.HelpGlobal) + "\n")
	m.writeBindings(&b, global)
	b.WriteString("\n" + m.th.Section.Render(m.tr.HelpScreen+": "+m.top().Title()) + "\n")
	m.writeBindings(&b, m.top().Help())
	return b.String()
}

func (m *Model) writeBindings(b *strings.Builder, bindings []key.Binding) {
	seen := map[string]bool{}
	for _, kb := range bindings {
		h := kb.Help()
		if !kb.Enabled() || seen[h.Key+h.Desc] {
			continue
		}
		seen[h.Key+h.Desc] = true
		b.WriteString("  " + m.th.HelpKey.Render(components.Fit(h.Key, 16)) + " " + h.Desc + "\n")
	}
}

// clock formats an instant as the club's HH:MM.
func (m *Model) clock(t time.Time) string { return t.In(m.sh.Location()).Format("15:04") }

// lockScreen is all a locked console shows: that it is locked, who is
// logged in at which desk, and that any key opens it. No client's data
// stays on a screen left alone.
func (m *Model) lockScreen() string {
	st := i18n.Serve(m.tr.Lang)
	who := components.Clean(m.operator)
	lines := []string{"", "", " " + m.th.Section.Render(fmt.Sprintf(st.Locked, max(int(m.idleLock.Round(time.Minute)/time.Minute), 1))), ""}
	if who != "" || m.desk != "" {
		lines = append(lines, " "+m.th.Bold.Render(strings.Trim(fmt.Sprintf(st.LockedWho, who, components.Clean(m.desk)), " ·")), "")
	}
	return strings.Join(append(lines, " "+m.th.Dim.Render(st.LockedHint)), "\n")
}
