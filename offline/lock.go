package offline

import (
	"errors"
	"os"
)

// errBusy: another console holds the lock.
var errBusy = errors.New("another console of this profile holds the lock")

// lockPath takes an exclusive lock on path (made 0600 if need be), waiting
// for it when wait is set, and returns its release. Where the system has
// no file locks it returns a release that does nothing and the error, and
// the caller goes on alone.
func lockPath(path string, wait bool) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return func() {}, err
	}
	lock := lockFile
	if !wait {
		lock = tryLockFile
	}
	if err := lock(f); err != nil {
		f.Close()
		if !wait && isWouldBlock(err) {
			return nil, errBusy
		}
		return func() {}, err
	}
	return func() {
		_ = unlockFile(f)
		f.Close()
	}, nil
}
