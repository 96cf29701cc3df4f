package providers

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorsIs(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"sentinel", ErrNotFound, ErrNotFound, true},
		{"detailed", Errorf(CodeNotFound, "server group %q", "a-v001"), ErrNotFound, true},
		{"wrapped", fmt.Errorf("resizing: %w", Errorf(CodeNotFound, "x")), ErrNotFound, true},
		{"other code", Errorf(CodeInvalidSpec, "x"), ErrNotFound, false},
		{"plain error", base, ErrNotFound, false},
		{"cause kept", Errorf(CodeUnsupported, "starting: %w", base), base, true},
		{"cause and code", Errorf(CodeUnsupported, "starting: %w", base), ErrUnsupported, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.want {
				t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, tt.target, got, tt.want)
			}
		})
	}
	if got := CodeOf(fmt.Errorf("x: %w", ErrConflict)); got != CodeConflict {
		t.Errorf("CodeOf = %q, want %q", got, CodeConflict)
	}
	if got := CodeOf(base); got != "" {
		t.Errorf("CodeOf(plain) = %q, want empty", got)
	}
}

func TestCapacityValidate(t *testing.T) {
	tests := []struct {
		c  Capacity
		ok bool
	}{
		{Capacity{}, true},
		{Fixed(3), true},
		{Capacity{Min: 1, Desired: 2, Max: 5}, true},
		{Capacity{Min: -1, Desired: 0, Max: 0}, false},
		{Capacity{Min: 2, Desired: 1, Max: 3}, false},
		{Capacity{Min: 0, Desired: 4, Max: 3}, false},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidSpec)) {
			t.Errorf("%+v.Validate() = %v, want ok=%v", tt.c, err, tt.ok)
		}
	}
}
