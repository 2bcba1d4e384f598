package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

// TestBooleans reads every boolean field of policies and alerts in each
// spelling the server may send: JSON booleans and, before 2026.3.0, the
// strings "True"/"False" in any case; null and absence keep the field's
// default.
func TestBooleans(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tests := []struct {
		raw string // the field's JSON; empty: the field is absent
		// want of a policy's is_active and is_blocks_build, and of an
		// alert's is_blocks_build.
		active, blocks bool
		alert          *bool
	}{
		{raw: `true`, active: true, blocks: true, alert: &yes},
		{raw: `false`, active: false, blocks: false, alert: &no},
		{raw: `"True"`, active: true, blocks: true, alert: &yes},
		{raw: `"False"`, active: false, blocks: false, alert: &no},
		{raw: `"TRUE"`, active: true, blocks: true, alert: &yes},
		{raw: `" false "`, active: false, blocks: false, alert: &no},
		{raw: `null`, active: true, blocks: false, alert: nil},
		{raw: ``, active: true, blocks: false, alert: nil},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			t.Parallel()
			field := func(name string) string {
				if tc.raw == "" {
					return ""
				}
				return fmt.Sprintf(`, %q: %s`, name, tc.raw)
			}
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/policies/", jsonHandler(http.StatusOK,
				`[{"id": 12, "name": "p"`+field("is_active")+field("is_blocks_build")+`}]`))
			mux.HandleFunc("GET /api/sca/policy_alerts/", jsonHandler(http.StatusOK,
				`[{"id": 5521, "policy": 12`+field("is_blocks_build")+`}]`))
			env := newTestEnv(t, mux)
			pols, err := env.client.Policies(context.Background())
			if err != nil {
				t.Fatalf("Policies: %v", err)
			}
			if got := pols[0]; got.IsActive != tc.active || got.IsBlocksBuild != tc.blocks {
				t.Errorf("policy is_active, is_blocks_build = %v, %v; want %v, %v", got.IsActive, got.IsBlocksBuild, tc.active, tc.blocks)
			}
			alerts, err := env.client.Alerts(context.Background(), 340, 977)
			if err != nil {
				t.Fatalf("Alerts: %v", err)
			}
			got := alerts[0].IsBlocksBuild
			if (got == nil) != (tc.alert == nil) || (got != nil && *got != *tc.alert) {
				t.Errorf("alert is_blocks_build = %s, want %s", fmtBool(got), fmtBool(tc.alert))
			}
		})
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "nil"
	}
	return fmt.Sprint(*b)
}

// TestBooleansInvalid checks that a boolean the client cannot read is an
// error naming the object and the field, never false.
func TestBooleansInvalid(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{`"yes"`, `""`, `1`, `0`, `"1"`, `{}`, `[true]`} {
		t.Run(raw, func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct {
				path, body, want string
				call             func(*Client) error
			}{
				{"/api/policies/", `[{"id": 12, "is_active": true, "is_blocks_build": ` + raw + `}]`,
					"policy 12: is_blocks_build is " + raw + ", not true or false",
					func(c *Client) error { _, err := c.Policies(context.Background()); return err }},
				{"/api/policies/", `[{"id": 13, "is_active": ` + raw + `}]`,
					"policy 13: is_active is " + raw + ", not true or false",
					func(c *Client) error { _, err := c.Policies(context.Background()); return err }},
				{"/api/sca/policy_alerts/", `{"count": 1, "results": [{"id": 5521, "is_blocks_build": ` + raw + `}]}`,
					"alert 5521: is_blocks_build is " + raw + ", not true or false",
					func(c *Client) error { _, err := c.Alerts(context.Background(), 340, 977); return err }},
			} {
				mux := http.NewServeMux()
				mux.HandleFunc("GET "+tc.path, jsonHandler(http.StatusOK, tc.body))
				env := newTestEnv(t, mux)
				err := tc.call(env.client)
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("%s: error = %v, want a *DecodeError", tc.path, err)
				}
				checkContains(t, err.Error(), tc.want)
			}
		})
	}
}
