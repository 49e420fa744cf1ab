// Command clubdesk is a keyboard-driven console for the reception desk of a
// sports club, swimming school or kids' activity centre, on top of the
// club's own CRM.
//
//	clubdesk [--config PATH] [--profile NAME] [--demo]   run the console
//	clubdesk login [--profile NAME] [--stdin]            store the profile's keys in the OS keyring
//	clubdesk logout [--profile NAME]                     delete them
//	clubdesk doctor [--profile NAME] [--deep [--report FILE]]
//	                                                     check config, keyring, keys, CRM, clock, zone;
//	                                                     --deep: every assumption of the adapter, read-only
//	clubdesk serve [--listen ADDR] [--profile NAME] [--check]
//	                                                     serve the console over SSH to the operators' keys
//	clubdesk version                                     print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"
	_ "time/tzdata" // club time zones on machines without a zone database

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/cli"
	"github.com/clubdesk/clubdesk/config"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/offline"
	"github.com/clubdesk/clubdesk/providers"
	_ "github.com/clubdesk/clubdesk/providers/demo"     // the built-in demo club
	_ "github.com/clubdesk/clubdesk/providers/gocrm"    // Go-CRM
	_ "github.com/clubdesk/clubdesk/providers/luckyfit" // LuckyFit
	_ "github.com/clubdesk/clubdesk/providers/yclients" // YCLIENTS
	"github.com/clubdesk/clubdesk/ui"
	"github.com/clubdesk/clubdesk/ui/scanner"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// errReported means the command has already said what went wrong.
var errReported = errors.New("reported")

func main() {
	err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, errReported):
		os.Exit(1)
	case err != nil:
		// Whatever went wrong, no secret the process holds reaches stderr.
		fmt.Fprintln(os.Stderr, "clubdesk:", redact.String(err.Error()))
		os.Exit(1)
	}
}

type flags struct {
	config      string
	profile     string
	demo        bool
	demoLatency time.Duration
	lang        string
	stdin       bool
	deep        bool
	report      string
	listen      string
	check       bool
}

func parseFlags(name string, args []string, stderr io.Writer) (flags, []string, error) {
	var f flags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.config, "config", "", "config file (default: $XDG_CONFIG_HOME/clubdesk/config.toml)")
	fs.StringVar(&f.profile, "profile", "", "profile from the config to use")
	fs.StringVar(&f.lang, "lang", "", "interface language: ru or en (default: config, then LANG)")
	switch name {
	case "clubdesk":
		fs.BoolVar(&f.demo, "demo", false, "run the built-in demo club, whatever the config says")
		fs.DurationVar(&f.demoLatency, "demo-latency", 0, "add this delay to every demo call (e.g. 300ms) to see loading states")
	case "login":
		fs.BoolVar(&f.stdin, "stdin", false, "read name=value lines from standard input instead of asking")
	case "serve":
		fs.StringVar(&f.listen, "listen", "", "address to listen on (default: the config's [serve] listen, else "+config.DefaultListen+")")
		fs.BoolVar(&f.check, "check", false, "check the operators file, print who may connect, and exit")
		fs.BoolVar(&f.demo, "demo", false, "serve the built-in demo club, whatever the config says")
	case "doctor":
		fs.BoolVar(&f.deep, "deep", false, "also check every assumption of the adapter against the CRM's answers (read-only; run it first on a new account)")
		fs.StringVar(&f.report, "report", "", "with --deep: write the answers' shapes (no person's data, no key) to this file")
	}
	if err := fs.Parse(args); err != nil {
		return f, nil, err
	}
	return f, fs.Args(), nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "clubdesk"
	if len(args) > 0 {
		switch args[0] {
		case "version", "--version", "-version":
			fmt.Fprintln(stdout, "clubdesk", version)
			return nil
		case "login", "logout", "doctor", "serve":
			cmd, args = args[0], args[1:]
		}
	}
	f, rest, err := parseFlags(cmd, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unknown command %q (commands: login, logout, doctor, serve, version)", rest[0])
	}
	if cmd == "doctor" {
		return doctor(f, stdout)
	}
	if cmd == "serve" && f.check {
		return checkOperators(f, stdout)
	}
	d, err := setup(f)
	if err != nil {
		return err
	}
	defer d.closeLog()
	ctx := context.Background()
	switch cmd {
	case "login":
		in := cli.LoginInput{Language: d.lang, Profile: d.profile, Provider: d.prof.Provider, Store: d.store(),
			Build: d.build, Out: stdout, ProfileZone: d.prof.Timezone, ZoneMemory: d.zoneMemory()}
		if f.stdin {
			in.Stdin = stdin
		}
		err = cli.Login(ctx, in)
		d.logger.Info("login", "profile", d.profile, "provider", d.prof.Provider, "ok", err == nil)
		return err
	case "logout":
		err = cli.Logout(ctx, cli.LogoutInput{Language: d.lang, Profile: d.profile, Provider: d.prof.Provider,
			Store: d.store(), Build: d.build, Out: stdout})
		d.logger.Info("logout", "profile", d.profile, "provider", d.prof.Provider, "ok", err == nil)
		return err
	case "serve":
		return d.serve(f, stdout)
	}
	return d.console(f)
}

// desk is everything a command is built from, resolved from flags and
// config.
type desk struct {
	cfg      config.Config
	profile  string
	prof     config.Profile
	lang     string
	logger   *slog.Logger
	closeLog func()
	// logFile is what logger writes to (io.Discard without one).
	logFile io.Writer
	keys    *keys.Store
	// limiterDir is where a per-address request counter lives (the
	// folder the machine's desk users share, else the user's own);
	// limiterWarn says why it is not shared.
	limiterDir  string
	limiterWarn error
}

func setup(f flags) (*desk, error) {
	cfg, err := config.Load(f.config)
	if err != nil {
		return nil, err
	}
	if f.lang != "" {
		cfg.Language = f.lang
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
	}
	name, prof, err := cfg.Active(f.profile)
	if err != nil {
		return nil, err
	}
	if f.demo {
		prof = config.Profile{Provider: "demo", Operator: prof.Operator}
	}
	if f.demoLatency > 0 {
		cfg.Demo.Latency.Duration = f.demoLatency
	}
	logger, logFile, closeLog := openLog()
	d := &desk{cfg: cfg, profile: name, prof: prof, lang: cfg.UILanguage(os.Getenv), logger: logger, closeLog: closeLog, logFile: logFile}
	d.limiterDir, d.limiterWarn = config.LimiterDir()
	if d.limiterWarn != nil {
		logger.Info("request counter not shared", "why", d.limiterWarn)
	}
	return d, nil
}

// zoneMemory keeps the club's time zone as the CRM gave it, for a start
// without the line.
func (d *desk) zoneMemory() providers.ZoneMemory {
	if d.prof.Provider == "demo" || d.prof.Provider == "demo-secure" {
		return nil
	}
	return config.ZoneMemory(d.profile, d.prof)
}

func (d *desk) store() *keys.Store {
	if d.keys == nil {
		d.keys = keys.New(d.profile, d.prof.Provider)
	}
	return d.keys
}

// openLog writes the log to a file in the state dir, private to the user
// (config.OpenPrivate tightens an older, wider one): the console owns the
// terminal. When the file cannot be opened nothing is logged rather than
// writing over the screen.
func openLog() (*slog.Logger, io.Writer, func()) {
	dir, err := config.StateDir()
	if err != nil {
		return slog.New(slog.DiscardHandler), io.Discard, func() {}
	}
	file, err := config.OpenPrivate(filepath.Join(dir, "clubdesk.log"))
	if err != nil {
		return slog.New(slog.DiscardHandler), io.Discard, func() {}
	}
	// Whatever a library prints, the log holds no secret.
	return slog.New(keys.RedactingHandler(slog.NewTextHandler(file, &slog.HandlerOptions{Level: slog.LevelInfo}))), file, func() { file.Close() }
}

// build makes the profile's provider over the given secrets, in the
// profile's time zone (or the adapter's default).
func (d *desk) build(secrets providers.Secrets) (providers.Provider, error) {
	return d.buildIn(d.prof.Timezone, secrets)
}

// buildIn makes the profile's provider in the given time zone ("" for the
// adapter's default): the console's is decided by providers.OpenInClubZone.
func (d *desk) buildIn(timezone string, secrets providers.Secrets) (providers.Provider, error) {
	extra := map[string]any{}
	if d.prof.Provider == "demo" || d.prof.Provider == "demo-secure" {
		if d.cfg.Demo.Latency.Duration > 0 {
			extra["latency"] = d.cfg.Demo.Latency.Duration
		}
		if d.cfg.Demo.Clients > 0 {
			extra["clients"] = d.cfg.Demo.Clients
		}
	}
	if d.prof.Person != "" {
		extra["person"] = d.prof.Person
	}
	if d.prof.PublicURL != "" {
		extra["public_url"] = d.prof.PublicURL
	}
	return providers.New(d.prof.Provider, providers.Settings{
		Profile: d.profile, BaseURL: d.prof.BaseURL, Branch: d.prof.Branch, PointName: d.prof.PointName,
		Operator: d.prof.Operator, Timezone: timezone, Logger: d.logger, Extra: extra, Secrets: secrets,
		StateDir: d.limiterDir,
	})
}

// secretsProblem explains, before the console starts, why it could not
// work: a key never stored, or a keyring out of reach.
func (d *desk) secretsProblem() error {
	for _, s := range keys.Needed(d.prof.Provider) {
		_, _, err := d.store().Get(s.Name)
		switch {
		case err == nil:
		case s.Optional:
			// Missing, or in a keyring out of reach while the required
			// keys come from the environment: the console does without.
		case errors.Is(err, keys.ErrNotFound):
			return fmt.Errorf(cli.TextSecretMissing(d.lang), d.profile, d.prof.Provider, s.Name, d.profile)
		default:
			return errors.New(cli.KeyringProblem(d.lang, err, d.prof.Provider))
		}
	}
	return nil
}

// club is the connection to the club's CRM a console runs on: the
// provider in the club's zone, the journal, the offline desk over them.
type club struct {
	zone    providers.Zone
	journal *journal.Journal
	offline *offline.Desk
	keys    ui.ScannerOptions
	overr   map[string][]string
}

// open connects to the CRM over secrets, in the club's zone, with the
// journal and the offline desk; close writes the offline memory.
func (d *desk) open(secrets providers.Secrets) (*club, func(), error) {
	// The club's time zone, decided in one place for every adapter: the
	// profile's, else the CRM's (asked now, unless it gave it within the
	// day), kept in the state folder for a start without the line.
	prov, zone, err := providers.OpenInClubZone(context.Background(), providers.ZoneSetup{
		Profile: d.prof.Timezone, Memory: d.zoneMemory(), Log: d.logger,
	}, func(tz string) (providers.Provider, error) { return d.buildIn(tz, secrets) })
	if err != nil {
		return nil, nil, err
	}
	d.logger.Info("club time zone", "zone", zone.Name, "from", zone.Words(prov.Info().Title).EN)
	j, err := d.openJournal(zone.Location)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err := j.Close(); err != nil {
			d.logger.Warn("journal start index not written", "err", err)
		}
	}()
	// The journal records every write; under it the offline desk answers
	// from what it saw when the CRM is away and keeps marks for later. Its
	// memory of the club's day is kept on disk, so a desk restarted while
	// the line is down still has it.
	off := offline.New(prov, j, nil)
	if dir := stateDir(); dir != "" {
		// Read while the first screen is drawn: it never waits for the memory.
		memory := filepath.Join(dir, "offline", config.SafeName(d.profile)+".json")
		off.RememberInBackground(memory, func(n int, err error) {
			if err != nil {
				d.logger.Warn("offline memory not brought back", "err", err)
			} else if n > 0 {
				d.logger.Info("offline memory brought back", "clients", n)
			}
		})
	}
	closeOff := func() {
		if err := off.Close(); err != nil {
			d.logger.Warn("offline memory not written", "err", err)
		}
	}
	keyOverrides, err := d.cfg.KeyOverrides()
	if err != nil {
		closeOff()
		return nil, nil, err
	}
	c := &club{zone: zone, journal: j, offline: off, overr: keyOverrides, keys: ui.ScannerOptions{
		MaxGap: d.cfg.Scanner.MaxGap(), MinLength: d.cfg.Scanner.MinLength,
		Prefix: d.cfg.Scanner.Prefix, Suffix: d.cfg.Scanner.Suffix, TagFormat: d.cfg.Scanner.Format(),
	}}
	return c, closeOff, nil
}

// rushOptions are the config's [desk] switches for a console.
func rushOptions(c config.Desk) ui.RushOptions {
	return ui.RushOptions{CheckInOnScan: c.AutoCheckIn(), BellOnRed: c.Bell(), FlashOnRed: c.Flash(), OverrideReasons: c.Reasons()}
}

func (d *desk) console(f flags) error {
	if err := d.secretsProblem(); err != nil {
		d.logger.Warn("console not started", "profile", d.profile, "err", err)
		return err
	}
	c, closeClub, err := d.open(d.store())
	if err != nil {
		return err
	}
	defer closeClub()
	m, err := ui.New(ui.Options{
		Provider: journal.Wrap(c.offline, c.journal), Language: d.lang, Operator: d.prof.Operator,
		Location: c.zone.Location, Zone: &c.zone, Scanner: c.keys,
		KeyOverrides: c.overr, Logger: d.logger, NoConfig: d.cfg.Path == "",
		SecretsFromEnv: len(d.store().FromEnv(keys.Names(d.prof.Provider))) > 0,
		Journal:        c.journal, Rush: rushOptions(d.cfg.Desk),
	})
	if err != nil {
		return err
	}
	d.logger.Info("console started", "profile", d.profile, "provider", d.prof.Provider, "config", d.cfg.Path)
	// Esc presses read at once stay apart (scanner.Input).
	_, err = tea.NewProgram(m, tea.WithInput(scanner.NewInput(os.Stdin))).Run()
	return err
}

// stateDir is the desk's state folder, made if need be ("" when there is
// none: nothing is shared then).
func stateDir() string {
	dir, err := config.StateDir()
	if err != nil || os.MkdirAll(dir, 0o700) != nil {
		return ""
	}
	return dir
}

// openJournal opens the profile's operation journal. A desk that cannot
// record its writes must not send them, so the console does not start
// without it.
func (d *desk) openJournal(loc *time.Location) (*journal.Journal, error) {
	dir, err := config.StateDir()
	if err != nil {
		return nil, fmt.Errorf("operation journal: %w", err)
	}
	desk := d.prof.PointName
	if desk == "" {
		desk, _ = os.Hostname()
	}
	j, err := journal.Open(dir, journal.Who{Profile: d.profile, Provider: d.prof.Provider, Desk: desk, Operator: d.prof.Operator},
		journal.WithLocation(loc))
	if err != nil {
		return nil, fmt.Errorf("the operation journal cannot be opened in %s (%w): clubdesk records every payment there before sending it, so it does not start without it", dir, err)
	}
	return j, nil
}

// doctor prints the report and fails when anything is wrong. A config that
// cannot be read is part of the report, not a crash.
func doctor(f flags, stdout io.Writer) error {
	in := cli.DoctorInput{}
	d, err := setup(f)
	if err != nil {
		lang := f.lang
		if lang == "" {
			lang = config.Default().UILanguage(os.Getenv)
		}
		in.Language, in.ConfigErr, in.Profile = lang, err, f.profile
	} else {
		defer d.closeLog()
		in = cli.DoctorInput{Language: d.lang, ConfigPath: d.cfg.Path, Profile: d.profile, Provider: d.prof.Provider,
			Store: d.store(), Build: d.build, ProfileZone: d.prof.Timezone, ZoneMemory: d.zoneMemory(),
			LimiterWarning: d.limiterWarn, Deep: f.deep, Report: f.report}
	}
	report, ok := cli.Doctor(context.Background(), in)
	fmt.Fprint(stdout, report)
	if d != nil {
		// The desk service's set-up, when this machine has one.
		if service, good := d.serviceDoctor(); service != "" {
			fmt.Fprint(stdout, "\n"+service)
			ok = ok && good
		}
	}
	if !ok {
		return errReported
	}
	return nil
}
