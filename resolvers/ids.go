package resolvers

import (
	"encoding/base64"
	"strings"
)

// Global ids are base64("Type:key"): opaque to clients, decodable to a type and a key.

func globalID(typ, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

// decodeID splits a global id into its type and key; ok is false for anything malformed.
func decodeID(id string) (typ, key string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", "", false
	}
	typ, key, ok = strings.Cut(string(b), ":")
	return typ, key, ok && typ != "" && key != ""
}

// keyOf returns the key of a global id of the wanted type, or a BAD_USER_INPUT error at
// field naming what was wrong.
func keyOf(id, want, field string) (string, error) {
	typ, key, ok := decodeID(id)
	if !ok {
		return "", badInput(field, "INVALID_ID", "%q is not a Gennaker id", id)
	}
	if typ != want {
		return "", badInput(field, "WRONG_ID_TYPE", "the id names a %s, not a %s", typ, want)
	}
	return key, nil
}

// keyOfOwn decodes the global id of an object the API itself produced.
func keyOfOwn(id string) string {
	_, key, _ := decodeID(id)
	return key
}

func cursorFor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("c:" + key))
}

// afterKey decodes an `after` cursor; nil or empty means from the start.
func afterKey(after *string) (string, error) {
	if after == nil || *after == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	if err != nil || !strings.HasPrefix(string(b), "c:") {
		return "", badInput("after", "INVALID_CURSOR", "%q is not a cursor this API gave", *after)
	}
	return string(b[2:]), nil
}
