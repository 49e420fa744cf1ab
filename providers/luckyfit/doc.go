// Package luckyfit is clubdesk's adapter for the LuckyFit CRM's integration
// API (shared/seeds/002_77a36bdc66b44521.txt, in Russian). It maps LuckyFit's
// wire format into package models and declares what LuckyFit can and cannot
// do at the desk.
//
// # Wire format, as documented
//
//   - Base URL from the profile (default https://my.lucky.fitness/api; the
//     document says https://my.lucky.fitness, see assumption 14); it may
//     carry a path prefix, which every method path is appended to.
//   - Header Api-Key on every request, the secret "api_key" from package keys.
//   - GET filters travel in one query variable, params, holding the
//     URL-encoded JSON object of the filters:
//     /orders?params=%7B%22lo%23closed%22%3A%222017-11-01T00%3A00%3A00%22%7D.
//     POST, PUT and DELETE send a JSON body.
//   - Every answer is {success, error, session_expired, data, total}.
//     success:false is an error whatever the HTTP status, with the reason in
//     error (Russian, shown to the receptionist as LuckyFit's own words);
//     session_expired:true means the key must be authorised again.
//   - Dates in filters are YYYY-MM-DDTHH:MM:SS, in the branch's time zone.
//
// # Assumptions to check against a live account
//
// The document lists request parameters but shows almost no responses.
// Every choice below is made here, in this package, in one place each:
//
//  1. An entity carries the names of its own documented create/update
//     parameters plus id. A client: id, surname, name, patronymic, sex,
//     birthday, phone1, phone2, email1, email2, tag, cardnum, locked,
//     message. A plan (/tickets): the documented fields id, name, price,
//     membership_summ, passes, duration, time_kind_id, ticket_kind,
//     ticket_class_id, start_kind, description.
//  2. A client ticket (/client_tickets) carries the fields of /tickets
//     plus client_id, ticket_id, started, account_summ_id and
//     account_membership_id; its end is read from the first present of
//     ended, finished, end_date, expired_at, and computed from started +
//     duration/time_kind_id when none is — only when the ticket gives both
//     (a duration without its unit, or none, implies no end: the ticket is
//     open-ended, never ended on its first day, issue 13); visits left from passes_left,
//     rest_passes, remaining_passes (unlimited when passes is 0 or absent);
//     a freeze from frozen/is_frozen with freeze_end/frozen_until; the
//     amount due from debt, summ_debt or unpaid, else as assumption 16
//     says. Active, not started and
//     finished are taken from which ticket_state the ticket was listed
//     under (1/3 via 4, and 2), not guessed from fields. A ticket reaches
//     ticket_state 2 by leaving 4 (LuckyFit moves one whose days or visits
//     ran out), so a client's finished tickets, read with the current
//     ones, are kept for the cards after (tickets.go, finishedTTL: ten
//     minutes; the card read again after a sale, a payment, a booking, a
//     second scan; issue 16) while every ticket current then is current
//     still; one gone (ended, or deleted) has them read again, a round
//     trip later. The document only numbers the states; a finished ticket
//     edited in LuckyFit shows within the ten minutes.
//  3. Money (price, summ, membership_summ, balances) is a decimal number of
//     major units (rubles), as a JSON number or string; clubdesk keeps it
//     in kopecks and never goes through floating point.
//  4. Numbers may arrive as strings and strings as numbers; booleans as
//     true, 1, "1" or "true"; dates as "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS"
//     or "YYYY-MM-DD HH:MM:SS" (branch time). Unknown fields are ignored.
//  5. POST /client_tickets answers data as the created client ticket (or an
//     array holding it) with id, account_summ_id and account_membership_id.
//     When the accounts are missing, the adapter reads the client's tickets
//     and takes the one with that id.
//  6. The ticket payment (finoperation_id 2) is sent with point_name like
//     the fee and deposit payments, although the document lists point_name
//     only for those two.
//  7. /lesson_calendars/feed answers a list of events in the FullCalendar
//     feed shape its name suggests: id, title (or name), start, end, and,
//     when present, room/hall, trainer/instructor/staff_name,
//     capacity/max_clients/places and booked/clients_count/bookings_count.
//  8. /lesson_calendar_bookings (GET) lists bookings with id, client_id,
//     lesson_calendar_id and, when present, client_surname, client_name,
//     client_phone (or phone1), visited/attended.
//  9. /client_accounts lists the client's deposit accounts with id and
//     balance (or summ); the deposit is their sum, and a top-up goes to the
//     first.
//  10. /access_logs answers entries with id, client_id, created_at and,
//     when present, direction; an entry is a visit. The document offers no
//     client filter, so the day's entries are read and filtered here.
//  11. /branches answers the branches with id, name, timezone and currency;
//     the profile's branch picks one (the first when unset). Its timezone
//     is the desk's zone when the profile names none (BranchZone,
//     providers.ClubZone); the desk counts in RUB, and `doctor --deep`
//     says when the branch counts in another currency.
//  12. phone#phone1 matches part of the number; the query's digits are sent
//     as typed minus formatting.
//  13. A payment whose answer was lost is looked for in /transactions
//     (lo#/hi#created_at around the moment it was sent, this desk's
//     point_name) by client and amount; a lost booking in the lesson's
//     /lesson_calendar_bookings. A lost sale is looked for request by
//     request, exactly as the desk sent it (issue 13: a sale with a fee,
//     whose four requests all went through, was "not found yet" because
//     its planned parts were matched by amount): the client's ticket for
//     the plan (ticket_id, ticket_state 4), then each transaction the
//     split of the journalled parts over the price (the total less the
//     fee) and the fee gives — by account, finoperation_id, paykind_id and
//     amount, one transaction per request. Of several tickets for the
//     plan, the one the payments reached, or created around the sale, or
//     starting on the day it named, is the sale's. The fee is the one the
//     journal kept, else the plan's. Each request is reported found or
//     not found (models.Finding.Steps); found is "every one", not found is
//     "nothing yet", never "failed", and some found is a sale done in part.
//  14. The API lives under /api. The document names https://my.lucky.fitness
//     as the base and appends method paths to it, but integrations that run
//     against live accounts call https://my.lucky.fitness/api/leads with the
//     Api-Key header (julsupercom-commits/lev-padel-mcp-server, its
//     LUCKYFIT_API; issue 13); without /api the desk reaches LuckyFit's web
//     application. So the default base is https://my.lucky.fitness/api. An
//     answer that is a web page (HTML below 500), or that came through a
//     redirect to another path on the host (the login page), is the web
//     application: a typed error (providers.ErrNotAPI) says exactly that,
//     and ProbeBase asks GET /branches of the base with /api and without it
//     and says which answers LuckyFit's envelope.
//  15. The answer to POST /client_tickets may be as sparse as the document
//     leaves it (issue 13 saw a created ticket with a start and no end):
//     what it leaves out is taken from the plan sold — the start the desk
//     sent, the end the plan's duration implies, its visits. A plan with
//     start_kind 2 starts on the first entry: the ticket just sold has no
//     dates and is not started, unless LuckyFit's answer states an end. A
//     ticket read later with start_kind 2 and started set has started
//     (LuckyFit sets it at the first entry); without started it is not
//     started.
//  16. What a ticket still owes is what LuckyFit holds. A ticket that states
//     a debt (debt, summ_debt, unpaid) owes that. One that does not — a
//     live account's, issue 13: a refused deposit part left 1 500 ₽ owed
//     and the card said "no debt" — owes its price less its discount
//     (discount, discount_kind as POST /client_tickets takes them; 0 a
//     percent, 1 an amount) plus membership_summ when it has a fee
//     account, less the transactions to account_summ_id and
//     account_membership_id (plus those from them, a refund; one marked
//     signed:false is not posted). They are read in one GET /transactions
//     for the client, filtered by client_id as the document's filters name
//     a field (its own example filters /orders by lo#closed, a field it
//     does not list), since the ticket's created_at (a year before its
//     start without one), and kept to the client here. A ticket this desk
//     sold this session owes against what it was sold for. When the read
//     fails, or the ticket gives no discount field and part of its full
//     price is unpaid, the due is unknown (models.Membership.DueUnknown),
//     never zero. A debt payment goes to the price account, and to the fee
//     account for what the fee owes once the price is paid.
//  17. A client's bookings are asked for directly: GET
//     /lesson_calendar_bookings with params {"client_id": ...}. The document
//     lists only lesson_calendar_id for that call, but its GET filters are
//     the entity's own fields ("может использоваться любая комбинация
//     параметров" on its other lists; assumption 16 filters /transactions
//     by client_id the same way), and a booking carries client_id
//     (assumption 8). No public integration reading this call was found
//     (searched public code and pages for lesson_calendar_bookings, issue
//     16), so the answer is checked, not trusted: rows of another client,
//     or missing a booking a roster shows, mean the account ignores the
//     filter; success:false, a 4xx or an unusable answer mean it refuses
//     it. Either way the session stops asking (bookings.go, directMode)
//     and picks the card's bookings from the day's rosters. Until one
//     answer holding bookings has proven the filter, an empty answer
//     proves nothing; the day read's first booked client is asked for
//     once, in the background, to settle it early (probeDirect).
//  18. The feed's booked count (assumption 7) is the roster's length: a
//     refresh reads the feed and again only the rosters whose count moved
//     (or that are older than ten minutes, as below). A feed without counts
//     reads every booked lesson's roster again each time, as the desk did
//     before issue 16 was taken up. The day read starts with the console
//     (providers.Warmer), a card picks its bookings from it when every
//     roster is current, and a booking made here goes into its roster rather
//     than dropping the day (day.go). A roster that cannot be read leaves
//     the card with what is known and providers.ErrPartial, never a failed
//     card. The refresh period: the feed is trusted for a minute (rosterTTL:
//     another desk's booking reaches a card within about a minute, issue 16)
//     and a card starts its next read once it is 45 s old (refreshAfter: the
//     minute less 15 s for the read to end before a card needs it), so a
//     steady queue reads the feed once a minute; at half the minute (30 s,
//     until issue 16's card target) a card every 20 s read it every 40 s. No
//     read the card makes anyway can carry it: the card's requests are the
//     lookup, the deposit, the two ticket lists and the access log, none of
//     which the day holds, and its bookings cost none when the day is
//     current. Rosters past ten minutes (rosterMaxAge) are read again where
//     the account refuses client_id (they are the only source), and where it
//     takes it (assumption 17, proven) only while more cards asked in the
//     last ten minutes than the day has lessons (a service with many desks).
//     Otherwise the day, once a roster is ten minutes old, no longer answers
//     cards, which ask directly (one request, fresh), and only its feed is
//     read, every ten minutes, for the lessons the answers are mapped to:
//     keeping every roster young read the whole day every ten minutes, 203
//     rosters, 7 requests a card in a queue of one every 20 s, where the
//     direct call is one (issue 16).
//
// # What LuckyFit's API does not offer
//
// Marking attendance, check-in and cancelling a booking have no call in the
// document: LuckyFit records entries through its access control (turnstile),
// and the desk shows them as visits instead of pretending to mark them.
package luckyfit
