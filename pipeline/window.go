package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // zones resolve the same on every host
)

// TimeRange is a daily range of wall-clock time, from Start (inclusive) to
// End (exclusive). An end before the start crosses midnight (22:00–02:00);
// 24:00 is the end of the day.
type TimeRange struct {
	StartHour, StartMin, EndHour, EndMin int
}

func (r TimeRange) start() int { return r.StartHour*60 + r.StartMin }
func (r TimeRange) end() int   { return r.EndHour*60 + r.EndMin }

// crossesMidnight reports whether the range ends on the day after it starts.
func (r TimeRange) crossesMidnight() bool { return r.end() < r.start() }

// String renders the range as "22:00–02:00".
func (r TimeRange) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", r.StartHour, r.StartMin, r.EndHour, r.EndMin)
}

// Window is an execution window: a stage may start only on Days, within one
// of Ranges, read on the wall clock of Location.
type Window struct {
	// Days allowed; empty means every day. A range crossing midnight belongs
	// to the day it starts on.
	Days []time.Weekday
	// Ranges allowed within a day; empty means the whole day.
	Ranges []TimeRange
	// Location whose wall clock the ranges use; nil means UTC.
	Location *time.Location
	// JitterMin and JitterMax bound a random delay added once the window is
	// open (Spinnaker's jitter, to spread many executions); both 0 means none.
	JitterMin, JitterMax time.Duration
	// SkipJitterForManual is Spinnaker's jitter.skipManual: no delay when a
	// person triggered the execution.
	SkipJitterForManual bool
}

// Next returns now when now is inside the window, else the start of the next
// allowed range after now (in the window's Location). Ranges are wall-clock:
// across a DST change a range keeps its local hours, so it may last an hour
// more or less, and a start or end skipped by a spring-forward change moves
// to the instant of the change. Next never adds jitter (see Jitter). It
// returns the zero Time when the window never opens (e.g. Days holds no
// valid weekday).
func (w Window) Next(now time.Time) time.Time {
	loc := w.Location
	if loc == nil {
		loc = time.UTC
	}
	ranges := w.Ranges
	if len(ranges) == 0 {
		ranges = []TimeRange{{EndHour: 24}}
	}
	y, m, d := now.In(loc).Date()
	var best time.Time
	// From yesterday (a range crossing midnight may still be open) to a week
	// ahead (every allowed weekday comes round once).
	for off := -1; off <= 7; off++ {
		wd := time.Date(y, m, d+off, 12, 0, 0, 0, time.UTC).Weekday()
		if len(w.Days) > 0 && !slices.Contains(w.Days, wd) {
			continue
		}
		for _, r := range ranges {
			start := wallTime(y, m, d+off, r.StartHour, r.StartMin, loc)
			endDay := d + off
			if r.crossesMidnight() {
				endDay++
			}
			end := wallTime(y, m, endDay, r.EndHour, r.EndMin, loc)
			if !now.Before(start) && now.Before(end) {
				return now
			}
			if start.After(now) && (best.IsZero() || start.Before(best)) {
				best = start
			}
		}
	}
	return best
}

// wallTime is the first instant at which loc's clocks show the given date
// and time. A time skipped by a spring-forward change does not exist; it
// becomes the instant of the change, when clocks jump past it. (time.Date
// alone may move it an hour either way.) An ambiguous time, repeated by a
// fall-back change, is whichever of the two time.Date picks.
func wallTime(y int, mo time.Month, d, h, mi int, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, h, mi, 0, 0, loc)
	want := time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	switch start, end := t.ZoneBounds(); {
	case got.After(want) && !start.IsZero():
		return start // t is after the jump; the jump is where its zone period starts
	case got.Before(want) && !end.IsZero():
		return end // t is before the jump; the jump ends its zone period
	}
	return t
}

// Jitter maps u in [0, 1) — a random number the caller draws — to a delay
// between JitterMin and JitterMax. Values of u outside [0, 1) are clamped.
func (w Window) Jitter(u float64) time.Duration {
	if w.JitterMax <= w.JitterMin {
		return w.JitterMin
	}
	u = min(max(u, 0), 1)
	return w.JitterMin + time.Duration(u*float64(w.JitterMax-w.JitterMin))
}

// loadLocation resolves an IANA zone name; "" is UTC. "Local" is refused: it
// would make a pipeline mean different things on different hosts.
func loadLocation(name string) (*time.Location, error) {
	switch name {
	case "":
		return time.UTC, nil
	case "Local":
		return nil, fmt.Errorf("time zone Local depends on the host; name a zone such as Europe/Paris")
	}
	return time.LoadLocation(name)
}

// parseWindow reads Spinnaker's restrictedExecutionWindow object:
//
//	{"days": [1..7 (1 = Sunday)], "whitelist": [{"startHour", "startMin",
//	 "endHour", "endMin"}], "timeZone": "Europe/Paris",
//	 "jitter": {"enabled", "minDelay", "maxDelay" (seconds), "skipManual"}}
//
// It reports every problem under path as INVALID_WINDOW. Values holding
// `${...}` are skipped (checked once evaluated).
func parseWindow(v any, path string, ps *problems) *Window {
	m, ok := asObject(v)
	if !ok {
		ps.add(path, CodeInvalidWindow, "restrictedExecutionWindow must be an object, got %s", describe(v))
		return nil
	}
	w := &Window{Location: time.UTC}
	days, ok := asList(m["days"])
	if d, present := m["days"]; present && d != nil && !ok && !isExpr(d) {
		ps.add(path+".days", CodeInvalidWindow, "days must be a list of 1 (Sunday) to 7 (Saturday), got %s", describe(d))
	}
	for i, d := range days {
		if isExpr(d) {
			continue
		}
		n, ok := asInt(d)
		if !ok || n < 1 || n > 7 {
			ps.add(fmt.Sprintf("%s.days[%d]", path, i), CodeInvalidWindow, "a day is 1 (Sunday) to 7 (Saturday), got %s", describe(d))
			continue
		}
		if wd := time.Weekday(n - 1); !slices.Contains(w.Days, wd) {
			w.Days = append(w.Days, wd)
		}
	}
	ranges, ok := asList(m["whitelist"])
	if r, present := m["whitelist"]; present && r != nil && !ok && !isExpr(r) {
		ps.add(path+".whitelist", CodeInvalidWindow, "whitelist must be a list of ranges, got %s", describe(r))
	}
	for i, r := range ranges {
		if tr, ok := parseRange(r, fmt.Sprintf("%s.whitelist[%d]", path, i), ps); ok {
			w.Ranges = append(w.Ranges, tr)
		}
	}
	if tz, present := m["timeZone"]; present && tz != nil && !isExpr(tz) {
		name, _ := tz.(string)
		loc, err := loadLocation(strings.TrimSpace(name))
		if err != nil || name == "" {
			ps.add(path+".timeZone", CodeInvalidWindow, "unknown time zone %s", describe(tz))
		} else {
			w.Location = loc
		}
	}
	if j, present := m["jitter"]; present && j != nil {
		parseJitter(j, path+".jitter", w, ps)
	}
	return w
}

func parseRange(v any, path string, ps *problems) (TimeRange, bool) {
	m, ok := asObject(v)
	if !ok {
		ps.add(path, CodeInvalidWindow, "a range must be an object {startHour, startMin, endHour, endMin}, got %s", describe(v))
		return TimeRange{}, false
	}
	valid := true
	get := func(key string, maxVal int64) int {
		x, present := m[key]
		if isExpr(x) {
			valid = false
			return 0
		}
		n, ok := asInt(x)
		if !present || !ok || n < 0 || n > maxVal {
			ps.add(path+"."+key, CodeInvalidWindow, "%s must be a whole number from 0 to %d, got %s", key, maxVal, describe(x))
			valid = false
		}
		return int(n)
	}
	r := TimeRange{StartHour: get("startHour", 23), StartMin: get("startMin", 59), EndHour: get("endHour", 24), EndMin: get("endMin", 59)}
	if !valid {
		return r, false
	}
	switch {
	case r.EndHour == 24 && r.EndMin != 0:
		ps.add(path+".endMin", CodeInvalidWindow, "a range ending at hour 24 must end at minute 0, got %d", r.EndMin)
		return r, false
	case r.start() == r.end():
		ps.add(path, CodeInvalidWindow, "range %s is empty: start and end are equal (use 00:00–24:00 for a whole day)", r)
		return r, false
	}
	return r, true
}

func parseJitter(v any, path string, w *Window, ps *problems) {
	m, ok := asObject(v)
	if !ok {
		ps.add(path, CodeInvalidWindow, "jitter must be an object {enabled, minDelay, maxDelay, skipManual}, got %s", describe(v))
		return
	}
	if on, _ := asBool(m["enabled"]); !on {
		return
	}
	lo, okLo := asInt(m["minDelay"])
	hi, okHi := asInt(m["maxDelay"])
	if _, present := m["minDelay"]; !present {
		lo, okLo = 0, true
	}
	if !okLo || !okHi || lo < 0 || hi < lo {
		ps.add(path, CodeInvalidWindow, "jitter needs 0 ≤ minDelay ≤ maxDelay seconds, got minDelay %s, maxDelay %s", describe(m["minDelay"]), describe(m["maxDelay"]))
		return
	}
	w.JitterMin, w.JitterMax = time.Duration(lo)*time.Second, time.Duration(hi)*time.Second
	w.SkipJitterForManual, _ = asBool(m["skipManual"])
}
