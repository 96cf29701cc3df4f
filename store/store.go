// Package store holds Gennaker's GORM models and every SQL query. Transactions and the
// optimistic locking of rows the engine changes live here; nothing above this package writes
// SQL. MySQL (MariaDB) in production, SQLite embedded by default; the schema comes from the
// versioned migrations, never from AutoMigrate.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	mysqldriver "github.com/go-sql-driver/mysql"
	"github.com/google/uuid"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gennaker/gennaker/migrations"
)

// Sentinel errors. Callers test them with errors.Is; the GraphQL presenter maps them to codes.
var (
	// ErrNotFound: the row asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the row changed since it was read (a version check failed), or a unique
	// name is taken.
	ErrConflict = errors.New("conflict")
	// ErrInUse: the row is still referenced and cannot be deleted.
	ErrInUse = errors.New("in use")
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db         *gorm.DB
	dialect    migrations.Dialect
	statements atomic.Int64
}

// Open connects to the database named by rawURL, `mysql://user:pass@host:3306/db?…` or
// `sqlite:///path/file.db` (`sqlite://:memory:` for a throw-away one), applies pending
// migrations, and returns the store. The parent directory of a SQLite file is created.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	return open(ctx, rawURL, true)
}

// OpenNoMigrate connects like Open without applying migrations (for `migrate status`).
func OpenNoMigrate(ctx context.Context, rawURL string) (*Store, error) {
	return open(ctx, rawURL, false)
}

// MigrationStatus lists the schema migrations and whether each is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]migrations.MigrationStatus, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	return migrations.Status(ctx, sqlDB, s.dialect)
}

func open(ctx context.Context, rawURL string, migrate bool) (*Store, error) {
	dialector, dialect, err := dialectorFor(rawURL)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         true,
		// Prepared statements save MySQL a parse per query. Not on SQLite: its one
		// connection deadlocks GORM's statement cache when a statement is first prepared
		// outside a transaction that holds the connection while another goroutine waits for
		// that statement under the cache's read lock and the transaction needs the write lock.
		PrepareStmt: dialect == migrations.MySQL,
		// Bounded: every length of an IN list is a statement of its own, and MySQL refuses
		// more than max_prepared_stmt_count (16,382 by default) across all clients. Each
		// statement is prepared on each of up to 32 connections: 64 × 32 per process leaves
		// room for eight Gennaker processes on one server. The hot set (the engine's load and
		// commit) is far smaller; the rest is prepared again when used.
		PrepareStmtMaxSize: 64,
		PrepareStmtTTL:     time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	if dialect == migrations.SQLite {
		// One connection: SQLite has one writer, and a second connection would only wait
		// for it (or fail with SQLITE_BUSY when upgrading a read to a write).
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connecting to database: %w", err)
	}
	if migrate {
		if _, err := migrations.Up(ctx, sqlDB, dialect); err != nil {
			sqlDB.Close()
			return nil, err
		}
	}
	s := &Store{db: db, dialect: dialect}
	if err := s.registerCounter(); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if migrate {
		// The data step of migration 00004: index the triggers of pipelines saved before.
		if err := s.indexTriggers(ctx); err != nil {
			sqlDB.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close closes the connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Dialect tells which SQL dialect the store speaks.
func (s *Store) Dialect() migrations.Dialect { return s.dialect }

// DB exposes the underlying *sql.DB for migrations and health checks.
func (s *Store) DB() (*sql.DB, error) { return s.db.DB() }

// Gorm exposes the GORM handle for tests of the schema.
func (s *Store) Gorm() *gorm.DB { return s.db }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Statements returns how many SQL statements the store has run since it was opened: tests
// and benchmarks read it to prove that a query costs a fixed number of statements.
func (s *Store) Statements() int64 { return s.statements.Load() }

func (s *Store) registerCounter() error {
	count := func(*gorm.DB) { s.statements.Add(1) }
	cb := s.db.Callback()
	for name, err := range map[string]error{
		"create": cb.Create().After("gorm:create").Register("gennaker:count_create", count),
		"query":  cb.Query().After("gorm:query").Register("gennaker:count_query", count),
		"update": cb.Update().After("gorm:update").Register("gennaker:count_update", count),
		"delete": cb.Delete().After("gorm:delete").Register("gennaker:count_delete", count),
		"row":    cb.Row().After("gorm:row").Register("gennaker:count_row", count),
		"raw":    cb.Raw().After("gorm:raw").Register("gennaker:count_raw", count),
	} {
		if err != nil {
			return fmt.Errorf("registering %s counter: %w", name, err)
		}
	}
	return nil
}

func dialectorFor(rawURL string) (gorm.Dialector, migrations.Dialect, error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		path := strings.TrimPrefix(rawURL, "sqlite://")
		query := ""
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path, query = path[:i], path[i+1:]
		}
		if path == "" {
			return nil, "", fmt.Errorf("parsing database URL: sqlite URL names no file")
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return nil, "", fmt.Errorf("creating database directory: %w", err)
			}
		}
		dsn := path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		if query != "" {
			dsn += "&" + query
		}
		return sqlite.Open(dsn), migrations.SQLite, nil
	case strings.HasPrefix(rawURL, "mysql://"):
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, "", fmt.Errorf("parsing database URL: %w", err)
		}
		q := u.Query()
		for k, v := range map[string]string{"parseTime": "true", "charset": "utf8mb4", "loc": "UTC", "multiStatements": "true"} {
			if q.Get(k) == "" {
				q.Set(k, v)
			}
		}
		pass, _ := u.User.Password()
		dsn := fmt.Sprintf("%s:%s@tcp(%s)%s?%s", u.User.Username(), pass, u.Host, u.Path, q.Encode())
		return mysql.Open(dsn), migrations.MySQL, nil
	default:
		return nil, "", fmt.Errorf("parsing database URL: want mysql://… or sqlite://…, got %q", Redact(rawURL))
	}
}

// Redact hides a password in a URL so that errors and logs can show the rest.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// NewID returns a new time-ordered id (UUIDv7): ids sort by creation, which keyset
// pagination of executions relies on.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// translate maps driver errors to the store's sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case isDeadlock(err):
		// MySQL chose this transaction as a deadlock victim: nothing was written; deciding
		// again on fresh state is the cure, as for a version conflict.
		return fmt.Errorf("%w: deadlock, retry", ErrConflict)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: already exists", ErrConflict)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return fmt.Errorf("%w: still referenced", ErrInUse)
	}
	return err
}

// translateTx maps a transaction's error: a deadlock becomes ErrConflict, anything else is
// returned as it is.
func translateTx(err error) error {
	if isDeadlock(err) {
		return translate(err)
	}
	return err
}

// isDeadlock tells a MySQL deadlock (1213) or lock wait timeout (1205).
func isDeadlock(err error) bool {
	var me *mysqldriver.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}
