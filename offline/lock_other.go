//go:build !unix

package offline

import (
	"errors"
	"os"
)

// Without flock two consoles of one profile are not kept apart: each
// still merges what it finds on save, and checks a kept mark against the
// CRM before sending it.
func lockFile(*os.File) error    { return errors.New("no file locks on this system") }
func tryLockFile(*os.File) error { return errors.New("no file locks on this system") }
func unlockFile(*os.File) error  { return nil }

func isWouldBlock(error) bool { return false }
