package i18n

import (
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
)

// JournalTexts are the words of the operation journal and its checks.
type JournalTexts struct {
	Title, KeyJournal, KeyAsk, KeyWent, KeyNotWent, KeyList       string
	Pending, Today, NonePending, NoneToday, NeedCheck, NeedCheckF string
	ColTime, ColWhat, ColClient, ColSum, ColState                 string
	Sent, Answer, CRMSays, Asking, NoReconcile, AskFailed         string
	Found, NotFound, Resolved, ResolveFailed, ByDesk, Override    string
	// Checked labels the receptionist's verdict in an operation's trail:
	// when, and the operator and desk who gave it.
	Checked string
	// KeyInPart settles in part; RestToTake says what is left after it.
	KeyInPart, RestToTake, InPartFirst string
	Kind                               map[models.WriteKind]string
	Phase                              map[journal.Phase]string
	Part                               map[string]string
	Outcome                            map[string]string
	// Subject words the subjects the journal stores as codes (a mark, a
	// cancellation, a debt) rather than as the CRM's names.
	Subject map[string]string
	Broken  string
	// The offline desk.
	ErrQueued, ErrOffline, OfflineSince, QueuedN, SentQueued, SendFailed string
	ErrNotRecorded                                                       string
}

var journalEN = JournalTexts{
	Title: "Operation journal", KeyJournal: "journal", KeyAsk: "ask the CRM", KeyWent: "went through", KeyNotWent: "did not", KeyList: "list",
	Pending: "Need checking", Today: "Today at this desk",
	NonePending: "Nothing needs checking: every operation the desk sent has its answer.", NoneToday: "No operations today yet.",
	NeedCheck: "%d need checking", NeedCheckF: "%d operation(s) need checking: the CRM's answer never came. %s to check them before repeating anything.",
	ColTime: "Time", ColWhat: "Operation", ColClient: "Client", ColSum: "Amount", ColState: "State",
	Sent: "Sent", Answer: "Answer", CRMSays: "The CRM shows", Checked: "Checked",
	Asking: "Asking the CRM…", NoReconcile: "This CRM cannot be asked from the desk: look for it in the CRM, then press y (went through) or n (did not).",
	AskFailed: "Could not ask the CRM", Found: "found — it went through: %s", NotFound: "nothing found yet: %s",
	Resolved: "Noted: %s", ResolveFailed: "The journal could not be written", ByDesk: "checked at the desk",
	Override:    "let in despite the red verdict",
	InPartFirst: "Ask the CRM first (Enter): h settles in part what it shows in part",
	KeyInPart:   "in part", RestToTake: "Settled in part: %s is left to take — the client's card is open, p takes it",
	Kind: map[models.WriteKind]string{
		models.WriteSell: "Sale", models.WritePay: "Payment", models.WriteTopUp: "Deposit top-up", models.WriteBook: "Booking",
		models.WriteCancel: "Cancellation", models.WriteAttend: "Attendance", models.WriteCheckIn: "Check-in", models.WriteUndoCheckIn: "Check-in undone",
		models.WriteBindCard: "Card binding", models.WriteNewClient: "New client", models.WriteOverride: "Override",
		models.WritePaymentPage: "QR payment",
	},
	Phase: map[journal.Phase]string{
		journal.Intent: "no answer", journal.Unknown: "unknown", journal.Done: "done", journal.Partial: "in part",
		journal.ConfirmedPart: "in part (checked)", journal.Refused: "refused", journal.Confirmed: "went through", journal.Dismissed: "did not go", journal.Audit: "noted",
	},
	Part:    map[string]string{"cash": "cash", "card": "bank card", "deposit": "deposit", "transfer": "transfer", "other": "other"},
	Outcome: map[string]string{"done": "done", "refused": "refused", "unknown": "unknown — check", "not sent": "not sent"},
	Subject: map[string]string{"attended": "came", "no-show": "no-show", "expected": "mark removed",
		"cancel": "cancelled", "late cancel": "cancelled late", "debt": "a debt"},
	Broken:         "%d unreadable line(s) in the journal were skipped",
	ErrQueued:      "No connection to the CRM: kept at this desk, sent once the CRM is back",
	ErrOffline:     "No connection to the CRM: no money moves offline; nothing was sent",
	ErrNotRecorded: "The operation journal cannot be written (is the disk full?): nothing was sent to the CRM",
	OfflineSince:   "offline since %s · shown as of %s", QueuedN: "%d waiting", SentQueued: "Back online: %d kept mark(s) sent",
	SendFailed: "Kept marks not sent yet",
}

var journalRU = JournalTexts{
	Title: "Журнал операций", KeyJournal: "журнал", KeyAsk: "спросить CRM", KeyWent: "прошло", KeyNotWent: "не прошло", KeyList: "список",
	Pending: "Требуют проверки", Today: "Сегодня на этой кассе",
	NonePending: "Проверять нечего: на каждую операцию кассы есть ответ CRM.", NoneToday: "Сегодня операций ещё не было.",
	NeedCheck: "проверить: %d", NeedCheckF: "Операций без ответа CRM: %d. %s — проверьте их, прежде чем что-то повторять.",
	ColTime: "Время", ColWhat: "Операция", ColClient: "Клиент", ColSum: "Сумма", ColState: "Состояние",
	Sent: "Отправлено", Answer: "Ответ", CRMSays: "В CRM", Checked: "Проверено",
	Asking: "Спрашиваем CRM…", NoReconcile: "Эту CRM нельзя спросить с кассы: найдите операцию в CRM и нажмите y (прошло) или n (не прошло).",
	AskFailed: "Не удалось спросить CRM", Found: "найдено — операция прошла: %s", NotFound: "пока не найдено: %s",
	Resolved: "Отмечено: %s", ResolveFailed: "Не удалось записать в журнал", ByDesk: "проверено на кассе",
	Override:    "пропущен(а) вопреки красному вердикту",
	InPartFirst: "Сначала спросите CRM (Enter): h отмечает частично то, что она показала частично",
	KeyInPart:   "частично", RestToTake: "Отмечено: частично. Осталось получить %s — открыта карточка клиента, p — принять",
	Kind: map[models.WriteKind]string{
		models.WriteSell: "Продажа", models.WritePay: "Оплата", models.WriteTopUp: "Пополнение депозита", models.WriteBook: "Запись",
		models.WriteCancel: "Отмена записи", models.WriteAttend: "Отметка", models.WriteCheckIn: "Вход", models.WriteUndoCheckIn: "Отмена входа",
		models.WriteBindCard: "Привязка карты", models.WriteNewClient: "Новый клиент", models.WriteOverride: "Пропуск",
		models.WritePaymentPage: "QR-оплата",
	},
	Phase: map[journal.Phase]string{
		journal.Intent: "нет ответа", journal.Unknown: "неизвестно", journal.Done: "выполнено", journal.Partial: "частично",
		journal.ConfirmedPart: "частично (проверено)", journal.Refused: "отказ", journal.Confirmed: "прошло", journal.Dismissed: "не прошло", journal.Audit: "записано",
	},
	Part:    map[string]string{"cash": "наличные", "card": "банковская карта", "deposit": "депозит", "transfer": "перевод", "other": "другое"},
	Outcome: map[string]string{"done": "выполнено", "refused": "отказ", "unknown": "неизвестно — проверьте", "not sent": "не отправлялось"},
	Subject: map[string]string{"attended": "пришёл", "no-show": "не пришёл", "expected": "отметка снята",
		"cancel": "отмена", "late cancel": "поздняя отмена", "debt": "долг"},
	Broken:         "Пропущено нечитаемых строк журнала: %d",
	ErrQueued:      "Нет связи с CRM: сохранено на кассе, уйдёт, когда связь вернётся",
	ErrOffline:     "Нет связи с CRM: без связи деньги не принимаются, ничего не отправлено",
	ErrNotRecorded: "Журнал операций не записывается (диск заполнен?): в CRM ничего не отправлено",
	OfflineSince:   "нет связи с %s · данные на %s", QueuedN: "ждут отправки: %d", SentQueued: "Связь есть: отправлено отложенных отметок: %d",
	SendFailed: "Отложенные отметки пока не отправлены",
}
