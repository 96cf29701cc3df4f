package aws

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/gennaker/gennaker/providers"
)

// Kind is the account kind this driver registers.
const Kind = "aws"

func init() {
	providers.RegisterKind(Kind, func(ctx context.Context, a providers.Account, host providers.Host) (providers.Provider, error) {
		return New(ctx, a, WithLogger(host.Logger))
	})
}

// Driver is the aws provider for one account. It is safe for concurrent
// use and keeps no state of its own: everything it knows it reads from AWS,
// so any number of engine replicas can drive the same account.
type Driver struct {
	account  providers.Account
	settings Settings
	opts     options
	log      *slog.Logger
	regions  map[string]*clients
	// listeners holds a *sync.Mutex per load balancer ARN: the listener
	// syncs of one process take turns, so that a sync that read the world
	// before a change (a caching agent's read) cannot overwrite the weights
	// of the sync that follows the change (an enable).
	listeners sync.Map
}

// Option configures a Driver beyond its account settings.
type Option func(*options)

type options struct {
	logger     *slog.Logger
	httpClient awssdk.HTTPClient
	creds      awssdk.CredentialsProvider
	poll       time.Duration
	clients    map[string]*clients
}

// WithLogger sets the logger; default discards. Credentials are never
// logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithHTTPClient sets the HTTP client of the SDK clients (proxies, tests
// that inject faults); default the SDK's.
func WithHTTPClient(c awssdk.HTTPClient) Option { return func(o *options) { o.httpClient = c } }

// WithCredentials replaces the account's credential chain by p (programs
// that embed the driver, tests); the settings' profile and assumeRole are
// then ignored.
func WithCredentials(p awssdk.CredentialsProvider) Option { return func(o *options) { o.creds = p } }

// WithPollInterval sets how often the driver reads AWS while it waits for
// targets to drain or become healthy and for a deleted group to go; default
// 5s.
func WithPollInterval(d time.Duration) Option { return func(o *options) { o.poll = d } }

// withClients replaces the SDK clients of a region (unit tests).
func withClients(c *clients) Option {
	return func(o *options) {
		if o.clients == nil {
			o.clients = map[string]*clients{}
		}
		o.clients[c.region] = c
	}
}

// New returns the driver of account after decoding its settings and
// loading its credentials configuration (credentials themselves are
// fetched, and refreshed, on first use). It returns an ErrInvalidSpec error
// when the account is not of kind "aws", names no region, or has invalid
// settings, and an error when the shared configuration cannot be loaded
// (a profile that does not exist).
func New(ctx context.Context, account providers.Account, opts ...Option) (*Driver, error) {
	if account.Kind != Kind {
		return nil, providers.Errorf(providers.CodeInvalidSpec, "creating aws driver: account %q is of kind %q", account.Name, account.Kind)
	}
	if len(account.Regions) == 0 {
		return nil, providers.Errorf(providers.CodeInvalidSpec, "creating aws driver: account %q names no region", account.Name)
	}
	s, err := ParseSettings(account.Settings)
	if err != nil {
		return nil, fmt.Errorf("creating aws driver for account %q: %w", account.Name, err)
	}
	o := options{poll: 5 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if s.SubnetPurposeTag == "" {
		s.SubnetPurposeTag = "gennaker:purpose"
	}
	if s.DrainTimeout == 0 {
		s.DrainTimeout = Duration(5 * time.Minute)
	}
	if s.EnableTimeout == 0 {
		s.EnableTimeout = Duration(5 * time.Minute)
	}
	d := &Driver{account: account, settings: s, opts: o, regions: map[string]*clients{},
		log: o.logger.With("account", account.Name)}
	var cfg awssdk.Config
	if len(o.clients) < len(account.Regions) {
		if cfg, err = loadConfig(ctx, account.Regions[0], s, o); err != nil {
			return nil, fmt.Errorf("creating aws driver for account %q: %w", account.Name, err)
		}
	}
	for _, r := range account.Regions {
		if c := o.clients[r]; c != nil {
			d.regions[r] = c
			continue
		}
		rc := cfg.Copy()
		rc.Region = r
		d.regions[r] = &clients{region: r, ec2: ec2.NewFromConfig(rc), asg: autoscaling.NewFromConfig(rc), elb: elbv2.NewFromConfig(rc)}
	}
	return d, nil
}

// loadConfig builds the SDK configuration of the account: its credential
// chain, retryer and endpoint.
func loadConfig(ctx context.Context, region string, s Settings, o options) (awssdk.Config, error) {
	maxAttempts := s.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = 5
	}
	lo := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithRetryer(func() awssdk.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = maxAttempts
				if s.MaxBackoff > 0 {
					so.MaxBackoff = s.MaxBackoff.D()
				}
			})
		}),
	}
	if s.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(s.Profile))
	}
	if o.httpClient != nil {
		lo = append(lo, config.WithHTTPClient(o.httpClient))
	}
	if o.creds != nil {
		lo = append(lo, config.WithCredentialsProvider(o.creds))
	}
	if s.Endpoint != "" {
		lo = append(lo, config.WithBaseEndpoint(s.Endpoint))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return cfg, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if s.AssumeRole != "" && o.creds == nil {
		p := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), s.AssumeRole, func(ao *stscreds.AssumeRoleOptions) {
			if s.ExternalID != "" {
				ao.ExternalID = awssdk.String(s.ExternalID)
			}
			ao.RoleSessionName = s.SessionName
			if ao.RoleSessionName == "" {
				ao.RoleSessionName = "gennaker"
			}
		})
		cfg.Credentials = awssdk.NewCredentialsCache(p)
	}
	return cfg, nil
}

// Close releases the driver; it holds nothing that needs it.
func (d *Driver) Close() error { return nil }

// in returns the clients of region after checking the account; an empty
// region is an ErrInvalidSpec error.
func (d *Driver) in(account, region string) (*clients, error) {
	if err := d.checkAccount(account); err != nil {
		return nil, err
	}
	c := d.regions[region]
	if c == nil {
		return nil, providers.Errorf(providers.CodeInvalidSpec, "region %q is not one of account %q's %v", region, account, d.account.Regions)
	}
	return c, nil
}

func (d *Driver) checkAccount(account string) error {
	if account != d.account.Name {
		return providers.Errorf(providers.CodeAccountUnknown, "account %q: this aws driver serves %q", account, d.account.Name)
	}
	return nil
}

// awsError turns an AWS API error into a provider error that says the
// operation, the AWS error code and its message. Codes that say the
// request can never succeed as given (an invalid AMI, subnet, parameter)
// become ErrInvalidSpec; others stay transient.
func awsError(op string, err error) error {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return fmt.Errorf("%s: %w", op, err)
	}
	if invalidCode(ae.ErrorCode()) {
		return providers.Errorf(providers.CodeInvalidSpec, "%s: AWS %s: %s: %w", op, ae.ErrorCode(), ae.ErrorMessage(), err)
	}
	return fmt.Errorf("%s: AWS %s: %s: %w", op, ae.ErrorCode(), ae.ErrorMessage(), err)
}

// invalidCode reports whether an AWS error code says the request is wrong,
// not the moment: EC2's Invalid…, the query services' ValidationError.
func invalidCode(code string) bool {
	switch code {
	case "InvalidClientTokenId", "InvalidAccessKeyId", "InvalidSignatureException", "InvalidToken":
		return false // credentials: an operator fixes them, the request is fine
	case "ValidationError", "MissingParameter", "InvalidParameterValue", "InvalidParameterCombination",
		"ValidationException", "UnsupportedParameter":
		return true
	}
	return strings.HasPrefix(code, "Invalid")
}

// errorCode returns the AWS error code of err, or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// Interface guards.
var (
	_ providers.Provider           = (*Driver)(nil)
	_ providers.TrafficSplitter    = (*Driver)(nil)
	_ providers.InstanceTerminator = (*Driver)(nil)
)
