package debrief_test

import (
	"testing"

	"pushback/scenarios"
	"pushback/server/debrief"
	"pushback/sim"
)

// styles are the four characters of GAME.md, one per manager seat.
var styles = []string{"yes-man", "firebrand", "diplomat", "advocate"}

// others are the fixed policies that shield and escalate late, which the
// four characters never do.
var others = []string{"always-shield", "late-escalator", "always-explain", "always-pushback"}

var names = []string{"Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Gray", "Harper"}

// botGame plays the default scenario by bot with the four styles and the
// given persona ("" for the scenario's first), recording every command as
// a room would. With stop > 0 it stops after that many commands: a game
// still running.
func botGame(t testing.TB, persona string, seed uint64, stop int) (debrief.Game, *sim.State) {
	t.Helper()
	return botGameOf(t, styles, persona, seed, stop)
}

// botGameOf is botGame with other bot styles.
func botGameOf(t testing.TB, styles []string, persona string, seed uint64, stop int) (debrief.Game, *sim.State) {
	t.Helper()
	return botTable(t, scenarios.Default, styles, persona, seed, stop)
}

// botTable is botGameOf in any shipped scenario.
func botTable(t testing.TB, scenario string, styles []string, persona string, seed uint64, stop int) (debrief.Game, *sim.State) {
	t.Helper()
	src, err := scenarios.Source(scenario)
	if err != nil {
		t.Fatal(err)
	}
	scn, err := scenarios.Parse(scenario+".yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if persona == "" {
		persona = scn.Personas[0].ID
	}
	cfg := sim.Config{Persona: persona, ExecutiveBot: true}
	for i, st := range styles {
		cfg.Managers = append(cfg.Managers, sim.SeatConfig{Name: names[i], Style: st, Bot: true})
	}
	s, err := sim.New(scn, cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	bots, err := sim.NewBots(s, seed+1)
	if err != nil {
		t.Fatal(err)
	}
	g := debrief.Game{Table: "T" + persona[:3], ScenarioName: scenario, ScenarioSource: src, Config: cfg, Seed: seed}
	err = bots.Play(s, func(c sim.Command) bool {
		g.Commands = append(g.Commands, c)
		return stop == 0 || len(g.Commands) < stop
	})
	if err != nil {
		t.Fatal(err)
	}
	return g, s
}
