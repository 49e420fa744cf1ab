package keys

import "github.com/clubdesk/clubdesk/models"

// Spec describes a secret a provider needs.
type Spec struct {
	Name string
	// Asked secrets are typed at `clubdesk login` (an API key from the
	// CRM's settings); the others are obtained by the provider's own sign-in
	// (a user token) and never typed.
	Asked bool
	// Optional secrets may be missing: the provider works without them
	// (Go-CRM's refresh token, which its documents give no call to use).
	Optional bool
	// Where says where an asked secret comes from, for `clubdesk login`'s
	// hint under its field (and doctor's line when it is missing).
	Where models.Words
}

// Where the asked secrets come from.
var (
	whereLuckyFitKey = models.Words{
		EN: "LuckyFit's API key: in LuckyFit's settings of the integration (or from LuckyFit's support)",
		RU: "API-ключ LuckyFit: в настройках интеграции LuckyFit (или у поддержки LuckyFit)"}
	whereYclientsPartner = models.Words{
		EN: "YCLIENTS' partner token: from YCLIENTS' integrations marketplace (the developer's account)",
		RU: "токен партнёра YCLIENTS: в маркетплейсе интеграций YCLIENTS (кабинет разработчика)"}
	// Go-CRM's document says the application token is generated in the
	// CRM for each application; live integrators got theirs from Go-CRM's
	// support on request (issue 13; riliasov/pl-gocrm-etl, API_GUIDE.md).
	whereGoCRMApp = models.Words{
		EN: "Go-CRM's application token (APP_TOKEN): Go-CRM's support issues it on request for your center's application; an administrator may also generate it in Go-CRM itself, one per application",
		RU: "токен приложения Go-CRM (APP_TOKEN): его выдаёт поддержка Go-CRM по запросу для приложения вашего центра; администратор может и сгенерировать его в самой Go-CRM — свой для каждого приложения"}
	whereDemo = models.Words{EN: "any key starting with demo-", RU: "любой ключ, начинающийся с demo-"}
)

// needed is the one table of which secrets each provider uses. YCLIENTS'
// user password and Go-CRM's SMS code are asked during login but never
// stored: only the tokens they buy are.
var needed = map[string][]Spec{
	"luckyfit":    {{Name: "api_key", Asked: true, Where: whereLuckyFitKey}},
	"yclients":    {{Name: "partner_token", Asked: true, Where: whereYclientsPartner}, {Name: "user_token"}},
	"gocrm":       {{Name: "app_token", Asked: true, Where: whereGoCRMApp}, {Name: "access_token"}, {Name: "refresh_token", Optional: true}},
	"demo-secure": {{Name: "api_key", Asked: true, Where: whereDemo}},
}

// Needed lists the secrets a provider uses; none for the demo club.
func Needed(provider string) []Spec { return needed[provider] }

// Required lists the secrets a provider cannot work without.
func Required(provider string) []string {
	var out []string
	for _, s := range needed[provider] {
		if !s.Optional {
			out = append(out, s.Name)
		}
	}
	return out
}

// Names lists the secret names of a provider.
func Names(provider string) []string {
	var out []string
	for _, s := range needed[provider] {
		out = append(out, s.Name)
	}
	return out
}

// Where says where a provider's secret comes from (empty for one the
// provider's own sign-in obtains).
func Where(provider, name string) models.Words {
	for _, s := range needed[provider] {
		if s.Name == name {
			return s.Where
		}
	}
	return models.Words{}
}
