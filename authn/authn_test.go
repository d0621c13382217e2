package authn

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef")
	now    = time.Unix(1_800_000_000, 0)
	future = now.Add(time.Hour).Unix()
	past   = now.Add(-time.Second).Unix()
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func hs256(key []byte, signingInput string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signingInput))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func hs512(key []byte, signingInput string) string {
	m := hmac.New(sha512.New, key)
	m.Write([]byte(signingInput))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// craft builds header.payload.signature from raw JSON, signed by sign.
func craft(header, payload string, sign func(string) string) string {
	in := b64(header) + "." + b64(payload)
	return in + "." + sign(in)
}

func withSecret(in string) string { return hs256(secret, in) }

// signed appends a valid signature to a signing input given as is.
func signed(in string) string { return in + "." + withSecret(in) }

const hdr = `{"alg":"HS256","typ":"JWT"}`

func member(exp int64) string {
	return fmt.Sprintf(`{"sub":"m1","org":"o1","exp":%d}`, exp)
}

func TestVerifyAccepts(t *testing.T) {
	for name, tc := range map[string]struct {
		token string
		want  Claims
	}{
		"member": {
			craft(hdr, member(future), withSecret),
			Claims{Kind: KindMember, Subject: "m1", Org: "o1", ExpiresAt: time.Unix(future, 0)},
		},
		"operator": {
			craft(hdr, fmt.Sprintf(`{"operator":true,"exp":%d}`, future), withSecret),
			Claims{Kind: KindOperator, Operator: true, ExpiresAt: time.Unix(future, 0)},
		},
		"service": {
			craft(hdr, fmt.Sprintf(`{"service":"billing","org":"o1","exp":%d}`, future), withSecret),
			Claims{Kind: KindService, Service: "billing", Org: "o1", ExpiresAt: time.Unix(future, 0)},
		},
		"no typ header": {
			craft(`{"alg":"HS256"}`, member(future), withSecret),
			Claims{Kind: KindMember, Subject: "m1", Org: "o1", ExpiresAt: time.Unix(future, 0)},
		},
		"unknown claims ignored": {
			craft(hdr, fmt.Sprintf(`{"sub":"m1","org":"o1","exp":%d,"iat":%d,"x":[1]}`, future, now.Unix()), withSecret),
			Claims{Kind: KindMember, Subject: "m1", Org: "o1", ExpiresAt: time.Unix(future, 0)},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Verify(secret, tc.token, now)
			wantAccepted(t, got, err, tc.want)
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rs256 := func(in string) string {
		digest := sha256.Sum256([]byte(in))
		sig, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(sig)
	}
	otherSecret := func(in string) string { return hs256([]byte("another secret, just as long...."), in) }
	empty := func(string) string { return "" }
	good := craft(hdr, member(future), withSecret)
	goodParts := strings.Split(good, ".")

	for name, tc := range map[string]struct {
		token string
		want  error
	}{
		// Algorithms other than HS256.
		"alg none, no signature":   {craft(`{"alg":"none","typ":"JWT"}`, member(future), empty), ErrInvalidToken},
		"alg none, HS256 sig":      {craft(`{"alg":"none"}`, member(future), withSecret), ErrInvalidToken},
		"alg None":                 {craft(`{"alg":"None"}`, member(future), empty), ErrInvalidToken},
		"alg hs256 lowercase":      {craft(`{"alg":"hs256"}`, member(future), withSecret), ErrInvalidToken},
		"alg HS512 same key":       {craft(`{"alg":"HS512"}`, member(future), func(in string) string { return hs512(secret, in) }), ErrInvalidToken},
		"alg HS384 claimed":        {craft(`{"alg":"HS384"}`, member(future), withSecret), ErrInvalidToken},
		"alg RS256 with RSA key":   {craft(`{"alg":"RS256"}`, member(future), rs256), ErrInvalidToken},
		"alg RS256, HMAC with key": {craft(`{"alg":"RS256"}`, member(future), withSecret), ErrInvalidToken},
		"alg missing":              {craft(`{"typ":"JWT"}`, member(future), withSecret), ErrInvalidToken},
		"alg not a string":         {craft(`{"alg":256}`, member(future), withSecret), ErrInvalidToken},
		"crit header":              {craft(`{"alg":"HS256","crit":["exp"]}`, member(future), withSecret), ErrInvalidToken},

		// Signatures.
		"other secret":          {craft(hdr, member(future), otherSecret), ErrInvalidToken},
		"payload tampered":      {goodParts[0] + "." + b64(`{"sub":"m1","org":"o2","exp":`+fmt.Sprint(future)+`}`) + "." + goodParts[2], ErrInvalidToken},
		"signature stripped":    {goodParts[0] + "." + goodParts[1] + ".", ErrInvalidToken},
		"signature truncated":   {good[:len(good)-2], ErrInvalidToken},
		"expired, bad sig":      {craft(hdr, member(past), otherSecret), ErrInvalidToken},
		"signature padded b64":  {goodParts[0] + "." + goodParts[1] + "." + goodParts[2] + "=", ErrInvalidToken},
		"signature std base64":  {goodParts[0] + "." + goodParts[1] + "." + strings.NewReplacer("-", "+", "_", "/").Replace(goodParts[2]) + "+", ErrInvalidToken},
		"header padded base64":  {signed(base64.URLEncoding.EncodeToString([]byte(`{"alg":"HS256", "typ":"JWT"}`)) + "." + goodParts[1]), ErrInvalidToken},
		"payload padded base64": {signed(goodParts[0] + "." + base64.URLEncoding.EncodeToString([]byte(member(future)+" "))), ErrInvalidToken},
		"header not JSON":       {craft(`alg=HS256`, member(future), withSecret), ErrInvalidToken},
		"header a JSON array":   {craft(`["HS256"]`, member(future), withSecret), ErrInvalidToken},
		"payload not JSON":      {craft(hdr, `sub=m1`, withSecret), ErrInvalidToken},
		"payload not an object": {craft(hdr, `"m1"`, withSecret), ErrInvalidToken},

		// Expiry.
		"expired":           {craft(hdr, member(past), withSecret), ErrExpired},
		"expires right now": {craft(hdr, member(now.Unix()), withSecret), ErrExpired},
		"exp missing":       {craft(hdr, `{"sub":"m1","org":"o1"}`, withSecret), ErrInvalidToken},
		"exp a string":      {craft(hdr, fmt.Sprintf(`{"sub":"m1","org":"o1","exp":"%d"}`, future), withSecret), ErrInvalidToken},
		"exp null":          {craft(hdr, `{"sub":"m1","org":"o1","exp":null}`, withSecret), ErrInvalidToken},
		"not valid yet":     {craft(hdr, fmt.Sprintf(`{"sub":"m1","org":"o1","exp":%d,"nbf":%d}`, future, future-1), withSecret), ErrInvalidToken},

		// Claim shapes.
		"no sub":                 {craft(hdr, fmt.Sprintf(`{"org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"no org":                 {craft(hdr, fmt.Sprintf(`{"sub":"m1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"empty sub":              {craft(hdr, fmt.Sprintf(`{"sub":"","org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"neither":                {craft(hdr, fmt.Sprintf(`{"exp":%d}`, future), withSecret), ErrInvalidToken},
		"operator false":         {craft(hdr, fmt.Sprintf(`{"operator":false,"exp":%d}`, future), withSecret), ErrInvalidToken},
		"operator with sub":      {craft(hdr, fmt.Sprintf(`{"operator":true,"sub":"m1","org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"operator a string":      {craft(hdr, fmt.Sprintf(`{"operator":"true","exp":%d}`, future), withSecret), ErrInvalidToken},
		"sub a number":           {craft(hdr, fmt.Sprintf(`{"sub":7,"org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"operator, expired":      {craft(hdr, fmt.Sprintf(`{"operator":true,"exp":%d}`, past), withSecret), ErrExpired},
		"member shape, expired":  {craft(hdr, fmt.Sprintf(`{"org":"o1","exp":%d}`, past), withSecret), ErrExpired},
		"service with sub":       {craft(hdr, fmt.Sprintf(`{"service":"billing","sub":"m1","org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"service and operator":   {craft(hdr, fmt.Sprintf(`{"service":"billing","operator":true,"exp":%d}`, future), withSecret), ErrInvalidToken},
		"service, operator, org": {craft(hdr, fmt.Sprintf(`{"service":"billing","operator":true,"org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"service without org":    {craft(hdr, fmt.Sprintf(`{"service":"billing","exp":%d}`, future), withSecret), ErrInvalidToken},
		"service empty":          {craft(hdr, fmt.Sprintf(`{"service":"","org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"service a number":       {craft(hdr, fmt.Sprintf(`{"service":7,"org":"o1","exp":%d}`, future), withSecret), ErrInvalidToken},
		"service, expired":       {craft(hdr, fmt.Sprintf(`{"service":"billing","org":"o1","exp":%d}`, past), withSecret), ErrExpired},
		"org a number":           {craft(hdr, fmt.Sprintf(`{"sub":"m1","org":1,"exp":%d}`, future), withSecret), ErrInvalidToken},
		"payload with only null": {craft(hdr, `null`, withSecret), ErrInvalidToken},

		// Malformed.
		"empty":          {"", ErrInvalidToken},
		"one segment":    {"abc", ErrInvalidToken},
		"two segments":   {goodParts[0] + "." + goodParts[1], ErrInvalidToken},
		"four segments":  {good + "." + goodParts[2], ErrInvalidToken},
		"bad base64":     {"***." + goodParts[1] + "." + goodParts[2], ErrInvalidToken},
		"spaces":         {" " + good, ErrInvalidToken},
		"bearer prefix":  {"Bearer " + good, ErrInvalidToken},
		"huge":           {craft(hdr, fmt.Sprintf(`{"sub":"%s","org":"o1","exp":%d}`, strings.Repeat("m", 5000), future), withSecret), ErrInvalidToken},
		"only dots":      {"..", ErrInvalidToken},
		"binary garbage": {"\x00\x01.\x02.\x03", ErrInvalidToken},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Verify(secret, tc.token, now)
			wantRefused(t, got, err, tc.want)
		})
	}
}

// wantAccepted checks an acceptance: no error and the claims wanted, the
// expiry compared as an instant.
func wantAccepted(t *testing.T, got Claims, err error, want Claims) {
	t.Helper()
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !got.ExpiresAt.Equal(want.ExpiresAt) {
		t.Errorf("ExpiresAt = %v, want %v", got.ExpiresAt, want.ExpiresAt)
	}
	got.ExpiresAt, want.ExpiresAt = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("claims = %+v\nwant %+v", got, want)
	}
}

// wantRefused checks a refusal: an error wrapping want (ErrInvalidToken
// never also ErrExpired), and no claims.
func wantRefused(t *testing.T, got Claims, err, want error) {
	t.Helper()
	if err == nil {
		t.Fatalf("Verify accepted it: %+v", got)
	}
	if !errors.Is(err, want) {
		t.Fatalf("Verify error = %v; want one wrapping %v", err, want)
	}
	if want == ErrInvalidToken && errors.Is(err, ErrExpired) {
		t.Fatalf("Verify error = %v; must not be ErrExpired", err)
	}
	if got != (Claims{}) {
		t.Errorf("claims returned with an error: %+v", got)
	}
}

func TestVerifyWithoutSecret(t *testing.T) {
	token := craft(hdr, member(future), func(in string) string { return hs256(nil, in) })
	if _, err := Verify(nil, token, now); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("Verify with no secret: %v; want ErrInvalidToken", err)
	}
}

func TestIssueRoundTrip(t *testing.T) {
	for name, c := range map[string]Claims{
		"member":                 {Subject: "m1", Org: "o1"},
		"operator":               {Operator: true},
		"service":                {Kind: KindService, Service: "billing", Org: "o1"},
		"service, kind inferred": {Service: "billing", Org: "o1"},
		"operator by kind":       {Kind: KindOperator},
	} {
		t.Run(name, func(t *testing.T) {
			token, err := Issue(secret, c, time.Hour)
			if err != nil {
				t.Fatalf("Issue: %v", err)
			}
			if h := strings.Split(token, ".")[0]; h != b64(hdr) {
				t.Errorf("header = %s, want %s", h, hdr)
			}
			got, err := Verify(secret, token, time.Now())
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := c.inferKind()
			want.Operator = want.Kind == KindOperator
			if got.Kind != want.Kind || got.Subject != want.Subject || got.Org != want.Org || got.Operator != want.Operator || got.Service != want.Service {
				t.Errorf("claims = %+v, want %+v", got, want)
			}
			if d := time.Until(got.ExpiresAt); d < 59*time.Minute || d > time.Hour {
				t.Errorf("expires in %s, want about an hour", d)
			}
			if _, err := Verify(secret, token, time.Now().Add(2*time.Hour)); !errors.Is(err, ErrExpired) {
				t.Errorf("Verify two hours later: %v; want ErrExpired", err)
			}
			if _, err := Verify([]byte("another secret, just as long...."), token, time.Now()); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Verify with another secret: %v; want ErrInvalidToken", err)
			}
		})
	}

	at := time.Now().Add(time.Minute).Truncate(time.Second)
	token, err := Issue(secret, Claims{Subject: "m1", Org: "o1", ExpiresAt: at}, 0)
	if err != nil {
		t.Fatalf("Issue with ExpiresAt: %v", err)
	}
	if got, err := Verify(secret, token, time.Now()); err != nil || !got.ExpiresAt.Equal(at) {
		t.Errorf("Verify = %+v, %v; want ExpiresAt %v", got, err, at)
	}
}

func TestIssueRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		secret []byte
		claims Claims
		ttl    time.Duration
	}{
		"no secret":                      {nil, Claims{Subject: "m1", Org: "o1"}, time.Hour},
		"no expiry":                      {secret, Claims{Subject: "m1", Org: "o1"}, 0},
		"no org":                         {secret, Claims{Subject: "m1"}, time.Hour},
		"no sub":                         {secret, Claims{Org: "o1"}, time.Hour},
		"operator with sub":              {secret, Claims{Subject: "m1", Org: "o1", Operator: true}, time.Hour},
		"service with sub":               {secret, Claims{Kind: KindService, Service: "billing", Subject: "m1", Org: "o1"}, time.Hour},
		"service, no org":                {secret, Claims{Kind: KindService, Service: "billing"}, time.Hour},
		"service, no name":               {secret, Claims{Kind: KindService, Org: "o1"}, time.Hour},
		"service operator":               {secret, Claims{Service: "billing", Org: "o1", Operator: true}, time.Hour},
		"member by kind, with a service": {secret, Claims{Kind: KindMember, Subject: "m1", Org: "o1", Service: "billing"}, time.Hour},
		"operator by kind, with sub":     {secret, Claims{Kind: KindOperator, Subject: "m1"}, time.Hour},
		"external":                       {secret, Claims{Kind: KindExternal, ExternalSubject: "u1", ExternalOrg: "acme"}, time.Hour},
		"member with external identity":  {secret, Claims{Subject: "m1", Org: "o1", ExternalSubject: "u1"}, time.Hour},
		"unknown kind":                   {secret, Claims{Kind: 99, Subject: "m1", Org: "o1"}, time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			if token, err := Issue(tc.secret, tc.claims, tc.ttl); err == nil {
				t.Fatalf("Issue = %q; want an error", token)
			}
		})
	}
}

func TestFromRequest(t *testing.T) {
	for name, tc := range map[string]struct {
		headers []string
		want    string
		ok      bool
	}{
		"bearer":           {[]string{"Bearer abc.def.ghi"}, "abc.def.ghi", true},
		"lowercase scheme": {[]string{"bearer abc.def.ghi"}, "abc.def.ghi", true},
		"trailing space":   {[]string{"Bearer abc.def.ghi "}, "abc.def.ghi", true},
		"none":             {nil, "", false},
		"basic":            {[]string{"Basic dXNlcjpwYXNz"}, "", false},
		"no token":         {[]string{"Bearer"}, "", false},
		"blank token":      {[]string{"Bearer   "}, "", false},
		"two words":        {[]string{"Bearer abc def"}, "", false},
		"token only":       {[]string{"abc.def.ghi"}, "", false},
		"two headers":      {[]string{"Bearer a.b.c", "Bearer d.e.f"}, "", false},
	} {
		t.Run(name, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodPost, "/graphql", nil)
			for _, h := range tc.headers {
				r.Header.Add("Authorization", h)
			}
			got, ok := FromRequest(r)
			if got != tc.want || ok != tc.ok {
				t.Errorf("FromRequest = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestSecrets(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if len(a) != 32 || bytes.Equal(a, b) {
		t.Fatalf("NewSecret: %x, %x; want two different 32-byte secrets", a, b)
	}
	for name, tc := range map[string]struct {
		secret     []byte
		production bool
		ok         bool
	}{
		"empty dev":         {nil, false, false},
		"empty production":  {nil, true, false},
		"short dev":         {[]byte("dev"), false, true},
		"short production":  {make([]byte, 31), true, false},
		"32 bytes":          {a, true, true},
		"long production":   {make([]byte, 64), true, true},
		"generated for dev": {b, false, true},
	} {
		t.Run(name, func(t *testing.T) {
			if err := CheckSecret(tc.secret, tc.production); (err == nil) != tc.ok {
				t.Errorf("CheckSecret(%d bytes, production=%v) = %v; want ok=%v", len(tc.secret), tc.production, err, tc.ok)
			}
		})
	}
}

func TestSecretRotation(t *testing.T) {
	s1 := []byte("the new secret, 32 bytes long...")
	s2 := []byte("the old secret, 32 bytes long...")
	s3 := []byte("a retired secret, 32 bytes long.")
	v, err := NewVerifier(context.Background(), Config{Secrets: [][]byte{s1, s2}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	signedWith := func(key []byte) string {
		return craft(hdr, member(future), func(in string) string { return hs256(key, in) })
	}
	for name, tc := range map[string]struct {
		token string
		ok    bool
	}{
		"signed with S1":                     {signedWith(s1), true},
		"signed with S2":                     {signedWith(s2), true},
		"signed with S3":                     {signedWith(s3), false},
		"S1 then S2 concatenated as one key": {signedWith(append(append([]byte{}, s1...), s2...)), false},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := v.Verify(context.Background(), tc.token)
			if tc.ok && (err != nil || got.Kind != KindMember || got.Subject != "m1") {
				t.Errorf("Verify = %+v, %v; want member m1", got, err)
			}
			if !tc.ok && !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Verify = %+v, %v; want ErrInvalidToken", got, err)
			}
		})
	}

	token, err := v.Issue(Claims{Subject: "m1", Org: "o1"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(s1, token, time.Now()); err != nil {
		t.Errorf("Issue did not sign with the first secret: %v", err)
	}
	if _, err := Verify(s2, token, time.Now()); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("a token Issue signed verifies with the second secret: %v", err)
	}
}

func TestParseSecrets(t *testing.T) {
	long := strings.Repeat("a", MinProductionSecretLen)
	for name, tc := range map[string]struct {
		list       string
		production bool
		want       int
	}{
		"one":                     {"dev", false, 1},
		"two":                     {"dev,old", false, 2},
		"two, production":         {long + "," + long + "b", true, 2},
		"empty":                   {"", false, 0},
		"an empty one":            {"dev,,old", false, 0},
		"trailing comma":          {"dev,", false, 0},
		"a short one, production": {long + ",short", true, 0},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParseSecrets(tc.list, tc.production)
			if len(got) != tc.want || (err == nil) != (tc.want > 0) {
				t.Errorf("ParseSecrets(%q, %v) = %d secrets, %v; want %d", tc.list, tc.production, len(got), err, tc.want)
			}
		})
	}
}

// A Verifier remembers the tokens that verified (verified.go): what it
// decided from the clock must be decided again at every use, and only the
// exact token text that verified may skip verification.
func TestVerifierRemembersOnlyWhatStillHolds(t *testing.T) {
	good := craft(hdr, member(future), withSecret)
	notYet := craft(hdr, fmt.Sprintf(`{"sub":"m1","org":"o1","exp":%d,"nbf":%d}`, future, now.Add(10*time.Minute).Unix()), withSecret)
	last := good[len(good)-1:]
	tampered := good[:len(good)-1] + map[bool]string{true: "B", false: "A"}[last == "A"]
	expiry := time.Unix(future, 0)
	type use struct {
		at    time.Time
		token string
		want  error // nil: accepted
	}
	for _, tc := range []struct {
		name string
		uses []use
	}{
		{"expires while remembered", []use{{now, good, nil}, {now, good, nil}, {expiry, good, ErrExpired}, {expiry.Add(time.Hour), good, ErrExpired}}},
		{"a changed signature is verified again", []use{{now, good, nil}, {now, tampered, ErrInvalidToken}, {now, good, nil}}},
		{"a token with nbf is not remembered", []use{{now.Add(20 * time.Minute), notYet, nil}, {now, notYet, ErrInvalidToken}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var clock time.Time
			v, err := NewVerifier(context.Background(), Config{Secrets: [][]byte{secret}, Now: func() time.Time { return clock }})
			if err != nil {
				t.Fatal(err)
			}
			for i, u := range tc.uses {
				clock = u.at
				got, err := v.Verify(context.Background(), u.token)
				switch {
				case u.want == nil && (err != nil || got.Subject != "m1"):
					t.Errorf("use %d: Verify = %+v, %v; want member m1", i, got, err)
				case u.want != nil && !errors.Is(err, u.want):
					t.Errorf("use %d: Verify = %+v, %v; want %v", i, got, err, u.want)
				}
			}
		})
	}
}
