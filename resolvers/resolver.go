package resolvers

// Resolver is the dependency root of the GraphQL layer.
type Resolver struct{}
