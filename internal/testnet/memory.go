package testnet

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
)

// Memory returns a RoundTripper that serves every request with h in the
// calling goroutine, without a socket: the handler sees the request as a
// server would (RequestURI, Host, RemoteAddr 127.0.0.1) and the request's
// context, so a handler that waits until the client gives up ends with it.
//
// It is what tests inside a testing/synctest bubble reach servers with:
// loopback connections are not durably blocking, and the goroutines an
// http.Transport keeps for idle connections would stop the bubble's clock
// from advancing. With Memory every wait of a request is the handler's own
// (a timer, a channel, the context), so fake time runs through it.
func Memory(h http.Handler) http.RoundTripper {
	return memory{h: h}
}

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
	m.h.ServeHTTP(rec, sr)
	if err := req.Context().Err(); err != nil {
		// A server that answers after the client gave up is not heard.
		return nil, err
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
