package cli

import (
	"errors"
	"strings"

	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"

	"github.com/clubdesk/clubdesk/keys"
)

// KeyringProblem words a keyring failure for a club's IT person: what is
// missing, and the supported ways out, with the environment variables that
// would stand in for this provider's secrets.
func KeyringProblem(lang string, err error, provider string) string {
	t := i18n.For(lang)
	var ke *keys.Error
	what := t.KeyringOther
	if errors.As(err, &ke) {
		switch ke.Reason {
		case keys.ReasonNoBus:
			what = t.KeyringNoBus
		case keys.ReasonDeadBus:
			what = t.KeyringDeadBus
		case keys.ReasonNoService:
			what = t.KeyringNoService
		case keys.ReasonLocked:
			what = t.KeyringLocked
		case keys.ReasonTimeout:
			what = t.KeyringTimeout
		}
	}
	var envs []string
	for _, n := range keys.Names(provider) {
		envs = append(envs, keys.EnvName(provider, n))
	}
	if len(envs) == 0 {
		envs = []string{keys.EnvName(provider, "api_key")}
	}
	msg := what + "\n" + strings.Replace(t.KeyringWaysOut, "%s", strings.Join(envs, ", "), 1)
	if ke != nil && ke.Cause != "" {
		msg += "\n(" + components.Clean(ke.Cause) + ")"
	}
	return msg
}

// TextSecretMissing is the format of "no key stored, run clubdesk login"
// (profile, provider, secret, profile).
func TextSecretMissing(lang string) string { return i18n.For(lang).SecretMissing }

// isKeyringDown reports whether err means the keyring cannot be used at all.
func isKeyringDown(err error) bool {
	return errors.Is(err, keys.ErrUnavailable) || errors.Is(err, keys.ErrLocked)
}
