package resolvers

import (
	"github.com/gennaker/gennaker/graph/model"
	"github.com/gennaker/gennaker/store"
)

const maxPage = 1000

// pageArgs checks first/after and returns the store's page.
func pageArgs(first *int, after *string, def int) (store.Page, error) {
	n := def
	if first != nil {
		n = *first
	}
	if n < 0 || n > maxPage {
		return store.Page{}, badInput("first", "INVALID_PAGE_SIZE", "first must be between 0 and %d, got %d", maxPage, n)
	}
	key, err := afterKey(after)
	if err != nil {
		return store.Page{}, err
	}
	return store.Page{First: n, After: key}, nil
}

// slicePage pages an in-memory list (children loaded in bulk by a dataloader): the rows
// after the one whose key is p.After, at most p.First of them, and whether more follow.
func slicePage[T any](rows []T, key func(T) string, p store.Page) ([]T, bool) {
	start := 0
	if p.After != "" {
		start = len(rows)
		for i, r := range rows {
			if key(r) == p.After {
				start = i + 1
				break
			}
		}
	}
	rows = rows[start:]
	if len(rows) > p.First {
		return rows[:p.First], true
	}
	return rows, false
}

func pageInfo(hasNext bool, hasPrev bool, first, last string) model.PageInfo {
	pi := model.PageInfo{HasNextPage: hasNext, HasPreviousPage: hasPrev}
	if first != "" {
		pi.StartCursor, pi.EndCursor = &first, &last
	}
	return pi
}

// connection builds the edges and page info of a page of rows.
func connection[R any, N any](rows []R, key func(R) string, conv func(R) N, more, hasPrev bool) ([]N, []string, model.PageInfo) {
	nodes := make([]N, 0, len(rows))
	cursors := make([]string, 0, len(rows))
	for _, r := range rows {
		nodes = append(nodes, conv(r))
		cursors = append(cursors, cursorFor(key(r)))
	}
	var first, last string
	if len(cursors) > 0 {
		first, last = cursors[0], cursors[len(cursors)-1]
	}
	return nodes, cursors, pageInfo(more, hasPrev, first, last)
}
