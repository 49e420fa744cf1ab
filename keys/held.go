package keys

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// CredentialsEnv is where systemd puts a unit's credentials
// (LoadCredential=, LoadCredentialEncrypted=): one file a secret, readable
// by the service alone.
const CredentialsEnv = "CREDENTIALS_DIRECTORY"

// FromCredentials is a secret read from a systemd credential.
const FromCredentials Source = FromSession + 1

// Held is a service's secrets, read once at its start — each from the
// systemd credentials directory (a file named as the secret: api_key),
// else the environment override, else the keyring — and kept in memory.
// The sessions it serves never reach a keyring, a D-Bus or a file: the
// adapter asks Held. A token the adapter refreshes is written back to the
// keyring when the secret came from there, and kept in memory otherwise.
type Held struct {
	store *Store
	mu    sync.Mutex
	vals  map[string]string
	from  map[string]Source
}

// Hold reads the provider's secrets once. credDir is $CREDENTIALS_DIRECTORY
// ("" when there is none). A required secret found nowhere is an error
// that names where it was looked for.
func Hold(s *Store, credDir string) (*Held, error) {
	h := &Held{store: s, vals: map[string]string{}, from: map[string]Source{}}
	for _, spec := range Needed(s.Provider) {
		if credDir != "" {
			data, err := os.ReadFile(filepath.Join(credDir, spec.Name))
			switch {
			case err == nil:
				v := strings.TrimRight(string(data), "\r\n")
				if v == "" {
					return nil, fmt.Errorf("credential %s in %s is empty", spec.Name, CredentialsEnv)
				}
				remember(v)
				h.vals[spec.Name], h.from[spec.Name] = v, FromCredentials
				continue
			case !errors.Is(err, fs.ErrNotExist):
				return nil, fmt.Errorf("credential %s in %s: %w", spec.Name, CredentialsEnv, err)
			}
		}
		v, src, err := s.Get(spec.Name)
		switch {
		case err == nil:
			h.vals[spec.Name], h.from[spec.Name] = v, src
		case spec.Optional:
		default:
			return nil, err
		}
	}
	return h, nil
}

// Secret implements providers.Secrets from memory.
func (h *Held) Secret(name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.vals[name]
	if !ok {
		return "", &Error{Kind: ErrNotFound, Op: "get", Account: h.store.account(name)}
	}
	return v, nil
}

// SetSecret implements providers.Secrets: a refreshed token is kept in
// memory, and written to the keyring when that is where it came from.
func (h *Held) SetSecret(name, value string) error {
	remember(value)
	h.mu.Lock()
	src, had := h.from[name]
	h.vals[name] = value
	h.mu.Unlock()
	if had && src == FromKeyring {
		return h.store.SetSecret(name, value)
	}
	return nil
}

// Sources says where each secret held came from (doctor, the log).
func (h *Held) Sources() map[string]Source {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]Source, len(h.from))
	for k, v := range h.from {
		out[k] = v
	}
	return out
}

// String names a source for the log.
func (s Source) String() string {
	switch s {
	case FromKeyring:
		return "keyring"
	case FromEnv:
		return "environment"
	case FromSession:
		return "session"
	case FromCredentials:
		return "systemd credentials"
	}
	return "unknown"
}
