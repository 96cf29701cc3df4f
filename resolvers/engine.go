package resolvers

import (
	"context"

	"github.com/gennaker/gennaker/bus"
)

// Engine accepts commands for the engine (a *bus.Bus).
type Engine interface {
	Send(ctx context.Context, c bus.Command) error
}

// Events streams committed changes (a *bus.Bus).
type Events interface {
	SubscribeEvents(application string, f func(bus.Event)) (func(), error)
}
