package i18n

import "fmt"

// doctorEN is the English of doctor's report (its findings and fixes) and
// of the advice for the layers its checks name: a second map, merged into
// en, so that doctor's words live apart from the gate's.
var doctorEN = map[string]Message{
	// Options doctor cannot run without.
	"doctor.opt.check":      {Other: "check options"},
	"doctor.opt.run":        {Other: "run doctor"},
	"doctor.opt.url":        {Other: "the CodeScoring URL is missing: set %s to the installation root, e.g. https://codescoring.example.com"},
	"doctor.opt.token":      {Other: "the CodeScoring token is empty: set %s"},
	"doctor.opt.tokenspace": {Other: "the CodeScoring token has spaces or control characters: copy it again into %s"},
	"doctor.opt.project":    {Other: "the project is empty: set %s to a project id or exact name"},
	"doctor.opt.cacert":     {Other: "%s holds no PEM certificate: give one or more certificates, each from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----"},
	"doctor.opt.version":    {Other: "version %q has spaces"},
	"doctor.opt.timeout":    {Other: "timeout %s is negative"},

	// Words of several findings.
	"doctor.proxy":   {Other: "the proxy %s"},
	"doctor.unknown": {Other: "unknown"},
	"doctor.item":    {Other: "%q (id %d)"},
	"doctor.ago":     {Other: "%s ago"},
	"doctor.ago.not": {Other: "at an unknown time"},
	"doctor.dur.s":   {Other: "%ds"},
	"doctor.dur.m":   {Other: "%dm"},
	"doctor.dur.h":   {Other: "%dh"},
	"doctor.dur.d":   {Other: "%dd"},
	"doctor.issue":   {Other: "open an issue for codescoring-gate with the output of `codescoring-gate doctor --json`"},

	// The url, dns, tcp and tls checks.
	"doctor.url.root":         {Other: "%s is an installation root"},
	"doctor.url.prefix":       {Other: "%s is an installation under the path prefix %s"},
	"doctor.dns.notfound":     {Other: "%s does not resolve: no such host"},
	"doctor.dns.timeout":      {Other: "looking up %s timed out"},
	"doctor.dns.fail":         {Other: "%s does not resolve: %v"},
	"doctor.dns.ip":           {Other: "%s is an IP address: nothing to look up"},
	"doctor.dns.ok":           {Other: "%s resolves to %s"},
	"doctor.dns.resolved":     {Other: "%s resolves"},
	"doctor.reached":          {Other: "%s: reached by the first request (its transport does not say how)"},
	"doctor.tcp.fail":         {Other: "cannot connect to %s: %v"},
	"doctor.tcp.refused":      {Other: "nothing accepts connections at %s (connection refused)"},
	"doctor.tcp.timeout":      {Other: "%s did not accept a connection within %s"},
	"doctor.tcp.ok":           {Other: "connected to %s"},
	"doctor.tcp.okat":         {Other: "connected to %s (%s)"},
	"doctor.tls.loopback":     {Other: "not used: plain http to a loopback address"},
	"doctor.tls.plain":        {Other: "the URL is plain http: the token crosses the network unencrypted"},
	"doctor.tls.plain.fix":    {Other: "set %s to the https:// address of CodeScoring"},
	"doctor.tls.notls":        {Other: "%s does not speak TLS on that port"},
	"doctor.tls.hstimeout":    {Other: "the TLS handshake with %s did not finish within %s"},
	"doctor.tls.hsfail":       {Other: "the TLS handshake with %s failed: %v"},
	"doctor.tls.first":        {Other: "checked with the first request"},
	"doctor.tls.ok":           {Other: "%s, certificate %s, issued by %s, valid until %s"},
	"doctor.tls.expires":      {Other: "%s: it expires in %s"},
	"doctor.tls.renew":        {Other: "renew CodeScoring's TLS certificate: the gate cannot connect once it has expired"},
	"doctor.tls.unknownca":    {Other: "the TLS certificate of %s is signed by an authority this runner does not trust (issued by %s)"},
	"doctor.tls.unknownca.ca": {Other: "the TLS certificate of %s is signed by an authority this runner does not trust (issued by %s), nor does %s"},
	"doctor.tls.noissuer":     {Other: "an unknown issuer"},
	"doctor.tls.host":         {Other: "the TLS certificate of %s is not valid for that name (it is %s)"},
	"doctor.tls.othernames":   {Other: "other names"},
	"doctor.tls.expired":      {Other: "the TLS certificate of %s has expired or is not yet valid: %v"},
	"doctor.tls.invalid":      {Other: "the TLS certificate of %s is not valid: %v"},
	"doctor.cert.nonames":     {Other: "without host names"},
	"doctor.cert.for":         {Other: "for %s"},

	// What an answer's body is.
	"doctor.body.json":      {Other: "JSON"},
	"doctor.body.htmltitle": {Other: "an HTML page (%q)"},
	"doctor.body.html":      {Other: "an HTML page"},
	"doctor.body.yaml":      {Other: "YAML"},
	"doctor.body.empty":     {Other: "an empty body"},
	"doctor.body.type":      {Other: "a %q body"},
	"doctor.body.other":     {Other: "a body that is not JSON"},

	// Errors of the API client, as findings.
	"doctor.err.api":        {Other: "%s %s answered %s"},
	"doctor.err.api.html":   {Other: "%s %s answered %s as an HTML page"},
	"doctor.err.api.detail": {Other: "%s %s answered %s (%q)"},
	"doctor.err.html":       {Other: "%s %s answered %s with an HTML page instead of JSON"},
	"doctor.err.timeout":    {Other: "no answer to %s %s within %s"},
	"doctor.err.net":        {Other: "no answer to %s %s: %v"},
	"doctor.err.decode":     {Other: "%s answered JSON the gate cannot read: %v"},
	"doctor.err.large":      {Other: "%s answered more than %d MiB"},

	// The api and token checks.
	"doctor.api.html":             {Other: "%s answered %s with %s instead of JSON"},
	"doctor.api.ok":               {Other: "%s answers JSON (%s)"},
	"doctor.api.json":             {Other: "%s answers JSON"},
	"doctor.api.notjson":          {Other: "%s answered %s with %s, not JSON"},
	"doctor.api.notfound":         {Other: "%s answered %s: the API is not where the gate looks for it"},
	"doctor.api.status":           {Other: "%s answered %s"},
	"doctor.token.ok":             {Other: "accepted: its user may read projects"},
	"doctor.token.visible":        {Other: "accepted: its user may read projects (%d visible)"},
	"doctor.token.refused":        {Other: "CodeScoring refused the token: %s answered %s"},
	"doctor.token.noprojects":     {Other: "the token's user may not read projects: %s answered %s"},
	"doctor.token.policies":       {Other: "%s and policies (%d); not tested: the Developer or Owner role that starting an analysis needs"},
	"doctor.token.nopolicies":     {Other: "the token's user may read projects, but not policies: GET %s answered %s"},
	"doctor.token.policies.later": {Other: "%s; its policies could not be listed (see the policies check)"},

	// The project check.
	"doctor.project.badid":         {Other: "%q is not a valid project id"},
	"doctor.project.badid.fix":     {Other: "set %s to the id from the project's page in CodeScoring (ids start at 1), or to its exact name"},
	"doctor.project.near":          {Other: "no project is named %q; near matches: %s"},
	"doctor.project.near.fix":      {Other: "set %s to the exact name or the id of the project to gate"},
	"doctor.project.none":          {Other: "no project is named %q, and none has a similar name"},
	"doctor.project.none.fix":      {Other: "check %s (a whole name, case ignored) or use the project's id; the token's user sees only the projects it has a role on"},
	"doctor.project.ambiguous":     {One: "%d project is named %q: %s", Other: "%d projects are named %q: %s"},
	"doctor.project.ambiguous.fix": {Other: "set %s to the id of the project to gate"},
	"doctor.project.noid":          {Other: "no project has id %d (GET %s answered 404)"},
	"doctor.project.noid.fix":      {Other: "check %s: the id is in the project's page address in CodeScoring, and the token's user needs a role on it"},
	"doctor.project.forbidden":     {Other: "the token's user may not read project %s"},
	"doctor.project.lookup":        {Other: "look up the project: %s"},
	"doctor.project.ok":            {Other: "%q (id %d, type %s, policy stage %s)"},
	"doctor.project.notvcs":        {Other: "%s: CodeScoring analyses only VCS projects from their repository, so the gate cannot start its analyses"},
	"doctor.project.notvcs.fix":    {Other: "set %s to false: the gate then waits for the newest analysis of the project (e.g. one the CodeScoring CLI agent ran)"},

	// The analyses check.
	"doctor.analyses.list":        {Other: "list the project's analyses: %s"},
	"doctor.analyses.none":        {Other: "the project has no analyses yet"},
	"doctor.analyses.none.fix":    {Other: "run one in CodeScoring (or let the gate start the first) to see that its repository can be analysed"},
	"doctor.analysis.name":        {Other: "newest analysis %d"},
	"doctor.analysis.namebranch":  {Other: "newest analysis %d (%s)"},
	"doctor.analysis.succeeded":   {Other: "%s succeeded %s"},
	"doctor.analysis.failed":      {Other: "%s failed %s"},
	"doctor.analysis.canceled":    {Other: "%s canceled %s"},
	"doctor.analysis.failed.fix":  {Other: "look at the analysis in CodeScoring and fix its cause (repository access, branch, build files): the gate reports an analysis that does not succeed as an error (exit 2)"},
	"doctor.analysis.pending":     {Other: "%s is pending, started %s"},
	"doctor.analysis.inprogress":  {Other: "%s is in progress, started %s"},
	"doctor.analysis.stuck":       {Other: "%s: it may be stuck"},
	"doctor.analysis.stuck.fix":   {Other: "look at the analysis in CodeScoring: the gate attaches to a running analysis and waits for it until %s"},
	"doctor.analysis.unknown":     {Other: "%s has the status %q, which the gate does not know"},
	"doctor.analysis.unknown.fix": {Other: "the gate treats it as not finished and waits until %s: open an issue for codescoring-gate naming the status"},

	// The policies check.
	"doctor.stage.bad":          {Other: "stage %q is not a CodeScoring stage: the gate refuses it"},
	"doctor.stage.bad.fix":      {Other: "set %s to one of %s, or leave it empty"},
	"doctor.policies.list":      {Other: "list the policies: %s"},
	"doctor.policies.anystage":  {Other: "(no stage chosen: blockers of every stage count)"},
	"doctor.policies.atstage":   {Other: "at stage %s"},
	"doctor.policies.never":     {Other: "the gate can never fail: no active policy is a blocker %s"},
	"doctor.policies.elsewhere": {Other: "%s (blockers exist at %s)"},
	"doctor.policies.mark":      {Other: "mark a policy as Blocker in CodeScoring"},
	"doctor.policies.markstage": {Other: "mark a policy for stage %s as Blocker in CodeScoring"},
	"doctor.policies.orstage":   {Other: "%s, or set %s to %s"},
	"doctor.policies.ok":        {One: "%d active blocker policy %s: %s", Other: "%d active blocker policies %s: %s"},
	"doctor.policies.delayed":   {Other: "%s; %d with a delayed block"},

	// The endpoints check.
	"doctor.doc.notin":                  {Other: "not in the document"},
	"doctor.doc.method":                 {Other: "the document has %s only with %s"},
	"doctor.doc.nomethods":              {Other: "no methods"},
	"doctor.doc.slash":                  {Other: "the document has %s: the trailing slash differs from what the gate sends"},
	"doctor.doc.as":                     {Other: "as %s"},
	"doctor.doc.noanswer":               {Other: "no answer (%s)"},
	"doctor.doc.notopenapi":             {Other: "JSON that is not an OpenAPI document"},
	"doctor.doc.yaml":                   {Other: "YAML, which doctor does not read"},
	"doctor.doc.at":                     {Other: "%s at %s"},
	"doctor.ep.indoc":                   {Other: "in the OpenAPI document at %s"},
	"doctor.ep.nodoc":                   {Other: "no OpenAPI document in JSON (%s)"},
	"doctor.ep.needtoken":               {Other: "%s; probing the endpoints needs a token CodeScoring accepts"},
	"doctor.ep.needtoken.fix":           {Other: "fix the token first: doctor then probes the endpoints directly"},
	"doctor.ep.probes":                  {Other: "answering GET probes"},
	"doctor.ep.item":                    {Other: "%s %s (%s)"},
	"doctor.ep.all":                     {Other: "all %d endpoints the gate calls are present, %s"},
	"doctor.ep.failed":                  {Other: "%d of %d endpoints the gate calls are not served as it calls them, %s: %s"},
	"doctor.ep.warned":                  {Other: "%d of %d endpoints the gate calls are present, %s; unsure: %s"},
	"doctor.ep.confirm":                 {Other: "without the OpenAPI document doctor cannot confirm the endpoints it does not call: run the gate once on a test project to confirm them"},
	"doctor.ep.ifissue":                 {Other: "if the gate's calls to them fail, %s"},
	"doctor.ep.nothing":                 {Other: "nothing to do: the endpoints answer; the document would let doctor check them without calling them"},
	"doctor.fix.set":                    {Other: "set %s to %s, then run doctor again with it"},
	"doctor.fix.lost.nodoc":             {Other: "the gate fails where it calls %s: without the OpenAPI document doctor cannot suggest another path; if you know where this installation serves it, set `api-paths`, else %s"},
	"doctor.fix.lost":                   {Other: "the document has nothing like %s: if you know where this installation serves it, set `api-paths`, else %s"},
	"doctor.fix.unsure":                 {Other: "for %s no path of the document stands out (see the candidates below): set `api-paths` to the right one, else %s"},
	"doctor.presence.present":           {Other: "present"},
	"doctor.presence.missing":           {Other: "missing"},
	"doctor.presence.method_missing":    {Other: "method missing"},
	"doctor.presence.no_trailing_slash": {Other: "no trailing slash"},
	"doctor.presence.not_verified":      {Other: "not verified"},
	"doctor.probe.noproject":            {Other: "no project the token can read"},
	"doctor.probe.noanalysis":           {Other: "no analysis of the project"},
	"doctor.probe.noobject":             {Other: "no object of its kind"},
	"doctor.probe.post":                 {Other: "not verified: doctor never sends %s (it never starts an analysis or changes anything), and only the OpenAPI document could confirm it"},
	"doctor.probe.noid":                 {Other: "not verified: %s to probe it with"},
	"doctor.probe.status":               {Other: "GET %s answered %s"},
	"doctor.probe.allows":               {Other: "GET %s answered %s; it allows %s"},
	"doctor.probe.unverified":           {Other: "not verified: GET %s answered %s"},
	"doctor.probe.noanswer":             {Other: "not verified: %s"},
	"doctor.probe.json":                 {Other: "GET %s answered %s with JSON"},
	"doctor.probe.body":                 {Other: "not verified: GET %s answered %s with %s"},

	// Where the document may have an endpoint instead.
	"doctor.why.last":     {Other: "last segment %s"},
	"doctor.why.lastlike": {Other: "last segment %s like %s"},
	"doctor.why.below":    {Other: "below %s"},
	"doctor.why.words":    {Other: "other words %s"},
	"doctor.why.query":    {Other: "query parameters %s"},
	"doctor.why.noquery":  {Other: "no %s parameter"},
	"doctor.sugg.none":    {Other: "; no path of the document with %s and the same placeholders resembles it"},
	"doctor.sugg.best":    {One: "; likeliest replacement %[2]s (of %[1]d candidate)", Other: "; likeliest replacement %[2]s (of %[1]d candidates)"},
	"doctor.sugg.similar": {Other: "; no path of the document stands out: similar ones are %s"},

	// Advice (gate.Advice) by the layer a request failed at.
	"advice.net.dns":           {Other: "check the host name in %s, and that this runner's DNS knows it (an internal name may resolve only inside the company network or VPN); then %s"},
	"advice.net.proxy.dns":     {Other: "check the proxy's host name in `HTTPS_PROXY` / `HTTP_PROXY`, or add the CodeScoring host to `NO_PROXY`; then %s"},
	"advice.net.proxy.connect": {Other: "check the proxy's address in `HTTPS_PROXY` / `HTTP_PROXY`, or add the CodeScoring host to `NO_PROXY`; then %s"},
	"advice.net.plain":         {Other: "CodeScoring speaks plain http on that port: use http:// in %s, or the port that serves https"},
	"advice.tls.ca.given":      {Other: "%s does not hold the CA that issued CodeScoring's certificate: set it to the PEM certificate of that CA (and of any intermediate CA)"},
}

// init merges doctor's catalogs into the gate's. A key in both would hide
// one of the messages: that is a bug, which every test of the module finds.
func init() {
	for _, c := range []struct{ into, from map[string]Message }{{en, doctorEN}, {ru, doctorRU}} {
		for k, m := range c.from {
			if _, dup := c.into[k]; dup {
				panic(fmt.Sprintf("i18n: message %q is in doctor's catalog and the gate's", k))
			}
			c.into[k] = m
		}
	}
}
