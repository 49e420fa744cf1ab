package providers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// The club's time zone is decided in one place for every adapter: here.
// "Today", the status bar's clock, "checked in 22 minutes ago", the
// timetable's hours and the look-up of a lost payment are all counted in
// it, so a desk on a Moscow machine serving a club in Yekaterinburg must
// take the club's zone, not the machine's and not a default.

// ZoneSource says where the desk's time zone came from.
type ZoneSource int

// Where a zone can come from, in the order the desk prefers them.
const (
	// ZoneDefault is the adapter's default: neither the profile nor the
	// CRM said (Europe/Moscow for the three adapters, the demo club's own).
	ZoneDefault ZoneSource = iota
	// ZoneProfile is the profile's timezone: it wins when given.
	ZoneProfile
	// ZoneCRM is what the CRM answered this time (LuckyFit's /branches
	// timezone, YCLIENTS' company timezone_name, Go-CRM's center timezone).
	ZoneCRM
	// ZoneRemembered is what the CRM answered before, kept in the state
	// folder: an offline start has it.
	ZoneRemembered
)

// ZoneMemory keeps the zone the CRM gave, so that a start without the
// line has it (config.ZoneMemory keeps it in the state folder).
type ZoneMemory interface {
	// Recall is the zone kept and when the CRM gave it; "" when none is.
	Recall() (name string, at time.Time)
	// Keep stores the zone the CRM gave at the time given.
	Keep(name string, at time.Time) error
}

// ZoneSetup is what the desk's time zone is decided from.
type ZoneSetup struct {
	// Profile is the profile's timezone ("" when it names none).
	Profile string
	// Memory keeps what the CRM said (nil: nothing is kept).
	Memory ZoneMemory
	// Fresh is how long a remembered zone is used without asking the CRM
	// again (0: DefaultZoneFresh). A club does not move; asking once a
	// day keeps the start from waiting on the network.
	Fresh time.Duration
	// Wait bounds the CRM's answer (0: DefaultZoneWait): the first screen
	// waits for it only when nothing is remembered.
	Wait time.Duration
	// AskAlways asks the CRM even when the profile names a zone or one is
	// remembered: `clubdesk doctor` compares them.
	AskAlways bool
	// NoAsk never asks the CRM (it has just failed to answer): the zone
	// is the profile's, the remembered one or the default.
	NoAsk bool
	Now   func() time.Time
	Log   *slog.Logger
}

// Defaults of ZoneSetup.
const (
	DefaultZoneFresh = 24 * time.Hour
	DefaultZoneWait  = 5 * time.Second
)

// Zone is the desk's time zone, with where it came from and what each
// source said.
type Zone struct {
	Name     string
	Location *time.Location
	Source   ZoneSource
	// Profile is the profile's timezone ("" when it names none).
	Profile string
	// Asked says the CRM was asked; CRM is what it answered ("" when it
	// does not tell), CRMErr why it could not be asked or why its answer is
	// not a zone.
	Asked  bool
	CRM    string
	CRMErr error
	// Unknown is a name the CRM gave that is no zone the desk knows
	// (CRMErr is then ErrNoSuchZone).
	Unknown string
	// Remembered is the zone the state folder held, and since when.
	Remembered   string
	RememberedAt time.Time
}

// Disagrees reports whether the profile names a zone the CRM contradicts:
// the one case `clubdesk doctor` fails on.
func (z Zone) Disagrees() bool {
	return z.Profile != "" && z.CRM != "" && z.CRMErr == nil && !SameZone(z.Profile, z.CRM, time.Now())
}

// Words says which zone the desk uses and where from, for doctor, login
// and the status bar; crm is the CRM's title ("LuckyFit").
func (z Zone) Words(crm string) Words {
	switch z.Source {
	case ZoneProfile:
		return Words{EN: "%s, from the profile's timezone", RU: "%s, из timezone в профиле"}.Fill(z.Name)
	case ZoneCRM:
		return Words{EN: "%s, from %s", RU: "%s, из %s"}.Fill(z.Name, crm)
	case ZoneRemembered:
		return Words{EN: "%s, as %s gave it on %s (kept in the state folder)", RU: "%s, как его дала %s %s (сохранён в папке состояния)"}.
			Fill(z.Name, crm, z.RememberedAt.Format("02.01.2006"))
	}
	return Words{EN: "%s, the desk's default: %s has not said (set timezone in the profile)", RU: "%s, по умолчанию: %s не сообщила пояс (укажите timezone в профиле)"}.Fill(z.Name, crm)
}

// Short is the zone's source in a word or two, for the status bar: "из
// CRM", "из профиля", "сохранён", "по умолчанию".
func (z Zone) Short() Words {
	switch z.Source {
	case ZoneProfile:
		return Words{EN: "profile", RU: "из профиля"}
	case ZoneCRM:
		return Words{EN: "from the CRM", RU: "из CRM"}
	case ZoneRemembered:
		return Words{EN: "as the CRM gave it", RU: "сохранён из CRM"}
	}
	return Words{EN: "default", RU: "по умолчанию"}
}

// ClubZone decides the zone the desk counts the club's day in, the same way
// for every adapter: the profile's timezone when it names one; else what
// the CRM answers (p as a ZoneReporter, within Wait), kept in Memory; else
// what the CRM answered before, from Memory; else p's own default
// (Info().Location). A remembered zone younger than Fresh is taken without
// asking, so a start does not wait on the network once a day has it.
func ClubZone(ctx context.Context, p Provider, s ZoneSetup) Zone {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if s.Fresh <= 0 {
		s.Fresh = DefaultZoneFresh
	}
	if s.Wait <= 0 {
		s.Wait = DefaultZoneWait
	}
	z := Zone{Profile: strings.TrimSpace(s.Profile)}
	if s.Memory != nil {
		name, at := s.Memory.Recall()
		if _, err := time.LoadLocation(name); err == nil && name != "" {
			z.Remembered, z.RememberedAt = name, at
		}
	}
	fresh := z.Remembered != "" && now().Sub(z.RememberedAt) < s.Fresh && !z.RememberedAt.After(now())
	if zr, ok := As[ZoneReporter](p); ok && !s.NoAsk && (s.AskAlways || z.Profile == "" && !fresh) {
		z.Asked = true
		actx, cancel := context.WithTimeout(ctx, s.Wait)
		name, err := zr.BranchZone(actx)
		cancel()
		name = strings.TrimSpace(name)
		switch {
		case err != nil:
			z.CRMErr = err
		case name == "":
		default:
			if _, lerr := time.LoadLocation(name); lerr != nil {
				z.CRMErr, z.Unknown = fmt.Errorf("%w: %q", ErrNoSuchZone, name), name
			} else {
				z.CRM = name
			}
		}
		if z.CRM != "" && s.Memory != nil && (z.CRM != z.Remembered || !fresh) {
			if err := s.Memory.Keep(z.CRM, now()); err != nil {
				log.Warn("club time zone not kept", "err", err)
			} else {
				z.Remembered, z.RememberedAt = z.CRM, now()
			}
		}
		if z.CRMErr != nil {
			log.Warn("the CRM did not give the club's time zone", "err", z.CRMErr)
		}
	}
	switch {
	case z.Profile != "":
		z.Name, z.Source = z.Profile, ZoneProfile
	case z.CRM != "":
		z.Name, z.Source = z.CRM, ZoneCRM
	case z.Remembered != "":
		z.Name, z.Source = z.Remembered, ZoneRemembered
	default:
		z.Source = ZoneDefault
		if p != nil {
			if loc := p.Info().Location; loc != nil {
				z.Name, z.Location = loc.String(), loc
			}
		}
		if z.Name == "" {
			z.Name = "UTC"
		}
	}
	if z.Location == nil {
		loc, err := time.LoadLocation(z.Name)
		if err != nil { // a profile's zone is checked with the config; this is a safety net
			loc = time.UTC
		}
		z.Location = loc
	}
	return z
}

// ErrNoSuchZone is a zone name the desk's zone database does not know.
var ErrNoSuchZone = errors.New("not a time zone the desk knows")

// OpenInClubZone builds the provider in the club's zone: it builds it once
// (in the profile's or the remembered zone, or the adapter's default),
// decides the zone with ClubZone, and builds it again in that zone when it
// differs, so the adapter's filters, "today" and Info agree with the desk.
// build is given the zone's name ("" for the adapter's default); it must
// not touch the network, as every Factory.
func OpenInClubZone(ctx context.Context, s ZoneSetup, build func(timezone string) (Provider, error)) (Provider, Zone, error) {
	first := strings.TrimSpace(s.Profile)
	if first == "" && s.Memory != nil {
		if name, _ := s.Memory.Recall(); name != "" {
			if _, err := time.LoadLocation(name); err == nil {
				first = name
			}
		}
	}
	p, err := build(first)
	if err != nil {
		return nil, Zone{}, err
	}
	z := ClubZone(ctx, p, s)
	if loc := p.Info().Location; loc == nil || loc.String() != z.Name {
		if p, err = build(z.Name); err != nil {
			return nil, z, err
		}
	}
	return p, z, nil
}

// SameZone reports whether two zone names keep the same clock: the same
// name, or two names of one zone (Europe/Moscow and W-SU) with the same
// offsets now and in half a year.
func SameZone(a, b string, now time.Time) bool {
	if a == b {
		return true
	}
	la, err := time.LoadLocation(a)
	if err != nil {
		return false
	}
	lb, err := time.LoadLocation(b)
	if err != nil {
		return false
	}
	for _, at := range []time.Time{now, now.AddDate(0, 6, 0)} {
		_, x := at.In(la).Zone()
		_, y := at.In(lb).Zone()
		if x != y {
			return false
		}
	}
	return true
}
