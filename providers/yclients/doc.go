// Package yclients is clubdesk's adapter for the YCLIENTS REST API
// (shared/seeds/003_63501718d67dfbb2.txt, a Russian Redoc dump cut off at
// the group events; "L123" below is its line). Where the dump stops, the
// same API is documented at developer.alteg.io (YCLIENTS' international
// brand, Altegio): the group events search and a client's abonements come
// from there. It maps YCLIENTS' wire format into package models and says
// what YCLIENTS cannot do at the desk.
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
//     them itself (httpx token buckets). A 429 is retried for reads, after
//     Retry-After when given; a write is never retried.
//
// # Calls
//
//	login        POST /api/v1/auth {login, password}; 200 {uuid} → {uuid, code}; 201 user_token
//	company      GET  /api/v1/company/{id}/                  zone (timezone_name), title
//	rights       GET  /api/v1/user/permissions/{company_id}
//	search       GET  /api/v1/clients/{company_id}?fullname|phone|email|card&page&count
//	client       GET  /api/v1/client/{company_id}/{id}
//	bind card    PUT  /api/v1/client/{company_id}/{id}        {name, phone, card, ...}
//	new client   POST /api/v1/clients/{company_id}
//	history      POST /api/v1/company/{company_id}/clients/visits/search
//	abonements   GET  /api/v1/loyalty/abonements?company_id&phone
//	classes      GET  /api/v1/activity/{company_id}/search?from&till&page&count
//	records      GET  /api/v1/records/{company_id}?start_date&end_date[&client_id]&page&count
//	one record   GET  /api/v1/record/{company_id}/{record_id}
//	book         POST /api/v1/records/{company_id}            {activity_id, client}
//	cancel       DELETE /api/v1/record/{company_id}/{record_id}
//	mark, pay    PUT  /api/v1/visits/{visit_id}/{record_id}   {attendance, comment[, fast_payment]}
//
// # Assumptions to check against a live account
//
// The document collapses most nested objects to {} and leaves some calls
// out; every choice below is made in this package, in one place each.
//
//  1. Search uses the deprecated GET /clients/{company_id}: it is the only
//     call whose filters are documented (fullname, phone, email, and card
//     in the prose only, L7848), while POST .../clients/search leaves its
//     filter grammar out (13 collapsed {}). The filters match a part; the
//     card lookup compares the whole card itself. A query with letters is a
//     name; letters and digits in one word a card ("5663rt"); digits a
//     phone, and also a card when there are six or more. A full Russian
//     number is sent as 7XXXXXXXXXX. (searchFilters in clients.go.)
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
//     the discount); what is due is that less its finance_transactions'
//     amounts (include_finance_transactions=1), nothing when paid_full is 1
//     or payment_status is 2 or 3 (read as the visits search's enum:
//     not paid, partly, in full, overpaid).
//  7. Group events come from GET /activity/{company_id}/search
//     (developer.alteg.io): id, date (ISO), length, capacity,
//     records_count, service.title, staff.name, resource_instances[].title
//     as the room. The rosters are the day's records with that
//     activity_id. When the search is refused (400, 402, 403, 404, 405,
//     422, 501, or success:false) the desk groups the records by
//     activity_id for the session and shows the bookings counted, no
//     capacity. A record with activity_id 0 is an individual appointment:
//     a lesson of its own, "booked 1" with no capacity, that nobody else
//     can be added to.
//  8. A client's abonements (GET /loyalty/abonements, developer.alteg.io)
//     are found by the client's phone with the country code. Title: the
//     type's title, else balance_string. Visits left: the sum of
//     balance_container.links[].count (united balance:
//     united_balance_services_count when given); of: the type's. Valid
//     until expiration_date; started on activated_date (none: not started,
//     it starts on first use); frozen by is_frozen, until freeze_till. The
//     status object is not read: its values are not documented beyond 1
//     "Released".
//  9. A 403 is the user's rights in YCLIENTS, not a bad token: it is shown
//     as YCLIENTS' refusal, not "log in again"; a 401 is the token.
//  10. The visit history pages by date: the next page's from/to are read
//     from meta.dateCursor.next, or from meta's own from/to (the prose,
//     L8338, and the collapsed sample, L8492, disagree); at most four
//     pages. Only records the client came to (attendance 1) are asked for;
//     records of one visit_id are one visit.
//  11. Payment is fast_payment on PUT /visits (1 cash, 2 card; 129 and 130,
//     which also print a receipt, are not used): it pays the visit in full.
//     So the desk takes exactly what the record still owes, in one part, by
//     cash or card, after reading the record again (a visit paid meanwhile
//     is refused, not paid twice). The call also requires attendance and
//     comment: the record's current ones are sent, so paying changes
//     nothing else. A payment whose answer is lost is not repeated; the
//     record is read again and only a record shown as paid makes it "done".
//  12. Attendance is marked with the same PUT /visits (1 came, -1 no-show,
//     0 waiting; 2 "confirmed" reads as expected), with the record's own
//     comment sent back: PUT /record would need the whole record.
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
//
// # What YCLIENTS' API does not offer the desk
//
// Selling an abonement (or anything else), a deposit top-up, a shift or
// cash-desk report, check-in as an event of its own (a record is marked
// "came" instead), a late cancellation (a cancelled record is deleted) and
// a payment page. The capabilities say so with the reason.
package yclients
