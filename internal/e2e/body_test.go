package e2e_test

import (
	"bytes"
	"net/http"
	"runtime"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// TestHugeBodyMemoryBounded answers the policies with 256 MiB, once with a
// Content-Length and once streamed without one: the gate refuses the answer
// with a clear error and allocates far less than the body. It is not
// parallel, so that the allocation count is this run's alone.
func TestHugeBodyMemoryBounded(t *testing.T) {
	const size = 256 << 20
	cases := []struct {
		name  string
		opts  csOptions
		fault *simtest.Fault
		// most is the bound on the bytes the run allocates.
		most uint64
	}{
		{
			name:  "declared length",
			fault: &simtest.Fault{PathPrefix: pathPolicies, Kind: simtest.FaultLargeBody, Size: size},
			// Refused on the header: nothing of the body is read.
			most: 16 << 20,
		},
		{
			name: "streamed without a length",
			opts: csOptions{Front: func(_ *csServer, w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != pathPolicies {
					return false
				}
				streamJSON(w, r, size)
				return true
			}},
			// Read up to the 32 MiB limit, then dropped.
			most: 80 << 20,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// On a socket: an in-memory answer would be all in memory.
			tc.opts.Socket = true
			cs := startCS(t, tc.opts)
			if tc.fault != nil {
				cs.Sim.Inject(*tc.fault)
			}
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)

			r := runGate(t, cs, nil, runOptions{Push: true})

			runtime.ReadMemStats(&m1)
			wantResult(t, r, 2, errorVerdict)
			wantIn(t, "the log", r.out(), "What failed: read policies: response from /api/policies/ is larger than 32 MiB")
			t.Logf("allocated %d MiB", (m1.TotalAlloc-m0.TotalAlloc)>>20)
			if got := m1.TotalAlloc - m0.TotalAlloc; got > tc.most {
				t.Errorf("the run allocated %d MiB for a %d MiB answer, want at most %d MiB", got>>20, size>>20, tc.most>>20)
			}
		})
	}
}

// streamJSON writes a valid JSON page of about size bytes in chunks, without
// a Content-Length, until the client goes away.
func streamJSON(w http.ResponseWriter, r *http.Request, size int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"count": 1, "next": null, "previous": null, "results": [{"id": 1, "name": "`))
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for n := 0; n < size; n += len(chunk) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = w.Write([]byte(`"}]}`))
}
