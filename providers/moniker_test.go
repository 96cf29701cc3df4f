package providers

import (
	"errors"
	"testing"
)

func TestMonikerNames(t *testing.T) {
	tests := []struct {
		m             Moniker
		cluster, name string
	}{
		{Moniker{App: "hello"}, "hello", "hello-v000"},
		{Moniker{App: "hello", Stack: "prod", Sequence: 7}, "hello-prod", "hello-prod-v007"},
		{Moniker{App: "hello", Detail: "canary", Sequence: 42}, "hello--canary", "hello--canary-v042"},
		{Moniker{App: "hello", Stack: "prod", Detail: "eu-west", Sequence: 999}, "hello-prod-eu-west", "hello-prod-eu-west-v999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Cluster(); got != tt.cluster {
				t.Errorf("Cluster() = %q, want %q", got, tt.cluster)
			}
			if got := tt.m.Name(); got != tt.name {
				t.Errorf("Name() = %q, want %q", got, tt.name)
			}
			got, err := ParseName(tt.name)
			if err != nil {
				t.Fatalf("ParseName(%q): %v", tt.name, err)
			}
			if got != tt.m {
				t.Errorf("ParseName(%q) = %+v, want %+v", tt.name, got, tt.m)
			}
		})
	}
}

func TestParseNameInvalid(t *testing.T) {
	for _, name := range []string{"", "hello", "hello-v1", "hello-v0001", "-v001", "hello-prod--v001", "hel lo-v001", "hello-v1000", "hello-/x-v001"} {
		t.Run(name, func(t *testing.T) {
			if m, err := ParseName(name); !errors.Is(err, ErrInvalidSpec) {
				t.Errorf("ParseName(%q) = %+v, %v; want ErrInvalidSpec", name, m, err)
			}
		})
	}
}

func TestMonikerValidate(t *testing.T) {
	tests := []struct {
		m  Moniker
		ok bool
	}{
		{Moniker{App: "a"}, true},
		{Moniker{App: "a", Stack: "b", Detail: "c-d", Sequence: 999}, true},
		{Moniker{}, false},
		{Moniker{App: "a-b"}, false},
		{Moniker{App: "a", Stack: "b-c"}, false},
		{Moniker{App: "a", Detail: "x/y"}, false},
		{Moniker{App: "a", Sequence: -1}, false},
		{Moniker{App: "a", Sequence: 1000}, false},
	}
	for _, tt := range tests {
		err := tt.m.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%+v.Validate() = %v, want ok=%v", tt.m, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidSpec) {
			t.Errorf("%+v.Validate() = %v, want ErrInvalidSpec", tt.m, err)
		}
	}
}

func TestNextSequence(t *testing.T) {
	all := make([]int, 1000)
	for i := range all {
		all[i] = i
	}
	tests := []struct {
		name string
		used []int
		want int
	}{
		{"empty cluster", nil, 0},
		{"one group", []int{0}, 1},
		{"after the newest", []int{3, 7}, 8},
		{"newest is not the highest", []int{7, 3}, 4},
		{"skips numbers in use", []int{5, 3, 4}, 6},
		{"skips a run in use", []int{4, 5, 6, 3}, 7},
		{"wraps at 1000", []int{998, 999}, 0},
		{"wraps and skips", []int{0, 1, 999}, 2},
		{"ignores out of range", []int{-3, 1000, 12}, 13},
		{"all in use", all, -1},
		{"one free", append(append([]int{}, all[:500]...), all[501:]...), 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextSequence(tt.used); got != tt.want {
				t.Errorf("NextSequence(%v) = %d, want %d", short(tt.used), got, tt.want)
			}
		})
	}
}

func short(s []int) []int {
	if len(s) > 6 {
		return s[:6]
	}
	return s
}
