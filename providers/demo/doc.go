// Package demo is clubdesk's built-in demo club: a CRM held in memory that
// the desk opens when it has no configuration, and that the UI's tests run
// against. It supports every capability.
//
// The club is deterministic. Clients come from fixed seeds and are the same
// on every machine and every day; memberships, visits and the timetable are
// placed relative to the club's day (Settings.Now in Settings.Timezone,
// Europe/Moscow by default), so the showcase clients below show the same
// verdicts whatever the date. The desk opens on a day already under way:
// lessons that have begun are marked, people have come in since 07:00 and a
// few memberships have been sold.
//
// # Showcase clients
//
// Each shows one verdict. Their surnames are not used by generated clients,
// so searching for one finds exactly that client. Phones are +7 916 555-00-NN.
//
//	ID     Name                              Card        Verdict
//	10001  Зеленина Ольга Сергеевна          0040856634  green: "Безлимит на месяц", ~25 days left; booked at midday
//	10002  Старостин Павел Игоревич          0012630417  red: "12 посещений" ended a week ago (6 000 ₽ on deposit)
//	10003  Морозова Елена Викторовна         0015822946  red: "Годовой клубный" frozen for 10 more days
//	10004  Должиков Игорь Петрович           0021478305  red: owes 2 500 ₽ of a 5 000 ₽ "Безлимит на месяц"
//	10005  Блохин Андрей Николаевич          0027719048  red: card blocked ("утеря, выдать новую карту")
//	10006  Праздникова Алина Дмитриевна      0031105562  yellow: birthday today
//	10007  Письменная Вера Андреевна         0034490871  yellow: note "Вернуть забытое полотенце"
//	10008  Крайнев Денис Олегович            0037904126  yellow: last visit of "8 посещений", ends in 2 days
//	10009  Малышев Тимофей Алексеевич (8)    0043318759  green: "Детское плавание — 8 занятий"; mother's phone
//	10010  Новосёлов Кирилл Андреевич        (none)      red: no membership yet (sell one, bind a card)
//	10011  Пришвина Дарья Михайловна         0049052213  yellow: checked in 12 minutes ago
//	10012  Пустовойт Марина Юрьевна          0052611384  red: "8 посещений" used up, still in date
//	10013  Погодин Станислав Евгеньевич      0056370925  red: "Безлимит на месяц" starts in 3 days
//
// A client booked into a lesson without a usable membership (Новосёлов,
// say) owes the visit at the single-visit price, 900 ₽: the roster and the
// card show it due, and TakePayment with PayForBooking settles all of it.
//
// Card 0040856634 is the same physical card as 01026F6C3A, 07302202 and
// 111,27706: any of them finds Зеленина.
//
// # Settings
//
// Settings.Extra["latency"] (a time.Duration or a string such as "300ms")
// delays every call, honouring the context, so loading states can be seen;
// Settings.Extra["clients"] sets how many clients are generated besides the
// showcase (DefaultClients unless set), up to a million.
//
// # A big club
//
// The demo club is the benchmark base of a big club (issue 16): a million
// clients generate in well under a second. A generated client is kept as
// 20 bytes (indexes into the name tables, birthday, a few flags; phone and
// e-mail live in the search index) and becomes a models.Client the first
// time the desk reads it. Cards are the one limit: the DEC10 form read as
// hex keeps only its last six digits, a million values of which every card
// takes two, so no more than about 500,000 cards could be told apart in
// every format. The generator gives cards to the first 300,000 generated
// clients who get one (85 in 100) and none after that: every club up to
// about 350,000 clients is exactly what it was, and a bigger one has
// clients without a card rather than a generator that never finishes.
// A generated client's names and card are read back off those 20 bytes
// by the search index; its phone and e-mail are the index's own. The
// search indexes (names in the order shown, phones, e-mails, cards) are
// made at the first search of their kind, or, from 50,000 clients, in the
// background as soon as the club opens, from copies of what they index
// (the club only appends), and taken in under the club's lock: the first
// frame never waits for them (200,000 clients: about 0.2 s in the
// background, 51 bytes a client).
package demo
