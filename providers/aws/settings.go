package aws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// Settings are an aws account's settings in the accounts file. Credentials
// are named, never written: the SDK's default chain (environment, shared
// files, SSO, container or instance role) unless Profile names a profile of
// the shared files; AssumeRole then assumes that IAM role with those
// credentials.
//
//	accounts:
//	  - name: aws-prod
//	    kind: aws
//	    regions: [us-east-1, eu-west-1]
//	    environment: prod
//	    settings:
//	      profile: deploy                  # optional; default chain otherwise
//	      assumeRole: arn:aws:iam::123456789012:role/gennaker-deploy
//	      externalId: gennaker-prod        # optional, with assumeRole
//	      endpoint: http://127.0.0.1:5000  # optional: emulators, private endpoints
//	      maxAttempts: 8                   # SDK standard retryer; default 5
//	      maxBackoff: 20s                  # largest back-off between attempts
//	      drainTimeout: 5m                 # disable waits for draining targets
//	      enableTimeout: 5m                # enable waits for healthy targets
//	      defaults:                        # launch settings, see LaunchSettings
//	        instanceType: t3.micro
//	        securityGroups: [app-sg]
//	        subnetPurpose: internal
//
// Unknown keys are an error, so a typo does not silently drop a setting.
type Settings struct {
	Profile     string   `json:"profile,omitempty"`
	AssumeRole  string   `json:"assumeRole,omitempty"`
	ExternalID  string   `json:"externalId,omitempty"`
	SessionName string   `json:"sessionName,omitempty"`
	Endpoint    string   `json:"endpoint,omitempty"`
	MaxAttempts int      `json:"maxAttempts,omitempty"`
	MaxBackoff  Duration `json:"maxBackoff,omitempty"`
	// SubnetPurposeTag is the subnet tag whose value is a purpose; default
	// "gennaker:purpose".
	SubnetPurposeTag string   `json:"subnetPurposeTag,omitempty"`
	DrainTimeout     Duration `json:"drainTimeout,omitempty"`
	EnableTimeout    Duration `json:"enableTimeout,omitempty"`
	// Defaults are the launch settings of every server group of the account;
	// an artifact's metadata overrides them key by key.
	Defaults LaunchSettings `json:"defaults,omitzero"`
}

// LaunchSettings say how a server group's instances are launched. They come
// from the account's settings.defaults, overridden key by key by the
// artifact's metadata:
//
//	artifact:
//	  type: ami                      # or "aws/ami"
//	  reference: ami-0abc12345678    # an AMI id, or an AMI name (newest wins)
//	  version: "1.4.2"
//	  metadata:
//	    instanceType: t3.small
//	    keyPair: ops
//	    iamInstanceProfile: hello-instance   # a name or an ARN
//	    securityGroups: [hello, internal]    # names or sg- ids, in the subnets' VPC
//	    subnetPurpose: internal              # subnets tagged gennaker:purpose=internal
//	    subnetIds: [subnet-0abc]             # or explicit subnets
//	    userData: "#!/bin/sh\n…"             # plain text; the driver encodes it
//	    healthCheckType: ELB                 # default ELB with load balancers, else EC2
//	    healthCheckGracePeriodSec: 300
type LaunchSettings struct {
	InstanceType              string   `json:"instanceType,omitempty"`
	KeyPair                   string   `json:"keyPair,omitempty"`
	IAMInstanceProfile        string   `json:"iamInstanceProfile,omitempty"`
	SecurityGroups            []string `json:"securityGroups,omitempty"`
	SubnetPurpose             string   `json:"subnetPurpose,omitempty"`
	SubnetIDs                 []string `json:"subnetIds,omitempty"`
	UserData                  string   `json:"userData,omitempty"`
	HealthCheckType           string   `json:"healthCheckType,omitempty"`
	HealthCheckGracePeriodSec *int     `json:"healthCheckGracePeriodSec,omitempty"`
}

// defaultInstanceType is used when neither the account nor the artifact
// names one.
const defaultInstanceType = "t3.micro"

// ParseSettings decodes an account's settings map. It returns an
// ErrInvalidSpec error for an unknown key or a value of the wrong type.
func ParseSettings(m map[string]any) (Settings, error) {
	var s Settings
	if err := decodeStrict(m, &s); err != nil {
		return s, providers.Errorf(providers.CodeInvalidSpec, "decoding aws settings: %w", err)
	}
	if s.ExternalID != "" && s.AssumeRole == "" {
		return s, providers.Errorf(providers.CodeInvalidSpec, "decoding aws settings: externalId needs assumeRole")
	}
	if s.MaxAttempts < 0 {
		return s, providers.Errorf(providers.CodeInvalidSpec, "decoding aws settings: maxAttempts %d is negative", s.MaxAttempts)
	}
	return s, nil
}

// launchSettings merges an artifact's metadata over the account's
// defaults. Keys of the metadata that are not launch settings are kept for
// the artifact but ignored here.
func launchSettings(defaults LaunchSettings, metadata map[string]any) (LaunchSettings, error) {
	ls := defaults
	if len(metadata) > 0 {
		b, err := json.Marshal(metadata)
		if err != nil {
			return ls, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact metadata: %w", err)
		}
		if err := json.Unmarshal(b, &ls); err != nil {
			return ls, providers.Errorf(providers.CodeInvalidSpec, "decoding artifact metadata: %w", err)
		}
	}
	if ls.InstanceType == "" {
		ls.InstanceType = defaultInstanceType
	}
	switch strings.ToUpper(ls.HealthCheckType) {
	case "", "EC2", "ELB":
		ls.HealthCheckType = strings.ToUpper(ls.HealthCheckType)
	default:
		return ls, providers.Errorf(providers.CodeInvalidSpec, "healthCheckType %q: want EC2 or ELB", ls.HealthCheckType)
	}
	if ls.SubnetPurpose == "" && len(ls.SubnetIDs) == 0 {
		return ls, providers.Errorf(providers.CodeInvalidSpec, "no subnets: set subnetPurpose or subnetIds in the artifact's metadata or the account's defaults")
	}
	return ls, nil
}

func decodeStrict(m map[string]any, v any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Duration is a time.Duration written as "30s" in the accounts file.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes d as a string such as "1m30s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "30s" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = Duration(v)
		return nil
	}
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration: want \"30s\" or seconds, got %s", b)
	}
	*d = Duration(n * float64(time.Second))
	return nil
}
