package resolvers_test

import "encoding/base64"

func b64raw(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
