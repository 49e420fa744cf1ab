// Package gocrm is clubdesk's adapter for Go-CRM, over its two APIs
// (shared/seeds/000_5959e9d43e9a2789.txt, the client API 3.0.1, and
// shared/seeds/001_0ce0c58da8f5a37a.txt, the public API 3.0.2; both in
// Russian). It maps Go-CRM's wire format into package models and declares
// what Go-CRM can and cannot do at the desk.
//
// # Wire format, as documented
//
//   - The client API is served under /api/ on the club's own Go-CRM
//     address. Every call carries the header APP_TOKEN, the application's
//     token (the secret "app_token", typed at `clubdesk login`; where it
//     comes from is assumption 15).
//   - Sign-in is POST /auth/login with person, login (the phone's digits),
//     password (the SMS code) and fcmToken. The phone alone makes Go-CRM
//     send the code; phone and code answer {status, data: {accessToken,
//     refreshToken}}, kept as "access_token" and "refresh_token". The code
//     itself is never stored. POST /auth/logout ends the session.
//   - Errors are HTTP 422 {message, errors: {field: text}}; the field texts
//     reach the screen.
//   - Lists answer {data: [...]}; /profile and /clients/(:num) answer the
//     bare object.
//   - The public API (base .../api/v3) needs no authentication and answers
//     {status, message, validation_errors, data}.
//   - Dates are YYYY-MM-DD and YYYY-MM-DD HH:MM:SS in the center's zone.
//
// # Assumptions to check against a live account
//
// The documents are examples more than a specification. Every choice below
// is made in this package, in one place each, and the code refers to it by
// number:
//
//  1. The access token travels as "Authorization: Bearer <accessToken>"
//     (the document never says how); APP_TOKEN goes on every client-API
//     call, not only on /auth where the document shows it. Both are set in
//     one function, authorize. The public API gets neither.
//  2. The profile's base_url is the club's Go-CRM address
//     (https://myclub.go-crm.ru); the client API is {base_url}/api and the
//     public API {base_url}/api/v3, as beta.go-crm.ru/api/v3 suggests. A
//     base_url ending in /api or /api/v3 is read as the address plus that
//     path. The profile key public_url overrides the public API's address.
//  3. Parameters the document writes as a GET "body" (/hours,
//     /season-tickets, /client-hours, /clients/(:num)'s id) are sent as
//     query parameters — a GET with a body is dropped by most proxies;
//     numbers in decimal, booleans as 1 and 0. One function, query, does it.
//     /clients/(:num) takes the id in the path only.
//  4. Ids and numbers come as numbers or strings ("id": 1, "id": "123456",
//     "centerId": "1"); flags as true or 1. All are read both ways.
//  5. The desk logs in with a staff role (the profile's person; the
//     document shows "client", whose /clients would be the family's own
//     children). GET /clients then lists the center's clients; it has no
//     filter, so it is read once (again after 10 minutes, assumption 16) and searched here
//     by the child's name, the parent's full name and phone digits. A
//     client is a child: name is the child's name and fio the parent's (as
//     in the public API's Lead), shown as the client's guardian.
//     GET /client-season-tickets and GET /debts document no parameters;
//     the client is asked for with clientId as a query parameter, and
//     tickets are kept to those whose clientId matches. A debt is per
//     center (centerId, money in rubles): the desk's center's debt is the
//     client's debt, other centers' debts become a note for reception.
//  6. Season tickets: price and money are rubles ("currency": "руб."); the
//     validity is validity × periodType, read from periodType's word
//     ("Дней", "Недель", "Месяцев", "Лет"; an unknown word is days);
//     numberExercise 0 is unlimited; a startedType that mentions a visit or
//     a lesson starts on the first of them. A client's ticket has balance
//     (visits left), validityDate (its last day) and starts at createdAt;
//     blockTypeName "Активный" is active, a name with "замор" is frozen,
//     anything else cannot be used. The document shows no amount due on a
//     ticket. Tickets that are neither common nor this center's are left
//     out of the plans.
//  7. An hour of GET /hours: its title is the name of its typesExercise as
//     the season tickets' exerciseTypeId/exerciseType give it, then its
//     comment; instructors are ids named by the public API's /users with
//     position 4 (or by the hour itself, assumption 14); cnt is how many
//     are booked; Go-CRM gives no capacity, so
//     the desk never refuses a booking as full by itself; duration is in
//     minutes (60 when absent). The hour is asked for with center,
//     dateStart and dateEnd (the center's day, 00:00:00 to 23:59:59).
//  8. GET /client-hours: a client's bookings and visits are asked for with
//     clientId, centerId and dateStart; visits with visited=1 and
//     missed=0, as the document's example. A lesson's roster is the same
//     call without clientId, kept to the entries of that hour; such
//     entries are expected to carry clientId (or a client object), which
//     the document's example does not show — without it the roster says
//     the client is not given. POST /client-hours/ books with hourId,
//     individual ("1" when the hour's checkIndividual is set, else "0"),
//     the version the timetable read, and clientId (the document's body
//     names no client: a parent's app books its own child).
//  9. A walk-in is registered with the public API's POST /leads: name is
//     the child's first name (the Lead's "Имя Ребёнка"), fio the parent's
//     full name ("ФИО Родителя") and phone the parent's, from the form's
//     guardian fields (models.NewClient.Guardian, GuardianPhone); without
//     them fio is left out — never filled with the child's name (issue 13)
//     — and the child's full name goes to the comment, which also says it
//     came from the desk; phone as +79876543210, center_id the desk's
//     center, birthday as DD.MM.YYYY (the document's example). A lead is
//     not a client until Go-CRM's staff make it one. Saving it is a
//     success: the client returned carries models.Lead, whose words say
//     the child appears once Go-CRM's administrator registers them and
//     how a roster lists the walk-in (a lead, not marked). This session
//     keeps it as "lead:<id>": its card shows what was registered, and
//     booking or paying for it is refused with that reason
//     (providers.ErrLead).
//  10. PUT /payments/ {type, id} answers paymentUrl, paymentId, status,
//     errorCode, error. The document's example leaves type empty: type
//     "debt" with the center's id pays the client's debt there; type
//     "seasonTicket" with a season ticket's id buys it (a renewal is buying
//     the client's ticket again). clientId is sent too (a staff login pays
//     for someone else). No amount is sent: Go-CRM knows its prices and
//     debts. An answer with error or a non-zero errorCode is a refusal even
//     when it carries a paymentUrl (the document's one example shows every
//     field at once); only an https link is shown. The request is never
//     retried: a dropped answer is an unknown outcome.
//  11. No call to refresh a token is documented: a 401 or 403 means "log in
//     again" (`clubdesk login`), and refresh_token is stored but unused.
//  12. The public API refuses with status other than "success", whatever
//     the HTTP status; validation_errors is an object or a JSON string
//     holding one (the document shows both). A refusal answered HTTP 200
//     (here or in the client API's status "error") keeps the status it
//     really had — it was reported as "HTTP 422" (issue 13) — and Go-CRM's
//     words; with none, the desk says it answered status «error» with
//     HTTP 200 and did not say why.
//  13. The desk's time zone is the one providers.ClubZone decides: the
//     profile's timezone, else the center's own (timezone of
//     /centers/{id}, BranchZone; kept for an offline start), else
//     Europe/Moscow; `clubdesk doctor` fails when the profile's
//     contradicts the center's. A profile without branch works
//     in the club's only center, found through /cities and
//     /cities/{id}/centers; with several it says which to set.
//  14. The public GET /users fails on live centers: an integration against
//     a real center got HTTP 500 and waits on Go-CRM's support
//     (riliasov/pl-gocrm-etl, API_GUIDE.md; issue 13). A failure is kept
//     for the session rather than asked again on every timetable read:
//     instructors are then named by what the hours carry — an entry of
//     instructors written as an object with a name, or instructorName
//     beside the ids, else the ids (#11) — and /users is asked again only
//     after Refresh(providers.RefreshTimetable), the timetable's F5.
//     Diagnose gives `clubdesk doctor` one line on it.
//  15. Where APP_TOKEN comes from: the document says it is generated in the
//     CRM for each application; live integrators report that Go-CRM's
//     support issues it on request (riliasov/pl-gocrm-etl's API_GUIDE.md:
//     "как только поддержка выдаст токен приложения"; its gocrm_integration.py: "этот
//     токен нужно получить у администратора CRM"; issue 13). Login's hint
//     (keys.Where, LoginStart's message) and the README say both.
//  16. GET /clients documents no parameters and no paging (000, "No
//     parameters"; its example is {data: [...]} and nothing else), so the
//     whole list comes in one answer: ~130 bytes a client, 8.5 MB at
//     65,000, which the 8 MB cap of every other answer refused (issue 16).
//     It is decoded as it arrives, client by client (encoding/json's
//     Decoder), on a client of its own whose cap is 256 MB (about two
//     million clients) and whose deadline is 2 minutes for the whole
//     answer; the list is kept compactly (a packed string per client, its
//     names folded and indexed once, package providers/search), never as
//     the answer. It serves searches for 10 minutes, then a keystroke
//     starts one read in the background while the old list answers. A
//     read that failed is not repeated for 30 seconds: keystrokes
//     meanwhile get its error, or the list the desk already has, instead
//     of a download each. Should a live Go-CRM page the list (Laravel's
//     {data, links, meta} is what its answers suggest), this is where to
//     follow the pages; `clubdesk doctor --deep` says whether the answer
//     carries paging keys (links, meta, next_page_url, …).
//
// # What Go-CRM's API does not offer
//
// Card numbers (lookup, binding), a sale or a payment taken at the desk,
// deposits, cancelling a booking, marking attendance, check-in and a list
// of payments for the shift report have no call in the documents: the desk
// says so instead of pretending. A booking whose answer was lost is looked
// for in GET /client-hours (Reconcile); a lead cannot be, as no call lists
// leads. Money changes hands online: the card's
// Ctrl+O shows Go-CRM's payment page as a QR code, and visits are the
// lessons Go-CRM marks visited.
//
// With no check-in there is none to undo (CapUndoCheckIn): the documents
// (seeds/000, 001) write only GET, POST /auth/*, PUT /profile/, PUT
// /payments/, POST /client-hours/ and POST /leads — no DELETE at all, and
// nothing that unmarks a visited lesson. That is taken back in Go-CRM.
package gocrm
