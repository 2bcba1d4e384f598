package gate

import (
	"regexp"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// cveAlert is an alert of policy 12 on django 4.2.2 with a CVE.
func cveAlert() api.Alert {
	return api.Alert{
		ID: 5521, Policy: 12, PolicyName: "No critical CVEs", Status: api.AlertActive,
		DependencyPurl: "pkg:pypi/django@4.2.2", DependencyName: "django", DependencyVersion: "4.2.2",
		Technology: "python", VulnerabilityCode: "CVE-2024-38875",
	}
}

// licenseAlert is an alert of policy 30 on a GPL-licensed Maven artifact.
func licenseAlert() api.Alert {
	return api.Alert{
		ID: 7001, Policy: 30, PolicyName: "No GPL", Status: api.AlertActive,
		DependencyPurl: "pkg:maven/org.example.legacy/report-engine@3.1.0", DependencyName: "org.example.legacy:report-engine",
		DependencyVersion: "3.1.0", Technology: "java", LicenseCode: "GPL-3.0-only",
	}
}

func TestFingerprintIdentity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a, b api.Alert
		same bool
	}{
		{
			name: "same alert in another analysis (other id, time, status)",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.ID, a.Status, a.Level = 9100, api.AlertIgnored, "warning"
				return a
			}(),
			same: true,
		},
		{
			name: "version bump that keeps the CVE is the same finding",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl, a.DependencyVersion = "pkg:pypi/django@4.2.10", "4.2.10"
				return a
			}(),
			same: true,
		},
		{
			name: "new package with a CVE is another finding",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl, a.DependencyName, a.DependencyVersion = "pkg:pypi/pillow@9.0.0", "pillow", "9.0.0"
				a.VulnerabilityCode = "CVE-2023-50447"
				return a
			}(),
		},
		{
			name: "same CVE in another package is another finding",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl, a.DependencyName = "pkg:pypi/django-extra@4.2.2", "django-extra"
				return a
			}(),
		},
		{
			name: "another CVE in the same package is another finding",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.VulnerabilityCode = "CVE-2024-42005"
				return a
			}(),
		},
		{
			name: "another policy on the same CVE is another finding",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.Policy, a.PolicyName = 13, "No high CVEs"
				return a
			}(),
		},
		{
			name: "renamed policy with the same id is the same finding",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.PolicyName = "Critical vulnerabilities (CVSS ≥ 9)"
				return a
			}(),
			same: true,
		},
		{
			name: "CVE id in another case is the same finding",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.VulnerabilityCode = " cve-2024-38875 "
				return a
			}(),
			same: true,
		},
		{
			name: "license alert after a version bump is the same finding",
			a:    licenseAlert(),
			b: func() api.Alert {
				a := licenseAlert()
				a.DependencyPurl, a.DependencyVersion = "pkg:maven/org.example.legacy/report-engine@3.2.0", "3.2.0"
				return a
			}(),
			same: true,
		},
		{
			name: "license alert with another license is another finding",
			a:    licenseAlert(),
			b: func() api.Alert {
				a := licenseAlert()
				a.LicenseCode = "AGPL-3.0-only"
				return a
			}(),
		},
		{
			name: "license code in another case is the same finding",
			a:    licenseAlert(),
			b: func() api.Alert {
				a := licenseAlert()
				a.LicenseCode = "gpl-3.0-ONLY"
				return a
			}(),
			same: true,
		},
		{
			name: "license alert is not the vulnerability alert of the same code",
			a: func() api.Alert {
				a := licenseAlert()
				a.LicenseCode, a.VulnerabilityCode = "", "GPL-3.0-only"
				return a
			}(),
			b: licenseAlert(),
		},
		{
			name: "vulnerability code wins over a license code",
			a: func() api.Alert {
				a := cveAlert()
				a.LicenseCode = "BSD-3-Clause"
				return a
			}(),
			b:    cveAlert(),
			same: true,
		},
		{
			name: "policy alone: no code, version bump is the same finding",
			a: func() api.Alert {
				a := cveAlert()
				a.VulnerabilityCode = ""
				return a
			}(),
			b: func() api.Alert {
				a := cveAlert()
				a.VulnerabilityCode, a.DependencyPurl, a.DependencyVersion = "", "pkg:pypi/django@5.0.1", "5.0.1"
				return a
			}(),
			same: true,
		},
		{
			name: "policy alone is not the policy with a code",
			a: func() api.Alert {
				a := cveAlert()
				a.VulnerabilityCode = ""
				return a
			}(),
			b: cveAlert(),
		},
		{
			name: "purl absent: technology and name, version bump is the same finding",
			a: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = ""
				return a
			}(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl, a.DependencyVersion = "", "4.2.10"
				return a
			}(),
			same: true,
		},
		{
			name: "purl absent: same name in another technology is another finding",
			a: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = ""
				return a
			}(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl, a.Technology = "", "javascript"
				return a
			}(),
		},
		{
			name: "purl absent on one side: purl and name are different keys",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = ""
				return a
			}(),
		},
		{
			name: "purl without a version equals the purl with one",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "pkg:pypi/django"
				return a
			}(),
			same: true,
		},
		{
			name: "purl qualifiers and subpath are not part of the package",
			a: func() api.Alert {
				a := licenseAlert()
				a.DependencyPurl = "pkg:maven/org.example.legacy/report-engine@3.1.0?type=jar&classifier=all#lib"
				return a
			}(),
			b:    licenseAlert(),
			same: true,
		},
		{
			name: "npm scope percent-encoded or not, version bump",
			a: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "pkg:npm/%40angular/core@12.2.16"
				return a
			}(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "pkg:npm/@angular/core@17.0.0"
				return a
			}(),
			same: true,
		},
		{
			name: "npm scope is part of the package",
			a: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "pkg:npm/@angular/core@12.2.16"
				return a
			}(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "pkg:npm/core@12.2.16"
				return a
			}(),
		},
		{
			name: "long Go module path, pseudo-version bump",
			a: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "pkg:golang/github.com/hashicorp/go-retryablehttp/internal/deeply/nested@v0.0.0-20240101000000-abcdef123456"
				return a
			}(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "pkg:golang/github.com/hashicorp/go-retryablehttp/internal/deeply/nested@v0.7.7"
				return a
			}(),
			same: true,
		},
		{
			name: "purl type case does not matter",
			a:    cveAlert(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl = "PKG:PyPI/django@4.2.2"
				return a
			}(),
			same: true,
		},
		{
			name: "NUL in a field cannot fake a field boundary",
			a: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl, a.Technology, a.DependencyName = "", "python\x00x", "django"
				return a
			}(),
			b: func() api.Alert {
				a := cveAlert()
				a.DependencyPurl, a.Technology, a.DependencyName = "", "python", "x\x00django"
				return a
			}(),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fa, fb := Fingerprint(tc.a), Fingerprint(tc.b)
			if got := fa == fb; got != tc.same {
				t.Errorf("same finding = %t, want %t\n a: %q\n b: %q", got, tc.same, findingKey(tc.a), findingKey(tc.b))
			}
		})
	}
}

func TestFingerprintIsStableHex(t *testing.T) {
	t.Parallel()
	// The value is part of the product (GitLab Code Quality fingerprints,
	// report-json): it must not change between releases without a reason.
	got := Fingerprint(cveAlert())
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got) {
		t.Fatalf("Fingerprint = %q, want 32 lower-case hex digits", got)
	}
	const want = "5b4541d04abab7181157e2b738708476" // sha256 of "csg-finding-v1\x0012\x00purl:pypi/django\x00vuln:CVE-2024-38875", first 16 bytes
	if got != want {
		t.Errorf("Fingerprint(cveAlert()) = %q, want %q (changed the identity rule? bump fingerprintVersion and this value)", got, want)
	}
}

func TestPurlWithoutVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"pkg:pypi/django@4.2.2", "pypi/django"},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "maven/org.apache.logging.log4j/log4j-core"},
		{"pkg:npm/%40babel/traverse@7.22.5", "npm/@babel/traverse"},
		{"pkg:npm/@babel/traverse@7.22.5", "npm/@babel/traverse"},
		{"pkg:golang/golang.org/x/net@v0.17.0#http2", "golang/golang.org/x/net"},
		{"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "deb/debian/curl"},
		{"pkg://npm/left-pad@1.3.0", "npm/left-pad"},
		{"  pkg:generic/openssl  ", "generic/openssl"},
		{"", ""},
		{"django@4.2.2", ""},
		{"https://pypi.org/project/django", ""},
		{"pkg:pypi", ""},
		{"pkg:pypi/", ""},
		{"pkg:/django", ""},
		{"pkg:npm/@scope", ""},
	} {
		if got := purlWithoutVersion(tc.in); got != tc.want {
			t.Errorf("purlWithoutVersion(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
