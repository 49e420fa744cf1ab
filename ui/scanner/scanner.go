// Package scanner tells a card reader's bursts from a person's typing.
//
// A card reader is a keyboard: it "types" the card number and Enter within
// a few milliseconds a key. The scanner watches every key press and tells a
// reader's burst from a person's typing by the gaps between keys, so that a
// scan works on any screen and its digits never land in a text field.
//
// Printable keys are held back while they might be the start of a burst. A
// key that arrives after a gap longer than MaxGap, or a flush tick MaxGap
// after the last key, releases them to the UI as ordinary typing. A burst
// has one flush tick pending at a time, not one a key: each costs the UI
// an Update and a frame, and a reader's ten keys would ask for ten. A burst of
// at least MinLength keys ending in Enter (or LF, which arrives as ctrl+j)
// is a scan when it has the shape of a card in the club's tag format. A
// reader configured with a prefix is recognised by it whatever the timing,
// which is the robust way over SSH, where OpenSSH batches keystrokes.
//
// A network can also split a burst: "00408", 80 ms, "56634" and Enter. A
// fast burst that looks like a piece of a card is therefore held a little
// longer (JoinGap) and re-joined with what follows. Split wider than that,
// the head has gone out as typing by the time the tail comes; an Enter that
// ends such a tail is never handed to the screen — on a client's card it
// would check that client in. It is refused, with the piece, so the desk
// can say "scan again". A person's digits and Enter, bunched by a link
// after typing at a person's pace, are no such tail: their Enter is theirs.
package scanner

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
)

// Config tunes the scanner; see config.Scanner.
type Config struct {
	MaxGap    time.Duration
	MinLength int
	Prefix    string
	Suffix    string
	// Format is the club's tag format: a scan must have its shape.
	Format models.TagFormat
	// Repeat is the window in which the same card scanned again is ignored.
	Repeat time.Duration
	// PrefixTimeout is how long a scan that began with the prefix may take
	// before what was typed is released as ordinary keys.
	PrefixTimeout time.Duration
	// JoinGap is the longest pause inside a scan that is re-joined: the
	// jitter of a network that splits a reader's burst.
	JoinGap time.Duration
}

// Scanner follows the key presses of one terminal.
type Scanner struct {
	cfg      Config
	buf      []tea.KeyPressMsg
	text     strings.Builder
	last     time.Time
	prefixed bool
	// fast says the held keys came as a burst (two or more within MaxGap).
	fast bool
	seq  int
	// due is when the flush tick asked for last (number seq) fires; zero
	// when none is pending. A burst has one tick at a time: a key that
	// comes before it fires moves the deadline, and the tick, when it
	// fires early, asks for one more for the remainder.
	due time.Time
	// pieceOut is when a burst that looked like a piece of a card last
	// went out as typing: a card-like tail ended by Enter soon after is
	// the rest of a split scan.
	pieceOut time.Time

	lastScan   string
	lastScanAt time.Time
}

// Step is what the UI must do after a key.
type Step struct {
	Release []tea.KeyPressMsg // deliver these now, in order, as typing
	Scan    string            // a complete scan: the card as typed
	Repeat  bool              // Scan repeats the previous one inside the window
	// Refused is the piece of a card that a burst ended with Enter brought:
	// its characters are released as typing (nothing typed is lost), its
	// Enter is dropped, and the desk says so.
	Refused string
	FlushIn time.Duration // when > 0, send FlushMsg{Seq} after this long
	Seq     int
}

// FlushMsg asks the scanner to release held keys if nothing followed.
type FlushMsg struct{ Seq int }

// New builds a scanner; zero durations get the defaults.
func New(cfg Config) *Scanner {
	if cfg.MaxGap == 0 {
		cfg.MaxGap = 35 * time.Millisecond
	}
	if cfg.MinLength == 0 {
		cfg.MinLength = 6
	}
	if cfg.Repeat == 0 {
		cfg.Repeat = 2 * time.Second
	}
	if cfg.PrefixTimeout == 0 {
		cfg.PrefixTimeout = time.Second
	}
	if cfg.JoinGap == 0 {
		cfg.JoinGap = 300 * time.Millisecond
	}
	return &Scanner{cfg: cfg}
}

// Holding reports whether keys are held back.
func (s *Scanner) Holding() bool { return len(s.buf) > 0 }

func isScanChar(k tea.KeyPressMsg) bool {
	return k.Text != "" && k.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModSuper) == 0 && len([]rune(k.Text)) == 1
}

func isScanEnd(k tea.KeyPressMsg) bool {
	return k.Code == tea.KeyEnter && k.Mod == 0 || k.Code == 'j' && k.Mod == tea.ModCtrl
}

// pieceOfCard reports whether the held keys came as a burst and can be
// part of a card: what a split scan leaves behind.
func (s *Scanner) pieceOfCard() bool {
	return s.fast && models.LooksLikeCard(s.text.String())
}

// Key feeds one key press that arrived at at.
func (s *Scanner) Key(k tea.KeyPressMsg, at time.Time) Step {
	switch {
	case isScanChar(k):
		var step Step
		if s.Holding() && !s.prefixed && at.Sub(s.last) > s.cfg.MaxGap {
			// A pause: typing, unless it is a network's gap inside a scan.
			if !s.pieceOfCard() || at.Sub(s.last) > s.cfg.JoinGap {
				step.Release = s.release(at)
			}
		}
		if s.Holding() && at.Sub(s.last) <= s.cfg.MaxGap {
			s.fast = true
		}
		s.buf = append(s.buf, k)
		s.text.WriteString(k.Text)
		s.last = at
		text := s.text.String()
		if s.cfg.Prefix != "" && !s.prefixed && text == s.cfg.Prefix {
			s.prefixed = true
		}
		if s.cfg.Suffix != "" && strings.HasSuffix(text, s.cfg.Suffix) &&
			(s.prefixed || len([]rune(text))-len([]rune(s.cfg.Suffix)) >= s.cfg.MinLength) {
			if done, ok := s.complete(step, at); ok {
				return done
			}
			return Step{Release: append(step.Release, s.take()...)}
		}
		if wait := s.wait(); s.due.IsZero() || s.due.After(at.Add(wait)) {
			// No tick pending, or the pending one (a JoinGap wait) is
			// later than this key's: ask for one.
			step.Seq, step.FlushIn = s.arm(at, wait)
		}
		return step
	case isScanEnd(k):
		quick := s.Holding() && at.Sub(s.last) <= s.cfg.MaxGap
		if s.prefixed || quick && len([]rune(s.text.String())) >= s.cfg.MinLength {
			if step, ok := s.complete(Step{}, at); ok {
				return step
			}
		}
		// An Enter that ends the card-like tail of a split scan is a
		// reader's, not the receptionist's: it never acts on the screen.
		if quick && at.Sub(s.pieceOut) <= pieceMemory {
			if text := s.text.String(); models.LooksLikeCard(text) {
				return Step{Release: s.take(), Refused: text}
			}
		}
	}
	return Step{Release: append(s.take(), k)}
}

// Flush releases held keys when the tick seq is the latest and the burst has
// gone quiet; a burst that may be the first piece of a split scan is held
// until JoinGap has passed.
func (s *Scanner) Flush(seq int, at time.Time) Step {
	if seq != s.seq || !s.Holding() {
		return Step{}
	}
	// Keys that came after the tick was asked for moved the deadline: the
	// burst goes quiet only the wait after its last key.
	if due := s.last.Add(s.wait()); due.After(s.due) {
		if rest := due.Sub(at); rest > 0 {
			seq, in := s.arm(at, rest)
			return Step{Seq: seq, FlushIn: in}
		}
	}
	s.due = time.Time{}
	if s.prefixed && at.Sub(s.last) < s.cfg.PrefixTimeout {
		return Step{}
	}
	if !s.prefixed && s.pieceOfCard() && at.Sub(s.last) < s.cfg.JoinGap {
		seq, in := s.arm(at, s.cfg.JoinGap-at.Sub(s.last)+time.Millisecond)
		return Step{Seq: seq, FlushIn: in}
	}
	return Step{Release: s.release(at)}
}

// wait is how long after the last held key the burst counts as over.
func (s *Scanner) wait() time.Duration {
	if s.prefixed {
		return s.cfg.PrefixTimeout
	}
	return s.cfg.MaxGap + time.Millisecond
}

// arm asks for the flush tick, in d from at; the tick before it, if any,
// is forgotten.
func (s *Scanner) arm(at time.Time, d time.Duration) (int, time.Duration) {
	s.seq++
	s.due = at.Add(d)
	return s.seq, d
}

// pieceMemory is how long after a piece of a card went out as typing a
// card-like tail ended by Enter is taken for the rest of it.
const pieceMemory = time.Second

// release hands back the held keys as typing, remembering when they were a
// piece of a card.
func (s *Scanner) release(at time.Time) []tea.KeyPressMsg {
	if s.pieceOfCard() {
		s.pieceOut = at
	}
	return s.take()
}

// Paste decides whether pasted text is a scan: a reader's output pasted
// whole, framed by the configured prefix/suffix or ending in a line break;
// or, when no text field is focused, a bare card number.
func (s *Scanner) Paste(content string, typing bool, at time.Time) (Step, bool) {
	trimmed := strings.TrimRight(content, "\r\n")
	framed := false
	if p := s.cfg.Prefix; p != "" && strings.HasPrefix(trimmed, p) {
		trimmed, framed = strings.TrimPrefix(trimmed, p), true
	}
	if sfx := s.cfg.Suffix; sfx != "" && strings.HasSuffix(trimmed, sfx) {
		trimmed, framed = strings.TrimSuffix(trimmed, sfx), true
	}
	endsInEnter := strings.HasSuffix(content, "\n") || strings.HasSuffix(content, "\r")
	if !s.IsCard(trimmed) {
		return Step{}, false
	}
	if !framed && !endsInEnter && typing {
		return Step{}, false
	}
	return s.dedupe(trimmed, at), true
}

// IsCard reports whether text has the shape of a card in the club's tag
// format and is long enough to be one: anything else is a search.
func (s *Scanner) IsCard(text string) bool {
	return len([]rune(strings.TrimSpace(text))) >= s.cfg.MinLength && models.AcceptsTag(text, s.cfg.Format)
}

// complete ends a burst. It is a scan only if what was typed can be a card
// number; otherwise it was fast typing, and the held keys stay held for the
// caller to release.
func (s *Scanner) complete(step Step, at time.Time) (Step, bool) {
	text := s.text.String()
	if s.cfg.Prefix != "" {
		text = strings.TrimPrefix(text, s.cfg.Prefix)
	}
	if s.cfg.Suffix != "" {
		text = strings.TrimSuffix(text, s.cfg.Suffix)
	}
	if !models.AcceptsTag(text, s.cfg.Format) {
		return step, false
	}
	s.reset()
	d := s.dedupe(text, at)
	step.Scan, step.Repeat = d.Scan, d.Repeat
	return step, true
}

func (s *Scanner) dedupe(text string, at time.Time) Step {
	step := Step{Scan: text}
	if text == s.lastScan && at.Sub(s.lastScanAt) < s.cfg.Repeat {
		step.Repeat = true
	}
	s.lastScan, s.lastScanAt = text, at
	return step
}

// Take hands back the held keys and forgets them.
func (s *Scanner) Take() []tea.KeyPressMsg { return s.take() }

func (s *Scanner) take() []tea.KeyPressMsg {
	out := s.buf
	s.reset()
	return out
}

func (s *Scanner) reset() {
	s.buf = nil
	s.text.Reset()
	s.prefixed, s.fast = false, false
	s.due = time.Time{}
	s.seq++
}

// Seq is the number of the latest flush tick the scanner asked for: a tick
// with it releases the held keys when their time has come.
func (s *Scanner) Seq() int { return s.seq }
