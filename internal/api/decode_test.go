package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type idOnly struct {
	ID int64 `json:"id"`
}

func TestDecodePage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    string
		want    page[idOnly]
		wantErr bool
	}{
		{name: "envelope", data: `{"count": 3, "next": "http://x/?page=2", "previous": null, "results": [{"id": 1}]}`,
			want: page[idOnly]{Results: []idOnly{{1}}, Count: 3, Next: "http://x/?page=2"}},
		{name: "envelope without count", data: `{"next": null, "results": []}`,
			want: page[idOnly]{Results: []idOnly{}, Count: -1}},
		{name: "negative count is unknown", data: `{"count": -1, "results": []}`,
			want: page[idOnly]{Results: []idOnly{}, Count: -1}},
		{name: "bare array", data: " \n[{\"id\": 1}, {\"id\": 2}]",
			want: page[idOnly]{Results: []idOnly{{1}, {2}}, Bare: true, Count: -1}},
		{name: "empty next", data: `{"next": "  ", "results": []}`,
			want: page[idOnly]{Results: []idOnly{}, Count: -1}},
		{name: "results null", data: `{"count": 0, "results": null}`, wantErr: true},
		{name: "no results", data: `{"count": 0}`, wantErr: true},
		{name: "results not a list", data: `{"results": {"id": 1}}`, wantErr: true},
		{name: "not JSON", data: `OK`, wantErr: true},
		{name: "trailing garbage", data: `[] []`, wantErr: true},
		{name: "string count", data: `{"count": "3", "results": []}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodePage[idOnly]([]byte(tc.data))
			if tc.wantErr {
				if err == nil {
					t.Errorf("decodePage(%s) = %+v, want an error", tc.data, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodePage(%s): %v", tc.data, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("decodePage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeErrorBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		data   string
		want   errorBody
		wantOK bool
	}{
		{name: "detail", data: `{"detail": "Not found."}`, want: errorBody{Detail: "Not found."}, wantOK: true},
		{name: "409", data: `{"detail": "running", "analysis_id": 977}`,
			want: errorBody{Detail: "running", AnalysisID: 977}, wantOK: true},
		{name: "409 with a string id", data: `{"analysis_id": "977"}`, want: errorBody{AnalysisID: 977}, wantOK: true},
		{name: "409 with a null id", data: `{"analysis_id": null}`, want: errorBody{}, wantOK: true},
		{name: "fields", data: `{"a": ["x", "y"], "b": "z", "c": {"d": ["e"]}, "n": null}`,
			want:   errorBody{Fields: map[string][]string{"a": {"x", "y"}, "b": {"z"}, "c": {`{"d":["e"]}`}, "n": nil}},
			wantOK: true},
		{name: "list", data: `["x", ["y"]]`, want: errorBody{Detail: "x; y"}, wantOK: true},
		{name: "string", data: `"x"`, want: errorBody{Detail: "x"}, wantOK: true},
		{name: "number", data: `42`, want: errorBody{}, wantOK: true},
		{name: "empty", data: "  ", want: errorBody{}, wantOK: true},
		{name: "HTML", data: `<html>`, wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := decodeErrorBody([]byte(tc.data))
			if ok != tc.wantOK {
				t.Fatalf("decodeErrorBody(%s) ok = %v, want %v", tc.data, ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("decodeErrorBody (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBlockDelay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json    string
		want    time.Duration
		wantErr bool
	}{
		{json: `7`, want: 7 * 24 * time.Hour},
		{json: `0`, want: 0},
		{json: `null`, want: 0},
		{json: `0.5`, want: 12 * time.Hour},
		{json: `0.041666666666666664`, want: time.Hour},
		{json: `-2`, want: 0},
		{json: `"3"`, want: 3 * 24 * time.Hour},
		{json: `"1.25"`, want: 30 * time.Hour},
		{json: `""`, want: 0},
		{json: `1e300`, want: time.Duration(maxDaySeconds) * time.Second},
		{json: `"seven"`, wantErr: true},
		{json: `"NaN"`, wantErr: true},
		{json: `true`, wantErr: true},
		{json: `[7]`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.json, func(t *testing.T) {
			t.Parallel()
			var got wireDays
			err := json.Unmarshal([]byte(tc.json), &got)
			if (err != nil) != tc.wantErr {
				t.Fatalf("unmarshal %s: error %v, want error %v", tc.json, err, tc.wantErr)
			}
			if got.D != tc.want {
				t.Errorf("block_delay %s = %s, want %s", tc.json, got.D, tc.want)
			}
		})
	}
}

func TestWireInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json    string
		want    wireInt
		wantErr bool
	}{
		{json: `42`, want: wireInt{V: 42, Set: true}},
		{json: `-1`, want: wireInt{V: -1, Set: true}},
		{json: `" 42 "`, want: wireInt{V: 42, Set: true}},
		{json: `null`, want: wireInt{}},
		{json: `4.2`, wantErr: true},
		{json: `"x"`, wantErr: true},
		{json: `true`, wantErr: true},
		{json: `99999999999999999999`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.json, func(t *testing.T) {
			t.Parallel()
			var got wireInt
			err := json.Unmarshal([]byte(tc.json), &got)
			if (err != nil) != tc.wantErr {
				t.Fatalf("unmarshal %s: error %v, want error %v", tc.json, err, tc.wantErr)
			}
			if !tc.wantErr && got != tc.want {
				t.Errorf("unmarshal %s = %+v, want %+v", tc.json, got, tc.want)
			}
		})
	}
}

func TestWireStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json    string
		want    wireStrings
		wantErr bool
	}{
		{json: `["a", "b"]`, want: wireStrings{"a", "b"}},
		{json: `["a", null]`, want: wireStrings{"a"}},
		{json: `[]`, want: wireStrings{}},
		{json: `null`, want: nil},
		{json: `"a"`, want: wireStrings{"a"}},
		{json: `[1]`, wantErr: true},
		{json: `{}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.json, func(t *testing.T) {
			t.Parallel()
			var got wireStrings
			err := json.Unmarshal([]byte(tc.json), &got)
			if (err != nil) != tc.wantErr {
				t.Fatalf("unmarshal %s: error %v, want error %v", tc.json, err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("unmarshal %s (-want +got):\n%s", tc.json, diff)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{s: "short", n: 10, want: "short"},
		{s: "0123456789", n: 4, want: "0123…"},
		// "ф" is two bytes: a cut inside it moves back to its start.
		{s: "ффф", n: 3, want: "ф…"},
	}
	for _, tc := range tests {
		if got := truncate(tc.s, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestAlertSeverity(t *testing.T) {
	t.Parallel()
	score := func(v float64) *float64 { return &v }
	tests := []struct {
		name         string
		fields       string // JSON members added to an alert
		wantSeverity string
		wantScore    *float64
	}{
		{"none given", `"matched_criteria": ["license GPL-2.0-only is in the denied list"]`, "", nil},
		{"server severity and score", `"vulnerability_severity": "CRITICAL", "cvss_score": 9.8`, SeverityCritical, score(9.8)},
		{"server severity wins over the score", `"vulnerability_severity": "low", "cvss_score": 9.8`, SeverityLow, score(9.8)},
		{"score as a string", `"cvss_score": "7.5"`, SeverityHigh, score(7.5)},
		{"score rates the severity", `"cvss_score": 4`, SeverityMedium, score(4)},
		{"zero score is none", `"cvss_score": 0`, SeverityNone, score(0)},
		{"low score", `"cvss_score": 3.9`, SeverityLow, score(3.9)},
		{"score out of range is absent", `"cvss_score": 11, "matched_criteria": ["CVSS3 Score 5.0"]`, SeverityMedium, score(5)},
		{"score of another type is absent", `"cvss_score": {"v": 1}, "vulnerability_severity": 3`, "", nil},
		{"unknown severity rated from the score", `"vulnerability_severity": "urgent", "cvss_score": 9`, SeverityCritical, score(9)},
		{"null fields", `"vulnerability_severity": null, "cvss_score": null`, "", nil},
		{"score from the criteria", `"matched_criteria": ["log4j-core@2.14.1 has CVE-2021-44228, CVSS3 Score 10.0 >= 9.00"]`, SeverityCritical, score(10)},
		{"CVSS v3.1 base score", `"matched_criteria": ["x", "CVSS v3.1 base score: 6.1"]`, SeverityMedium, score(6.1)},
		{"CVSS2", `"matched_criteria": ["cvss2 score 4.3 >= 4"]`, SeverityMedium, score(4.3)},
		{"no score in the criteria", `"matched_criteria": ["CVSS3 Score is high", "score 9.9"]`, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := decodePage[wireAlert]([]byte(`[{"id": 1, "policy": 2, ` + tc.fields + `}]`))
			if err != nil {
				t.Fatalf("decodePage: %v", err)
			}
			a, err := p.Results[0].alert()
			if err != nil {
				t.Fatalf("alert: %v", err)
			}
			if a.Severity != tc.wantSeverity {
				t.Errorf("Severity = %q, want %q", a.Severity, tc.wantSeverity)
			}
			if diff := cmp.Diff(tc.wantScore, a.CVSSScore); diff != "" {
				t.Errorf("CVSSScore (-want +got):\n%s", diff)
			}
		})
	}
}
