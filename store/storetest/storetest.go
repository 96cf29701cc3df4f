// Package storetest opens real databases for tests: a SQLite file always, and a fresh
// MariaDB/MySQL database when GENNAKER_TEST_MYSQL_URL names a server (`make test` starts
// one). With GENNAKER_TEST_REQUIRE_MYSQL=1 a missing server fails the test instead of
// leaving MySQL untested.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // the driver behind database/sql for CREATE DATABASE

	"github.com/gennaker/gennaker/store"
)

// Dialects names the databases a test runs against: "sqlite", then "mysql" when configured.
func Dialects(t testing.TB) []string {
	d := []string{"sqlite"}
	if os.Getenv("GENNAKER_TEST_MYSQL_URL") != "" {
		d = append(d, "mysql")
	} else if os.Getenv("GENNAKER_TEST_REQUIRE_MYSQL") == "1" {
		t.Fatal("GENNAKER_TEST_REQUIRE_MYSQL=1 but GENNAKER_TEST_MYSQL_URL is empty: MariaDB did not start")
	}
	return d
}

// Each runs f as a subtest once per configured database, each with a fresh, migrated store.
func Each(t *testing.T, f func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) {
			f(t, Open(t, d))
		})
	}
}

// URL returns the URL of a fresh, empty database of the dialect, dropped when the test ends.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		return "sqlite://" + filepath.Join(t.TempDir(), "gennaker.db")
	case "mysql":
		base := os.Getenv("GENNAKER_TEST_MYSQL_URL")
		if base == "" {
			t.Fatal("GENNAKER_TEST_MYSQL_URL is not set")
		}
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("parsing GENNAKER_TEST_MYSQL_URL: %v", err)
		}
		name := fmt.Sprintf("gtest_%d", time.Now().UnixNano())
		admin := adminDSN(u)
		db, err := sql.Open("mysql", admin)
		if err != nil {
			t.Fatalf("connecting to MySQL: %v", err)
		}
		defer db.Close()
		if _, err := db.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
			t.Fatalf("creating database %s: %v", name, err)
		}
		t.Cleanup(func() {
			db, err := sql.Open("mysql", admin)
			if err == nil {
				_, _ = db.Exec("DROP DATABASE IF EXISTS " + name)
				db.Close()
			}
		})
		u.Path = "/" + name
		return u.String()
	}
	t.Fatalf("unknown dialect %q", dialect)
	return ""
}

func adminDSN(u *url.URL) string {
	pass, _ := u.User.Password()
	return fmt.Sprintf("%s:%s@tcp(%s)/", u.User.Username(), pass, u.Host)
}

// Open returns a fresh, migrated store of the dialect, closed when the test ends.
func Open(t testing.TB, dialect string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), URL(t, dialect))
	if err != nil {
		t.Fatalf("opening %s store: %v", dialect, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Name returns a name unique within the test process, for rows that must not collide.
func Name(prefix string) string {
	return strings.ToLower(fmt.Sprintf("%s%d", prefix, time.Now().UnixNano()%1e9))
}
