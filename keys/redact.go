package keys

import (
	"context"
	"log/slog"

	"github.com/clubdesk/clubdesk/keys/redact"
)

// The log never holds a secret. Every value this package hands out or
// stores is remembered (in memory only) and replaced wherever it appears in
// a log line, and so are the credential headers of the CRMs' APIs whatever
// their value — should any library ever print a request.

// redacted is what stands in a log line for a secret.
const redacted = redact.Mark

// remember adds a secret to what the log, and every other text that leaves
// the process, hides (package redact holds the list, in memory only).
func remember(v string) { redact.Remember(v) }

// Redact hides every known secret and every credential header in s: the
// same redaction as package redact's, for every text that leaves the
// process.
func Redact(s string) string { return redact.String(s) }

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
	if redact.IsCredentialName(a.Key) {
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
