package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkUp measures what a new user first meets: `gennaker up` on a fresh state directory.
// It builds the binary once, then each op starts `gennaker up --state-dir <fresh dir> --addr
// 127.0.0.1:<free port>`, times exec → the first 200 on /readyz (polled every 2 ms), lets it
// idle for GENNAKER_BENCH_IDLE (default 5s), reads VmRSS and VmHWM from /proc/<pid>/status,
// and stops it with SIGTERM. It reports the medians over the ops as ready-ms, rss-MB
// (idle resident memory) and hwm-MB (peak resident memory); ns/op includes the idle time
// and means nothing.
func BenchmarkUp(b *testing.B) {
	idle := 5 * time.Second
	if v := os.Getenv("GENNAKER_BENCH_IDLE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("GENNAKER_BENCH_IDLE: %v", err)
		}
		idle = d
	}
	bin := filepath.Join(b.TempDir(), "gennaker")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("building gennaker: %v\n%s", err, out)
	}
	var ready, rss, hwm []float64
	for b.Loop() {
		r, m, h := upOnce(b, bin, idle)
		ready, rss, hwm = append(ready, r), append(rss, m), append(hwm, h)
	}
	b.ReportMetric(median(ready), "ready-ms")
	b.ReportMetric(median(rss), "rss-MB")
	b.ReportMetric(median(hwm), "hwm-MB")
}

// upOnce runs gennaker up once and returns ms to ready, and idle and peak RSS in MB.
func upOnce(b *testing.B, bin string, idle time.Duration) (float64, float64, float64) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "up", "--state-dir", b.TempDir(), "--addr", addr, "--log-level", "warn")
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	var readyIn time.Duration
	for {
		resp, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				readyIn = time.Since(start)
				break
			}
		}
		if time.Since(start) > 30*time.Second {
			b.Fatalf("gennaker up not ready after 30s (last error %v)", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(idle)
	rss, hwm := procMemory(b, cmd.Process.Pid)
	return float64(readyIn) / float64(time.Millisecond), rss, hwm
}

// procMemory reads VmRSS and VmHWM (in MB) of a process from /proc.
func procMemory(b *testing.B, pid int) (rss, hwm float64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
