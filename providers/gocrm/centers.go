package gocrm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// staffTTL is how long instructors' names are kept.
const staffTTL = time.Hour

// centerID is the profile's center; a profile that names none works in
// the club's only center, found through the public API's cities.
func (c *Client) centerID(ctx context.Context) (string, error) {
	if b := c.branchID(); b != "" {
		return b, nil
	}
	ce, err := c.center(ctx)
	if err != nil {
		return "", err
	}
	return string(ce.ID), nil
}

// center is the profile's center from the public API's GET /centers/{id},
// or, with no center in the profile, the only one GET /cities and
// /cities/{id}/centers list; with several, the desk is told to choose.
func (c *Client) center(ctx context.Context) (wireCenter, error) {
	c.mu.Lock()
	if ce := c.cache.center; ce != nil {
		c.mu.Unlock()
		return *ce, nil
	}
	branch := c.branch
	c.mu.Unlock()
	var found wireCenter
	if branch != "" {
		if err := c.publicCall(ctx, "center", http.MethodGet, "/centers/"+pathID(branch), nil, nil, &found); err != nil {
			return wireCenter{}, err
		}
		if found.ID == "" {
			return wireCenter{}, providers.Refusal(providers.ErrNotFound, "center", providers.Words{EN: "center %s is not in Go-CRM", RU: "центр %s не найден в Go-CRM"}, branch)
		}
	} else {
		all, err := c.centers(ctx)
		if err != nil {
			return wireCenter{}, err
		}
		switch len(all) {
		case 0:
			return wireCenter{}, providers.Refusal(providers.ErrNotFound, "center", providers.Words{EN: "Go-CRM lists no center", RU: "в Go-CRM нет ни одного центра"})
		case 1:
			found = all[0]
		default:
			var list []string
			for _, ce := range all {
				list = append(list, fmt.Sprintf("%s (%s, %s)", ce.ID, strings.TrimSpace(string(ce.City)), strings.TrimSpace(string(ce.Address))))
			}
			return wireCenter{}, providers.Refusal(providers.ErrValidation, "center", providers.Words{
				EN: "the profile names no center: add branch = one of %s",
				RU: "в профиле не указан центр: добавьте branch = один из %s"}, strings.Join(list, "; "))
		}
	}
	c.mu.Lock()
	c.cache.center = &found
	if c.branch == "" {
		c.branch = string(found.ID)
	}
	c.mu.Unlock()
	return found, nil
}

// branchID is the center the desk works in, once known.
func (c *Client) branchID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.branch
}

// centers lists every center of every city.
func (c *Client) centers(ctx context.Context) ([]wireCenter, error) {
	var cities []wireCity
	if err := c.publicCall(ctx, "centers", http.MethodGet, "/cities", nil, nil, &cities); err != nil {
		return nil, err
	}
	var out []wireCenter
	for _, city := range cities {
		if city.ID == "" {
			continue
		}
		var cs []wireCenter
		if err := c.publicCall(ctx, "centers", http.MethodGet, "/cities/"+pathID(string(city.ID))+"/centers", nil, nil, &cs); err != nil {
			return nil, err
		}
		for _, ce := range cs {
			if ce.ID != "" {
				out = append(out, ce)
			}
		}
	}
	return out, nil
}

// BranchZone implements providers.ZoneReporter: the center's timezone from
// the public API.
func (c *Client) BranchZone(ctx context.Context) (string, error) {
	ce, err := c.center(ctx)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(ce.Timezone)), nil
}

// instructors names the center's instructors from the public API's GET
// /users (position 4), kept for an hour. The timetable does not wait on
// it: without names it shows what the hours carry. A failure is kept for
// the session (assumption 14: /users answers 500 on live centers) and the
// call is made again only after Refresh — not on every timetable read.
func (c *Client) instructors(ctx context.Context) map[string]string {
	c.mu.Lock()
	if c.cache.staffErr != nil {
		c.mu.Unlock()
		return nil
	}
	if c.cache.staff != nil && c.now().Sub(c.cache.staffAt) < staffTTL {
		staff := c.cache.staff
		c.mu.Unlock()
		return staff
	}
	c.mu.Unlock()
	center, err := c.centerID(ctx)
	if err != nil {
		c.log.Warn("instructors not read", "err", err)
		return nil
	}
	staff, err := c.users(ctx, center)
	if err != nil {
		if ctx.Err() == nil { // the desk gave up: not the CRM's failure
			c.log.Warn("instructors not read; kept for the session, asked again on F5", "err", err)
			c.mu.Lock()
			c.cache.staffErr = err
			c.mu.Unlock()
		}
		return nil
	}
	c.mu.Lock()
	c.cache.staff, c.cache.staffAt = staff, c.now()
	c.mu.Unlock()
	return staff
}

// users is one GET /users for the center's instructors.
func (c *Client) users(ctx context.Context, center string) (map[string]string, error) {
	var users []wireUser
	params := map[string]any{"centerId": center, "position": positionInstructor}
	if err := c.publicCall(ctx, "instructors", http.MethodGet, "/users", params, nil, &users); err != nil {
		return nil, err
	}
	staff := map[string]string{}
	for _, u := range users {
		if name := strings.TrimSpace(string(first(u.DisplayName, u.Name, u.Login))); u.ID != "" && name != "" {
			staff[string(u.ID)] = name
		}
	}
	return staff, nil
}

// Refresh implements providers.Refresher: F5 on the timetable asks /users
// again when it failed this session (the names it gave are kept for their
// hour).
func (c *Client) Refresh(scope providers.RefreshScope) {
	if scope != providers.RefreshTimetable {
		return
	}
	c.mu.Lock()
	c.cache.staffErr = nil
	c.mu.Unlock()
}

// InstructorsFailure is how /users failed this session, nil when it has
// not (the timetable then names instructors from it).
func (c *Client) InstructorsFailure() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cache.staffErr
}

// Diagnose implements providers.Diagnoser with one line on /users: named
// instructors, or the failure and what the timetable shows instead. It
// asks /users once (the doctor's own process has no session to keep).
func (c *Client) Diagnose(ctx context.Context) []providers.Diagnosis {
	label := providers.Words{EN: "instructors (/users)", RU: "инструкторы (/users)"}
	center, err := c.centerID(ctx)
	if err == nil {
		var staff map[string]string
		if staff, err = c.users(ctx, center); err == nil {
			return []providers.Diagnosis{{Level: models.Green, Label: label,
				Text: providers.Words{EN: "%d named by Go-CRM's public /users", RU: "%d, имена из публичного /users Go-CRM"}.Fill(len(staff))}}
		}
	}
	why := failure(err)
	return []providers.Diagnosis{{Level: models.Yellow, Label: label, Text: providers.Words{
		EN: "Go-CRM's public /users fails (" + why.EN + "): the timetable names instructors by what the hours carry (their ids when nothing more); the desk asks again on F5 of the timetable",
		RU: "публичный /users Go-CRM не отвечает (" + why.RU + "): расписание называет инструкторов тем, что есть в занятиях (номерами, если больше ничего нет); касса спросит снова по F5 в расписании"}}}
}

// failure words a failed call in a few words: the status it got, with
// Go-CRM's own words when it gave any.
func failure(err error) providers.Words {
	var pe *providers.Error
	if errors.As(err, &pe) {
		w := providers.Words{EN: providers.Explain(err, "en"), RU: providers.Explain(err, "ru")}
		if pe.Status != 0 {
			status := fmt.Sprintf("HTTP %d", pe.Status)
			if pe.Synthetic || pe.Message == "" && pe.Desk.EN == "" {
				return providers.Words{EN: status, RU: status}
			}
			return providers.Words{EN: status + ": " + w.EN, RU: status + ": " + w.RU}
		}
		if w.EN != "" {
			return providers.Words{EN: w.EN, RU: first(w.RU, w.EN)}
		}
	}
	return providers.Words{EN: err.Error(), RU: err.Error()}
}

var (
	_ providers.Refresher = (*Client)(nil)
	_ providers.Diagnoser = (*Client)(nil)
)
