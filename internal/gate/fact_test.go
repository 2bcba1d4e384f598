package gate

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// The gate's own errors say in English exactly what they said before they
// were keyed.
func TestErrorsSayTheirEnglish(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&CallError{Doing: say("doing.recent", int64(340)).In(i18n.English), Err: errors.New("x")}, "list recent analyses of project 340: x"},
		{&gateError{said: saying{say("doing.start", int64(340)), say("fact.queue.none", 20)}},
			"start analysis of project 340: CodeScoring says one is already running, but none of its 20 newest analyses is unfinished"},
		{&timeoutError{said: saying{say("fact.noanswer", say("doing.policies"), "5m", "5m1s"), say("fact.lastattempt", errors.New("refused"))}},
			"read policies: no answer from CodeScoring within the wait-timeout of 5m (waited 5m1s); the last attempt: refused"},
		{&cancelledError{said: saying{say("doing.wait", int64(977)), say("fact.cancelled"), say("fact.stillrunning", int64(977), api.StatusPending), say("fact.at", "https://h/p/1")}},
			"wait for analysis 977: cancelled; analysis 977 is still pending in CodeScoring: https://h/p/1"},
		{&gateError{said: saying{say("fact.internal", "boom")}}, "internal error: boom"},
		{&partError{part: say("fact.part.alerts"), Err: errors.New("x")}, "alerts: x"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
		if got := Fact(tc.err, i18n.English); got != tc.want {
			t.Errorf("Fact(en) = %q, want %q", got, tc.want)
		}
	}
	if !errors.Is(&cancelledError{said: saying{say("doing.wait", 1), say("fact.cancelled")}}, ErrCancelled) {
		t.Error("a cancelled call does not match ErrCancelled")
	}
}

// Fact says every error of the gate and of the API client in Russian with
// Lang ru, keeping what the server and the system said as they said it; in
// English it is Error().
func TestFactInRussian(t *testing.T) {
	t.Parallel()
	call := func(d said, err error) error { return &CallError{Doing: d.In(i18n.English), doing: d, Err: err} }
	server := "git clone failed: repository not found"
	errs := []error{
		&AnalysisError{ID: 977, Status: api.StatusFailed, Message: server},
		&AnalysisError{ID: 977, Status: api.StatusCanceled, Message: server},
		call(say("doing.getproject", int64(340)), &api.AttemptsError{Attempts: 3, Err: &api.APIError{Method: "GET", Path: "/api/projects/340/", StatusCode: 401, Detail: "Invalid token."}}),
		call(say("doing.findproject", "pay"), &api.ProjectNotFoundError{Name: "pay", Near: []api.Project{{ID: 1, Name: "payments"}}}),
		call(say("doing.findproject", "pay"), &api.AmbiguousProjectError{Name: "pay", Matches: []api.Project{{ID: 1, Name: "pay"}, {ID: 2, Name: "pay"}}}),
		call(say("doing.start", int64(340)), &api.APIError{Method: "POST", Path: "/api/x/", StatusCode: 502, NotJSON: true, ContentType: "text/html"}),
		call(say("doing.start", int64(340)), &api.APIError{Method: "POST", Path: "/api/x/", StatusCode: 400, FieldErrors: map[string][]string{"branch": {"This field is required."}}}),
		call(say("doing.status", int64(977)), &api.APIError{Method: "GET", Path: "/api/x/", StatusCode: 500, NotJSON: true, ContentType: "text/plain"}),
		call(say("doing.status", int64(977)), &api.APIError{Method: "GET", Path: "/api/x/", StatusCode: 500, NotJSON: true}),
		call(say("doing.policies"), &api.NetworkError{Method: "GET", Path: "/api/policies/", Host: "h", Err: errors.New("dial tcp: connection refused")}),
		call(say("doing.policies"), &api.NetworkError{Method: "GET", Path: "/api/policies/", Host: "h", Timeout: 30 * time.Second}),
		call(say("doing.policies"), &api.ProxyError{Host: "h", StatusCode: 407}),
		call(say("doing.policies"), &api.TLSError{Host: "h", Err: errors.New("x509: certificate signed by unknown authority")}),
		call(say("doing.alerts", int64(977)), &api.HTMLError{Method: "GET", Path: "/api/alerts/"}),
		call(say("doing.alerts", int64(977)), &api.TooLargeError{Path: "/api/alerts/", Limit: 64 << 20}),
		call(say("doing.alerts", int64(977)), &api.DecodeError{Path: "/api/alerts/", Endpoint: "alerts", Overridden: true, Err: &api.MissingFieldError{Object: "alert", Fields: []string{"id", "pk"}}}),
		call(say("doing.alerts", int64(977)), &api.DecodeError{Path: "/api/alerts/", Err: errors.New("unexpected EOF")}),
		call(say("doing.both", int64(977)), errors.Join(&partError{part: say("fact.part.policies"), Err: &api.APIError{Method: "GET", Path: "/p", StatusCode: 503}}, &partError{part: say("fact.part.alerts"), Err: &api.APIError{Method: "GET", Path: "/a", StatusCode: 503}})),
		call(say("doing.recent", int64(340)), &api.RedirectError{From: "http://h", To: "https://h/", StatusCode: 301, Method: "GET", Path: "/api/x"}),
		&timeoutError{said: saying{say("fact.noanswer", say("doing.policies"), "5m", "5m1s"), say("fact.lastattempt", &api.NetworkError{Method: "GET", Path: "/p", Host: "h", Err: errors.New("connection refused")})}},
		&timeoutError{said: saying{say("fact.timeout.analysis", int64(977), "30m", api.StatusPending, "30m"), say("fact.laststatus", errors.New("EOF")), say("fact.stillrunning", int64(977), api.StatusPending), say("fact.at", "https://h/p/1")}},
		&timeoutError{said: saying{say("fact.timeout.await", "commit 9fceb02", "30m"), say("fact.newest", int64(340), int64(976), "main @ 1234567", api.StatusSuccess)}},
		&timeoutError{said: saying{say("fact.timeout.await", "commit 9fceb02", "30m"), say("fact.noanalyses", int64(340))}},
		&cancelledError{said: saying{say("doing.await", "commit 9fceb02"), say("fact.cancelled")}},
		&gateError{said: saying{say("fact.noclient")}}, &gateError{said: saying{say("fact.noproject")}},
		&gateError{said: saying{say("fact.projectid", "99999999999999999999", errors.New(`strconv.ParseInt: parsing "99999999999999999999": value out of range`))}},
		&gateError{said: saying{say("fact.noresult.project")}}, &gateError{said: saying{say("fact.noresult.analysis")}},
		&gateError{said: saying{say("doing.start", int64(340)), say("fact.noresult.start")}},
		&gateError{said: saying{say("doing.start", int64(340)), say("fact.queue.finished", int64(976))}},
		&gateError{said: saying{say("fact.noneof", 20, int64(340), "main")}},
		&gateError{said: saying{say("fact.nothingtowait", int64(340))}},
		call(say("doing.readanalysis", int64(977)), &api.AttemptsError{Attempts: 1, Cause: errors.New("context canceled"), Err: errors.New("EOF")}),
		call(say("doing.wait", int64(977)), ErrCancelled),
	}
	// What is not the gate's words: quoted server text, paths, hosts, the
	// server's and the system's messages, HTTP reason phrases, values.
	kept := regexp.MustCompile(`"[^"]*"|/[^ ]*|` + regexp.QuoteMeta(server) +
		`|dial tcp: connection refused|connection refused|x509: certificate signed by unknown authority|unexpected EOF|EOF|context canceled|strconv.ParseInt: parsing|value out of range|` +
		`Unauthorized|Bad Gateway|Bad Request|Internal Server Error|Service Unavailable|Proxy Authentication Required|Moved Permanently|text/html|text/plain|` +
		`failed|canceled|running|done|main|commit|wait-timeout|api-paths|start|alerts?\b|id|pk|https?:`)
	english := regexp.MustCompile(`\b(the|of|is|no|not|with|from|answered|analysis|project|read|list|get|find|gave|after|attempts?|cancelled|within|waited|status|policies|reach|verify|returned|or|named|near|matches)\b`)
	for _, err := range errs {
		if got := Fact(err, i18n.English); got != err.Error() {
			t.Errorf("Fact(en) = %q, Error() = %q", got, err.Error())
		}
		ru := Fact(err, i18n.Russian)
		if ru == err.Error() {
			t.Errorf("Fact(ru) is the English %q", ru)
		}
		if w := english.FindString(kept.ReplaceAllString(ru, "")); w != "" {
			t.Errorf("Fact(ru) = %q has the English word %q", ru, w)
		}
		if strings.Contains(err.Error(), server) && !strings.Contains(ru, server) {
			t.Errorf("Fact(ru) = %q lost the server's message", ru)
		}
	}
}

// What is wrong with the `url` input: in English exactly api.URLError's
// message for every problem, in Russian the gate's words around the URL
// and the parser's reason as they are.
func TestURLFact(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  *api.URLError
		want string
	}{
		{&api.URLError{Problem: api.URLEmpty}, "адрес CodeScoring пуст"},
		{&api.URLError{Problem: api.URLUnparsable, Detail: `invalid port ":99x" after host`}, `адрес CodeScoring — не URL (invalid port ":99x" after host)`},
		{&api.URLError{URL: "codescoring.example.com", Problem: api.URLScheme}, "адрес CodeScoring codescoring.example.com не начинается с https:// или http://"},
		{&api.URLError{URL: "https:///x", Problem: api.URLNoHost}, "адрес CodeScoring https:///x не содержит имени хоста"},
		{&api.URLError{URL: "https://h", Problem: api.URLCredentials}, "адрес CodeScoring https://h содержит имя пользователя или пароль"},
		{&api.URLError{URL: "https://h/?x", Problem: api.URLQuery, Suggested: "https://h/"}, "адрес CodeScoring https://h/?x содержит запрос или фрагмент (после ? или #)"},
		{&api.URLError{URL: "https://h:", Problem: api.URLEmptyPort}, "адрес CodeScoring https://h: содержит пустой порт после двоеточия за именем хоста"},
		{&api.URLError{URL: "https://h:99999", Problem: api.URLBadPort, Detail: "99999"}, `адрес CodeScoring https://h:99999 содержит порт "99999", а не число от 1 до 65535`},
		{&api.URLError{URL: "https://h/cs/api", Problem: api.URLIntoAPI}, "адрес CodeScoring https://h/cs/api указывает внутрь API (/api), а не на установку"},
		{&api.URLError{URL: "https://h", Problem: api.URLProblem(99)}, "адрес CodeScoring https://h использовать нельзя"},
	} {
		if got, want := urlFact(tc.err).String(), tc.err.Error(); got != want {
			t.Errorf("problem %d in English = %q, want api's %q", tc.err.Problem, got, want)
		}
		if got := Fact(tc.err, i18n.Russian); got != tc.want {
			t.Errorf("problem %d in Russian = %q, want %q", tc.err.Problem, got, tc.want)
		}
	}
}
