package i18n

// CLITexts are the command line's words added for the club's time zone,
// `clubdesk doctor --deep`, the API address, the shared request counter
// and login's hints (issues 13–15). They live apart from Texts so that
// the console's words and these do not get in each other's way; a test
// checks that none is empty in either language.
type CLITexts struct {
	// The zone line of doctor.
	ZoneDisagrees string // profile zone, CRM title, CRM zone, CRM zone
	ZoneNotAsked  string // the zone's words, why the CRM could not say
	ZoneNoSuch    string // CRM title, the name it gave
	ZoneAgrees    string // suffix: the CRM gives the same zone
	// The API address line.
	APIAddress string
	// The shared request counter.
	Counter string
	// doctor --deep.
	DeepTitle, DeepNone, DeepSkipped, DeepLabel, DeepHeld, DeepBroken string
	DeepReportSaved, DeepReportFailed, DeepReportNone, DeepAbout      string
	// Login.
	LoginZone string
}

var cliRU = CLITexts{
	ZoneDisagrees:    "в профиле timezone = \"%s\", а %s держит клуб в поясе %s: уберите timezone из профиля (касса возьмёт пояс из CRM) или укажите timezone = \"%s\"",
	ZoneNotAsked:     "%s; CRM не сообщила пояс: %s",
	ZoneNoSuch:       "%s называет пояс «%s», которого касса не знает",
	ZoneAgrees:       "; CRM даёт тот же",
	APIAddress:       "адрес API",
	Counter:          "счётчик запросов",
	DeepTitle:        "Допущения адаптера %s, проверенные ответами CRM (только чтение, ничего не записано):",
	DeepNone:         "у провайдера %s нет допущений для проверки",
	DeepSkipped:      "проверка допущений (--deep) пропущена: CRM не ответила на эти ключи",
	DeepLabel:        "допущения",
	DeepHeld:         "подтвердилось %d, не проверить %d, не подтвердилось 0",
	DeepBroken:       "не подтвердились № %s — касса может ошибаться там, где на них опирается; пришлите разработчикам номера и отчёт (--report)",
	DeepReportSaved:  "Отчёт о формах ответов (без персональных данных и ключей) записан: %s",
	DeepReportFailed: "Отчёт не записан: %s",
	DeepReportNone:   "--report без --deep: отчёт пишет только doctor --deep",
	DeepAbout:        "№%-3d %s — %s: %s",
	LoginZone:        "Часовой пояс клуба: %s",
}

var cliEN = CLITexts{
	ZoneDisagrees:    "the profile says timezone = \"%s\", and %s keeps the club in %s: remove timezone from the profile (the desk takes the CRM's) or set timezone = \"%s\"",
	ZoneNotAsked:     "%s; the CRM did not say its zone: %s",
	ZoneNoSuch:       "%s names the zone “%s”, which the desk does not know",
	ZoneAgrees:       "; the CRM gives the same",
	APIAddress:       "API address",
	Counter:          "request counter",
	DeepTitle:        "The %s adapter's assumptions, checked against the CRM's answers (read-only, nothing written):",
	DeepNone:         "the %s provider has no assumptions to check",
	DeepSkipped:      "the assumptions (--deep) were not checked: the CRM did not take these keys",
	DeepLabel:        "assumptions",
	DeepHeld:         "%d held, %d could not be checked, none failed",
	DeepBroken:       "№ %s did not hold — the desk may be wrong where it rests on them; send the numbers and the report (--report) to the developers",
	DeepReportSaved:  "The answers' shapes (no person's data, no key) are written to %s",
	DeepReportFailed: "The report was not written: %s",
	DeepReportNone:   "--report without --deep: only doctor --deep writes the report",
	DeepAbout:        "№%-3d %s — %s: %s",
	LoginZone:        "The club's time zone: %s",
}

// CLIFor returns the command line's added words of a language: Russian for
// "ru", English otherwise.
func CLIFor(lang string) *CLITexts {
	if lang == "ru" {
		return &cliRU
	}
	return &cliEN
}
