package providers

import "errors"

// ErrPartial: the answer is what the adapter knows so far; the rest is still
// being read (a day's rosters read in the background) or could not be read
// this time. The value returned with it is usable and true as far as it
// goes, never complete: the desk shows it and says so. It travels as the
// Kind of an *Error whose Desk words what is missing.
var ErrPartial = errors.New("only part of the answer is known yet")

// Warmer is an adapter that reads ahead what the desk asks first (LuckyFit:
// today's rosters, which a card's "booked today" is picked from). Warm
// starts the reads and returns at once; the desk calls it when it starts.
type Warmer interface {
	Warm()
}
