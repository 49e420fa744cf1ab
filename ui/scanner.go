package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
)

// A card reader is a keyboard: it "types" the card number and Enter within a
// few milliseconds a key. The scanner watches every key press and tells a
// reader's burst from a person's typing by the gaps between keys, so that a
// scan works on any screen and its digits never land in a text field.
//
// Printable keys are held back while they might be the start of a burst. A
// key that arrives after a gap longer than maxGap, or a flush tick maxGap
// after the last key, releases them to the UI as ordinary typing. A burst of
// at least minLength keys ending in Enter (or LF, which arrives as ctrl+j) is
// a scan. A reader configured with a prefix is recognised by it whatever the
// timing, which is the robust way over SSH, where OpenSSH batches keystrokes.

// scanConfig tunes the scanner; see config.Scanner.
type scanConfig struct {
	MaxGap    time.Duration
	MinLength int
	Prefix    string
	Suffix    string
	// Repeat is the window in which the same card scanned again is ignored.
	Repeat time.Duration
	// PrefixTimeout is how long a scan that began with the prefix may take
	// before what was typed is released as ordinary keys.
	PrefixTimeout time.Duration
}

type scanner struct {
	cfg      scanConfig
	buf      []tea.KeyPressMsg
	text     strings.Builder
	last     time.Time
	first    time.Time
	prefixed bool
	seq      int

	lastScan   string
	lastScanAt time.Time
}

// scanStep is what the UI must do after a key.
type scanStep struct {
	Release []tea.KeyPressMsg // deliver these now, in order, as typing
	Scan    string            // a complete scan: the card as typed
	Repeat  bool              // Scan repeats the previous one inside the window
	FlushIn time.Duration     // when > 0, send scanFlushMsg{Seq} after this long
	Seq     int
}

// scanFlushMsg asks the scanner to release held keys if nothing followed.
type scanFlushMsg struct{ seq int }

func newScanner(cfg scanConfig) *scanner {
	if cfg.Repeat == 0 {
		cfg.Repeat = 2 * time.Second
	}
	if cfg.PrefixTimeout == 0 {
		cfg.PrefixTimeout = time.Second
	}
	return &scanner{cfg: cfg}
}

// holding reports whether keys are held back.
func (s *scanner) holding() bool { return len(s.buf) > 0 }

func isScanChar(k tea.KeyPressMsg) bool {
	return k.Text != "" && k.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModSuper) == 0 && len([]rune(k.Text)) == 1
}

func isScanEnd(k tea.KeyPressMsg) bool {
	return k.Code == tea.KeyEnter && k.Mod == 0 || k.Code == 'j' && k.Mod == tea.ModCtrl
}

// Key feeds one key press that arrived at at.
func (s *scanner) Key(k tea.KeyPressMsg, at time.Time) scanStep {
	switch {
	case isScanChar(k):
		var step scanStep
		if s.holding() && !s.prefixed && at.Sub(s.last) > s.cfg.MaxGap {
			step.Release = s.take()
		}
		if !s.holding() {
			s.first = at
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
			return scanStep{Release: append(step.Release, s.take()...)}
		}
		s.seq++
		step.Seq = s.seq
		step.FlushIn = s.cfg.MaxGap + time.Millisecond
		if s.prefixed {
			step.FlushIn = s.cfg.PrefixTimeout
		}
		return step
	case isScanEnd(k):
		if s.prefixed || len(s.buf) >= s.cfg.MinLength && at.Sub(s.last) <= s.cfg.MaxGap {
			if step, ok := s.complete(scanStep{}, at); ok {
				return step
			}
		}
	}
	return scanStep{Release: append(s.take(), k)}
}

// Flush releases held keys when the tick seq is the latest and the burst has
// gone quiet.
func (s *scanner) Flush(seq int, at time.Time) []tea.KeyPressMsg {
	if seq != s.seq || !s.holding() {
		return nil
	}
	if s.prefixed && at.Sub(s.last) < s.cfg.PrefixTimeout {
		return nil
	}
	return s.take()
}

// Paste decides whether pasted text is a scan: a reader's output pasted
// whole, framed by the configured prefix/suffix or ending in a line break;
// or, when no text field is focused, a bare card number.
func (s *scanner) Paste(content string, typing bool, at time.Time) (scanStep, bool) {
	trimmed := strings.TrimRight(content, "\r\n")
	framed := false
	if p := s.cfg.Prefix; p != "" && strings.HasPrefix(trimmed, p) {
		trimmed, framed = strings.TrimPrefix(trimmed, p), true
	}
	if sfx := s.cfg.Suffix; sfx != "" && strings.HasSuffix(trimmed, sfx) {
		trimmed, framed = strings.TrimSuffix(trimmed, sfx), true
	}
	endsInEnter := strings.HasSuffix(content, "\n") || strings.HasSuffix(content, "\r")
	if !models.LooksLikeCard(trimmed) || len([]rune(trimmed)) < s.cfg.MinLength {
		return scanStep{}, false
	}
	if !framed && !endsInEnter && typing {
		return scanStep{}, false
	}
	return s.dedupe(trimmed, at), true
}

// complete ends a burst. It is a scan only if what was typed can be a card
// number; otherwise it was fast typing, and the held keys stay held for the
// caller to release.
func (s *scanner) complete(step scanStep, at time.Time) (scanStep, bool) {
	text := s.text.String()
	if s.cfg.Prefix != "" {
		text = strings.TrimPrefix(text, s.cfg.Prefix)
	}
	if s.cfg.Suffix != "" {
		text = strings.TrimSuffix(text, s.cfg.Suffix)
	}
	if !models.LooksLikeCard(text) {
		return step, false
	}
	s.reset()
	d := s.dedupe(text, at)
	step.Scan, step.Repeat = d.Scan, d.Repeat
	return step, true
}

func (s *scanner) dedupe(text string, at time.Time) scanStep {
	step := scanStep{Scan: text}
	if text == s.lastScan && at.Sub(s.lastScanAt) < s.cfg.Repeat {
		step.Repeat = true
	}
	s.lastScan, s.lastScanAt = text, at
	return step
}

func (s *scanner) take() []tea.KeyPressMsg {
	out := s.buf
	s.reset()
	return out
}

func (s *scanner) reset() {
	s.buf = nil
	s.text.Reset()
	s.prefixed = false
	s.seq++
}
