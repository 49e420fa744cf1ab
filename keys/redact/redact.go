// Package redact hides every secret the process holds in any text before it
// leaves the process: the screen, the operation journal, the offline
// memory, `clubdesk doctor`, `clubdesk login`, stderr and the log.
//
// It has no dependencies, so every layer can use it (models' neighbours,
// the providers, the journal) without reaching the keyring: package keys
// remembers here every secret it hands out or stores, the HTTP layer every
// credential a request carries (a key typed at login and not stored yet),
// and String replaces them wherever they appear, together with anything
// written like a credential ("Api-Key: …", "Authorization: Bearer …",
// "api_key=…", `"user_token": "…"`) whatever its value.
//
// Secrets are kept in memory only, never written anywhere.
package redact

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Mark is what stands in a text for a secret.
const Mark = "‹secret›"

// MinLen is the shortest value remembered as a secret: shorter ones are
// not secrets worth the name and would mangle ordinary words.
const MinLen = 6

var (
	mu sync.Mutex
	// known is the sorted (longest first) list of remembered secrets,
	// replaced whole on every change so that readers never lock.
	known atomic.Pointer[[]string]
)

// Remember adds secrets to what String hides. Values shorter than MinLen
// and surrounding spaces are ignored.
func Remember(secrets ...string) {
	mu.Lock()
	defer mu.Unlock()
	cur := Known()
	next := slices.Clone(cur)
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < MinLen || slices.Contains(next, s) {
			continue
		}
		next = append(next, s)
	}
	if len(next) == len(cur) {
		return
	}
	// Longest first: a secret that contains another is hidden whole.
	slices.SortFunc(next, func(a, b string) int { return len(b) - len(a) })
	known.Store(&next)
}

// Known returns the secrets remembered so far (tests, and callers that
// check bytes without building strings).
func Known() []string {
	if p := known.Load(); p != nil {
		return *p
	}
	return nil
}

// Forget drops every remembered secret (tests).
func Forget() {
	mu.Lock()
	known.Store(nil)
	mu.Unlock()
}

// credentialNames are the names a credential goes by in a header, a
// parameter or a JSON field.
const credentialNames = `api[-_]?key|app[-_]?token|access[-_]?token|refresh[-_]?token|partner[-_]?token|user[-_]?token|auth[-_]?token|x-api-key|authorization|password|passwd`

// credential matches a credential as a header or parameter writes it:
// "Api-Key: …", "Authorization: Bearer …, User …", "APP_TOKEN=…",
// `"user_token": "…"`.
var credential = regexp.MustCompile(`(?i)((?:` + credentialNames + `)"?\s*[:=]\s*"?)(?:(?:bearer|user|basic|token)\s+)?[^\s",;&]+(?:,\s*user\s+[^\s",;&]+)?`)

// bearer matches a bearer token written on its own ("invalid Bearer x").
var bearer = regexp.MustCompile(`(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}`)

// credentialKey is a name that is itself a credential's (a log
// attribute, a header, a map key).
var credentialKey = regexp.MustCompile(`(?i)^(?:` + credentialNames + `|token|secret)$`)

// IsCredentialName reports whether name is a credential's: "Api-Key",
// "APP_TOKEN", "authorization", "token"...
func IsCredentialName(name string) bool { return credentialKey.MatchString(strings.TrimSpace(name)) }

// String hides every remembered secret and every credential written as
// one in s.
func String(s string) string {
	if s == "" {
		return s
	}
	for _, v := range Known() {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mark)
		}
	}
	if !mayHoldCredential(s) {
		return s
	}
	s = credential.ReplaceAllString(s, "${1}"+Mark)
	return bearer.ReplaceAllString(s, "${1}"+Mark)
}

// mayHoldCredential is a cheap test before the regular expressions (which
// take a hundred milliseconds over a few megabytes): every credential
// pattern holds one of credentialWords.
func mayHoldCredential(s string) bool {
	if !hasCredentialWord(s) {
		return false
	}
	return credential.MatchString(s) || bearer.MatchString(s)
}

// credentialWords are in every name of credentialNames, and in bearer.
var credentialWords = []string{"key", "token", "authorization", "passw", "bearer"}

// hasCredentialWord looks for credentialWords in any case, in one pass.
func hasCredentialWord(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i] | 0x20; c {
		case 'k', 't', 'a', 'p', 'b':
			for _, w := range credentialWords {
				if w[0] == c && len(s)-i >= len(w) && strings.EqualFold(s[i:i+len(w)], w) {
					return true
				}
			}
		}
	}
	return false
}

// Map returns m with every key and value passed through String (nil stays
// nil).
func Map(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[String(k)] = String(v)
	}
	return out
}

// Needed reports whether String would change s.
func Needed(s string) bool {
	for _, v := range Known() {
		if strings.Contains(s, v) {
			return true
		}
	}
	return mayHoldCredential(s)
}

// JSON returns a JSON document with every string in it (keys and values)
// passed through String. A document with nothing to hide comes back as it
// was, without being decoded; one that is not JSON comes back unchanged
// (the caller wrote it, and it is the caller's to check).
func JSON(data []byte) []byte {
	if !neededJSON(data) {
		return data
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // amounts in minor units stay exact
	var v any
	if err := dec.Decode(&v); err != nil {
		return data
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		return data
	}
	return out
}

// neededJSON looks for a secret as it is written inside a JSON string (so
// with its escapes) or for anything written like a credential.
func neededJSON(data []byte) bool {
	s := string(data)
	for _, v := range Known() {
		if strings.Contains(s, v) {
			return true
		}
		if enc, err := json.Marshal(v); err == nil && strings.Contains(s, string(enc[1:len(enc)-1])) {
			return true
		}
	}
	return mayHoldCredential(s)
}

func walk(v any) any {
	switch v := v.(type) {
	case string:
		return String(v)
	case []any:
		for i := range v {
			v[i] = walk(v[i])
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, sub := range v {
			if IsCredentialName(k) {
				if _, isText := sub.(string); isText {
					out[k] = Mark
					continue
				}
			}
			out[String(k)] = walk(sub)
		}
		return out
	}
	return v
}
