package simtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is what an injected fault does to a request.
type FaultKind int

// The kinds of fault. The zero FaultKind is no fault.
const (
	// FaultStatus answers Status (503 when zero) with a DRF-style JSON
	// {"detail"} body (Detail, or a default for the status), or with a
	// proxy's HTML error page when HTML is set. Use it also for 401, 403, 404.
	FaultStatus FaultKind = iota + 1
	// FaultRateLimit answers 429 with the Retry-After header RetryAfter
	// (seconds or an HTTP date; "1" when empty).
	FaultRateLimit
	// FaultSlow waits Delay before answering normally;
	// it gives up when the client does or the server is closed.
	FaultSlow
	// FaultHang never answers: it waits until the client gives up or the
	// server is closed.
	FaultHang
	// FaultTruncatedJSON answers normally, but with only the first half of
	// the body (a complete HTTP response of cut JSON).
	FaultTruncatedJSON
	// FaultInvalidJSON answers 200 application/json with a body that is not
	// JSON.
	FaultInvalidJSON
	// FaultLoginPage answers 200 text/html with a login form, as a single
	// sign-on proxy does.
	FaultLoginPage
	// FaultLargeBody answers 200 application/json with a JSON body of Size
	// bytes (33 MiB when zero), streamed without allocating it.
	FaultLargeBody
	// FaultReset closes the connection without an answer (a TCP reset where
	// the platform allows it).
	FaultReset
)

// faultNames are the names of the kinds, by kind.
var faultNames = []string{"none", "status", "rate-limit", "slow", "hang", "truncated-json",
	"invalid-json", "login-page", "large-body", "reset"}

// String returns the name of k, e.g. "status" or "rate-limit".
func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "fault(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a misbehaviour injected at run time with Server.Inject. It
// answers the requests that match Method, PathPrefix and QueryContains,
// before authentication (as a proxy in front of the server would).
type Fault struct {
	// Method matches any method when empty.
	Method string
	// PathPrefix is compared with the path below Options.Prefix, e.g.
	// "/api/sca/policy_alerts/"; empty matches every path.
	PathPrefix string
	// QueryContains, when set, must occur in the raw query, e.g. "page=3".
	QueryContains string
	Kind          FaultKind
	// Times is how many requests the fault answers before it is spent;
	// zero answers every matching request until it is removed.
	Times int

	Status     int           // FaultStatus
	HTML       bool          // FaultStatus
	Detail     string        // FaultStatus
	RetryAfter string        // FaultRateLimit
	Delay      time.Duration // FaultSlow
	Size       int64         // FaultLargeBody
}

// FaultID identifies an injected fault.
type FaultID int

// injected is an injected fault and how many requests it answered.
type injected struct {
	Fault
	hits int
}

// faultSet is the injected faults, first injected first matched; a spent
// fault stays, for FaultHits.
type faultSet struct {
	mu     sync.Mutex
	faults []*injected // FaultID n is faults[n-1]
}

// Inject adds a fault and returns its id. Faults are matched in the order
// they were injected; a spent fault no longer matches.
func (s *Server) Inject(f Fault) FaultID {
	fs := &s.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.faults = append(fs.faults, &injected{Fault: f})
	return FaultID(len(fs.faults))
}

// FaultHits returns how many requests the fault has answered, also after it
// was spent; 0 for an id Inject did not return.
func (s *Server) FaultHits(id FaultID) int {
	fs := &s.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if id < 1 || int(id) > len(fs.faults) {
		return 0
	}
	return fs.faults[id-1].hits
}

// match returns the first live fault for a request and counts it.
func (fs *faultSet) match(method, rel, rawQuery string, inPrefix bool) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, in := range fs.faults {
		switch {
		case in.Times > 0 && in.hits >= in.Times,
			in.Method != "" && !strings.EqualFold(in.Method, method),
			in.PathPrefix != "" && (!inPrefix || !strings.HasPrefix(rel, in.PathPrefix)),
			in.QueryContains != "" && !strings.Contains(rawQuery, in.QueryContains):
			continue
		}
		in.hits++
		return in.Fault, true
	}
	return Fault{}, false
}

// serveFault answers the request as f says. It returns true when the
// simulator should then answer it (after a FaultSlow delay).
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.Kind {
	case FaultSlow:
		select {
		case <-time.After(f.Delay):
			return true
		case <-r.Context().Done():
		case <-s.done:
			hangUp(w, false)
		}
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.done:
			hangUp(w, false)
		}
	case FaultStatus:
		writeStatusFault(w, f)
	case FaultRateLimit:
		retry := f.RetryAfter
		if retry == "" {
			retry = "1"
		}
		w.Header().Set("Retry-After", retry)
		msg := "Request was throttled."
		if n, err := strconv.Atoi(retry); err == nil {
			msg = fmt.Sprintf("Request was throttled. Expected available in %d seconds.", n)
		}
		writeDetail(w, http.StatusTooManyRequests, msg)
	case FaultTruncatedJSON:
		full := httptest.NewRecorder()
		s.sim.ServeHTTP(full, r)
		for k, v := range full.Header() {
			w.Header()[k] = v
		}
		body := full.Body.Bytes()
		body = body[:len(body)/2]
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(full.Code)
		_, _ = w.Write(body) // the client may be gone
	case FaultInvalidJSON:
		writeRaw(w, http.StatusOK, "application/json", invalidJSON)
	case FaultLoginPage:
		writeRaw(w, http.StatusOK, "text/html; charset=utf-8", loginPage)
	case FaultLargeBody:
		s.writeLargeBody(w, r, f.Size)
	case FaultReset:
		hangUp(w, true)
	default:
		writeDetail(w, http.StatusInternalServerError, "unknown simulator fault "+f.Kind.String())
	}
	return false
}

const invalidJSON = `{"count": 1, "next": null, "previous": null, "results": [{"id": 1,]}` + "\n"

const loginPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in | CodeScoring</title></head>
<body>
<form method="post" action="/auth/login/">
<label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`

var statusDetail = map[int]string{
	http.StatusBadRequest:          "Bad request.",
	http.StatusUnauthorized:        "Invalid token.",
	http.StatusForbidden:           "You do not have permission to perform this action.",
	http.StatusNotFound:            "Not found.",
	http.StatusConflict:            "Conflict.",
	http.StatusTooManyRequests:     "Request was throttled.",
	http.StatusInternalServerError: "A server error occurred.",
	http.StatusNotImplemented:      "Not implemented.",
	http.StatusBadGateway:          "Bad gateway.",
	http.StatusServiceUnavailable:  "Service temporarily unavailable, try again later.",
	http.StatusGatewayTimeout:      "Gateway timeout.",
}

func writeStatusFault(w http.ResponseWriter, f Fault) {
	code := f.Status
	if code == 0 {
		code = http.StatusServiceUnavailable
	}
	if f.HTML {
		title := fmt.Sprintf("%d %s", code, http.StatusText(code))
		page := "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
			"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
		writeRaw(w, code, "text/html", page)
		return
	}
	detail := f.Detail
	if detail == "" {
		detail = statusDetail[code]
	}
	if detail == "" {
		detail = http.StatusText(code)
	}
	writeDetail(w, code, detail)
}

func writeDetail(w http.ResponseWriter, code int, detail string) {
	b, _ := json.Marshal(map[string]string{"detail": detail}) // a map of strings always encodes
	writeRaw(w, code, "application/json", string(b))
}

func writeRaw(w http.ResponseWriter, code int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body)) // the client may be gone
}

// DefaultLargeBody is the size of a FaultLargeBody body when Size is zero.
const DefaultLargeBody = 33 << 20

// writeLargeBody streams a valid JSON page of size bytes: one result with a
// long padding string.
func (s *Server) writeLargeBody(w http.ResponseWriter, r *http.Request, size int64) {
	const head = `{"count": 1, "next": null, "previous": null, "results": [{"id": 1, "padding": "`
	const tail = `"}]}`
	if size == 0 {
		size = DefaultLargeBody
	}
	size = max(size, int64(len(head)+len(tail)))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(head)); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte{'x'}, 32<<10)
	for left := size - int64(len(head)+len(tail)); left > 0; {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		default:
		}
		n := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		left -= n
	}
	_, _ = w.Write([]byte(tail)) // the client may be gone
}

// hangUp closes the connection under the request without an answer, with
// a TCP reset where the platform allows when reset is set. Without a
// connection to take over (HTTP/2, testnet.Memory) it aborts the handler,
// which the server, or Memory, turns into a connection error.
func hangUp(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0) // best effort: a plain close is a reset enough
	}
	_ = conn.Close()
}
