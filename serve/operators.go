package serve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/clubdesk/clubdesk/text"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

// Permissions an operators file may grant (the permit="…" option). Every
// operator may search, open cards, book, mark and check in; money and the
// override of a red verdict are given by name.
const (
	PermitMoney    = "money"    // sales, payments, deposit top-ups, payment pages
	PermitOverride = "override" // letting in a client the verdict stops
)

// Operator is one key of the operators file and who holds it.
type Operator struct {
	Name string
	// Lang is the operator's language (lang="ru"|"en"); "" leaves it to
	// the session's locale, then the service's config.
	Lang     string
	Money    bool
	Override bool
	Key      ssh.PublicKey
	// Line is where the key is in the file, for the log and --check.
	Line int
}

// Fingerprint is the key's SHA256 fingerprint as ssh-keygen -l prints it.
func (o Operator) Fingerprint() string { return gossh.FingerprintSHA256(o.Key) }

// Permits lists the operator's permissions in words for --check.
func (o Operator) Permits() string {
	var p []string
	if o.Money {
		p = append(p, PermitMoney)
	}
	if o.Override {
		p = append(p, PermitOverride)
	}
	if len(p) == 0 {
		return "-"
	}
	return strings.Join(p, ",")
}

// maxName bounds an operator's name: it goes to every journal line.
const maxName = 64

// ParseOperators reads an operators file: authorized_keys lines, each
// with the operator's name in an operator="…" option (else the key's
// comment), and optionally permit="money,override" and lang="ru|en".
// Blank lines and # comments are skipped. Every line that cannot be used
// is an error of its own, with its number; the keys that can be used are
// returned all the same.
func ParseOperators(data []byte) ([]Operator, []error) {
	var ops []Operator
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		op, err := parseOperator(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", n, err))
			continue
		}
		op.Line = n
		for _, o := range ops {
			if ssh.KeysEqual(o.Key, op.Key) {
				err = fmt.Errorf("line %d: the key of line %d again (%s): a key is one operator", n, o.Line, o.Name)
			}
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ops = append(ops, op)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("line %d: %w", n+1, err))
	}
	return ops, errs
}

func parseOperator(line []byte) (Operator, error) {
	key, comment, options, rest, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		return Operator{}, fmt.Errorf("not an authorized_keys line: %w", err)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return Operator{}, errors.New("one key a line")
	}
	op := Operator{Key: key, Name: comment}
	for _, o := range options {
		name, value, _ := strings.Cut(o, "=")
		value = strings.Trim(value, `"`)
		switch strings.ToLower(name) {
		case "operator":
			op.Name = value
		case "lang":
			if value != "ru" && value != "en" {
				return Operator{}, fmt.Errorf("lang=%q: use ru or en", value)
			}
			op.Lang = value
		case "permit":
			for _, p := range strings.Split(value, ",") {
				switch strings.TrimSpace(p) {
				case PermitMoney:
					op.Money = true
				case PermitOverride:
					op.Override = true
				case "":
				default:
					return Operator{}, fmt.Errorf("permit=%q: the permissions are %s and %s", value, PermitMoney, PermitOverride)
				}
			}
		default:
			// OpenSSH's own options (command=, no-pty, from=…) mean
			// nothing here: refusing them says so rather than letting the
			// file promise what the service does not do.
			return Operator{}, fmt.Errorf("option %q is not an operators option (operator=, permit=, lang=)", name)
		}
	}
	op.Name = strings.TrimSpace(text.Clean(op.Name))
	if op.Name == "" {
		return Operator{}, errors.New(`no operator's name: put operator="Name" before the key, or the name as its comment`)
	}
	if utf8.RuneCountInString(op.Name) > maxName {
		return Operator{}, fmt.Errorf("the operator's name is longer than %d characters", maxName)
	}
	return op, nil
}

// Operators is the operators file as the service reads it: reread when it
// changes (its size or time), so an operator added or removed is let in or
// refused at the next connection without a restart.
type Operators struct {
	path string
	log  func(msg string, args ...any)

	mu    sync.Mutex
	stamp fileStamp
	ops   []Operator
}

type fileStamp struct {
	size int64
	mod  time.Time
	ok   bool
}

// NewOperators reads the file at path. A file missing or that lets no one
// in is an error: a service nobody can reach would only look broken.
func NewOperators(path, lang string, log func(msg string, args ...any)) (*Operators, error) {
	o := &Operators{path: path, log: log}
	ops, errs, err := o.read()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf(i18n.Serve(lang).NoOperatorsFile, path)
	}
	if err != nil {
		return nil, err
	}
	for _, e := range errs {
		log("operators file: line skipped", "path", path, "err", e)
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf(i18n.Serve(lang).NobodyInOperators, path)
	}
	return o, nil
}

// read rereads the file when it changed since the last read.
func (o *Operators) read() ([]Operator, []error, error) {
	fi, err := os.Stat(o.path)
	if err != nil {
		return nil, nil, fmt.Errorf("operators file: %w", err)
	}
	st := fileStamp{size: fi.Size(), mod: fi.ModTime(), ok: true}
	o.mu.Lock()
	defer o.mu.Unlock()
	if st == o.stamp {
		return o.ops, nil, nil
	}
	data, err := os.ReadFile(o.path)
	if err != nil {
		return nil, nil, fmt.Errorf("operators file: %w", err)
	}
	ops, errs := ParseOperators(data)
	o.ops, o.stamp = ops, st
	return ops, errs, nil
}

// Find returns the operator holding key. The file is reread first when it
// changed; a file that cannot be read now keeps the operators last read
// (a half-written file while someone edits it must not lock everyone out).
func (o *Operators) Find(key ssh.PublicKey) (Operator, bool) {
	ops, errs, err := o.read()
	if err != nil {
		o.log("operators file not reread", "path", o.path, "err", err)
		o.mu.Lock()
		ops = o.ops
		o.mu.Unlock()
	}
	for _, e := range errs {
		o.log("operators file: line skipped", "path", o.path, "err", e)
	}
	i := slices.IndexFunc(ops, func(op Operator) bool { return ssh.KeysEqual(op.Key, key) })
	if i < 0 {
		return Operator{}, false
	}
	return ops[i], true
}
