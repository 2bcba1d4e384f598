package app

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
)

func validSettings() settings {
	s := settings{}
	for _, in := range inputs {
		s[in.Name] = in.Default
	}
	s["url"] = "https://cs.example.com"
	s["token"] = "tok-12345"
	s["project"] = "payments-service"
	return s
}

func noFile(string) ([]byte, error) { return nil, os.ErrNotExist }

func TestParseConfigValid(t *testing.T) {
	t.Parallel()
	s := validSettings()
	s["url"] = "https://cs.example.com/"
	s["wait-timeout"] = "1h30m"
	s["start"] = "False"
	s["stage"] = "build"
	s["baseline-ref"] = "refs/heads/release/2.x"
	s["block-on"] = "new"
	s["language"] = "RU"
	c, err := parseConfig(s, noFile)
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != i18n.Russian {
		t.Errorf("Language = %q, want ru", c.Language)
	}
	if got, want := c.URL.String(), "https://cs.example.com/"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	want := gate.Config{Project: "payments-service", Stage: "build", Mode: gate.ModeEnforce, Start: false, WaitTimeout: 90 * time.Minute,
		BaselineRef: "release/2.x", BlockOn: gate.BlockOnNew, ReuseMaxAge: time.Hour}
	if c.Gate != want {
		t.Errorf("gate config = %+v, want %+v", c.Gate, want)
	}
}

// TestParseConfigErrors checks each bad input alone: its message names the
// input and says what to use instead.
func TestParseConfigErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, key, value string
		want             []string
	}{
		{"url missing", "url", "", []string{"`url` is required", "CODESCORING_URL"}},
		{"url relative", "url", "cs.example.com", []string{"the CodeScoring URL cs.example.com does not start with https:// or http://", "set the `url` input to the installation URL with its scheme, e.g. https://codescoring.example.com"}},
		{"url ftp", "url", "ftp://cs.example.com", []string{"the CodeScoring URL ftp://cs.example.com does not start with https:// or http://"}},
		{"url with api path", "url", "https://cs.example.com/api/", []string{"points into the API (/api)", "set the `url` input to https://cs.example.com (the gate adds"}},
		{"url with api below a prefix", "url", "https://tools.example.com/codescoring/api", []string{"points into the API (/api)", "set the `url` input to https://tools.example.com/codescoring (the gate adds"}},
		{"url with query", "url", "https://cs.example.com/?x=1", []string{"query or fragment", "remove it: set the `url` input to https://cs.example.com"}},
		{"url with credentials", "url", "https://u:p@cs.example.com", []string{"the CodeScoring URL https://cs.example.com holds a user name or password", "authenticates with the `token` input"}},
		{"url with a port out of range", "url", "http://127.0.0.1:99999", []string{`has the port "99999", not a number from 1 to 65535`}},
		{"url with port zero", "url", "https://cs.example.com:0/", []string{`has the port "0", not a number from 1 to 65535`}},
		{"url with an empty port", "url", "https://cs.example.com:/", []string{"has an empty port"}},
		{"url with a port that is not a number", "url", "https://cs.example.com:https/", []string{"is not a URL", `invalid port ":https"`}},
		{"token missing", "token", "", []string{"`token` is required"}},
		{"project missing", "project", "", []string{"`project` is required"}},
		{"project zero", "project", "000", []string{"not a valid project id"}},
		{"stage unknown", "stage", "qa", []string{"`stage` \"qa\"", "dev, source, build, stage, test, prod, proxy"}},
		{"mode unknown", "mode", "strict", []string{"`mode` \"strict\"", "enforce, warn"}},
		{"block-on unknown", "block-on", "changed", []string{"`block-on` \"changed\" is not known", "all, new"}},
		{"block-on in another case", "block-on", "New", []string{"`block-on` \"New\" is not known"}},
		{"on-error unknown", "on-error", "ignore", []string{"`on-error` \"ignore\"", "fail, warn"}},
		{"comment unknown", "comment", "sometimes", []string{"`comment` \"sometimes\"", "always, on-failure, never"}},
		{"comment-author not a login", "comment-author", "my app", []string{"`comment-author` \"my app\" is not a GitHub login", "my-app[bot]"}},
		{"command unknown", "command", "scan", []string{"`command` \"scan\"", "gate, doctor"}},
		{"start not bool", "start", "yes", []string{"`start` \"yes\" is not a boolean"}},
		{"wait-timeout unparsable", "wait-timeout", "30", []string{"`wait-timeout` \"30\" is not a duration", "30m"}},
		{"wait-timeout zero", "wait-timeout", "0s", []string{"must be positive"}},
		{"wait-timeout negative", "wait-timeout", "-5m", []string{"must be positive"}},
		{"language unknown", "language", "de", []string{"`language` \"de\" is not known: use one of en, ru"}},
		{"language empty", "language", "", []string{"`language` \"\" is not known: use one of en, ru"}},
		{"reuse-max-age unparsable", "reuse-max-age", "1 hour", []string{"`reuse-max-age` \"1 hour\" is not a duration", "0 to never reuse"}},
		{"reuse-max-age negative", "reuse-max-age", "-1h", []string{"`reuse-max-age` \"-1h\" must not be negative", "use 0"}},
		{"ca-cert missing file", "ca-cert", "/nonexistent/ca.pem", []string{"`ca-cert`: no file"}},
		{"ca-cert no pem", "ca-cert", "-----BEGIN NOTHING-----\n-----END NOTHING-----", []string{"holds no PEM certificate"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := validSettings()
			s[tc.key] = tc.value
			_, err := parseConfig(s, noFile)
			if err == nil {
				t.Fatalf("parseConfig accepted %s=%q", tc.key, tc.value)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestParseConfigAllErrorsTogether checks that every invalid input is
// reported at once.
func TestParseConfigAllErrorsTogether(t *testing.T) {
	t.Parallel()
	s := settings{"mode": "x", "on-error": "y", "comment": "z", "start": "maybe", "wait-timeout": "soon", "reuse-max-age": "later", "stage": "qa", "command": "gate", "block-on": "all", "language": "en"}
	_, err := parseConfig(s, noFile)
	if err == nil {
		t.Fatal("no error")
	}
	if got, want := len(strings.Split(err.Error(), "\n")), 10; got != want {
		t.Errorf("got %d errors, want %d:\n%v", got, want, err)
	}
}

func TestResolveSettingsPrecedence(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"INPUT_PROJECT":            "from-input",
		"CODESCORING_PROJECT":      "from-env",
		"CODESCORING_URL":          "https://env.example.com",
		"INPUT_WAIT-TIMEOUT":       "5m",
		"CODESCORING_WAIT_TIMEOUT": "9m",
		"INPUT_ON_ERROR":           "warn", // the underscore form is read too
		"INPUT_MODE":               "  ",   // blank means unset
		"CODESCORING_STAGE":        "build",
	}
	fs, vals := newFlagSet("t", io.Discard)
	if err := fs.Parse([]string{"--stage", "prod"}); err != nil {
		t.Fatal(err)
	}
	got := resolveSettings(fs, vals, func(k string) string { return env[k] })
	want := map[string]string{
		"project": "from-input", "url": "https://env.example.com", "wait-timeout": "5m",
		"on-error": "warn", "mode": "enforce", "stage": "prod", "start": "true", "comment": "always", "token": "",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestLoadCACert(t *testing.T) {
	t.Parallel()
	pemText := string(testcert.NewCA(t, "Corp CA", time.Now()))
	if _, err := loadCACert(pemText, noFile, i18n.English); err != nil {
		t.Errorf("PEM text: %v", err)
	}
	read := func(p string) ([]byte, error) {
		if p == "/etc/corp-ca.pem" {
			return []byte(pemText), nil
		}
		return nil, os.ErrNotExist
	}
	if _, err := loadCACert("/etc/corp-ca.pem", read, i18n.English); err != nil {
		t.Errorf("PEM file: %v", err)
	}
	_, err := loadCACert("/etc/other.pem", func(string) ([]byte, error) { return nil, errors.New("permission denied") }, i18n.English)
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("unreadable file: %v", err)
	}
}

// TestParseConfigAPIPaths: the api-paths input as a workflow's multi-line
// value or a comma-separated flag; a bad one is reported with the others.
func TestParseConfigAPIPaths(t *testing.T) {
	t.Parallel()
	s := validSettings()
	s["api-paths"] = "alerts=/api/sca/alerts/\nanalysis=/api/scans/{id}/\n"
	c, err := parseConfig(s, noFile)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.APIPaths.String(), "analysis=/api/scans/{id}/, alerts=/api/sca/alerts/"; got != want {
		t.Errorf("APIPaths = %q, want %q", got, want)
	}
	if c, err := parseConfig(validSettings(), noFile); err != nil || len(c.APIPaths) != 0 {
		t.Errorf("no api-paths: APIPaths = %v, %v", c.APIPaths, err)
	}
	s["api-paths"] = "alerts=/api/sca/alerts"
	s["mode"] = "loud"
	_, err = parseConfig(s, noFile)
	if err == nil {
		t.Fatal("bad api-paths and mode: no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.Contains(err.Error(), "`api-paths` alerts=/api/sca/alerts: the path must start and end with a slash") ||
		!strings.Contains(err.Error(), "`mode` \"loud\"") {
		t.Errorf("error = %v", err)
	}
}

// TestParseConfigURLAdviceOutsideActions checks that a refused URL's advice
// names the flag and variable outside GitHub Actions.
func TestParseConfigURLAdviceOutsideActions(t *testing.T) {
	t.Parallel()
	s := validSettings()
	s["url"] = "http://127.0.0.1:99999"
	_, err := parseConfigFor(s, noFile, gate.Audience{})
	want := `the CodeScoring URL http://127.0.0.1:99999 has the port "99999", not a number from 1 to 65535: ` +
		"set `--url` / `CODESCORING_URL` with the port CodeScoring listens on, e.g. http://127.0.0.1:8443"
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), " input") {
		t.Errorf("error = %v, want it to contain %q and name no input", err, want)
	}
}
