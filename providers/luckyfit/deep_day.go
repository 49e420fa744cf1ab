package luckyfit

import (
	"context"
	"strconv"

	"github.com/clubdesk/clubdesk/providers/deep"
)

// deepByClient checks assumption 17: the client's bookings asked for by
// client_id come back as that client's only, the booking the roster shows
// among them.
func (c *Client) deepByClient(ctx context.Context, b *deep.Book, clientID, lessonID string) {
	if clientID == "" {
		b.Cannot(17, deep.Say("no booked client was read to ask for", "не прочитан ни один записанный клиент, чтобы спросить"))
		return
	}
	a := c.deepGet(ctx, b, "a client's bookings", "client bookings", "/lesson_calendar_bookings", map[string]any{"client_id": clientID})
	if a.err != nil {
		if refusedFilter(a.err) {
			b.Broken(17, deep.Say("client_id is refused (%s): the desk reads every roster of the day instead",
				"client_id не принят (%s): касса читает вместо этого все списки дня", deep.FailedShape(a.err)))
			return
		}
		b.Cannot(17, deep.Failed("GET /lesson_calendar_bookings by client_id", a.err))
		return
	}
	items := a.items()
	other, found := 0, false
	for _, o := range items {
		if o.Text("client_id") != clientID {
			other++
		}
		found = found || o.Text("lesson_calendar_id") == lessonID
	}
	switch {
	case other > 0:
		b.Broken(17, deep.Say("%d of %d bookings are other clients': client_id is ignored; the desk reads every roster instead",
			"%d из %d записей — чужие: client_id не применяется; касса читает все списки", other, len(items)))
	case !found:
		b.Broken(17, deep.Say("the answer (%d bookings) lacks the one the lesson's roster shows: client_id is not applied; the desk reads every roster instead",
			"в ответе (%d записей) нет той, что в списке занятия: client_id не применяется; касса читает все списки", len(items)))
	default:
		b.Held(17, deep.Say("%d bookings, all the client's, the roster's among them", "%d записей, все — этого клиента, среди них та, что в списке", len(items)))
	}
}

// deepCounts checks assumption 18: the feed's booked count of the lesson
// read is its roster's length.
func deepCounts(b *deep.Book, feed deepAnswer, lessonID string, roster int) {
	for _, o := range feed.items() {
		if o.Text("id") != lessonID {
			continue
		}
		for _, k := range []string{"booked", "clients_count", "bookings_count"} {
			if !o.Has(k) {
				continue
			}
			n, err := strconv.Atoi(o.Text(k))
			switch {
			case err != nil:
				b.Broken(18, deep.Say("the feed's %s is not a count", "%s в ленте — не число", k))
			case n != roster:
				b.Broken(18, deep.Say("the feed counts %d booked (%s), the roster has %d: a refresh reads that roster again every time",
					"лента считает %d записанных (%s), в списке %d: обновление каждый раз перечитывает список", n, k, roster))
			default:
				b.Held(18, deep.Say("the feed's %s (%d) is the roster's length", "%s в ленте (%d) — длина списка", k, n))
			}
			return
		}
		b.Broken(18, deep.Say("the feed gives no booked count: a refresh reads every booked roster again",
			"лента не даёт числа записанных: обновление перечитывает все непустые списки"))
		return
	}
	b.Cannot(18, deep.Say("the lesson read is not in the feed", "прочитанного занятия нет в ленте"))
}
