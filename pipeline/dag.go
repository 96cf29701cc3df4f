package pipeline

import (
	"fmt"
	"slices"
	"strings"
)

// The functions here assume a definition that Validate accepts. On others
// they do their best and never panic: a requisite naming no stage is never
// satisfied, and a stage whose refId repeats an earlier one is ignored.

// graph is the stage DAG by index: up[i] are the stages i requires, down[i]
// the stages that require i, both in definition order.
type graph struct {
	stages []Stage
	index  map[string]int
	up     [][]int
	down   [][]int
}

func newGraph(stages []Stage) graph {
	g := graph{stages: stages, index: map[string]int{}, up: make([][]int, len(stages)), down: make([][]int, len(stages))}
	for i, s := range stages {
		if _, dup := g.index[s.RefID]; !dup {
			g.index[s.RefID] = i
		}
	}
	for i, s := range stages {
		if g.index[s.RefID] != i {
			continue
		}
		for _, r := range s.RequisiteStageRefIDs {
			j, ok := g.index[r]
			if !ok || j == i || slices.Contains(g.up[i], j) {
				continue
			}
			g.up[i] = append(g.up[i], j)
			g.down[j] = append(g.down[j], i)
		}
	}
	for i := range g.down {
		slices.Sort(g.down[i])
	}
	return g
}

// missingRequisite reports whether stage i names a requisite no stage has.
func (g graph) missingRequisite(i int) bool {
	for _, r := range g.stages[i].RequisiteStageRefIDs {
		if _, ok := g.index[r]; !ok {
			return true
		}
	}
	return false
}

// InitialStages returns the refIds of the stages with no requisites, in
// definition order: the stages StartExecution starts.
func (d Definition) InitialStages() []string {
	var out []string
	for _, s := range d.Stages {
		if len(s.RequisiteStageRefIDs) == 0 {
			out = append(out, s.RefID)
		}
	}
	return out
}

// Downstream returns the refIds of every stage that requires refID directly
// or transitively, in definition order, without refID itself: what a restart
// of refID resets. It returns nil for an unknown refID.
func Downstream(d Definition, refID string) []string {
	g := newGraph(d.Stages)
	start, ok := g.index[refID]
	if !ok {
		return nil
	}
	seen := make([]bool, len(d.Stages))
	stack := []int{start}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range g.down[i] {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	var out []string
	for i, s := range d.Stages {
		if seen[i] && i != start {
			out = append(out, s.RefID)
		}
	}
	return out
}

// TopologicalOrder returns the refIds so that every stage comes after all its
// requisites; among stages free to go, the earlier in the definition goes
// first. It fails with an error matching ErrCycle when the stages require
// each other in a loop.
func TopologicalOrder(d Definition) ([]string, error) {
	if cycles := findCycles(d.Stages); len(cycles) > 0 {
		c := cycles[0]
		return nil, fmt.Errorf("ordering stages: %w", &ValidationError{Problems: []Problem{{
			Path:    fmt.Sprintf("stages[%d].requisiteStageRefIds", c[0]),
			Code:    CodeCycle,
			Message: cycleMessage(d.Stages, c),
		}}})
	}
	g := newGraph(d.Stages)
	pending := make([]int, len(d.Stages))
	var ready []int
	for i, s := range d.Stages {
		pending[i] = len(g.up[i])
		if g.index[s.RefID] == i && pending[i] == 0 {
			ready = append(ready, i)
		}
	}
	var refs []string
	for len(ready) > 0 {
		slices.Sort(ready)
		i := ready[0]
		ready = ready[1:]
		refs = append(refs, d.Stages[i].RefID)
		for _, j := range g.down[i] {
			if pending[j]--; pending[j] == 0 {
				ready = append(ready, j)
			}
		}
	}
	return refs, nil
}

// cycleMessage renders a cycle as "cycle: A (1) → B (2) → A (1)".
func cycleMessage(stages []Stage, cycle []int) string {
	names := make([]string, len(cycle)+1)
	for k, idx := range cycle {
		names[k] = stageLabel(stages[idx])
	}
	names[len(cycle)] = names[0]
	return "cycle: " + strings.Join(names, " → ")
}

// findCycles returns one cycle per strongly connected component of more than
// one stage, as stage indexes in upstream→downstream order starting at the
// component's earliest stage; components are ordered by that stage.
func findCycles(stages []Stage) [][]int {
	g := newGraph(stages)
	var cycles [][]int
	for _, comp := range g.components() {
		if len(comp) < 2 {
			continue
		}
		cycles = append(cycles, g.cycleThrough(comp))
	}
	slices.SortFunc(cycles, func(a, b []int) int { return a[0] - b[0] })
	return cycles
}

// components returns the strongly connected components (Tarjan's algorithm).
func (g graph) components() [][]int {
	n := len(g.stages)
	index, low := make([]int, n), make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var comps [][]int
	next := 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range g.down[v] {
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			slices.Sort(comp)
			comps = append(comps, comp)
		}
	}
	for v := range n {
		if index[v] < 0 {
			visit(v)
		}
	}
	return comps
}

// cycleThrough returns the shortest cycle from the earliest stage of comp back
// to itself, staying inside comp.
func (g graph) cycleThrough(comp []int) []int {
	start := comp[0]
	in := map[int]bool{}
	for _, v := range comp {
		in[v] = true
	}
	prev := map[int]int{start: -1}
	queue := []int{start}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range g.down[v] {
			if w == start {
				var path []int
				for x := v; x != -1; x = prev[x] {
					path = append(path, x)
				}
				slices.Reverse(path)
				return path
			}
			if _, seen := prev[w]; !seen && in[w] {
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return comp // unreachable for a strongly connected component
}
