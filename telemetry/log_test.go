package telemetry

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestNewLogger(t *testing.T) {
	for _, tc := range []struct {
		format, level string
		ok            bool
		prefix        string // of a line logged at warn
		debugShown    bool
	}{
		{"json", "info", true, `{"time":`, false},
		{"text", "info", true, "time=", false},
		{"JSON", "DEBUG", true, `{"time":`, true},
		{"json", "error", true, "", false},
		{"xml", "info", false, "", false},
		{"json", "verbose", false, "", false},
		{"", "", false, "", false},
	} {
		var buf bytes.Buffer
		log, err := NewLogger(&buf, tc.format, tc.level)
		if !tc.ok {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%q/%q: err %v, want ErrInvalid", tc.format, tc.level, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q/%q: %v", tc.format, tc.level, err)
		}
		log.Warn("w")
		if tc.prefix == "" && buf.Len() != 0 || !strings.HasPrefix(buf.String(), tc.prefix) {
			t.Errorf("%q/%q: warn logged %q, want a line starting %q", tc.format, tc.level, buf.String(), tc.prefix)
		}
		buf.Reset()
		log.Debug("d")
		if (buf.Len() > 0) != tc.debugShown {
			t.Errorf("%q/%q: debug shown %v, want %v", tc.format, tc.level, buf.Len() > 0, tc.debugShown)
		}
	}
}
