package demo

import (
	"time"

	"github.com/clubdesk/clubdesk/providers"
)

var (
	moscow  = mustZone("Europe/Moscow")
	testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, moscow)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	errNotFound   = providers.ErrNotFound
	errValidation = providers.ErrValidation
)
