package providers

import (
	"context"

	"github.com/clubdesk/clubdesk/models"
)

// RefreshScope names what an explicit refresh asks the CRM for again.
type RefreshScope string

// Refresh scopes.
const (
	// RefreshTimetable is F5 on the timetable: the day's lessons and what
	// names them (instructors, kinds of exercise).
	RefreshTimetable RefreshScope = "timetable"
)

// Refresher is a provider that keeps something for the session which only
// the receptionist's explicit refresh asks the CRM for again — Go-CRM
// keeps a failing /users for the session instead of asking it on every
// timetable read. The timetable's F5 calls Refresh(RefreshTimetable), then
// reads the day as usual. Refresh does no I/O itself: it forgets, and the
// next read asks.
type Refresher interface {
	Refresh(scope RefreshScope)
}

// Diagnosis is one line a provider adds to `clubdesk doctor`.
type Diagnosis struct {
	Level models.Level
	Label Words // "instructors"
	Text  Words // what was found, and what the desk does about it
}

// Diagnoser is a provider with checks of its own for `clubdesk doctor`
// beyond Checker's: a call of the CRM's that fails on live accounts and
// what the desk shows instead (Go-CRM's public /users).
type Diagnoser interface {
	Diagnose(ctx context.Context) []Diagnosis
}
