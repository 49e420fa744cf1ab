package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// newClient opens the new-client form and fills it: surname, name,
// patronymic, phone, e-mail, birthday, field by field.
func (h *harness) newClient(fields ...string) {
	h.press("ctrl+n")
	for i, f := range fields {
		if i > 0 {
			h.press("tab")
		}
		h.typeText(f)
	}
	h.press("ctrl+s")
}

func TestBadInputIsRefusedAtTheFieldAndNothingSent(t *testing.T) {
	cases := []struct {
		fields []string
		want   string
	}{
		{[]string{"Иванов", "Пётр", "", "12345"}, "Телефон «12345»: нужно 10–15 цифр"},
		{[]string{"Иванов", "Пётр", "", "+7 916 CALL-ME"}, "Телефон «+7 916 CALL-ME»"},
		{[]string{"Иванов2", "Пётр", "", "+7 916 123-45-67"}, "Фамилия: только буквы"},
		{[]string{"Иванов", "Пётр", "", "+7 916 123-45-67", "ivan.mail.ru"}, "E-mail «ivan.mail.ru» не похож на адрес"},
		{[]string{"Иванов", "Пётр", "", "+7 916 123-45-67", "", "31.02.1990"}, "Неверная дата: 31.02.1990"},
		{[]string{"Иванов", "Пётр", "", "+7 916 123-45-67", "", "01.01.1850"}, "Дата рождения 01.01.1850: проверьте год"},
	}
	for _, c := range cases {
		h := newHarness(t, "ru")
		h.newClient(c.fields...)
		h.expect(c.want, "Новый клиент")
		if label, write := h.m.busy(); write {
			t.Fatalf("%v: a write went out (%s)", c.fields, label)
		}
	}
}

func TestAMultiLinePasteBecomesOneLine(t *testing.T) {
	h := newHarness(t, "ru")
	h.press("ctrl+n")
	h.send(tea.PasteMsg{Content: "Иванов\r\nПетров\x1b[31m"})
	h.expect("Фамилия:        Иванов  Петров[31m") // one line; the escape character itself is gone
	h.press("tab")
	h.typeText("Пётр")
	h.press("tab", "tab")
	h.typeText("+7 916 123-45-67")
	h.press("ctrl+s")
	// What is left of the escape sequence is not part of a name: refused,
	// nothing sent.
	h.expect("Фамилия: только буквы")
	h.expectNot("\x1b[31m")
}

func TestDiscountAbovePriceAndAbsurdAmountsAreRefused(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter", "f4")
	h.typeText("8 пос")
	h.press("enter")
	h.press("tab", "right", "right", "tab")
	h.typeText("5000")
	h.press("tab")
	h.typeText("акция")
	h.press("enter")
	h.expect("Скидка 5 000 ₽ больше цены 4 000 ₽", "2 Условия")

	h = newHarness(t, "ru")
	h.typeText("Зелен")
	h.press("enter", "d")
	h.typeText("10000000")
	h.press("enter")
	h.expect("Больше 1 000 000 ₽ за один платёж")
}
