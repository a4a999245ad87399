#!/usr/bin/env bash
# CI's check of the harness image (docker/lwm2m-conform.Dockerfile):
#  1. the image runs `lwm2m-conform run --sut reference --label x509` in a
#     container and writes the reports into a mounted directory;
#  2. the compose example's set-up (docker/compose.example.yaml, here with
#     plain `docker run`): the harness-docker image runs the validity cases
#     against a client under test it starts per case as a sibling container
#     (docker/examples/reference-docker.yaml).
# Each time, no container may be left. Usage: docker/test-harness-image.sh [REPORTS_DIR]
# Environment: LWM2M_CONFORM_HARNESS_BASE_IMAGE, LWM2M_CONFORM_DOCKER_CLI_IMAGE
# (base images for machines without a registry), ENGINE (docker or podman).
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-reports/harness-image}"
mkdir -p "$root"
root="$(cd "$root" && pwd)"
find "$root" -mindepth 1 -delete
engine="${ENGINE:-}"
if [ -z "$engine" ]; then
  if docker version >/dev/null 2>&1; then engine=docker; else engine=podman; fi
fi
export ENGINE="$engine" BASE_IMAGE="${LWM2M_CONFORM_HARNESS_BASE_IMAGE:-${BASE_IMAGE:-}}"
tag=lwm2m-conform:ci-test
label="org.lwm2m-conform.test=harness-image-$$"
# However this script ends (Ctrl-C included), its containers and the
# client containers they started go.
cleanup() {
  ids=$("$engine" ps -aq --filter "label=$label"; "$engine" ps -aq --filter "label=org.lwm2m-conform.sut")
  [ -z "$ids" ] || "$engine" rm -f $ids >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
check() { # DIR TESTS
  for f in junit.xml summary.md index.html results.json; do
    [ -s "$1/$f" ] || { echo "harness image: no $f in $1" >&2; exit 1; }
  done
  grep -q "tests=\"$2\"" "$1/junit.xml" || { echo "harness image: $1/junit.xml does not hold $2 cases" >&2; exit 1; }
  grep -q 'failures="0"' "$1/junit.xml" || { echo "harness image: failures in $1/junit.xml" >&2; exit 1; }
}
no_leftovers() {
  left=$("$engine" ps -aq --filter "label=$label"; "$engine" ps -aq --filter "label=org.lwm2m-conform.sut")
  [ -z "$left" ] || { echo "harness image: containers left: $left" >&2; "$engine" ps -a >&2; exit 1; }
}

# The previous build's images, so that rebuilds do not pile up untagged.
"$engine" rmi -f "$tag" "$tag-docker" >/dev/null 2>&1 || true

t0=$(date +%s)
docker/build-harness-image.sh "$tag" >/dev/null
t1=$(date +%s)
mkdir -p "$root/x509"
# As the caller's user, so that the reports are theirs.
"$engine" run --rm --label "$label" --user "$(id -u):$(id -g)" -v "$root/x509:/reports" \
  "$tag" run --sut reference --label x509 --out /reports
t2=$(date +%s)
check "$root/x509" 552
no_leftovers
echo "harness image: built in $((t1 - t0)) s, ran the x509 catalogue in $((t2 - t1)) s; reports in $root/x509"

if [ -z "${LWM2M_CONFORM_DOCKER_CLI_IMAGE:-}" ] && [ "$engine" != docker ]; then
  echo "harness image: LWM2M_CONFORM_DOCKER_CLI_IMAGE unset, the docker-run example is not tested" >&2
  exit 1
fi
TARGET=harness-docker DOCKER_CLI_IMAGE="${LWM2M_CONFORM_DOCKER_CLI_IMAGE:-}" docker/build-harness-image.sh "$tag-docker" >/dev/null
sock=/var/run/docker.sock
case "${DOCKER_HOST:-}" in unix://*) sock="${DOCKER_HOST#unix://}" ;; esac
mkdir -p "$root/docker-run"
t3=$(date +%s)
"$engine" run --rm --label "$label" -v "$sock:/var/run/docker.sock" -v "$root/docker-run:/reports" \
  -v "$PWD/docker/examples:/sut:ro" -e SUT_IMAGE="$tag" \
  "$tag-docker" run --sut /sut/reference-docker.yaml --label validity --parallel 1 --out /reports
t4=$(date +%s)
check "$root/docker-run" 24
sleep 2
no_leftovers
echo "harness image: the validity cases against client containers started by docker run took $((t4 - t3)) s; reports in $root/docker-run"
