package ui

import (
	"fmt"
	"testing"
)

// Showcase cards of the demo club (see providers/demo's package doc).
const (
	cardGreen    = "0040856634" // Зеленина: unlimited month
	cardExpired  = "0012630417" // Старостин
	cardDebt     = "0021478305" // Должиков
	cardBlocked  = "0027719048" // Блохин
	cardBirthday = "0031105562" // Праздникова
	cardNote     = "0034490871" // Письменная
	cardLastOne  = "0037904126" // Крайнев
	cardRecent   = "0049052213" // Пришвина: checked in 12 minutes ago
	cardNoVisits = "0052611384" // Пустовойт
)

// TestGoldenScreens renders every screen at 80x24 in both languages and
// compares it with testdata/*.golden (go test ./ui -update rewrites them).
func TestGoldenScreens(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, lang)
			g := func(name string) { h.golden(fmt.Sprintf("%s_%s", name, lang)) }
			g("search_empty")
			h.typeText("Зелен")
			g("search_results")
			h.press("enter")
			g("card_green")
			for name, card := range map[string]string{
				"card_expired": cardExpired, "card_debt": cardDebt, "card_blocked": cardBlocked,
				"card_birthday": cardBirthday, "card_note": cardNote, "card_last_visit": cardLastOne,
				"card_recent": cardRecent,
			} {
				h.scan(card)
				g(name)
			}
			h.scan(cardGreen)
			h.press("f4")
			g("sale_plans")
			h.press("down", "enter")
			g("sale_terms")
			h.press("enter")
			g("sale_payment")
			h.press("enter")
			g("sale_confirm")
			h.press("y")
			g("sale_result")
			h.press("enter")
			g("card_after_sale")
			h.press("k")
			g("bind_card")
			h.press("esc")
			h.scan(cardDebt)
			h.press("p")
			g("pay_debt")
			h.press("esc", "d")
			g("top_up")
			h.press("esc", "f3")
			g("calendar")
			h.press("enter")
			g("roster")
			h.press("a")
			g("roster_marked")
			h.press("f1")
			g("help")
			h.press("esc", "f2")
			h.press("ctrl+n")
			g("new_client")
			h.press("esc")
			h.scan("0099999999")
			g("unknown_card")
			h.press("esc", "f6")
			g("shift_report")
		})
	}
}
