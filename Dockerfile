# The codescoring-gate image: what `uses: ./` builds (action.yml on main says
# `image: Dockerfile`) and what the release workflow publishes to GHCR for
# linux/amd64 and linux/arm64 (released action.yml files point at that image).
#
# Base images are pinned by version tag. A digest (@sha256:...) would pin them
# to the byte, but digests could not be resolved where this file was written
# (no registry access); dependabot's docker updates (.github/dependabot.yml)
# bump the tags, and once a digest is added they keep it current too.

# Build: runs on the build machine's own platform and cross-compiles for the
# target one, so a multi-platform buildx build needs no emulation (QEMU).
FROM --platform=$BUILDPLATFORM golang:1.26.8-alpine AS build
WORKDIR /src

# Modules first, in their own layer: a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download

COPY . .

# TARGETOS and TARGETARCH are set by BuildKit (empty with the legacy builder,
# which then builds for its own platform, the only one it can run).
ARG TARGETOS
ARG TARGETARCH
# VERSION is the release tag (v1.2.3); `codescoring-gate version` prints it.
ARG VERSION=dev
# CGO_ENABLED=0: a static binary, no libc needed at run time.
# -trimpath: no build paths in the binary (reproducible builds).
# -s -w: no symbol table or DWARF: a smaller image.
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath \
      -ldflags "-s -w -X github.com/codescoring-gate/codescoring-gate/internal/app.version=${VERSION}" \
      -o /out/codescoring-gate .

# Run: distroless static carries CA certificates, tzdata and /etc/passwd, and
# no shell or package manager. Its `latest` tag is the root variant (`nonroot`
# is the other): there are no version tags, so pin it by digest when you can.
#
# No USER line on purpose: GitHub runs Docker actions as root, with the
# workspace and the files behind GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and
# GITHUB_EVENT_PATH mounted from the runner and owned by its user; a non-root
# user in the image could not read or write them. Outside GitHub, run the image
# with --user if you want one.
FROM gcr.io/distroless/static-debian13:latest
COPY --from=build /out/codescoring-gate /codescoring-gate
ENTRYPOINT ["/codescoring-gate"]
