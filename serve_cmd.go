package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/config"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/serve"
	"github.com/clubdesk/clubdesk/ui"
	"github.com/clubdesk/clubdesk/ui/i18n"
	gossh "golang.org/x/crypto/ssh"
)

// hostKeyPath is the service's SSH host key, in the state folder.
func hostKeyPath() (string, error) {
	dir, err := config.StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "serve_host_ed25519"), nil
}

// serve runs the desk service: the CRM's keys read once, one provider,
// journal and offline desk, a console per SSH session, until SIGTERM or
// SIGINT stops it gracefully.
func (d *desk) serve(f flags, stdout io.Writer) error {
	st := i18n.Serve(d.lang)
	// The service's log goes to its file and to stderr too (the system's
	// journal under systemd), redacted.
	d.logger = slog.New(keys.RedactingHandler(slog.NewTextHandler(io.MultiWriter(d.logFile, os.Stderr),
		&slog.HandlerOptions{Level: slog.LevelInfo})))
	opsPath, err := d.cfg.OperatorsPath()
	if err != nil {
		return err
	}
	ops, err := serve.NewOperators(opsPath, d.lang, d.logger.Warn)
	if err != nil {
		return err
	}
	var secrets providers.Secrets = d.store()
	if len(keys.Needed(d.prof.Provider)) > 0 {
		credDir := os.Getenv(keys.CredentialsEnv)
		if credDir == "" {
			// The keyring's own words for what is missing or out of reach.
			if err := d.secretsProblem(); err != nil {
				d.logger.Warn("service not started", "profile", d.profile, "err", err)
				return err
			}
		}
		held, err := keys.Hold(d.store(), credDir)
		if err != nil {
			d.logger.Warn("service not started", "profile", d.profile, "err", err)
			return err
		}
		for name, src := range held.Sources() {
			d.logger.Info("secret held", "name", name, "from", src.String())
		}
		secrets = held
	}
	path, err := hostKeyPath()
	if err != nil {
		return err
	}
	signer, made, err := serve.HostKey(path)
	if err != nil {
		return err
	}
	c, closeClub, err := d.open(secrets)
	if err != nil {
		return err
	}
	defer closeClub()
	shared := serve.NewShared(c.offline)
	listen := f.listen
	if listen == "" {
		listen = d.cfg.Serve.Listen
	}
	if listen == "" {
		listen = config.DefaultListen
	}
	info := shared.Info()
	srv, err := serve.New(serve.Config{
		Listen: listen, HostKey: signer, Operators: ops, Log: d.logger, Lang: d.lang,
		NewConsole: func(s serve.Session) (tea.Model, error) {
			prov := serve.Guard(journal.WrapFor(shared, c.journal, s.Desk, s.Operator.Name), s.Operator, s.Gate)
			return ui.New(ui.Options{
				Provider: prov, Language: s.Lang, Operator: s.Operator.Name, Location: c.zone.Location, Zone: &c.zone,
				Scanner: c.keys, KeyOverrides: c.overr, Logger: d.logger.With("operator", s.Operator.Name, "desk", s.Desk),
				NoConfig: d.cfg.Path == "" && info.Demo, Journal: c.journal,
				IdleLock: d.cfg.Serve.IdleLock.Duration, Desk: s.Desk, NoMoney: serve.NoMoney(s.Operator),
				NoOverride: serve.NoOverride(s.Operator),
				Rush:       rushOptions(d.cfg.Desk),
			})
		},
	})
	if err != nil {
		return err
	}
	l, err := srv.Listen()
	if err != nil {
		return err
	}
	if made {
		fmt.Fprintf(stdout, st.HostKeyMade+"\n", path)
	}
	fmt.Fprintf(stdout, st.HostKey+"\n", gossh.FingerprintSHA256(signer.PublicKey()))
	_, port, _ := net.SplitHostPort(l.Addr().String())
	fmt.Fprintf(stdout, st.Listening+"\n", l.Addr(), port)
	d.logger.Info("service started", "listen", l.Addr().String(), "profile", d.profile, "provider", d.prof.Provider,
		"operators", opsPath, "host_key", gossh.FingerprintSHA256(signer.PublicKey()))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sig)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	select {
	case err := <-served:
		return err
	case s := <-sig:
		d.logger.Info("graceful stop", "signal", s.String(), "sessions", srv.Sessions(), "writes", srv.Gate().InFlight())
		left := srv.Stop()
		<-served
		d.logger.Info("service stopped", "writes_left", left)
		if left > 0 {
			return fmt.Errorf("stopped with %d writes still in flight: check the journal (F7) after the restart", left)
		}
		return nil
	}
}

// checkOperators is serve --check: the operators file read as the
// service reads it, every line it cannot use said, and who may connect.
func checkOperators(f flags, stdout io.Writer) error {
	cfg, err := config.Load(f.config)
	if err != nil {
		return err
	}
	lang := f.lang
	if lang == "" {
		lang = cfg.UILanguage(os.Getenv)
	}
	st := i18n.Serve(lang)
	path, err := cfg.OperatorsPath()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("operators file: %w", err)
	}
	ops, errs := serve.ParseOperators(data)
	for _, e := range errs {
		fmt.Fprintf(stdout, st.CheckSkipped+"\n", redact.String(e.Error()))
	}
	if len(ops) == 0 {
		fmt.Fprintln(stdout, st.CheckNone)
		return errReported
	}
	fmt.Fprintf(stdout, st.WhoMayConnect+"\n", path)
	for _, o := range ops {
		lang := o.Lang
		if lang == "" {
			lang = "-"
		}
		fmt.Fprintf(stdout, "  %-24s  %-16s  lang=%-2s  %s  (%d)\n", o.Name, "permit="+o.Permits(), lang, o.Fingerprint(), o.Line)
	}
	if len(errs) > 0 {
		return errReported
	}
	return nil
}

// serviceDoctor is doctor's section on clubdesk serve ("" on a desk that
// is not set up as one).
func (d *desk) serviceDoctor() (string, bool) {
	opsPath, err := d.cfg.OperatorsPath()
	if err != nil {
		return "", true
	}
	hostKey, _ := hostKeyPath()
	listen := d.cfg.Serve.Listen
	if listen == "" {
		listen = config.DefaultListen
	}
	return serve.Doctor(serve.DoctorInput{Lang: d.lang, Provider: d.prof.Provider, OperatorsPath: opsPath,
		HostKeyPath: hostKey, CredDir: os.Getenv(keys.CredentialsEnv), Listen: listen})
}
