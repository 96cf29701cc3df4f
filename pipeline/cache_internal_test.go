package pipeline

import (
	"fmt"
	"testing"
)

func TestProgramCacheIsBounded(t *testing.T) {
	c := newProgramCache(3)
	for i := range 5 {
		src := fmt.Sprint(i)
		p, err := compileUncached(src)
		if err != nil {
			t.Fatal(err)
		}
		c.put(src, p)
		if i == 2 {
			c.get("0") // 0 is now the most recent; 1 is the oldest
		}
	}
	if got := c.len(); got != 3 {
		t.Errorf("len: got %d, want 3", got)
	}
	for src, want := range map[string]bool{"0": true, "1": false, "2": false, "3": true, "4": true} {
		if _, got := c.get(src); got != want {
			t.Errorf("cached %q: got %t, want %t", src, got, want)
		}
	}
}
