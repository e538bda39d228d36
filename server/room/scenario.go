package room

import (
	"bytes"
	"sync"

	"pushback/scenarios"
	"pushback/sim"
)

// Rooms share parsed scenarios: sim never changes a Scenario, and parsing
// one per room cost a YAML parse and about 5 KiB of heap per player.
var scenarioCache sync.Map // name → *cachedScenario

type cachedScenario struct {
	src []byte
	scn *sim.Scenario
}

// shipped returns a shipped scenario, parsed once, and its source.
func shipped(name string) (*sim.Scenario, []byte, error) {
	if c, ok := scenarioCache.Load(name); ok {
		cs := c.(*cachedScenario)
		return cs.scn, cs.src, nil
	}
	src, err := scenarios.Source(name)
	if err != nil {
		return nil, nil, err
	}
	scn, err := scenarios.Parse(name+".yaml", src)
	if err != nil {
		return nil, nil, err
	}
	scenarioCache.Store(name, &cachedScenario{src: src, scn: scn})
	return scn, src, nil
}

// parsed returns the scenario a stored room was created with: the shared
// one when the source is the shipped file unchanged, else a parse of it.
func parsed(name string, src []byte) (*sim.Scenario, error) {
	if scn, ship, err := shipped(name); err == nil && bytes.Equal(ship, src) {
		return scn, nil
	}
	return scenarios.Parse(name+".yaml", src)
}
