// Package yclients is clubdesk's adapter for the YCLIENTS REST API
// (shared/seeds/003_63501718d67dfbb2.txt, a Russian Redoc dump cut off at
// the group events; "L123" below is its line). Where the dump stops, the
// same API is documented at developer.alteg.io (YCLIENTS' international
// brand, Altegio): the group events search and a client's abonements come
// from there. The full YCLIENTS reference the seed is a part of ("REF"
// below: its API Blueprint, published in github.com/mkosinov/yclientsapi
// as docs/yclients_official/yclientsru.apib) documents what the seed cuts
// off: GET /visits/{visit_id}, the sale document and its payment, the
// clients search's filters, the cash desks. "LIVE" is what records
// captured from a live Altegio account show (issue 12, "YCLIENTS meets a
// real account", and the public capture of an Altegio integration,
// github.com/azamat02/altegio-ai apps/api/test/fixtures/altegio: shapes
// only, no data of theirs is in this repository). It maps YCLIENTS' wire
// format into package models and says what YCLIENTS cannot do at the desk.
//
// # Wire format, as documented
//
//   - Base URL https://api.yclients.com (the profile may point elsewhere).
//     The profile's branch is the company id.
//   - Every call sends Accept: application/vnd.yclients.v2+json,
//     Content-Type: application/json and Authorization: Bearer <partner
//     token>, User <user token> (L43; the document's typo'd variants, L9137
//     and L10094, are read as this form). The login alone sends the
//     partner token only. The tokens are the secrets partner_token (typed
//     at `clubdesk login`) and user_token (obtained by the login; the
//     password and the 2FA code are never stored).
//   - Answers are {success, data, meta}; meta is [] or {} or carries
//     total_count, page, count or message. Refusals are success:false with
//     meta.message, or an errors {code, message} object (L3861); both are
//     shown as YCLIENTS' own words. Some answers have no envelope (the
//     login's 201): a bare object is read as the data.
//   - Durations are seconds. Dates come in many shapes; one parser,
//     wire.ParseTime, reads them all (its table test lists the document's).
//   - 5 requests a second and 200 a minute per IP (L7): the desk keeps to
//     them itself (httpx sliding windows, assumption 22). A 429 is retried
//     for reads, after Retry-After when given; a write is never retried
//     here: a mark is kept and sent again by the offline desk, a payment
//     is refused as not taken (assumptions 11, 12).
//
// # Calls
//
//	login        POST /api/v1/auth {login, password}; 200 {uuid} → {uuid, code}; 201 user_token
//	company      GET  /api/v1/company/{id}/                  zone (timezone_name), title, currency_short_title
//	rights       GET  /api/v1/user/permissions/{company_id}
//	search       POST /api/v1/company/{company_id}/clients/search  {filters: [{type: quick_search, state: {value}}]}
//	list         GET  /api/v1/clients/{company_id}?fullname|phone|email|card|id[]&page&count (fallback, e-mail, card, in full)
//	client       GET  /api/v1/client/{company_id}/{id}
//	bind card    PUT  /api/v1/client/{company_id}/{id}        {name, phone, card, ...}
//	new client   POST /api/v1/clients/{company_id}
//	history      POST /api/v1/company/{company_id}/clients/visits/search
//	abonements   GET  /api/v1/loyalty/abonements?company_id&phone
//	classes      GET  /api/v1/activity/{company_id}/search?from&till&page&count
//	records      GET  /api/v1/records/{company_id}?start_date&end_date[&client_id]&page&count
//	its changes  GET  /api/v1/records/{company_id}?start_date&end_date&changed_after&with_deleted=1&page&count
//	one record   GET  /api/v1/record/{company_id}/{record_id}
//	book         POST /api/v1/records/{company_id}            {activity_id, client}
//	cancel       DELETE /api/v1/record/{company_id}/{record_id}
//	visit        GET  /api/v1/visits/{visit_id}               the visit's records (REF), before paying or marking
//	mark, pay    PUT  /api/v1/visits/{visit_id}/{record_id}   {attendance, comment[, fast_payment]}: the whole visit
//	sale doc     GET  /api/v1/company/{company_id}/sale/{document_id}          items, payments, payment_methods (REF)
//	pay record   POST /api/v1/company/{company_id}/sale/{document_id}/payment  {payment: {method: {slug: account, account_id}, amount}} (REF)
//
// # Assumptions to check against a live account
//
// The document collapses most nested objects to {} and leaves some calls
// out; every choice below is made in this package, in one place each.
//
//  1. Search goes through POST /company/{id}/clients/search with the
//     quick_search filter, which REF documents (ClientQuickSearchFilter:
//     "phone, extra phone, name, client card", a part matching), asked for
//     the fields of its own short list (id, name, phone, email: LIVE shows
//     it answers those and ignores others). The ids found are then read in
//     full in one request with the deprecated GET /clients/{company_id}'s
//     id[] filter (L7848's prose), for the surname, card, birth date and
//     balance the search does not give. The deprecated list also stays for
//     an e-mail (quick_search does not look at e-mails), for the card
//     filter (a card's holders, compared whole, come first), and as the
//     fallback when an account refuses the search (402 licence, 404...):
//     then it searches with its documented filters for ten minutes before
//     the search is asked again. A part of a phone typed after the trunk
//     prefix ("8 916 999", "+7 916") is sent without it ("916999"): the
//     stored number carries 7, so "8916999" is in no number; a full
//     Russian number is sent as 7XXXXXXXXXX. (clients.go: quickValue,
//     phoneFilter, searchFilters.)
//  2. The 2FA round of POST /auth sends {uuid, code}: the document shows
//     the 200 answer with uuid but not the second request's fields.
//  3. Types drift (phone a number in answers, visit_id a string, booleans
//     as "true", birth_date 0, custom_fields {} or []): package wire's
//     tolerant types read them, and nested objects that PHP sends as []
//     when empty are read as empty, never failing the answer.
//  4. The list of clients answers the same objects as GET /client. A
//     client's balance is their account with the company: above zero it is
//     shown as the deposit, below zero as a debt (the desk cannot take that
//     debt: no call pays it). comment is the note for reception, discount
//     the client's percent.
//  5. A record's nested objects: services [{id, title, cost, amount}]
//     (the user-records table, L2380), staff {id, name} (L2412), client
//     {id, name, surname, phone, email} (the request's client fields, L9458,
//     plus id).
//  6. A record's price is the sum of its services' cost (the price after
//     the discount); what is due is that less the payments made for the
//     services (include_finance_transactions=1). finance_transactions
//     include goods sold in the visit (LIVE: expense 7 "Product sales",
//     with the goods_transaction_id it pays; services are expense 5
//     "Service payments", as GET /visit/details shows in REF): those pay
//     the goods, not the services, and are not subtracted. A record is
//     paid when paid_full is 1 or payment_status, the record's own field,
//     is 1 (LIVE: 1 exactly when paid_full is, 39 of 39; 0 unpaid); partly
//     paid is what the amounts say. The string enum not_paid/paid_not_full
//     /paid_full/paid_over is the visits search's filter only. A record
//     read without its payments (GET /visits carries none) has an unknown
//     due, never zero.
//  7. Group events come from GET /activity/{company_id}/search
//     (developer.alteg.io; REF: from and till are dates): id, date (ISO),
//     length, capacity, records_count, service.title, staff.name,
//     resource_instances[].title as the room. LIVE accounts may refuse a
//     period that starts before now, so a period in the past is not asked
//     (its records, grouped by activity_id, with the bookings counted and
//     no capacity) and one that reaches today is asked from today, the
//     lessons of today the search leaves out coming from the records. A
//     refusal (400, 402, 403, 404, 405, 422, 501, or success:false) leaves
//     that read to the records and is logged once; the next read asks
//     again: one refusal never switches the session. A record with
//     activity_id 0 is an individual appointment: a lesson of its own,
//     "booked 1" with no capacity, that nobody else can be added to.
//  8. A client's abonements (GET /loyalty/abonements, developer.alteg.io)
//     are found by the client's phone with the country code. Title: the
//     type's title, else balance_string. status.id is 1 issued (not yet
//     used: not started, it starts on first use), 2 active, 3 expired
//     (whatever expiration_date says), 4 used up (no visits, whatever the
//     links still count) — the live reading; REF shows 1
//     "Выпущен" and 2 "Активирован". Visits left: the sum of
//     balance_container.links[].count; a link with is_unlimited (LIVE)
//     has no limit, so the abonement lets the client in (Unlimited, never
//     "0 visits left") and the row shows each link's balance
//     (models.Membership.Services); united balance:
//     united_balance_services_count when given, unlimited when
//     is_united_balance_unlimited. Of: the type's. Valid until
//     expiration_date; started on activated_date; frozen by is_frozen,
//     until freeze_till.
//  9. A refusal is typed by its status and YCLIENTS' code first, its words
//     second: 401 the token, 404 not found, 409 already booked, 429 rate
//     limited, 5xx unavailable (a write's: unknown), errors.code or
//     meta.code 433 ("the chosen time is taken", REF's online-booking
//     codes) the lesson full; only a 200 with success:false, a 400, 403 or
//     422 is read by its words, in Russian (YCLIENTS) or English (Altegio:
//     "Access denied.", "No free places", "already booked"). A 403 is the
//     user's rights, not a bad token, unless its words name the token: it
//     is shown as YCLIENTS' refusal, not "log in again". YCLIENTS' own
//     words are always passed on.
//  10. The visit history pages by date: the next page's from/to are read
//     from meta.dateCursor.next, or from meta's own from/to (the prose,
//     L8338, and the collapsed sample, L8492, disagree); at most four
//     pages. Only records the client came to (attendance 1) are asked for;
//     records of one visit_id are one visit.
//  11. Payment reads the visit first (assumption 21). A visit of this
//     record alone is paid with fast_payment on PUT /visits (1 cash, 2
//     card; 129 and 130, which also print a receipt, are not used), which
//     pays the visit in full, goods sold in it included: so the desk takes
//     exactly what the visit still owes, in one part, by cash or card, in
//     the company's currency, after reading it again (a visit paid
//     meanwhile is refused, not paid twice), and refuses when goods are
//     unpaid (fast payment would take them unseen). A visit of several
//     records is paid whole with fast_payment only when the receptionist
//     confirmed the whole visit (models.PaymentRequest.WholeVisit) and the
//     amount is the whole visit's due; otherwise this record alone is paid
//     through its own sale document (documents[] type 7 with its
//     record_id: LIVE gives every record its own; REF's POST
//     /company/{id}/sale/{document_id}/payment with slug "account", an
//     account_id and the amount), into the applicable "account" payment
//     method of the document whose account is cash for cash and not cash
//     for a card — the only one, or the default one — when the document's
//     services owe what the record does; with no such desk, the payment is
//     refused (providers.ErrWholeVisit) with the visit listed. Paying by
//     abonement (slug loyalty_abonement) is not offered. fast_payment also
//     requires attendance and comment: the record's current ones are sent,
//     so paying changes nothing else. A payment whose answer is lost is
//     not repeated; the record is read again and only a record shown as
//     paid makes it "done". A payment answered 429 processed nothing: it
//     is refused, "not taken yet", for the receptionist to send again; the
//     desk never sends money again by itself.
//  12. Attendance is marked with the same PUT /visits (1 came, -1 no-show,
//     0 waiting; 2 "confirmed" reads as expected), with the record's own
//     comment sent back (from the visit just read): PUT /record would need
//     the whole record. It marks every record of the visit, so a visit of
//     several is refused (providers.ErrWholeVisit, naming the records it
//     would change) until the receptionist confirms it whole
//     (providers.VisitMarker: MarkVisit). A mark answered 429 is kept by
//     the offline desk and sent again after Retry-After.
//  13. Booking sends {activity_id, client {phone, name, surname,
//     patronymic, email}, send_sms false}: the client is named by phone, as
//     the documented body does; the created record is read from data as an
//     object or a one-item list (the sample is a list, L9494).
//  14. Binding a card sends the client's identity fields as read (name and
//     phone are required, L8566) and the card; money fields (balance,
//     spent) are never written.
//  15. Naive date-times ("2019-01-01 12:00:00") are in the company's
//     timezone_name, read once from GET /company/{id}/. The desk's own zone
//     (Info) is the one providers.ClubZone decides when the console starts:
//     the profile's timezone, else the company's (BranchZone, kept for an
//     offline start), else Europe/Moscow; `clubdesk doctor` fails when the
//     profile's contradicts the company's, and `--deep` checks the records'
//     naive dates against their datetime's offset.
//  16. Permissions are every group's keys flattened; a key that is there
//     and false (or 0) takes the capability away with its reason, an absent
//     key takes nothing. timetable_access: timetable and rosters;
//     create_records_access: booking; delete_records_access: cancelling;
//     edit_records_access: attendance; records_finances_access: payment;
//     clients_access: the client base; loyalty_access: abonements. Read once
//     a session; a refusal leaves them unknown.
//  17. Lists are read 100 to a page (records and events), up to 30 pages,
//     until total_count is reached when the answer gives it (a server may
//     answer fewer a page than asked), else until a short or empty page.
//  18. The two calls from developer.alteg.io (the events search and the
//     abonements) are shown there with Accept application/vnd.api.v2+json
//     and the partner token alone; the desk sends YCLIENTS' own Accept and
//     both tokens, as to every other call.
//  19. Currency is the company's: GET /company/{id}/'s currency_short_title
//     (REF: "символ валюты"; "₽" and "р" in REF's samples, "₸" on a
//     Kazakh account) read as an ISO code by models.CurrencyCode (₽ р
//     руб RUB, ₸ тг KZT, Br BYN, сум UZS, ...; currency_iso or a currency
//     code or object when an answer carries one). A sign the desk does not
//     know is kept as the company wrote it (developer.alteg.io shows "R"
//     for a company in New York: no currency for certain); only a company
//     that says nothing is RUB, as the document's samples are. Every
//     amount the adapter builds (records, balances, abonements, payments)
//     and Info().Currency are in it, and a payment in another currency is
//     refused.
//  20. Clients: middle_name is Altegio's name for the patronymic (read when
//     patronymic is empty, sent back as patronymic). birth_date is
//     "yyyy-mm-dd", 0, or unix seconds (a string or a number: an instant at
//     midnight UTC is that UTC day, another the day in the company's zone);
//     its year 1900 is the platform's "no year" (models.NoYear: the card
//     shows 14.03, never an age or 1900) and 1900-01-01 its empty date
//     (LIVE: every client without one has it); a day without its year is
//     sent back as 1900-mm-dd. categories[].title are the client's tags
//     (models.Client.Tags, "VIP", "Black list"); a black-list tag turns the
//     verdict red with its name (models.Client.BlackListTag).
//  21. A visit is a client's records of one day (LIVE: 11 of 38 visits
//     hold 2–3 records), and PUT /visits/{visit_id}/{record_id} acts on all
//     of them: fast_payment pays the whole visit, attendance marks every
//     record. So payment and marks read GET /visits/{visit_id} (REF: the
//     visit's records, whole, without their payments) first; the amounts
//     of its other unpaid records are read with GET /record each. When
//     GET /visits is refused, the client's records of the record's day
//     with the same visit_id are the visit. providers.VisitInspector
//     (VisitOf) shows it to the desk: each record with what it owes, the
//     total, and the methods that can pay this record alone.
//  22. The 5-a-second limit is counted on YCLIENTS' clock, where requests
//     arrive, not when the desk sends them: a request counts as "now"
//     while in flight and from its answer after (httpx), and the windows
//     keep a margin (100 ms on the second, 1 s on the minute).
//  23. A day's rosters come from one read of the day's records (day.go):
//     YCLIENTS has no roster call (the events search carries records_count
//     only) and no activity filter on the records list, and a roster per
//     event read the whole day again each time (a busy day of 40 events
//     and 300 records: 167 requests and 37 s at 5 a second, the opened
//     roster waiting 16–23 s; now 7 requests, 1.2 s: BENCHMARKS.md). So GET /records by
//     start_date = end_date = the day, 100 a page (assumption 17), is read
//     once — the timetable's read, or the first roster's, which every
//     roster asked meanwhile waits for instead of reading it too — and
//     every roster of the day is built from it by activity_id. Then it is
//     read as what changed: the same filters with changed_after (L9228,
//     "дата изменения/создания записи ... начиная с конкретной даты и
//     времени"; developer.alteg.io get_appointment_list: "created or
//     modified after the specified date and time") and with_deleted=1
//     (L9248: deleted records come with deleted, and leave the day),
//     changed_after as a naive "2006-01-02T15:04:05" in the company's zone
//     (assumption 15; the format github.com/e-nikitin/yclients-laravel-sdk
//     sends), two minutes before the last read began (the desk's clock and
//     YCLIENTS' may disagree). The changes are read: by every read of the
//     timetable; by a roster asked again (the receptionist's F5, the
//     roster shown after the cursor rested on it, the offline desk's check
//     before it sends a kept mark) — so a record changed at another desk is
//     seen on the roster's next refresh, at one request; and by a roster
//     first asked once the day is older than 30 s (the timetable's
//     roster read ahead is shown as long). A roster first asked within 30 s
//     of the day's read costs nothing. A lost booking is looked for in the
//     changes read then (Reconcile), never in the kept day alone. The day is read whole again after
//     5 minutes: a record moved to another day, or deleted where
//     with_deleted is not honoured, leaves it then at the latest. The
//     desk's own writes change the kept day: a mark (every record of the
//     visit), a payment (paid), a booking (the created record), a
//     cancellation (gone); the roster shown after the write is built from
//     it without a request, and its next refresh reads the changes. The
//     screen's first roster is what the rate limit's budget goes to: the
//     day's read is the only read behind a roster, shared by the one the
//     receptionist opens and every one read ahead, so none waits behind
//     the others (the opened roster of the 80-event day: under 1 ms, was
//     145 s). Nor is the day read ahead when the console starts: at 5
//     requests a second its 7–10 requests would hold the first scanned
//     card's for 1–2 s; it is read when the timetable is first opened.
//     `doctor --deep` asks today's records changed after tomorrow:
//     none means changed_after is honoured. Choices: day.go (dayFresh,
//     dayWhole, dayOverlap, changedLayout).
//
// # What YCLIENTS' API does not offer the desk
//
// Selling an abonement (or anything else), a deposit top-up, a shift or
// cash-desk report, check-in as an event of its own (a record is marked
// "came" instead), a late cancellation (a cancelled record is deleted) and
// a payment page. The capabilities say so with the reason.
//
// With no check-in there is none to undo (CapUndoCheckIn): what stands for
// one is a record's attendance, which the desk sets back to 0 ("waiting
// for the client", digest §2.2.0) by PUT /visits/{visit_id}/{record_id}
// (§2.3.3), as it marks it — the roster's undo of a mark (u), journalled
// as a mark. DELETE /record/… (§2.2.5) would delete the booking itself,
// not take back an arrival, so the desk never uses it for that.
package yclients
