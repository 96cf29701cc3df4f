package providers

// Artifact is what a server group runs: an image, a binary, a command. Its
// Type tells the driver how to read the rest; a driver returns an
// ErrUnsupported error for a Type it does not know.
//
// Known types: "exec" (providers/local: a command line, described in
// Metadata["exec"]), "aws/ami" (Reference is an AMI id).
type Artifact struct {
	// Type selects how the driver reads Reference and Metadata.
	Type string `json:"type" yaml:"type"`
	// Reference locates the artifact: an image id, a binary path, a URL.
	Reference string `json:"reference" yaml:"reference"`
	// Version is the human version shown in the UI and found by findImage.
	Version string `json:"version,omitempty" yaml:"version,omitempty"`
	// Metadata holds the driver-specific description, as decoded from a
	// pipeline or an accounts file (JSON or YAML values).
	Metadata map[string]any `json:"metadata,omitempty" yaml:"metadata,omitempty"`
}
