// Command clubdesk is a keyboard-driven console for the reception desk of a
// sports club, swimming school or kids' activity centre, on top of the
// club's own CRM.
//
//	clubdesk [--config PATH] [--profile NAME] [--demo]   run the console
//	clubdesk version                                     print the version
package main

import (
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
	"github.com/clubdesk/clubdesk/config"
	"github.com/clubdesk/clubdesk/providers"
	_ "github.com/clubdesk/clubdesk/providers/demo" // the built-in demo club
	"github.com/clubdesk/clubdesk/ui"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "clubdesk:", err)
		os.Exit(1)
	}
}

type flags struct {
	config      string
	profile     string
	demo        bool
	demoLatency time.Duration
	lang        string
}

func parseFlags(name string, args []string, stderr io.Writer) (flags, []string, error) {
	var f flags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.config, "config", "", "config file (default: $XDG_CONFIG_HOME/clubdesk/config.toml)")
	fs.StringVar(&f.profile, "profile", "", "profile from the config to use")
	fs.BoolVar(&f.demo, "demo", false, "run the built-in demo club, whatever the config says")
	fs.DurationVar(&f.demoLatency, "demo-latency", 0, "add this delay to every demo call (e.g. 300ms) to see loading states")
	fs.StringVar(&f.lang, "lang", "", "interface language: ru or en (default: config, then LANG)")
	if err := fs.Parse(args); err != nil {
		return f, nil, err
	}
	return f, fs.Args(), nil
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "version", "--version", "-version":
			fmt.Fprintln(stdout, "clubdesk", version)
			return nil
		}
	}
	f, rest, err := parseFlags("clubdesk", args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unknown command %q (commands: version)", rest[0])
	}
	return console(f)
}

// desk is everything the console is built from, resolved from flags and
// config.
type desk struct {
	cfg      config.Config
	profile  string
	prof     config.Profile
	lang     string
	logger   *slog.Logger
	closeLog func()
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
	logger, closeLog := openLog()
	return &desk{cfg: cfg, profile: name, prof: prof, lang: cfg.UILanguage(os.Getenv), logger: logger, closeLog: closeLog}, nil
}

// openLog writes the log to a file in the state dir: the console owns the
// terminal. When the file cannot be opened nothing is logged rather than
// writing over the screen.
func openLog() (*slog.Logger, func()) {
	dir, err := config.StateDir()
	if err == nil {
		err = os.MkdirAll(dir, 0o700)
	}
	if err != nil {
		return slog.New(slog.DiscardHandler), func() {}
	}
	file, err := os.OpenFile(filepath.Join(dir, "clubdesk.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return slog.New(slog.DiscardHandler), func() {}
	}
	return slog.New(slog.NewTextHandler(file, &slog.HandlerOptions{Level: slog.LevelInfo})), func() { file.Close() }
}

func (d *desk) provider() (providers.Provider, error) {
	extra := map[string]any{}
	if d.prof.Provider == "demo" {
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
	return providers.New(d.prof.Provider, providers.Settings{
		Profile: d.profile, BaseURL: d.prof.BaseURL, Branch: d.prof.Branch, PointName: d.prof.PointName,
		Operator: d.prof.Operator, Timezone: d.prof.Timezone, Logger: d.logger, Extra: extra,
	})
}

func console(f flags) error {
	d, err := setup(f)
	if err != nil {
		return err
	}
	defer d.closeLog()
	if f.demoLatency > 0 {
		d.cfg.Demo.Latency.Duration = f.demoLatency
	}
	prov, err := d.provider()
	if err != nil {
		return err
	}
	keys, err := d.cfg.KeyOverrides()
	if err != nil {
		return err
	}
	var loc *time.Location
	if d.prof.Timezone != "" {
		loc, _ = time.LoadLocation(d.prof.Timezone) // validated with the config
	}
	m, err := ui.New(ui.Options{
		Provider: prov, Language: d.lang, Operator: d.prof.Operator, Location: loc,
		Scanner: ui.ScannerOptions{
			MaxGap: d.cfg.Scanner.MaxGap(), MinLength: d.cfg.Scanner.MinLength,
			Prefix: d.cfg.Scanner.Prefix, Suffix: d.cfg.Scanner.Suffix, TagFormat: d.cfg.Scanner.Format(),
		},
		KeyOverrides: keys, Logger: d.logger, NoConfig: d.cfg.Path == "",
	})
	if err != nil {
		return err
	}
	d.logger.Info("console started", "profile", d.profile, "provider", d.prof.Provider, "config", d.cfg.Path)
	_, err = tea.NewProgram(m).Run()
	return err
}
