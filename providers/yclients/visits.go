package yclients

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// wireVisitHistory is the data of POST .../clients/visits/search: the
// client's records (and goods sales, not shown at the desk).
type wireVisitHistory struct {
	Records list[wireRecord] `json:"records"`
}

// wireCursor is one end of the history's date cursor (assumption 10).
type wireCursor struct {
	From stamp `json:"from"`
	To   stamp `json:"to"`
}

// nextPage reads where the next (older) page starts from meta: a dateCursor
// with next {from, to}, or from/to in meta itself.
func nextPage(m meta) (wireCursor, bool) {
	if raw := bytes.TrimSpace(m.DateCursor); len(raw) > 0 && raw[0] == '{' {
		var dc struct {
			Next object[wireCursor] `json:"next"`
		}
		if json.Unmarshal(raw, &dc) == nil && dc.Next.V.From != "" {
			return dc.Next.V, true
		}
	}
	if m.From != "" && m.To != "" {
		return wireCursor{From: m.From, To: m.To}, true
	}
	return wireCursor{}, false
}

// historyPages bounds how far back the card's history is read.
const historyPages = 4

// Visits lists the client's visits since the instant, newest first: the
// records the client came to (attendance 1), one visit per YCLIENTS visit.
func (c *Client) Visits(ctx context.Context, clientID string, since time.Time) ([]models.Visit, error) {
	const op = "visits"
	if err := c.prepare(ctx, op); err != nil {
		return nil, err
	}
	if err := c.allowed(providers.CapVisits); err != nil {
		return nil, err
	}
	loc := c.zone()
	from, to := models.DateOf(since, loc), models.DateOf(c.now(), loc)
	seen := map[string]bool{}
	var out []models.Visit
	cursor := wireCursor{From: stamp(wireDate(from)), To: stamp(wireDate(to))}
	for page := 0; page < historyPages; page++ {
		body := map[string]any{
			"client_id": numID(clientID), "client_phone": nil,
			"from": string(cursor.From), "to": string(cursor.To),
			"payment_statuses": []string{}, "attendance": 1,
		}
		var h wireVisitHistory
		m, err := c.do(ctx, call{op: op, method: http.MethodPost, path: "/api/v1/company/" + c.companyID + "/clients/visits/search", body: body, search: true}, &h)
		if err != nil {
			return nil, err
		}
		for _, r := range h.Records {
			at, ok := r.start(loc)
			if !ok || at.Before(since) || attendanceModel(r.attendance()) != models.Attended {
				continue
			}
			key := strings.TrimSpace(string(r.VisitID))
			if key == "" || key == "0" {
				key = "r" + string(r.ID)
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			v := models.Visit{ID: key, ClientID: clientID, At: at, LessonTitle: r.title()}
			if a := r.activity(); a != "" {
				v.LessonID = activityLesson(a)
			}
			out = append(out, v)
		}
		next, ok := nextPage(m)
		if !ok || len(h.Records) == 0 {
			break
		}
		if d, ok := next.To.Date(); !ok || d.Before(from) || next == cursor {
			break
		}
		cursor = next
	}
	slices.SortFunc(out, func(a, b models.Visit) int { return b.At.Compare(a.At) })
	return out, nil
}
