package demo

import (
	"runtime"
	"slices"

	index "github.com/clubdesk/clubdesk/providers/search"
)

// warmFrom is the club size from which the search indexes are made in the
// background as soon as the club is open: below it, the first search of a
// kind makes its index in a few milliseconds; above, it would take tens to
// hundreds (at 200,000 clients names, phones and e-mails take 20–100 ms
// each; five times that at a million), which the first keystrokes would
// wait for.
var warmFrom = 50_000

// warm makes the indexes a search would otherwise make at its first use:
// each from a copy of what it indexes (the slices as they are now: the club
// only ever appends to them), outside the club's lock, then taken in under
// it if no search made it meanwhile. Names first (the first keystroke),
// then cards (the first scan), phones and e-mails. done is closed at the
// end.
func (c *Club) warm(done chan<- struct{}) {
	defer close(done)
	s := &c.search
	locked := func(fn func()) {
		c.mu.Lock()
		defer c.mu.Unlock()
		fn()
	}
	// Each index's scratch (sort keys, counts, the copy's growth: megabytes
	// at a big club) is collected before the next is made, outside the
	// lock, so that they do not pile up into the process's peak (the
	// demo at 200,000 clients is the benchmark base, kept under 60 MB).
	collect := runtime.GC
	collect() // New's own scratch first

	var table nameTable
	var places []int32
	locked(func() { table, places = s.names, slices.Clone(s.words.Places()) })
	names := makeByName(&table, places)
	locked(func() {
		if names.built > s.byName.built {
			s.byName = names
		}
	})
	names = byName{}
	collect()

	var cards cardTable
	locked(func() { cards = s.cards })
	var buckets cardBuckets
	buckets.build(&cards)
	locked(func() {
		if buckets.built > s.cardIndex.built {
			s.cardIndex = buckets
		}
	})
	collect()

	var phones index.Phones
	locked(func() { phones = s.phones })
	phones.Prepare()
	locked(func() { s.phones.Adopt(&phones) })
	phones = index.Phones{}
	collect()

	var mails index.Texts
	locked(func() { mails = s.emails })
	var grams index.Grams
	grams.Prepare(&mails)
	locked(func() { s.mailIx.Adopt(&grams) })
	collect()
}
