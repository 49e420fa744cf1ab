package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// DoctorInput is what doctor knows of the service's set-up.
type DoctorInput struct {
	Lang          string
	Provider      string
	OperatorsPath string
	HostKeyPath   string
	// CredDir is $CREDENTIALS_DIRECTORY ("" when unset).
	CredDir string
	Listen  string
}

// Doctor reports on clubdesk serve's set-up — the operators file, the host
// key, where the CRM's keys will be read from, the address — or says
// nothing (ok, "") on a desk that is not set up as a service: no operators
// file and no systemd credentials.
func Doctor(in DoctorInput) (string, bool) {
	st := i18n.Serve(in.Lang)
	_, opsErr := os.Stat(in.OperatorsPath)
	if errors.Is(opsErr, fs.ErrNotExist) && in.CredDir == "" {
		return "", true
	}
	type line struct {
		level       models.Level
		label, text string
	}
	var lines []line
	add := func(l models.Level, label, format string, args ...any) {
		lines = append(lines, line{l, label, components.Clean(redact.String(fmt.Sprintf(format, args...)))})
	}

	// The operators file: who may connect, and whether someone else could
	// add a key to it.
	switch data, err := os.ReadFile(in.OperatorsPath); {
	case err != nil:
		add(models.Red, st.DoctorOperators, "%s: %v", in.OperatorsPath, err)
	default:
		ops, errs := ParseOperators(data)
		var names []string
		for _, o := range ops {
			names = append(names, o.Name+" ("+o.Permits()+")")
		}
		level := models.Green
		text := fmt.Sprintf(st.DoctorOperatorsOK, len(ops), strings.Join(names, ", "))
		switch {
		case len(ops) == 0:
			level, text = models.Red, st.CheckNone
		case len(errs) > 0:
			level, text = models.Red, text+"; "+fmt.Sprintf(st.CheckSkipped, errs[0].Error())
		}
		if fi, err := os.Stat(in.OperatorsPath); err == nil && fi.Mode().Perm()&0o022 != 0 {
			level, text = models.Red, fmt.Sprintf(st.DoctorOperatorsWritable, fi.Mode().Perm())
		}
		add(level, st.DoctorOperators, "%s", text)
	}

	// The host key the receptionists compare at their first login.
	switch data, err := os.ReadFile(in.HostKeyPath); {
	case errors.Is(err, fs.ErrNotExist):
		add(models.Green, st.DoctorHostKey, st.DoctorHostKeyLater, in.HostKeyPath)
	case err != nil:
		add(models.Red, st.DoctorHostKey, "%s: %v", in.HostKeyPath, err)
	default:
		signer, err := gossh.ParsePrivateKey(data)
		if err != nil {
			add(models.Red, st.DoctorHostKey, "%s: %v", in.HostKeyPath, err)
			break
		}
		level := models.Green
		if fi, err := os.Stat(in.HostKeyPath); err == nil && fi.Mode().Perm()&0o077 != 0 {
			level = models.Yellow // the service tightens it at its start
		}
		add(level, st.DoctorHostKey, "%s", gossh.FingerprintSHA256(signer.PublicKey()))
	}

	// The CRM's keys: the credentials folder, else the keyring, read once
	// at the start.
	specs := keys.Needed(in.Provider)
	switch {
	case len(specs) == 0:
	case in.CredDir == "":
		add(models.Green, st.DoctorCredentials, "%s", st.DoctorFromKeyring)
	default:
		var found, missing []string
		for _, s := range specs {
			if _, err := os.Stat(filepath.Join(in.CredDir, s.Name)); err == nil {
				found = append(found, s.Name)
			} else if !s.Optional {
				missing = append(missing, s.Name)
			}
		}
		if len(missing) > 0 {
			add(models.Red, st.DoctorCredentials, st.DoctorCredMissing, keys.CredentialsEnv, strings.Join(missing, ", "))
		} else {
			add(models.Green, st.DoctorCredentials, st.DoctorCredFound, keys.CredentialsEnv, strings.Join(found, ", "))
		}
	}

	// The address: this machine only, or the club's network.
	level, text := models.Green, fmt.Sprintf(st.DoctorListenLocal, in.Listen)
	if host, _, err := net.SplitHostPort(in.Listen); err != nil {
		level, text = models.Red, err.Error()
	} else if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		text = fmt.Sprintf(st.DoctorListenNetwork, in.Listen)
	}
	add(level, st.DoctorListen, "%s", text)

	var b strings.Builder
	b.WriteString(st.DoctorTitle + "\n")
	ok := true
	for _, l := range lines {
		if l.level == models.Red {
			ok = false
		}
		b.WriteString(fmt.Sprintf("  %s %s %s\n", styles.LevelMark(l.level), components.Fit(l.label, 18), l.text))
	}
	if !ok {
		b.WriteString("\n" + st.DoctorServiceBad + "\n")
	}
	return b.String(), ok
}
