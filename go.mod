module github.com/codescoring-gate/codescoring-gate

go 1.25

require (
	github.com/cenkalti/backoff/v4 v4.3.0
	github.com/google/go-cmp v0.7.0
	github.com/google/go-github/v62 v62.0.0
	github.com/sethvargo/go-githubactions v1.4.0
)

require github.com/google/go-querystring v1.1.0 // indirect
