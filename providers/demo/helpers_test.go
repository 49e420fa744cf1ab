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

// all is every client, made from their compact records (tests reach into
// the club by index).
func (c *Club) all() []*client {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ci := range c.clients {
		c.client(int32(ci))
	}
	return c.clients
}
