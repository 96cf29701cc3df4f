package local

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Environment variables the driver sets on every instance. envStateDir
// marks processes as this driver's, so that a restart finds strays.
const (
	envInstanceID  = "GENNAKER_INSTANCE_ID"
	envServerGroup = "GENNAKER_SERVER_GROUP"
	envStateDir    = "GENNAKER_LOCAL_STATE"
)

// launch describes one process to start.
type launch struct {
	id, group string
	spec      ExecSpec
	port      int
	stateDir  string
	stdout    string // log file paths
	stderr    string
}

// startProcess starts the instance in its own process group, its output
// appended to its log files, and returns its pid and start time in clock
// ticks since boot (the identity that survives a restart of the driver).
func startProcess(l launch) (pid int, startTicks uint64, err error) {
	port := strconv.Itoa(l.port)
	argv := make([]string, len(l.spec.Command))
	for i, a := range l.spec.Command {
		argv[i] = strings.ReplaceAll(a, "{port}", port)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = l.spec.Dir
	cmd.Env = os.Environ()
	for k, v := range l.spec.Env {
		cmd.Env = append(cmd.Env, k+"="+strings.ReplaceAll(v, "{port}", port))
	}
	cmd.Env = append(cmd.Env, "PORT="+port, envInstanceID+"="+l.id, envServerGroup+"="+l.group, envStateDir+"="+l.stateDir)
	// Its own process group: destroy kills the instance and its children,
	// and a ^C to the driver does not reach it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := os.OpenFile(l.stdout, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, 0, fmt.Errorf("opening log: %w", err)
	}
	defer out.Close()
	errf, err := os.OpenFile(l.stderr, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, 0, fmt.Errorf("opening log: %w", err)
	}
	defer errf.Close()
	cmd.Stdout, cmd.Stderr = out, errf
	if err := cmd.Start(); err != nil {
		return 0, 0, fmt.Errorf("starting %s: %w", argv[0], err)
	}
	pid = cmd.Process.Pid
	// The driver reaps with wait4 itself (see exitStatus), also for
	// processes adopted after a restart, so the handle is released here.
	_ = cmd.Process.Release()
	startTicks, _, err = procStat(pid)
	if err != nil {
		// Exited and already gone: it is a zombie until reaped, so this is
		// rare; the monitor reports the exit.
		startTicks = 0
	}
	return pid, startTicks, nil
}

// procStat reads the start time (clock ticks since boot) and state letter
// of pid from /proc/<pid>/stat.
func procStat(pid int) (startTicks uint64, state byte, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, err
	}
	// The command name is in parentheses and may hold spaces: parse after
	// the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, fmt.Errorf("parsing /proc/%d/stat", pid)
	}
	fields := strings.Fields(string(b[i+1:]))
	// fields[0] is field 3 (state); starttime is field 22.
	if len(fields) < 20 {
		return 0, 0, fmt.Errorf("parsing /proc/%d/stat: %d fields", pid, len(fields))
	}
	startTicks, err = strconv.ParseUint(fields[19], 10, 64)
	return startTicks, fields[0][0], err
}

// procEnv returns the value of key in the environment pid started with, and
// whether it could be read at all.
func procEnv(pid int, key string) (value string, readable bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return "", false
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if k, v, ok := strings.Cut(string(kv), "="); ok && k == key {
			value = v // the last one wins, as for exec
		}
	}
	return value, true
}

// sameProcess reports whether pid is still the process the driver started
// as instance id at startTicks, and not a stranger that reuses the pid.
func sameProcess(pid int, startTicks uint64, id string) bool {
	if pid <= 0 {
		return false
	}
	ticks, state, err := procStat(pid)
	if err != nil || state == 'Z' || state == 'X' {
		return false
	}
	if startTicks != 0 && ticks != startTicks {
		return false
	}
	if v, ok := procEnv(pid, envInstanceID); ok && v != id {
		return false
	}
	return true
}

// exitStatus reports whether the instance's process has ended and, when it
// was this process's child, how. A process adopted from an earlier driver
// cannot be waited for: its end is seen in /proc and its status is unknown.
func exitStatus(pid int, startTicks uint64, id string) (exited bool, how string) {
	var ws syscall.WaitStatus
	wpid, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
	switch {
	case err == nil && wpid == pid:
		switch {
		case ws.Exited():
			return true, fmt.Sprintf("exited with status %d", ws.ExitStatus())
		case ws.Signaled():
			return true, fmt.Sprintf("killed by signal %d (%v)", int(ws.Signal()), ws.Signal())
		default:
			return true, "ended"
		}
	case err == nil:
		return false, "" // our child, still running
	}
	if !sameProcess(pid, startTicks, id) {
		return true, "exited (status unknown: started before the driver restarted)"
	}
	return false, ""
}

// signalGroup sends sig to the process group of pid, and to pid itself in
// case it left the group. A group that is gone is not an error.
func signalGroup(pid int, sig syscall.Signal) error {
	if pid <= 0 {
		return nil
	}
	errGroup := syscall.Kill(-pid, sig)
	errPid := syscall.Kill(pid, sig)
	if errGroup != nil && !errors.Is(errGroup, syscall.ESRCH) {
		return fmt.Errorf("signalling process group %d: %w", pid, errGroup)
	}
	if errPid != nil && !errors.Is(errPid, syscall.ESRCH) {
		return fmt.Errorf("signalling process %d: %w", pid, errPid)
	}
	return nil
}

// groupAlive reports whether any process of the process group pgid is left.
func groupAlive(pgid int) bool {
	return pgid > 0 && syscall.Kill(-pgid, 0) == nil
}

// lastLine returns the last non-empty line of the file, at most 300 bytes,
// read from its last 8 KiB.
func lastLine(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	const tail = 8 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > tail {
		_, _ = f.Seek(fi.Size()-tail, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimRight(string(b), "\r\n\t "), "\n")
	line := strings.TrimSpace(lines[len(lines)-1])
	if len(line) > 300 {
		line = line[:300] + "…"
	}
	return line
}

// freePort returns a port on 127.0.0.1 nothing listens on now, not in
// taken. Another program may take it before the instance binds it: the
// instance then exits and is replaced on another port.
func freePort(taken map[int]bool) (int, error) {
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("finding a free port: %w", err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if !taken[port] {
			return port, nil
		}
	}
	return 0, errors.New("finding a free port: every port tried is taken")
}

// strays returns the pids of live processes whose environment marks them as
// started by a driver on stateDir, other than those in known.
func strays(stateDir string, known map[int]bool) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || known[pid] || pid == os.Getpid() {
			continue
		}
		if v, _ := procEnv(pid, envStateDir); v == stateDir {
			if _, state, err := procStat(pid); err == nil && state != 'Z' {
				out = append(out, pid)
			}
		}
	}
	return out
}

// waitGone polls until the process group pgid is empty or d passes, and
// reports whether it is empty.
func waitGone(pgid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for groupAlive(pgid) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
