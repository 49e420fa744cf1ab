package keys

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
}

// needed is the one table of which secrets each provider uses. YCLIENTS'
// user password and Go-CRM's SMS code are asked during login but never
// stored: only the tokens they buy are.
var needed = map[string][]Spec{
	"luckyfit":    {{Name: "api_key", Asked: true}},
	"yclients":    {{Name: "partner_token", Asked: true}, {Name: "user_token"}},
	"gocrm":       {{Name: "app_token", Asked: true}, {Name: "access_token"}, {Name: "refresh_token", Optional: true}},
	"demo-secure": {{Name: "api_key", Asked: true}},
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
