package resultfile

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// Input is what every result file is made of.
type Input struct {
	// Outcome is the gate's result; a nil Outcome is an error verdict with
	// no error recorded.
	Outcome *gate.Outcome
	// ExitCode is the process exit code of this run (0, 1 or 2).
	ExitCode int
	// Version is the gate's version.
	Version string
	// BadInput is true when the run stopped on invalid inputs: nothing was
	// sent to CodeScoring.
	BadInput bool
	// CommentURL is the pull or merge request comment, when one is current.
	CommentURL string
}

// outcome returns in.Outcome, or an error outcome for nil.
func (in Input) outcome() *gate.Outcome {
	if in.Outcome == nil {
		return &gate.Outcome{Verdict: gate.VerdictError}
	}
	return in.Outcome
}

// categories lists a decision's findings in the order the files show them.
func categories(d *gate.Decision) [][]gate.Finding {
	if d == nil {
		return nil
	}
	return [][]gate.Finding{d.Blocking, d.Upcoming, d.Warnings, d.Ignored, d.Resolved}
}

// policyName is the finding's policy name as the policy list says, else as
// the alert says.
func policyName(f gate.Finding) string {
	if f.Policy != nil && f.Policy.Name != "" {
		return f.Policy.Name
	}
	if f.Alert.PolicyName != "" {
		return f.Alert.PolicyName
	}
	return "policy " + strconv.FormatInt(f.Alert.Policy, 10)
}

// subject names the finding's dependency and problem in one line, e.g.
// "django 4.2.2: CVE-2024-38875".
func subject(f gate.Finding) string {
	a := f.Alert
	s := strings.TrimSpace(a.DependencyName + " " + a.DependencyVersion)
	if s == "" {
		s = "(no dependency named)"
	}
	switch {
	case a.VulnerabilityCode != "":
		s += ": " + a.VulnerabilityCode
	case a.LicenseCode != "":
		s += ": license " + a.LicenseCode
	}
	return s
}

// httpURL returns s when it is an absolute http(s) URL, else "".
func httpURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// fingerprint is the finding identity of issue #12 (same policy id, same
// package without its version, same vulnerability or license code).
// TODO(#12): this is provisionalFingerprint until gate.Fingerprint lands;
// then it becomes gate.Fingerprint, which hashes the same rule.
var fingerprint = provisionalFingerprint

// provisionalFingerprint stands in for gate.Fingerprint with the same
// identity rule and the same hash, so that swapping it changes no file.
func provisionalFingerprint(f gate.Finding) string {
	a := f.Alert
	clean := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\x00", "")) }
	var b strings.Builder
	b.WriteString("csg-finding-v1\x00")
	b.WriteString(strconv.FormatInt(a.Policy, 10))
	b.WriteByte(0)
	if p := purlWithoutVersion(clean(a.DependencyPurl)); p != "" {
		b.WriteString("purl:" + p)
	} else {
		b.WriteString("pkg:" + strings.ToLower(clean(a.Technology)) + "/" + clean(a.DependencyName))
	}
	b.WriteByte(0)
	switch {
	case clean(a.VulnerabilityCode) != "":
		b.WriteString("vuln:" + strings.ToUpper(clean(a.VulnerabilityCode)))
	case clean(a.LicenseCode) != "":
		b.WriteString("license:" + strings.ToLower(clean(a.LicenseCode)))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}

func purlWithoutVersion(s string) string {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || !strings.EqualFold(scheme, "pkg") {
		return ""
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimLeft(rest, "/")
	if slash := strings.LastIndexByte(rest, '/'); slash >= 0 {
		if at := strings.LastIndexByte(rest[slash:], '@'); at > 0 {
			rest = rest[:slash+at]
		}
	}
	typ, path, ok := strings.Cut(rest, "/")
	if !ok || typ == "" || strings.Trim(path, "/") == "" {
		return ""
	}
	if dec, err := url.PathUnescape(path); err == nil {
		path = dec
	}
	return strings.ToLower(typ) + "/" + strings.Trim(path, "/")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
