package i18n

// RushTexts are the words of the desk at rush hour: a scan that checks in,
// a red verdict that is heard, the roster at one key a row, who is here.
type RushTexts struct {
	// The card after a scan.
	CheckedInAt, NoUndo string
	// Taking back the check-in a scan made (CapUndoCheckIn): the key, the
	// hint under the banner, the question and what became of it.
	KeyUndoCheckIn, UndoHint, ConfirmUndo, Undone, UndoUnconfirmed string
	UndoTooLate, UndoOffline, UndoOnce, NothingToUndo              string
	// Letting a red verdict in with a reason from the config's list.
	ReasonsHint, ReasonPick string
	// DefaultReasons are offered where the config lists none.
	DefaultReasons [3]string
	// The roster.
	KeyAllCame, ConfirmAllCame, NothingToMark, ConfirmEarly, ScanNotBooked, ScanNotListed, ScanNotHere, ScanAnswerFirst, ScanMarked string
	// Who is here.
	KeyWhoHere, WhoTitle, WhoFilter, WhoNone, WhoNoMatch, WhoCount string
	WhoOverride, WhoNoCRM, WhoFromReport, ColWhen                  string
	// The payment form whose proposed amount follows the rest.
	SplitHint, SplitHintDown string
	// A new client typed on one line.
	OneLine string
	// The booking picker.
	AlreadyBooked, PickFilter string
}

var rushRU = RushTexts{
	CheckedInAt: "вход отмечен %s",
	NoUndo:      "отменить вход с этой стойки нельзя — только в %s",

	KeyUndoCheckIn:  "отменить вход",
	UndoHint:        "%s — отменить вход (до %s)",
	ConfirmUndo:     "Отменить вход %s %s? y — да, n — нет",
	Undone:          "Вход %s в %s отменён",
	UndoUnconfirmed: "Отмена входа без ответа CRM — проверьте в журнале (F7), прежде чем повторять",
	UndoTooLate:     "Прошло больше 5 минут: отменить вход можно только в %s",
	UndoOffline:     "Нет связи с CRM: вход не отменён, ничего не отправлено — отмените его в %s",
	UndoOnce:        "Отмена этого входа уже отправлена: второй раз касса её не отправит",
	NothingToUndo:   "С этой карточки вход не отмечался: отменять нечего",
	ReasonsHint:     "или одной цифрой — причина из списка:",
	ReasonPick:      "%d — %s",
	DefaultReasons:  [3]string{"Оплатит после тренировки", "Разрешил управляющий", "Пробное занятие"},

	KeyAllCame:      "все пришли",
	ConfirmAllCame:  "Отметить «пришёл» всех, кто ещё не отмечен (%d)? y — да, n — нет",
	NothingToMark:   "Все записи уже отмечены",
	ConfirmEarly:    "До занятия больше часа (начало в %s). Всё равно отметить: %s? y — да, n — нет",
	ScanNotBooked:   "%s нет в списке этого занятия. Записать и отметить «пришёл»? y — да, n — нет",
	ScanNotListed:   "%s нет в списке этого занятия",
	ScanNotHere:     "Карта %s ни к кому не привязана",
	ScanAnswerFirst: "Сначала ответьте на вопрос (y или n), потом приложите карту %s ещё раз",
	ScanMarked:      "%s — отмечен(а) по карте",

	KeyWhoHere:    "кто в клубе",
	WhoTitle:      "Кто в клубе",
	WhoFilter:     "Поиск: ",
	WhoNone:       "Сегодня входов ещё не было",
	WhoNoMatch:    "Никого по «%s»",
	WhoCount:      "Входов сегодня: %d",
	WhoOverride:   "причина: %s",
	WhoNoCRM:      "%s не даёт список входов клуба: здесь входы этой стойки",
	WhoFromReport: "Enter — кто вошёл",
	ColWhen:       "Время",

	SplitHintDown: "↓, сумма картой — остаток останется наличными · = всё сюда · Enter дальше",
	SplitHint:     "Сумма картой — остаток останется наличными · = всё сюда · ↑↓ способ · Enter",

	OneLine: "Можно одной строкой в первом поле: фамилия, имя и телефон — и %s",

	AlreadyBooked: "записан(а)",
	PickFilter:    "время или название",
}

var rushEN = RushTexts{
	CheckedInAt: "checked in %s",
	NoUndo:      "this desk cannot undo a check-in — only %s can",

	KeyUndoCheckIn:  "undo check-in",
	UndoHint:        "%s — undo the check-in (until %s)",
	ConfirmUndo:     "Undo the check-in of %s at %s? y — yes, n — no",
	Undone:          "Check-in of %s at %s undone",
	UndoUnconfirmed: "The undo has no answer from the CRM — check it in the journal (F7) before repeating",
	UndoTooLate:     "More than 5 minutes have passed: only %s can undo the check-in now",
	UndoOffline:     "No connection to the CRM: the check-in is not undone, nothing was sent — undo it in %s",
	UndoOnce:        "The undo of this check-in was sent already: the desk does not send it twice",
	NothingToUndo:   "No check-in was made from this card: nothing to undo",
	ReasonsHint:     "or one digit for a reason from the list:",
	ReasonPick:      "%d — %s",
	DefaultReasons:  [3]string{"Will pay after the workout", "Allowed by the manager", "Trial lesson"},

	KeyAllCame:      "all came",
	ConfirmAllCame:  "Mark everyone not yet marked as came (%d)? y — yes, n — no",
	NothingToMark:   "Every booking is marked already",
	ConfirmEarly:    "The lesson starts at %s, more than an hour away. Mark %s anyway? y — yes, n — no",
	ScanNotBooked:   "%s is not on this lesson's list. Book and mark as came? y — yes, n — no",
	ScanNotListed:   "%s is not on this lesson's list",
	ScanNotHere:     "Card %s is bound to no one",
	ScanAnswerFirst: "Answer the question first (y or n), then scan card %s again",
	ScanMarked:      "%s — marked by card",

	KeyWhoHere:    "who is here",
	WhoTitle:      "Who is here",
	WhoFilter:     "Search: ",
	WhoNone:       "No check-ins yet today",
	WhoNoMatch:    "No one matches “%s”",
	WhoCount:      "Check-ins today: %d",
	WhoOverride:   "reason: %s",
	WhoNoCRM:      "%s gives no list of the club's check-ins: these are this desk's",
	WhoFromReport: "Enter — who came in",
	ColWhen:       "Time",

	SplitHintDown: "↓, amount by card — the rest stays cash · = all here · Enter next",
	SplitHint:     "An amount by card — the rest stays cash · = all here · ↑↓ method · Enter",

	OneLine: "Or all on the first line: surname, name and phone — then %s",

	AlreadyBooked: "booked",
	PickFilter:    "time or title",
}
