package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/clubdesk/clubdesk/models"
)

// The folder every desk user of a machine shares. Receptionists who log in
// to the club's workstation as different system users (each in an SSH
// session) reach the CRM from one address, and YCLIENTS counts its request
// limits per address: their consoles must count their requests together,
// in one file they can all write. An administrator makes the folder once:
//
//	sudo groupadd --system clubdesk
//	sudo install -d -m 2770 -o root -g clubdesk /var/lib/clubdesk
//	sudo usermod -aG clubdesk anna      # every receptionist's user; log in again
//
// Mode 2770: the group reads and writes, nobody else enters, and the
// setgid bit gives every file made in it the group clubdesk (the counter is
// made 0660). CLUBDESK_SHARED_DIR names another folder. Without a usable
// shared folder each user's console counts in its own state folder, and
// `clubdesk doctor` warns (SharedDirWarning).

// SharedDirEnv names a shared folder other than DefaultSharedDir.
const SharedDirEnv = "CLUBDESK_SHARED_DIR"

// DefaultSharedDir is the shared folder on a Unix machine.
const DefaultSharedDir = "/var/lib/clubdesk"

// ErrNoSharedDir means there is no folder the desk users of this machine
// share; the error says why.
var ErrNoSharedDir = errors.New("no folder shared by the desk users of this machine")

// SharedDirWarning is what `clubdesk doctor` says when the request counter
// is not shared (fill it with the reason, in English: the error's text).
var SharedDirWarning = models.Words{
	EN: "the request counter is this user's only (%s): consoles of other system users on this machine are not counted with it, and the CRM counts them together. An administrator fixes it: sudo groupadd --system clubdesk; sudo install -d -m 2770 -g clubdesk /var/lib/clubdesk; sudo usermod -aG clubdesk USER",
	RU: "счётчик запросов только у этого пользователя (%s): консоли других пользователей этой машины считаются отдельно, а CRM считает их вместе. Администратору: sudo groupadd --system clubdesk; sudo install -d -m 2770 -g clubdesk /var/lib/clubdesk; sudo usermod -aG clubdesk ПОЛЬЗОВАТЕЛЬ",
}

// SharedStateDir is the folder every desk user of this machine shares,
// when it is there and fit: a folder, the group's to write (g+rwx), not
// open to everyone without the sticky bit (anyone could replace the
// counter), and writable by this user. Otherwise the error, an
// ErrNoSharedDir, says what is wrong.
func SharedStateDir() (string, error) {
	dir := os.Getenv(SharedDirEnv)
	if dir == "" {
		if runtime.GOOS == "windows" {
			return "", fmt.Errorf("%w: set %s", ErrNoSharedDir, SharedDirEnv)
		}
		dir = DefaultSharedDir
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("%w: %s does not exist", ErrNoSharedDir, dir)
	case err != nil:
		return "", fmt.Errorf("%w: %v", ErrNoSharedDir, err)
	case !st.IsDir():
		return "", fmt.Errorf("%w: %s is not a folder", ErrNoSharedDir, dir)
	}
	perm := st.Mode().Perm()
	if perm&0o070 != 0o070 {
		return "", fmt.Errorf("%w: %s is not the group's to write (mode %04o; want 2770)", ErrNoSharedDir, dir, st.Mode().Perm()|setgid(st.Mode()))
	}
	if perm&0o002 != 0 && st.Mode()&fs.ModeSticky == 0 {
		return "", fmt.Errorf("%w: %s is writable by everyone (mode %04o; want 2770)", ErrNoSharedDir, dir, perm)
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return "", fmt.Errorf("%w: %s is not writable by this user (in the group clubdesk?)", ErrNoSharedDir, dir)
	}
	probe.Close()
	os.Remove(probe.Name())
	return dir, nil
}

func setgid(m fs.FileMode) fs.FileMode {
	if m&fs.ModeSetgid != 0 {
		return 0o2000
	}
	return 0
}

// LimiterDir is where the request counter of a CRM that counts per
// address lives (providers.Settings.StateDir): the shared folder, or else
// this user's own state folder, with why as a warning for `clubdesk
// doctor` (SharedDirWarning.Fill(warning)). dir is "" when there is no
// state folder either.
func LimiterDir() (dir string, warning error) {
	shared, err := SharedStateDir()
	if err == nil {
		return shared, nil
	}
	own, ownErr := StateDir()
	if ownErr != nil {
		return "", err
	}
	if mkErr := os.MkdirAll(own, 0o700); mkErr != nil {
		return "", err
	}
	return own, err
}

// OpenPrivate opens a file of the desk's own (the log) for appending,
// made 0600; one found wider — left by an older version, or copied — is
// tightened, and one that cannot be is refused.
func OpenPrivate(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.Mode().Perm()&^0o600 != 0 {
		err = f.Chmod(0o600)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is readable by others and cannot be made private: %w", path, err)
	}
	return f, nil
}
