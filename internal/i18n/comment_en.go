package i18n

// commentEN is the English of what the GitHub comment and the GitLab note
// answer (githubpr.Result.Message, a policy that skips, a token without
// the right, a newer commit), merged into en by init. What GitHub or
// GitLab sent stays an argument, as it came. It also has the problems of
// an `api-paths` value (api.ParsePaths).
var commentEN = map[string]Message{
	// GitHub's pull request comment.
	"pr.never":         {Other: "comment policy is never: the pull request comment is left alone"},
	"pr.onfailure":     {Other: "comment policy is on-failure and nothing fails: no comment posted"},
	"pr.unchecked":     {Other: "could not read pull request #%d to check that no newer commit is being analysed (GitHub answered %d): give the workflow `permissions: pull-requests: write`"},
	"pr.stale":         {Other: "the pull request comment was left alone: this run analysed commit %s, but the pull request's head is now %s, which a newer run is analysing; that run will update the comment"},
	"pr.denied":        {Other: "GitHub answered %d: the token may not %s pull request %s/%s#%d%s. %s"},
	"pr.denied.read":   {Other: "read the comments of"},
	"pr.denied.edit":   {Other: "edit its comment on"},
	"pr.denied.create": {Other: "comment on"},
	"pr.denied.said":   {Other: " (%s)"},
	"pr.denied.fork": {Other: "This pull request comes from a fork: GitHub makes the token of its runs read-only whatever the workflow asks for, so the result is in the job summary instead. " +
		"`pull_request_target` runs can comment, but they hold the base repository's secrets: use it only with care, and never build or run the fork's code there."},
	"pr.denied.grant": {Other: "Give the job `permissions: pull-requests: write` (it covers reading the pull request and writing its comments; `issues: write` is not needed). " +
		"On pull requests from forks the token is read-only whatever the workflow asks for, so the result is in the job summary instead; " +
		"`pull_request_target` can comment, but it holds the base repository's secrets: use it only with care."},
	// A step that failed (gate.SaidError), what to do, and what was done.
	"pr.do.list":        {Other: "list comments on %s"},
	"pr.do.get":         {Other: "get pull request %s"},
	"pr.do.edit":        {Other: "edit comment %d on %s"},
	"pr.do.create":      {Other: "create comment on %s"},
	"pr.do.user":        {Other: "get the token's user"},
	"pr.hint.token":     {Other: "GitHub rejected the token: pass a valid one, e.g. ${{ github.token }}"},
	"pr.done.created":   {Other: "created"},
	"pr.done.updated":   {Other: "updated"},
	"pr.done.unchanged": {Other: "unchanged"},

	// GitLab's merge request note.
	"mr.name":            {Other: "merge request !%d of project %s"},
	"mr.never":           {Other: "comment policy is never: the merge request note is left alone"},
	"mr.onfailure":       {Other: "comment policy is on-failure and nothing fails: no merge request note posted"},
	"mr.jobtoken":        {Other: "no merge request note on %s: the only GitLab token is CI_JOB_TOKEN, which can read merge request notes but not write them. %s"},
	"mr.denied":          {Other: "GitLab answered %d: %s %s %s. %s"},
	"mr.denied.may":      {Other: "the token may not"},
	"mr.denied.rejected": {Other: "GitLab rejected the token (wrong, expired or revoked), so it may not"},
	"mr.denied.read":     {Other: "read the notes of"},
	"mr.denied.edit":     {Other: "edit its note on"},
	"mr.denied.create":   {Other: "write notes on"},
	"mr.whichtoken": {Other: "Create a project access token with the `api` scope and the Reporter role (Settings → Access tokens; a group or personal one works too) " +
		"and store it as a masked CI/CD variable GITLAB_TOKEN; meanwhile the result is in the job log and the report files."},
	"mr.unchecked":        {Other: "could not read %s to check that no newer pipeline is analysing a newer commit (GitLab answered %d); the note was written anyway"},
	"mr.stale":            {Other: "the merge request note was left alone: this pipeline analysed commit %s, but the merge request's head is now %s, which a newer pipeline is analysing; that pipeline will update the note"},
	"mr.do.list":          {Other: "list notes of %s"},
	"mr.do.get":           {Other: "get %s"},
	"mr.do.edit":          {Other: "edit note %d on %s"},
	"mr.do.create":        {Other: "create a note on %s"},
	"mr.do.user":          {Other: "get the token's user (GET /user)"},
	"mr.hint.notfound":    {Other: "GitLab answered 404: the merge request or project is not visible to the token (check CI_MERGE_REQUEST_PROJECT_ID and that the token's user is a member)"},
	"mr.hint.certificate": {Other: "GitLab's TLS certificate is not trusted: the runner passes its CA in CI_SERVER_TLS_CA_FILE when it is registered with tls-ca-file"},
	"mr.done.created":     {Other: "created"},
	"mr.done.updated":     {Other: "updated"},
	"mr.done.unchanged":   {Other: "unchanged"},

	// The `api-paths` input: paths.bad frames each problem.
	"paths.bad":     {Other: "`api-paths` %s (the names and their defaults: %s)"},
	"paths.notpair": {Other: "%q is not name=path, e.g. alerts=/api/sca/alerts/"},
	"paths.unknown": {Other: "names no endpoint %q"},
	"paths.twice":   {Other: "names %s twice: give each endpoint one path"},
	"paths.path":    {Other: "%s=%s: %s"},
	"paths.slash":   {Other: "the path must start and end with a slash, as the default %s does"},
	"paths.plain":   {Other: "the path must be a plain URL path below the installation root, without a query, spaces, // or dot segments"},
	"paths.url":     {Other: "the path is not a URL path"},
	"paths.id.only": {Other: "the only placeholder is {id}, where the object's id goes, as in the default %s"},
	"paths.id.none": {Other: "the path takes no placeholder, as the default %s takes none"},
	"paths.id.keep": {Other: "the path must keep one {id} placeholder, where the object's id goes, as the default %s does"},
}
