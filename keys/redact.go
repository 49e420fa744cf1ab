package keys

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
)

// The log never holds a secret. Every value this package hands out or
// stores is remembered (in memory only) and replaced wherever it appears in
// a log line, and so are the credential headers of the CRMs' APIs whatever
// their value — should any library ever print a request.

// redacted is what stands in a log line for a secret.
const redacted = "‹secret›"

var (
	knownMu sync.RWMutex
	known   = map[string]bool{}
)

// remember adds a secret to what the log hides. Short values are not
// secrets worth the name and would mangle ordinary words.
func remember(v string) {
	if len(v) < 6 {
		return
	}
	knownMu.Lock()
	known[v] = true
	knownMu.Unlock()
}

// credentialHeader matches a credential as a header or parameter writes it:
// "Api-Key: …", "Authorization: Bearer …, User …", "APP_TOKEN=…",
// "user_token": "…".
var credentialHeader = regexp.MustCompile(`(?i)((?:api[-_]?key|app_token|access_token|refresh_token|partner_token|user_token|authorization|password)"?\s*[:=]\s*"?)(?:(?:bearer|user)\s+)?[^\s",;]+(?:,\s*user\s+[^\s",;]+)?`)

// credentialKey is an attribute named like a credential.
var credentialKey = regexp.MustCompile(`(?i)^(?:api[-_]?key|app_token|access_token|refresh_token|partner_token|user_token|authorization|password|token|secret)$`)

// Redact hides every known secret and every credential header in s.
func Redact(s string) string {
	knownMu.RLock()
	for v := range known {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, redacted)
		}
	}
	knownMu.RUnlock()
	return credentialHeader.ReplaceAllString(s, "${1}"+redacted)
}

// RedactingHandler wraps a log handler so that no message or attribute it
// writes carries a secret.
func RedactingHandler(h slog.Handler) slog.Handler { return redactingHandler{h} }

type redactingHandler struct{ next slog.Handler }

func (r redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return r.next.Enabled(ctx, l)
}

func (r redactingHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return r.next.Handle(ctx, out)
}

func (r redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = redactAttr(a)
	}
	return redactingHandler{r.next.WithAttrs(clean)}
}

func (r redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{r.next.WithGroup(name)}
}

// redactAttr hides secrets in an attribute: strings, errors and anything
// else that prints itself.
func redactAttr(a slog.Attr) slog.Attr {
	if credentialKey.MatchString(a.Key) {
		return slog.String(a.Key, redacted)
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		as := v.Group()
		clean := make([]any, len(as))
		for i, g := range as {
			clean[i] = redactAttr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		return slog.String(a.Key, Redact(v.String()))
	}
	return a
}
