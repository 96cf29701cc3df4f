package client

import "encoding/json"

// Protocol is a WebSocket sub-protocol for GraphQL subscriptions.
type Protocol string

// The sub-protocols Gennaker's server speaks.
const (
	// GraphQLTransportWS is graphql-transport-ws (the graphql-ws library's protocol):
	// connection_init/connection_ack, subscribe, next, error, complete, and ping/pong in
	// both directions. The default.
	GraphQLTransportWS Protocol = "graphql-transport-ws"
	// GraphQLWS is the legacy graphql-ws protocol of subscriptions-transport-ws:
	// connection_init/connection_ack, start, data, error, complete, stop, and the server's
	// "ka" keep-alives.
	GraphQLWS Protocol = "graphql-ws"
)

// message is one WebSocket message of either protocol.
type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Message types, by protocol where they differ.
const (
	msgInit      = "connection_init"
	msgAck       = "connection_ack"
	msgConnError = "connection_error" // graphql-ws
	msgKeepAlive = "ka"               // graphql-ws
	msgTerminate = "connection_terminate"
	msgPing      = "ping" // graphql-transport-ws
	msgPong      = "pong" // graphql-transport-ws
	msgError     = "error"
	msgComplete  = "complete"
)

// subscribeType is the client's message that starts an operation.
func (p Protocol) subscribeType() string {
	if p == GraphQLWS {
		return "start"
	}
	return "subscribe"
}

// stopType is the client's message that ends an operation.
func (p Protocol) stopType() string {
	if p == GraphQLWS {
		return "stop"
	}
	return msgComplete
}

// isData reports whether a server message type carries a result.
func (p Protocol) isData(t string) bool {
	if p == GraphQLWS {
		return t == "data"
	}
	return t == "next"
}

// decodeErrors reads an error message's payload: a list of GraphQL errors
// (graphql-transport-ws, and gqlgen for both), or a single one (graphql-ws elsewhere).
func decodeErrors(payload json.RawMessage) error {
	var list []*Error
	if err := json.Unmarshal(payload, &list); err == nil && len(list) > 0 {
		return joinErrors(list)
	}
	var one Error
	if err := json.Unmarshal(payload, &one); err == nil && one.Message != "" {
		return &one
	}
	return &Error{Message: "the server sent an error without a message: " + snippet(payload)}
}
