package yclients

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/clubdesk/clubdesk/providers"
)

// permissions are the logged-in user's rights in the company, from
// GET /api/v1/user/permissions/{company_id}: every group's keys, flattened.
type permissions map[string]bool

// denies reports whether the user certainly lacks a right: the key is
// there and false. An absent key is not a refusal (YCLIENTS will say so
// itself if it is one).
func (p permissions) denies(key string) bool {
	v, ok := p[key]
	return ok && !v
}

// permissionRule ties a capability to the right it needs.
type permissionRule struct {
	cap     providers.Capability
	key     string
	title   string // the right as YCLIENTS' settings call it
	titleRU string
}

func (r permissionRule) reason() providers.Words {
	return providers.Words{
		EN: fmt.Sprintf("the YCLIENTS user has no right to %s (%s): ask the company's admin", r.title, r.key),
		RU: fmt.Sprintf("у пользователя YCLIENTS нет права «%s» (%s): обратитесь к администратору компании", r.titleRU, r.key),
	}
}

// permissionRules are the rights the desk's actions need (the document's
// permission table, L6467–L6600).
var permissionRules = []permissionRule{
	{providers.CapCalendar, "timetable_access", "see the appointment book", "доступ к журналу записи"},
	{providers.CapRoster, "timetable_access", "see the appointment book", "доступ к журналу записи"},
	{providers.CapBook, "create_records_access", "create records", "создание записей"},
	{providers.CapCancelBooking, "delete_records_access", "delete records", "удаление записей"},
	{providers.CapAttendance, "edit_records_access", "change records", "изменение записей"},
	{providers.CapTakePayment, "records_finances_access", "take payment in records", "оплата в записях"},
	{providers.CapSearch, "clients_access", "see the client base", "доступ к клиентской базе"},
	{providers.CapCardLookup, "clients_access", "see the client base", "доступ к клиентской базе"},
	{providers.CapBindCard, "clients_access", "see the client base", "доступ к клиентской базе"},
	{providers.CapCreateClient, "clients_access", "see the client base", "доступ к клиентской базе"},
	{providers.CapVisits, "clients_access", "see the client base", "доступ к клиентской базе"},
	{providers.CapMemberships, "loyalty_access", "see loyalty (abonements)", "доступ к лояльности (абонементы)"},
}

// readPermissions reads the user's rights once; a refusal or an answer it
// cannot read leaves them unknown for the session, a network failure lets
// the next call try again.
func (c *Client) readPermissions(ctx context.Context, op string) {
	p, err := c.fetchPermissions(ctx, op)
	if err != nil {
		c.log.Warn("yclients: user permissions not read", "err", err)
		var pe *providers.Error
		if !errors.As(err, &pe) || pe.Status == 0 {
			return
		}
	}
	c.mu.Lock()
	c.perms, c.permsRead = p, true
	c.mu.Unlock()
}

// readPermissionsStrict is the login check's read, which needs both
// tokens: a rejected token or no answer fails the check; any other refusal
// only leaves the rights unknown (the company read decides then).
func (c *Client) readPermissionsStrict(ctx context.Context, op string) error {
	p, err := c.fetchPermissions(ctx, op)
	var pe *providers.Error
	switch {
	case err == nil:
	case errors.Is(err, providers.ErrUnauthorized), !errors.As(err, &pe), pe.Status == 0 || pe.Status >= 500:
		return err
	default:
		c.log.Warn("yclients: user permissions refused", "err", err)
		p = nil
	}
	c.mu.Lock()
	c.perms, c.permsRead = p, true
	c.mu.Unlock()
	return nil
}

func (c *Client) fetchPermissions(ctx context.Context, op string) (permissions, error) {
	var groups map[string]object[map[string]any]
	if _, err := c.get(ctx, op, "/api/v1/user/permissions/"+c.companyID, nil, &groups); err != nil {
		return nil, err
	}
	p := permissions{}
	for _, g := range groups {
		for k, v := range g.V {
			if b, ok := truth(v); ok {
				p[strings.TrimSpace(k)] = b
			}
		}
	}
	return p, nil
}

// truth reads a right's value: a boolean, 0/1 or "true"/"false". Numbers
// other than 0 and 1 are limits (last_days_count, master_id), not rights.
func truth(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case float64:
		if v == 0 || v == 1 {
			return v == 1, true
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	}
	return false, false
}
