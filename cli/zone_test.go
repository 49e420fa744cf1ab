package cli

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/gocrm"
	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/clubdesk/clubdesk/providers/yclients"
	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

type secretMap map[string]string

func (s secretMap) Secret(n string) (string, error) { return s[n], nil }
func (s secretMap) SetSecret(n, v string) error     { s[n] = v; return nil }

// TestAProfileWithoutTimezoneCountsInTheClubsZone opens each adapter as
// the console does (providers.OpenInClubZone) with a profile that names
// no zone: the desk counts in the zone its CRM gives — LuckyFit's branch,
// YCLIENTS' company, Go-CRM's center — and Go-CRM's 09:00 lesson (laid
// out in Yekaterinburg) is at 09:00 on the club's clock, not 11:00.
func TestAProfileWithoutTimezoneCountsInTheClubsZone(t *testing.T) {
	ctx := context.Background()
	lfSrv := luckyfittest.NewServer(lfKey, func() time.Time { return testNow })
	defer lfSrv.Close()
	lfProxy := httpxtest.Rewrite(t, lfSrv.URL, func(r *http.Request, a *httpxtest.Answer) {
		if strings.HasSuffix(r.URL.Path, "/branches") {
			a.Body = httpxtest.EditObjects(a.Body, func(o map[string]any) { o["timezone"] = "Asia/Yekaterinburg" })
		}
	})
	yc := yclientstest.NewServer("yc-partner", "yc-user", nil)
	defer yc.Close()
	gc := gocrmtest.New(nil)
	defer gc.Close()
	for _, tc := range []struct {
		name  string
		zone  string
		build func(tz string) (providers.Provider, error)
	}{
		{"luckyfit", "Asia/Yekaterinburg", func(tz string) (providers.Provider, error) {
			return luckyfitAt(lfProxy.URL+"/api", tz, secretMap{"api_key": lfKey})
		}},
		{"yclients", "Europe/Moscow", func(tz string) (providers.Provider, error) {
			return yclients.New(providers.Settings{BaseURL: yc.URL, Branch: "37532", Timezone: tz,
				Secrets: secretMap{"partner_token": "yc-partner", "user_token": "yc-user"}}, yclients.WithLimits())
		}},
		{"gocrm", gocrmtest.Timezone, func(tz string) (providers.Provider, error) {
			return gocrm.New(providers.Settings{BaseURL: gc.URL, Branch: gocrmtest.CenterID, Timezone: tz,
				Secrets: secretMap{"app_token": gocrmtest.AppToken, "access_token": gocrmtest.AccessToken}})
		}},
	} {
		mem := &memZone{}
		prov, z, err := providers.OpenInClubZone(ctx, providers.ZoneSetup{Memory: mem}, tc.build)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if z.Name != tc.zone || z.Source != providers.ZoneCRM || prov.Info().Location.String() != tc.zone || mem.name != tc.zone {
			t.Errorf("%s: zone %+v, adapter in %s, kept %q", tc.name, z, prov.Info().Location, mem.name)
		}
		if tc.name != "gocrm" {
			continue
		}
		day := models.DateOf(time.Now(), z.Location)
		from, to := day.Bounds(z.Location)
		lessons, err := prov.Lessons(ctx, from, to)
		if err != nil || len(lessons) == 0 {
			t.Fatalf("gocrm lessons: %v %d", err, len(lessons))
		}
		if got := lessons[0].Start.In(z.Location).Format("15:04"); got != "09:00" {
			t.Errorf("Go-CRM's first lesson is at %s on the club's clock, want 09:00", got)
		}
	}
}
