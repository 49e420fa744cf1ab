package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/styles"

	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// DoctorInput is what `clubdesk doctor` examines.
type DoctorInput struct {
	Language   string
	ConfigPath string // "" when no file was found
	ConfigErr  error  // the config could not be read or resolved
	Profile    string
	Provider   string
	Store      *keys.Store
	Build      func(providers.Secrets) (providers.Provider, error)
	Now        func() time.Time
}

// Skew limits: payments and visits are stamped with the desk's clock.
const (
	skewWarn = time.Minute
	skewFail = 5 * time.Minute
)

type verdictLine struct {
	level models.Level
	label string
	text  string
}

// Doctor checks the config, the keyring, every needed secret, the provider's
// answer with those secrets, its capabilities and the clock, and returns a
// readable report and whether everything is usable.
func Doctor(ctx context.Context, in DoctorInput) (string, bool) {
	t := i18n.For(in.Language)
	if in.Now == nil {
		in.Now = time.Now
	}
	var lines []verdictLine
	add := func(l models.Level, label, text string) { lines = append(lines, verdictLine{l, label, text}) }
	var extra []string

	switch {
	case in.ConfigErr != nil:
		add(models.Red, t.DoctorConfig, components.Clean(in.ConfigErr.Error()))
		return render(t, in, lines, extra)
	case in.ConfigPath == "":
		add(models.Green, t.DoctorConfig, t.DoctorNoConfig)
	default:
		add(models.Green, t.DoctorConfig, components.Clean(in.ConfigPath))
	}
	if !slices.Contains(providers.Names(), in.Provider) {
		add(models.Red, t.DoctorProfile, fmt.Sprintf(t.DoctorUnknownProvider, in.Provider, strings.Join(providers.Names(), ", ")))
		return render(t, in, lines, extra)
	}

	specs := keys.Needed(in.Provider)
	secretsOK := true
	if len(specs) > 0 {
		if err := in.Store.Probe(); err != nil {
			// With every secret in the environment the keyring is not needed.
			level := models.Red
			required := keys.Required(in.Provider)
			if len(in.Store.FromEnv(required)) == len(required) {
				level = models.Yellow
			}
			add(level, t.DoctorKeyring, firstLine(KeyringProblem(in.Language, err, in.Provider)))
			extra = append(extra, KeyringProblem(in.Language, err, in.Provider))
		} else {
			add(models.Green, t.DoctorKeyring, t.DoctorKeyringOK)
		}
		for _, s := range specs {
			label := fmt.Sprintf(t.DoctorSecret, s.Name)
			_, src, err := in.Store.Get(s.Name)
			switch {
			case err == nil && src == keys.FromEnv:
				add(models.Yellow, label, fmt.Sprintf(t.DoctorInEnv, keys.EnvName(in.Provider, s.Name)))
			case err == nil:
				add(models.Green, label, t.DoctorInKeyring)
			case s.Optional:
				add(models.Green, label, t.DoctorOptional)
			case errors.Is(err, keys.ErrNotFound):
				secretsOK = false
				add(models.Red, label, fmt.Sprintf(t.DoctorMissing, in.Profile))
			default:
				secretsOK = false
				add(models.Red, label, firstLine(KeyringProblem(in.Language, err, in.Provider)))
			}
		}
	} else {
		add(models.Green, t.DoctorKeyring, t.DoctorNoSecrets)
	}

	prov, err := in.Build(in.Store)
	if err != nil {
		add(models.Red, t.DoctorProvider, components.Clean(err.Error()))
		return render(t, in, lines, extra)
	}
	if secretsOK {
		doctorCheck(ctx, t, in, prov, add)
	}

	caps := prov.Capabilities()
	var can, cannot []string
	for _, c := range providers.AllCapabilities {
		if caps.Has(c) {
			can = append(can, string(c))
		} else {
			cannot = append(cannot, string(c)+" ("+caps.Why(c).In(t.Lang)+")")
		}
	}
	extra = append(extra, t.DoctorCaps+": "+strings.Join(can, ", "))
	if len(cannot) > 0 {
		extra = append(extra, t.DoctorNotSupported+": "+strings.Join(cannot, "; "))
	}
	return render(t, in, lines, extra)
}

func doctorCheck(ctx context.Context, t *i18n.Texts, in DoctorInput, prov providers.Provider, add func(models.Level, string, string)) {
	checker, ok := prov.(providers.Checker)
	if !ok {
		add(models.Yellow, t.DoctorProvider, t.DoctorNoCheck)
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	start := time.Now()
	server, err := checker.Check(cctx)
	if err != nil {
		add(models.Red, t.DoctorProvider, components.Describe(t, err))
		return
	}
	add(models.Green, t.DoctorProvider, fmt.Sprintf(t.DoctorAnswers, time.Since(start).Milliseconds()))
	doctorZone(cctx, t, prov, add)
	if server.IsZero() {
		add(models.Yellow, t.DoctorClock, t.DoctorSkewUnknown)
		return
	}
	skew := in.Now().Sub(server).Abs()
	level := models.Green
	switch {
	case skew > skewFail:
		level = models.Red
	case skew > skewWarn:
		level = models.Yellow
	}
	add(level, t.DoctorClock, fmt.Sprintf(t.DoctorSkew, skew.Round(time.Second)))
}

// doctorZone compares the branch's time zone, as the CRM tells it, with the
// one the desk counts "today" in.
func doctorZone(ctx context.Context, t *i18n.Texts, prov providers.Provider, add func(models.Level, string, string)) {
	zr, ok := prov.(providers.ZoneReporter)
	if !ok {
		return
	}
	desk := prov.Info().Location
	zone, err := zr.BranchZone(ctx)
	switch {
	case err != nil:
		add(models.Yellow, t.DoctorZone, components.Describe(t, err))
	case zone == "":
		add(models.Yellow, t.DoctorZone, fmt.Sprintf(t.DoctorZoneUnknown, desk))
	case !sameZone(zone, desk):
		add(models.Red, t.DoctorZone, fmt.Sprintf(t.DoctorZoneDiffers, components.Clean(zone), desk, components.Clean(zone)))
	default:
		add(models.Green, t.DoctorZone, desk.String())
	}
}

// sameZone: two names of one zone (Europe/Moscow and W-SU) keep the same
// offsets now and in half a year.
func sameZone(name string, desk *time.Location) bool {
	if name == desk.String() {
		return true
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return false
	}
	now := time.Now()
	for _, at := range []time.Time{now, now.AddDate(0, 6, 0)} {
		_, a := at.In(loc).Zone()
		_, b := at.In(desk).Zone()
		if a != b {
			return false
		}
	}
	return true
}

func render(t *i18n.Texts, in DoctorInput, lines []verdictLine, extra []string) (string, bool) {
	var b strings.Builder
	b.WriteString(fmt.Sprintf(t.DoctorTitle, in.Profile, in.Provider) + "\n")
	problems := 0
	for _, l := range lines {
		if l.level == models.Red {
			problems++
		}
		b.WriteString(fmt.Sprintf("  %s %s %s\n", styles.LevelMark(l.level), components.Fit(l.label, 18), l.text))
	}
	for _, e := range extra {
		b.WriteString("\n" + e + "\n")
	}
	b.WriteString("\n")
	if problems == 0 {
		b.WriteString(t.DoctorAllGood + "\n")
	} else {
		b.WriteString(fmt.Sprintf(t.DoctorProblems, problems) + "\n")
	}
	return b.String(), problems == 0
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
