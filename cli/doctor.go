package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/styles"

	"github.com/clubdesk/clubdesk/config"
	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/text"
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
	// ProfileZone is the profile's timezone ("" when it names none);
	// ZoneMemory keeps the zone the CRM gives (config.ZoneMemory).
	ProfileZone string
	ZoneMemory  providers.ZoneMemory
	// LimiterWarning is why the request counter is this user's only
	// (config.LimiterDir's warning); nil when it is shared.
	LimiterWarning error
	// Deep checks every numbered assumption of the adapter against the
	// CRM's answers (deep.Checker, read-only); Report, when set, is the
	// file the answers' shapes are written to.
	Deep   bool
	Report string
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
	checked := false
	if secretsOK {
		checked = doctorCheck(ctx, t, in, prov, add)
		doctorZone(ctx, t, in, prov, checked, add)
	}
	doctorBase(ctx, in, prov, add)
	if secretsOK {
		doctorDiagnoses(ctx, in, prov, add)
	}
	doctorCounter(in, add)
	var deepBlock []string
	if in.Deep {
		deepBlock = doctorDeep(ctx, in, prov, secretsOK && checked, add)
	} else if in.Report != "" {
		add(models.Yellow, i18n.CLIFor(in.Language).DeepLabel, i18n.CLIFor(in.Language).DeepReportNone)
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
	return render(t, in, lines, append(extra, deepBlock...))
}

// doctorCheck makes the provider's harmless read and says how far the
// CRM's clock is; it reports whether the CRM took the keys.
func doctorCheck(ctx context.Context, t *i18n.Texts, in DoctorInput, prov providers.Provider, add func(models.Level, string, string)) bool {
	checker, ok := prov.(providers.Checker)
	if !ok {
		add(models.Yellow, t.DoctorProvider, t.DoctorNoCheck)
		return true
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	start := time.Now()
	server, err := checker.Check(cctx)
	if err != nil {
		add(models.Red, t.DoctorProvider, components.Describe(t, err))
		return false
	}
	add(models.Green, t.DoctorProvider, fmt.Sprintf(t.DoctorAnswers, time.Since(start).Milliseconds()))
	if server.IsZero() {
		add(models.Yellow, t.DoctorClock, t.DoctorSkewUnknown)
		return true
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
	return true
}

// doctorZone says which zone the desk counts the club's day in and where
// it came from, decided as the console decides it (providers.ClubZone),
// with the CRM asked when it answers: it fails only when the profile names
// a zone the CRM contradicts. What the CRM gives is kept for an offline
// start.
func doctorZone(ctx context.Context, t *i18n.Texts, in DoctorInput, prov providers.Provider, online bool, add func(models.Level, string, string)) {
	if _, ok := providers.As[providers.ZoneReporter](prov); !ok {
		return
	}
	ct := i18n.CLIFor(in.Language)
	crm := prov.Info().Title
	// A CRM that did not answer the check is not asked again: the line
	// says what the console would count in without it.
	z := providers.ClubZone(ctx, prov, providers.ZoneSetup{Profile: in.ProfileZone, Memory: in.ZoneMemory, AskAlways: online, NoAsk: !online, Now: in.Now})
	words := text.Clean(z.Words(crm).In(in.Language))
	switch {
	case z.Disagrees():
		add(models.Red, t.DoctorZone, text.Clean(fmt.Sprintf(ct.ZoneDisagrees, z.Profile, crm, z.CRM, z.CRM)))
	case errors.Is(z.CRMErr, providers.ErrNoSuchZone):
		add(models.Yellow, t.DoctorZone, words+"; "+text.Clean(fmt.Sprintf(ct.ZoneNoSuch, crm, z.Unknown)))
	case z.CRMErr != nil:
		add(models.Yellow, t.DoctorZone, fmt.Sprintf(ct.ZoneNotAsked, words, components.Describe(t, z.CRMErr)))
	case z.Source == providers.ZoneDefault:
		add(models.Yellow, t.DoctorZone, words)
	case z.Source == providers.ZoneProfile && z.CRM != "":
		add(models.Green, t.DoctorZone, words+ct.ZoneAgrees)
	default:
		add(models.Green, t.DoctorZone, words)
	}
}

// doctorBase says whether the configured address reaches the CRM's API
// or its web application, and which neighbouring address does
// (providers.BaseProber: LuckyFit with and without /api).
func doctorBase(ctx context.Context, in DoctorInput, prov providers.Provider, add func(models.Level, string, string)) {
	bp, ok := providers.As[providers.BaseProber](prov)
	if !ok {
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	p, err := bp.ProbeBase(pctx)
	if err != nil && len(p.Tried) == 0 {
		return
	}
	level := models.Red
	if p.Fits() {
		level = models.Green
	}
	add(level, i18n.CLIFor(in.Language).APIAddress, text.Clean(p.Words().In(in.Language)))
}

// doctorDiagnoses adds the provider's own lines (providers.Diagnoser:
// Go-CRM's public /users).
func doctorDiagnoses(ctx context.Context, in DoctorInput, prov providers.Provider, add func(models.Level, string, string)) {
	d, ok := providers.As[providers.Diagnoser](prov)
	if !ok {
		return
	}
	dctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for _, x := range d.Diagnose(dctx) {
		add(x.Level, text.Clean(x.Label.In(in.Language)), text.Clean(x.Text.In(in.Language)))
	}
}

// sharedCounter are the providers whose request limits count per
// address, with a counter every desk user of the machine must share
// (config.LimiterDir): only YCLIENTS documents such limits.
var sharedCounter = map[string]bool{"yclients": true}

// doctorCounter warns when the request counter is this user's only.
func doctorCounter(in DoctorInput, add func(models.Level, string, string)) {
	if in.LimiterWarning == nil || !sharedCounter[in.Provider] {
		return
	}
	add(models.Yellow, i18n.CLIFor(in.Language).Counter, text.Clean(config.SharedDirWarning.Fill(in.LimiterWarning.Error()).In(in.Language)))
}

func render(t *i18n.Texts, in DoctorInput, lines []verdictLine, extra []string) (string, bool) {
	var b strings.Builder
	b.WriteString(fmt.Sprintf(t.DoctorTitle, in.Profile, in.Provider) + "\n")
	problems := 0
	for _, l := range lines {
		if l.level == models.Red {
			problems++
		}
		b.WriteString(fmt.Sprintf("  %s %s %s\n", styles.LevelMark(l.level), labelCell(l.label), l.text))
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

// labelCell is a line's label in its column: padded to 18 cells, and
// whole when longer (a provider's own label, "инструкторы (/users)").
func labelCell(label string) string {
	if ansi.StringWidth(label) >= 18 {
		return label
	}
	return components.Fit(label, 18)
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
