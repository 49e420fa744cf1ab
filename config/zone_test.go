package config

import (
	"os"
	"testing"
	"time"
)

// TestZoneMemoryKeepsTheClubsZone: what the CRM said is kept for the
// profile's club, privately, and forgotten when the profile points at
// another club.
func TestZoneMemoryKeepsTheClubsZone(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p := Profile{Provider: "luckyfit", Branch: "1", BaseURL: "https://my.lucky.fitness/api"}
	m := ZoneMemory("main", p)
	if name, _ := m.Recall(); name != "" {
		t.Fatalf("a new state folder remembers %q", name)
	}
	at := time.Date(2026, 11, 22, 6, 16, 0, 0, time.UTC)
	if err := m.Keep("Asia/Yekaterinburg", at); err != nil {
		t.Fatal(err)
	}
	name, when := ZoneMemory("main", p).Recall()
	if name != "Asia/Yekaterinburg" || !when.Equal(at) {
		t.Fatalf("recalled %q at %v", name, when)
	}
	st, err := os.Stat(m.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("file %v mode %v", err, st.Mode())
	}
	other := p
	other.Branch = "2"
	if name, _ := ZoneMemory("main", other).Recall(); name != "" {
		t.Fatalf("another branch recalls %q", name)
	}
	if name, _ := ZoneMemory("second", p).Recall(); name != "" {
		t.Fatalf("another profile recalls %q", name)
	}
	os.WriteFile(m.Path, []byte(`{"provider":"luckyfit","branch":"1","base_url":"https://my.lucky.fitness/api","timezone":"Mars/Olympus"}`), 0o600)
	if name, _ := m.Recall(); name != "" {
		t.Fatalf("a name that is no zone is recalled: %q", name)
	}
}
