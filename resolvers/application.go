package resolvers

import (
	"net/mail"
	"regexp"

	"github.com/gennaker/gennaker/graph/model"
)

var (
	appNameRE  = regexp.MustCompile(`^[a-z][a-z0-9]{0,62}$`)
	providerRE = regexp.MustCompile(`^[a-z][a-z0-9]{0,31}$`)
)

// checkApplicationFields lists every problem of an application's fields.
func checkApplicationFields(p *problemsError, name *string, owner *string, providers []string) {
	if name != nil && !appNameRE.MatchString(*name) {
		p.add("input.name", "INVALID_NAME",
			"%q is not an application name: lower-case letters and digits, starting with a letter, at most 63 (dashes separate stack and detail in cluster names)", *name)
	}
	if owner != nil {
		if a, err := mail.ParseAddress(*owner); err != nil || a.Address != *owner {
			p.add("input.ownerEmail", "INVALID_EMAIL", "%q is not an email address", *owner)
		}
	}
	for i, cp := range providers {
		if !providerRE.MatchString(cp) {
			p.add(pathIndex("input.cloudProviders", i), "INVALID_PROVIDER", "%q is not a provider name", cp)
		}
	}
}

func criticalityOr(c *model.Criticality, def model.Criticality) string {
	if c == nil {
		return string(def)
	}
	return string(*c)
}
