package pipeline_test

import (
	"testing"
	"time"

	"github.com/gennaker/gennaker/pipeline"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("loading %s: %v", name, err)
	}
	return loc
}

func TestWindowNext(t *testing.T) {
	paris, ny, kolkata := zone(t, "Europe/Paris"), zone(t, "America/New_York"), zone(t, "Asia/Kolkata")
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	office := pipeline.Window{Days: weekdays, Ranges: []pipeline.TimeRange{{StartHour: 9, EndHour: 17}}, Location: paris}
	fridayNight := pipeline.Window{Days: []time.Weekday{time.Friday}, Ranges: []pipeline.TimeRange{{StartHour: 22, EndHour: 2}}, Location: paris}
	twoRanges := pipeline.Window{Ranges: []pipeline.TimeRange{{StartHour: 13, EndHour: 14}, {StartHour: 2, EndHour: 4}}}
	evening := pipeline.Window{Ranges: []pipeline.TimeRange{{StartHour: 20, EndHour: 24}}}
	nyMorning := pipeline.Window{Ranges: []pipeline.TimeRange{{StartHour: 9, EndHour: 10}}, Location: ny}
	india := pipeline.Window{Ranges: []pipeline.TimeRange{{StartHour: 9, EndHour: 9, EndMin: 30}}, Location: kolkata}
	gap := pipeline.Window{Ranges: []pipeline.TimeRange{{StartHour: 2, StartMin: 30, EndHour: 3, EndMin: 30}}, Location: paris}
	sundays := pipeline.Window{Days: []time.Weekday{time.Sunday}}

	in := func(loc *time.Location, y int, m time.Month, d, h, mi int) time.Time {
		return time.Date(y, m, d, h, mi, 0, 0, loc)
	}
	utc := func(y int, m time.Month, d, h, mi int) time.Time { return in(time.UTC, y, m, d, h, mi) }
	tests := []struct {
		name string
		w    pipeline.Window
		now  time.Time
		want time.Time // zero means now
	}{
		{"no restriction", pipeline.Window{}, utc(2025, 6, 11, 3, 4), time.Time{}},
		{"inside office hours", office, in(paris, 2025, 6, 11, 10, 0), time.Time{}},
		{"start is inclusive", office, in(paris, 2025, 6, 11, 9, 0), time.Time{}},
		{"end is exclusive", office, in(paris, 2025, 6, 11, 17, 0), in(paris, 2025, 6, 12, 9, 0)},
		{"before office hours, now in UTC", office, utc(2025, 6, 11, 5, 0), in(paris, 2025, 6, 11, 9, 0)},
		{"friday evening waits for monday", office, in(paris, 2025, 6, 13, 18, 0), in(paris, 2025, 6, 16, 9, 0)},
		{"saturday waits for monday", office, utc(2025, 6, 14, 8, 0), in(paris, 2025, 6, 16, 9, 0)},
		{"crossing midnight: before", fridayNight, in(paris, 2025, 6, 13, 21, 0), in(paris, 2025, 6, 13, 22, 0)},
		{"crossing midnight: after midnight still open", fridayNight, in(paris, 2025, 6, 14, 1, 30), time.Time{}},
		{"crossing midnight: closed, next friday", fridayNight, in(paris, 2025, 6, 14, 2, 0), in(paris, 2025, 6, 20, 22, 0)},
		{"crossing midnight: thursday night is not friday's", fridayNight, in(paris, 2025, 6, 13, 1, 0), in(paris, 2025, 6, 13, 22, 0)},
		{"earliest of several ranges", twoRanges, utc(2025, 6, 11, 5, 0), utc(2025, 6, 11, 13, 0)},
		{"next day's first range", twoRanges, utc(2025, 6, 11, 15, 0), utc(2025, 6, 12, 2, 0)},
		{"until 24:00", evening, utc(2025, 6, 11, 23, 59), time.Time{}},
		{"24:00 is the end", evening, utc(2025, 6, 12, 0, 0), utc(2025, 6, 12, 20, 0)},
		{"new york winter", nyMorning, utc(2025, 1, 15, 13, 0), utc(2025, 1, 15, 14, 0)},
		{"new york summer", nyMorning, utc(2025, 7, 15, 13, 0), time.Time{}},
		{"half-hour zone inside", india, utc(2025, 3, 1, 3, 45), time.Time{}},
		{"half-hour zone end", india, utc(2025, 3, 1, 4, 0), utc(2025, 3, 2, 3, 30)},
		{"spring forward: start skipped opens at the jump", gap, utc(2025, 3, 30, 0, 0), utc(2025, 3, 30, 1, 0)},
		{"spring forward: open after the jump", gap, utc(2025, 3, 30, 1, 10), time.Time{}},
		{"spring forward: next day is normal", gap, utc(2025, 3, 30, 1, 30), in(paris, 2025, 3, 31, 2, 30)},
		{"fall back: 02:30 the first time", gap, utc(2025, 10, 26, 0, 0), in(paris, 2025, 10, 26, 2, 30)},
		{"days only", sundays, utc(2025, 6, 11, 12, 0), utc(2025, 6, 15, 0, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want.IsZero() {
				want = tc.now
			}
			got := tc.w.Next(tc.now)
			if !got.Equal(want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestWindowNeverOpens(t *testing.T) {
	w := pipeline.Window{Days: []time.Weekday{9}}
	if got := w.Next(time.Now()); !got.IsZero() {
		t.Errorf("got %v, want the zero time", got)
	}
}

func TestStageWindow(t *testing.T) {
	s := st("1", "wait", "w", map[string]any{
		"waitTime":                          1,
		"restrictExecutionDuringTimeWindow": true,
		"restrictedExecutionWindow": map[string]any{
			"days":      []any{1.0, 7.0, 7.0}, // Spinnaker: 1 = Sunday, 7 = Saturday
			"whitelist": []any{map[string]any{"startHour": 22.0, "startMin": 30.0, "endHour": 6.0, "endMin": 0.0}},
			"timeZone":  "America/New_York",
			"jitter":    map[string]any{"enabled": true, "minDelay": 60, "maxDelay": 120, "skipManual": true},
		},
	})
	w, err := s.Window()
	if err != nil || w == nil {
		t.Fatalf("got %v, %v, want a window", w, err)
	}
	equalStrings(t, "days", weekdayNames(w.Days), []string{"Sunday", "Saturday"})
	if len(w.Ranges) != 1 || w.Ranges[0] != (pipeline.TimeRange{StartHour: 22, StartMin: 30, EndHour: 6}) {
		t.Errorf("ranges: got %v, want [22:30–06:00]", w.Ranges)
	}
	if w.Location.String() != "America/New_York" {
		t.Errorf("location: got %v, want America/New_York", w.Location)
	}
	if w.JitterMin != time.Minute || w.JitterMax != 2*time.Minute || !w.SkipJitterForManual {
		t.Errorf("jitter: got %v–%v skipManual=%t, want 1m0s–2m0s true", w.JitterMin, w.JitterMax, w.SkipJitterForManual)
	}
	for u, want := range map[float64]time.Duration{-1: time.Minute, 0: time.Minute, 0.5: 90 * time.Second, 2: 2 * time.Minute} {
		if got := w.Jitter(u); got != want {
			t.Errorf("Jitter(%v): got %v, want %v", u, got, want)
		}
	}

	if w, err := wait("1").Window(); w != nil || err != nil {
		t.Errorf("no window: got %v, %v, want nil, nil", w, err)
	}
	bad := st("1", "restrictExecutionDuringTimeWindow", "w", map[string]any{"restrictedExecutionWindow": map[string]any{
		"whitelist": []any{map[string]any{"startHour": 9, "startMin": 0, "endHour": 9, "endMin": 0}},
		"jitter":    map[string]any{"enabled": true, "minDelay": 10, "maxDelay": 5},
		"timeZone":  "Local",
	}})
	_, err = bad.Window()
	equalStrings(t, "problems", pathCodes(problemsOf(t, err)), []string{
		"config.restrictedExecutionWindow.whitelist[0] INVALID_WINDOW",
		"config.restrictedExecutionWindow.timeZone INVALID_WINDOW",
		"config.restrictedExecutionWindow.jitter INVALID_WINDOW",
	})
}

func weekdayNames(days []time.Weekday) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.String()
	}
	return out
}
