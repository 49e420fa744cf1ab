package providers

import (
	"fmt"
	"slices"
	"sort"
	"sync"
)

// Factory builds a provider from a profile's settings. It must not touch the
// network: the first screen never waits for it.
type Factory func(Settings) (Provider, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]Factory{}
)

// Register makes a provider available by name. Adapters call it from init.
func Register(name string, f Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("providers: Register called twice for " + name)
	}
	registry[name] = f
}

// New builds the named provider.
func New(name string, s Settings) (Provider, error) {
	registryMu.RLock()
	f, ok := registry[name]
	registryMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown provider %q (known: %v)", name, Names())
	}
	return f(s)
}

// Names lists the registered providers, sorted.
func Names() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return slices.Clip(names)
}
