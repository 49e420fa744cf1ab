package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ZoneFile keeps the club's time zone as the CRM last gave it, in the
// state folder (club/PROFILE.json, mode 0600), so that a console started
// while the line is down still counts the club's day in the club's zone.
// It implements providers.ZoneMemory. What it holds is tied to the
// profile's provider, branch and address: a profile pointed at another
// club forgets it.
type ZoneFile struct {
	Path                   string
	Provider, Branch, Base string
}

// zoneRecord is the file's content.
type zoneRecord struct {
	Provider string    `json:"provider"`
	Branch   string    `json:"branch"`
	Base     string    `json:"base_url"`
	Timezone string    `json:"timezone"`
	At       time.Time `json:"at"`
}

// ZoneMemory is the profile's ZoneFile in the state folder; its Path is
// "" (nothing kept) when there is no state folder.
func ZoneMemory(profile string, p Profile) *ZoneFile {
	z := &ZoneFile{Provider: p.Provider, Branch: strings.TrimSpace(p.Branch), Base: SafeURL(strings.TrimSpace(p.BaseURL))}
	if dir, err := StateDir(); err == nil {
		z.Path = filepath.Join(dir, "club", SafeName(profile)+".json")
	}
	return z
}

// Recall implements providers.ZoneMemory: the zone kept for this
// profile's club and when the CRM gave it; "" when none is (or the file
// belongs to another club).
func (z *ZoneFile) Recall() (string, time.Time) {
	if z == nil || z.Path == "" {
		return "", time.Time{}
	}
	data, err := os.ReadFile(z.Path)
	if err != nil {
		return "", time.Time{}
	}
	var r zoneRecord
	if json.Unmarshal(data, &r) != nil || r.Provider != z.Provider || r.Branch != z.Branch || r.Base != z.Base {
		return "", time.Time{}
	}
	if _, err := time.LoadLocation(r.Timezone); err != nil {
		return "", time.Time{}
	}
	return r.Timezone, r.At
}

// Keep implements providers.ZoneMemory: it writes the zone atomically
// (a temporary file renamed over the old one), 0600.
func (z *ZoneFile) Keep(name string, at time.Time) error {
	if z == nil || z.Path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(z.Path), 0o700); err != nil {
		return err
	}
	data, err := json.Marshal(zoneRecord{Provider: z.Provider, Branch: z.Branch, Base: z.Base, Timezone: name, At: at.UTC()})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(z.Path), ".zone-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), z.Path)
}
