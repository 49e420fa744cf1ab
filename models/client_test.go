package models

import (
	"strings"
	"testing"
)

func TestPhoneDigits(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		// Russian mobile numbers in every shape a receptionist types.
		{"+7 (916) 123-45-67", "79161234567"},
		{"+79161234567", "79161234567"},
		{"8 916 123 45 67", "79161234567"},
		{"8 (916) 123-45-67", "79161234567"},
		{"89161234567", "79161234567"},
		{"9161234567", "79161234567"},
		{"916 123-45-67", "79161234567"},
		{"79161234567", "79161234567"},
		{"7 916 123 45 67", "79161234567"},
		{" +7\u00a0916\u00a0123\u00a045\u00a067 ", "79161234567"},
		{"+7-916-123-45-67", "79161234567"},
		// Russian landlines and toll-free with the trunk prefix.
		{"8 (495) 123-45-67", "74951234567"},
		{"8 800 555-35-35", "78005553535"},
		// Kazakhstan shares +7.
		{"+7 701 234 5678", "77012345678"},
		{"8 701 234 5678", "77012345678"},
		// Foreign numbers are left as they are, however they begin.
		{"+1 (212) 555-0100", "12125550100"},
		{"+44 20 7946 0958", "442079460958"},
		{"+49 30 123456", "4930123456"},
		{"+375 29 123-45-67", "375291234567"},
		{"+380 44 123 4567", "380441234567"},
		{"+998 90 123 45 67", "998901234567"},
		{"+81 3 1234 5678", "81312345678"},    // Tokyo: 11 digits starting with 8
		{"+82 2 1234 5678", "82212345678"},    // Seoul: 11 digits starting with 8
		{"+84 91 234 5678", "84912345678"},    // Vietnam mobile
		{"+960 123 4567", "9601234567"},       // Maldives: 10 digits starting with 9
		{"+90 212 123 45 67", "902121234567"}, // Turkey
		// Short and odd input.
		{"", ""},
		{"abc", ""},
		{"112", "112"},
		{"123-45-67", "1234567"},
		{"8", "8"},
		{"9", "9"},
	}
	for _, c := range cases {
		if got := PhoneDigits(c.in); got != c.want {
			t.Errorf("PhoneDigits(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The point of PhoneDigits: the same phone written differently compares equal.
func TestPhoneDigitsSameNumber(t *testing.T) {
	forms := []string{"+7 (916) 123-45-67", "8 916 123 45 67", "9161234567", "89161234567", "+79161234567", "7-916-123-45-67"}
	for _, a := range forms {
		for _, b := range forms {
			if PhoneDigits(a) != PhoneDigits(b) {
				t.Errorf("PhoneDigits(%q) = %q but PhoneDigits(%q) = %q", a, PhoneDigits(a), b, PhoneDigits(b))
			}
		}
	}
	if PhoneDigits("+7 916 123 45 67") == PhoneDigits("+7 916 123 45 68") {
		t.Error("different numbers compare equal")
	}
}

func TestClientNames(t *testing.T) {
	cases := []struct {
		c           Client
		full, short string
	}{
		{Client{LastName: "Иванова", FirstName: "Мария", MiddleName: "Петровна"}, "Иванова Мария Петровна", "Иванова Мария"},
		{Client{LastName: "Иванова", FirstName: "Мария"}, "Иванова Мария", "Иванова Мария"},
		{Client{FirstName: "Мария"}, "Мария", "Мария"},
		{Client{LastName: "Иванова"}, "Иванова", "Иванова"},
		{Client{LastName: " Иванова ", FirstName: "\tМария", MiddleName: "  "}, "Иванова Мария", "Иванова Мария"},
		{Client{LastName: "Иванова", MiddleName: "Петровна"}, "Иванова Петровна", "Иванова"},
		{Client{}, "", ""},
	}
	for _, c := range cases {
		if got := c.c.FullName(); got != c.full {
			t.Errorf("FullName(%+v) = %q, want %q", c.c, got, c.full)
		}
		if got := c.c.ShortName(); got != c.short {
			t.Errorf("ShortName(%+v) = %q, want %q", c.c, got, c.short)
		}
	}
}

func TestWhatADeskTypesAboutAClient(t *testing.T) {
	for _, ok := range []string{"+7 (916) 123-45-67", "8 916 123 45 67", "9161234567", "+81 3 1234 5678"} {
		if err := CheckPhone(ok); err != nil {
			t.Errorf("CheckPhone(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "12345", "916-CALL-NOW", "+7 916 123 45 67 89 01 23", "79161234567\n79161234567"} {
		if CheckPhone(bad) == nil {
			t.Errorf("CheckPhone(%q) accepted", bad)
		}
	}
	for _, ok := range []string{"", "o.zelenina@mail.ru", "ivan+club@yandex.ru"} {
		if err := CheckEmail(ok); err != nil {
			t.Errorf("CheckEmail(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"zelenina", "a@b", "Ольга <o@mail.ru>", "o@mail.ru, p@mail.ru", "o @mail.ru"} {
		if CheckEmail(bad) == nil {
			t.Errorf("CheckEmail(%q) accepted", bad)
		}
	}
	for _, ok := range []string{"Зеленина", "Салтыков-Щедрин", "O'Brien", "Ёлкин", "王"} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"Иванов2", "ivan@mail.ru", "Иванов\nПетров", strings.Repeat("я", 61)} {
		if CheckName(bad) == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
}
