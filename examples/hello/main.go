// Command hello is a tiny HTTP service used as the artifact of Gennaker's
// examples and of the local provider's tests.
//
//	hello --port 8080 --version v2
//
// GET / answers "hello from <version> (instance <id>)"; GET /healthz answers
// 200 while healthy. Flags simulate broken artifacts: --fail-rate answers a
// fraction of requests with 500, --exit-after exits with status 1 after a
// duration (0s: at once), --fail-health makes /healthz answer 503. On SIGTERM
// or SIGINT it stops accepting connections and finishes in-flight requests
// before exiting.
//
// Every flag has an environment variable: PORT, VERSION, FAIL_RATE,
// EXIT_AFTER, FAIL_HEALTH, DELAY. The instance id is GENNAKER_INSTANCE_ID,
// or the host name and pid.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("hello: ")
	if err := run(os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

// config is the service's configuration, from flags and environment.
type config struct {
	port       int
	version    string
	failRate   float64
	exitAfter  time.Duration
	failHealth bool
	delay      time.Duration
	instance   string
}

func parse(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("hello", flag.ContinueOnError)
	fs.IntVar(&c.port, "port", envInt("PORT", 8080), "port to listen on, on 127.0.0.1 (env PORT)")
	fs.StringVar(&c.version, "version", envString("VERSION", "dev"), "version to report (env VERSION)")
	fs.Float64Var(&c.failRate, "fail-rate", envFloat("FAIL_RATE", 0), "fraction 0..1 of requests answered 500 (env FAIL_RATE)")
	fs.DurationVar(&c.exitAfter, "exit-after", envDuration("EXIT_AFTER", -1), "exit with status 1 after this duration; 0 exits at once; negative never (env EXIT_AFTER)")
	fs.BoolVar(&c.failHealth, "fail-health", os.Getenv("FAIL_HEALTH") != "", "answer /healthz with 503 (env FAIL_HEALTH)")
	fs.DurationVar(&c.delay, "delay", envDuration("DELAY", 0), "time to take answering GET / (env DELAY)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.failRate < 0 || c.failRate > 1 {
		return c, fmt.Errorf("parsing flags: --fail-rate %v outside 0..1", c.failRate)
	}
	c.instance = os.Getenv("GENNAKER_INSTANCE_ID")
	if c.instance == "" {
		host, _ := os.Hostname()
		c.instance = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	return c, nil
}

func run(args []string) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	if c.exitAfter == 0 {
		return errors.New("exiting at once as asked (--exit-after 0)")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)))
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	srv := &http.Server{Handler: handler(c), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Printf("version %s instance %s listening on %s", c.version, c.instance, ln.Addr())

	var exit <-chan time.Time
	if c.exitAfter > 0 {
		exit = time.After(c.exitAfter)
	}
	select {
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	case <-exit:
		return fmt.Errorf("exiting after %v as asked (--exit-after)", c.exitAfter)
	case <-ctx.Done():
	}
	log.Printf("shutting down: finishing in-flight requests")
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

func handler(c config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if c.delay > 0 {
			select {
			case <-time.After(c.delay):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("X-Version", c.version)
		w.Header().Set("X-Instance", c.instance)
		if c.failRate > 0 && rand.Float64() < c.failRate {
			http.Error(w, fmt.Sprintf("failing from %s (instance %s)", c.version, c.instance), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "hello from %s (instance %s)\n", c.version, c.instance)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if c.failHealth {
			http.Error(w, "unhealthy as asked (--fail-health)", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}

func envString(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

func envFloat(key string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(key), 64); err == nil {
		return v
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return v
	}
	return def
}
