package config

import (
	"errors"
	"testing"
)

func TestCORSOriginsValidate(t *testing.T) {
	base := func() Serve {
		var s Serve
		if err := ServeFlags(&s).Parse(nil); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, c := range []struct {
		origins []string
		ok      bool
	}{
		{nil, true},
		{[]string{"https://app.example.com", "http://localhost:5173", "https://app.example.com/"}, true},
		{[]string{"*"}, false},
		{[]string{"https://*.example.com"}, false},
		{[]string{"app.example.com"}, false},
		{[]string{"https://app.example.com/path"}, false},
		{[]string{"ftp://app.example.com"}, false},
		{[]string{"https://user@app.example.com"}, false},
		{[]string{"https://app.example.com?x=1"}, false},
	} {
		s := base()
		s.CORSOrigins = c.origins
		err := s.Validate()
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("%q: %v, want ok=%v", c.origins, err, c.ok)
		}
	}
}
