// Package proctest helps tests that stop and continue processes of their
// own (a hung SpiceDB or Redis is played with SIGSTOP and SIGCONT).
package proctest

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Signal sends SIGSTOP or SIGCONT to the process and returns once it has
// taken effect, as /proc/<pid>/stat reports the state (Linux). kill(2)
// returns when the signal is queued: on a loaded machine a child was seen
// answering a request made after SIGSTOP returned, still in state R, so a
// test that stops a dependency must wait for the stop before it asks.
func Signal(t testing.TB, p *os.Process, sig syscall.Signal) {
	t.Helper()
	if sig != syscall.SIGSTOP && sig != syscall.SIGCONT {
		t.Fatalf("proctest.Signal: %v is neither SIGSTOP nor SIGCONT", sig)
	}
	if err := p.Signal(sig); err != nil {
		t.Fatalf("%v to process %d: %v", sig, p.Pid, err)
	}
	stopped := sig == syscall.SIGSTOP
	path := fmt.Sprintf("/proc/%d/stat", p.Pid)
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading the state of process %d: %v", p.Pid, err)
		}
		// The state follows the command name, which is in parentheses
		// and may itself hold spaces or parentheses.
		state := strings.TrimSpace(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if state != "" && (state[0] == 'T') == stopped {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d did not take %v within 10s: %s", p.Pid, sig, b)
		}
		time.Sleep(time.Millisecond)
	}
}
