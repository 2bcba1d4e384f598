package testnet

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
)

// Memory returns a RoundTripper that serves every request with h in the
// calling goroutine, without a socket: the handler sees the request as a
// server would (RequestURI, Host, RemoteAddr 127.0.0.1) and the request's
// context, so a handler that waits until the client gives up ends with it.
// A handler that panics with http.ErrAbortHandler, as one does that drops
// the connection without an answer, fails the round trip with
// ErrAborted, as a connection closed under the request does.
//
// It is what tests inside a testing/synctest bubble reach servers with:
// loopback connections are not durably blocking, and the goroutines an
// http.Transport keeps for idle connections would stop the bubble's clock
// from advancing. With Memory every wait of a request is the handler's own
// (a timer, a channel, the context), so fake time runs through it.
func Memory(h http.Handler) http.RoundTripper {
	return memory{h: h}
}

// ErrAborted is the error of a round trip whose handler aborted it.
var ErrAborted = errors.New("testnet: the server closed the connection without an answer")

type memory struct{ h http.Handler }

func (m memory) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	sr := req.Clone(req.Context())
	sr.Body = io.NopCloser(bytes.NewReader(body))
	sr.ContentLength = int64(len(body))
	sr.RequestURI = req.URL.RequestURI()
	sr.Host = req.URL.Host
	sr.RemoteAddr = "127.0.0.1:40000"
	sr.URL.Scheme, sr.URL.Host = "", ""
	rec := httptest.NewRecorder()
	if aborted := serve(m.h, rec, sr); aborted {
		return nil, ErrAborted
	}
	if err := req.Context().Err(); err != nil {
		// A server that answers after the client gave up is not heard.
		return nil, err
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// serve runs h, and reports whether it panicked with http.ErrAbortHandler;
// any other panic goes on.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (aborted bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler { //nolint:errorlint // net/http compares the panic value itself, unwrapped
				panic(v)
			}
			aborted = true
		}
	}()
	h.ServeHTTP(w, r)
	return false
}
