// Package models is clubdesk's provider-neutral domain: clients and their
// cards, plans and memberships, money and payments, lessons, bookings and
// visits, and the verdict the desk shows before letting someone in.
//
// It imports neither the terminal UI nor any provider's wire format, so that
// every adapter maps into the same shapes and every screen reads the same
// shapes. IDs are strings because providers use both numbers and strings.
package models
