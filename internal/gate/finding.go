package gate

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// fingerprintVersion is the first field hashed into a Fingerprint: change it
// whenever the identity rule changes, so that an old fingerprint can never
// collide with a new one of another finding.
const fingerprintVersion = "csg-finding-v1"

// Fingerprint returns the identity of the finding a raises, the same in every
// analysis that raises it (docs/codescoring-api.md §5): 32 lower-case hex digits of a SHA-256
// over the policy id, the package without its version (the purl without
// `@version`, qualifiers and subpath, else the technology and name) and the
// vulnerability_code, else the license_code, else nothing (the policy alone).
// Alert ids, versions, policy names and statuses are not part of it: a
// version bump that keeps the CVE is the same finding, a renamed policy with
// the same id is the same policy. Fingerprint never fails; an alert with no
// package at all is identified by its policy and code.
func Fingerprint(a api.Alert) string {
	sum := sha256.Sum256([]byte(findingKey(a)))
	return hex.EncodeToString(sum[:16])
}

// FindingKeys are the identities of the findings of some alerts, by index,
// as Decide compares them (Fingerprint before hashing).
type FindingKeys []string

// KeysOf returns the finding keys of alerts, for DecideInput.BaselineKeys.
func KeysOf(alerts []api.Alert) FindingKeys {
	keys := make(FindingKeys, len(alerts))
	for i := range alerts {
		keys[i] = findingKey(alerts[i])
	}
	return keys
}

// findingKey is the readable form of the identity Fingerprint hashes. Its
// fields are separated by NUL, which none of them can contain after
// normalisation.
func findingKey(a api.Alert) string {
	var b strings.Builder
	b.Grow(len(fingerprintVersion) + 32 + len(a.DependencyPurl) + len(a.DependencyName) + len(a.VulnerabilityCode) + len(a.LicenseCode))
	b.WriteString(fingerprintVersion)
	b.WriteByte(0)
	b.WriteString(strconv.FormatInt(a.Policy, 10))
	b.WriteByte(0)
	writePackageKey(&b, a)
	b.WriteByte(0)
	switch {
	case clean(a.VulnerabilityCode) != "":
		// CVE and GHSA ids are case-insensitive.
		b.WriteString("vuln:" + strings.ToUpper(clean(a.VulnerabilityCode)))
	case clean(a.LicenseCode) != "":
		// SPDX ids compare case-insensitively.
		b.WriteString("license:" + strings.ToLower(clean(a.LicenseCode)))
	}
	return b.String()
}

// writePackageKey writes the package of a without its version:
// "purl:<type>/<namespace>/<name>" from the purl, else
// "pkg:<technology>/<name>".
func writePackageKey(b *strings.Builder, a api.Alert) {
	if typ, path := purlParts(a.DependencyPurl); typ != "" {
		b.WriteString("purl:")
		b.WriteString(typ)
		b.WriteByte('/')
		b.WriteString(path)
		return
	}
	b.WriteString("pkg:")
	b.WriteString(strings.ToLower(clean(a.Technology)))
	b.WriteByte('/')
	b.WriteString(clean(a.DependencyName))
}

// purlWithoutVersion returns "type/namespace/name" of a package URL
// ("pkg:type/namespace/name@version?qualifiers#subpath"), with the type in
// lower case and percent-encoding decoded (so "%40scope" and "@scope" agree);
// "" when s is not a purl. The version is after the last "@" of the last path
// segment, so an npm scope written as "@scope" is kept.
func purlWithoutVersion(s string) string {
	typ, path := purlParts(s)
	if typ == "" {
		return ""
	}
	return typ + "/" + path
}

// purlParts returns the type and "namespace/name" of purlWithoutVersion;
// typ is "" when s is not a purl.
func purlParts(s string) (typ, path string) {
	s = clean(s)
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || !strings.EqualFold(scheme, "pkg") {
		return "", ""
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimLeft(rest, "/") // "pkg://type/..." is tolerated by the spec
	if slash := strings.LastIndexByte(rest, '/'); slash >= 0 {
		if at := strings.LastIndexByte(rest[slash:], '@'); at > 0 {
			rest = rest[:slash+at]
		}
	}
	typ, path, ok = strings.Cut(rest, "/")
	path = strings.Trim(path, "/")
	if !ok || typ == "" || path == "" {
		return "", ""
	}
	if dec, err := url.PathUnescape(path); err == nil {
		path = dec
	}
	return strings.ToLower(typ), path
}

// clean trims s and drops NUL bytes, so that no field can fake a separator.
func clean(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\x00", ""))
}
