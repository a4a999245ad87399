#!/usr/bin/env bash
# Builds the harness image from docker/lwm2m-conform.Dockerfile: stages a
# context with a static lwm2m-conform (CGO_ENABLED=0) and fixtures/, then
# builds it with the engine's CLI (docker, else podman).
#
#   docker/build-harness-image.sh [TAG]        (default lwm2m-conform:latest)
#
# Environment: BASE_IMAGE (default debian:bookworm-slim), TARGET (harness or
# harness-docker), DOCKER_CLI_IMAGE (for harness-docker), ENGINE (the CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
tag="${1:-lwm2m-conform:latest}"
engine="${ENGINE:-}"
if [ -z "$engine" ]; then
  if docker version >/dev/null 2>&1; then engine=docker; else engine=podman; fi
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
CGO_ENABLED=0 go build -trimpath -o "$ctx/lwm2m-conform" ./cmd/lwm2m-conform
# The committed fixtures only: generated worlds are made at run time.
tar -C . --exclude=fixtures/generated -cf - fixtures | tar -C "$ctx" -xf -
args=(--target "${TARGET:-harness}" -t "$tag" -f docker/lwm2m-conform.Dockerfile)
[ -n "${BASE_IMAGE:-}" ] && args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
[ -n "${DOCKER_CLI_IMAGE:-}" ] && args+=(--build-arg "DOCKER_CLI_IMAGE=$DOCKER_CLI_IMAGE")
"$engine" build -q "${args[@]}" "$ctx" >/dev/null
echo "$tag"
