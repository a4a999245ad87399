#!/usr/bin/env bash
# Sets up a Docker-compatible container engine for the container-mode
# tests on a fresh Debian machine of CI's kind, and prints the environment
# the tests need as `export` lines (use: eval "$(bash .ci/container-engine.sh)").
#
# The engine is rootful Podman serving the Docker API on a unix socket.
# No image registry is reachable from CI, so the base images are made
# here: a Debian minbase root file system (debootstrap) imported as an
# image, and a Java 17 JRE image on top of it. Both are kept in Podman's
# storage, so later runs on the same machine reuse them. Logs go to
# stderr; stdout carries only the export lines.
set -euo pipefail
log() { echo "container-engine: $*" >&2; }
t0=$(date +%s)

SOCK=/run/podman/podman.sock
MINBASE=localhost/lwm2m-conform/minbase:bookworm
JRE=localhost/lwm2m-conform/jre:17
STATE=/var/lib/lwm2m-conform
here="$(cd "$(dirname "$0")" && pwd)"

# --- packages ---------------------------------------------------------
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v iptables >/dev/null || need+=(iptables)
command -v curl >/dev/null || need+=(curl)
dpkg -s netavark >/dev/null 2>&1 || need+=(netavark aardvark-dns)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# --- configuration ----------------------------------------------------
# crun fails on this machine kind's hybrid cgroup layout, runc works; no
# systemd to manage cgroups or journald to log to.
install -d /etc/containers
cat >/etc/containers/containers.conf <<'EOF'
# Written by lwm2m-conform's .ci/container-engine.sh.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
[network]
network_backend = "netavark"
EOF
cat >/etc/containers/storage.conf <<'EOF'
# Written by lwm2m-conform's .ci/container-engine.sh.
[storage]
driver = "overlay"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
EOF
# Published ports are forwarded by netavark's NAT rules.
sysctl -qw net.ipv4.ip_forward=1 >&2 || log "could not enable IP forwarding"

# --- the Docker API socket --------------------------------------------
ping() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }
if ping; then
  log "the Podman API already answers on $SOCK"
else
  install -d "$(dirname "$SOCK")" "$STATE"
  # Its own session: the service outlives this script, not the CI run's
  # machine (CI ends what a run leaves behind).
  setsid nohup podman system service --time=0 "unix://$SOCK" >"$STATE/podman-service.log" 2>&1 </dev/null &
  echo $! >"$STATE/podman-service.pid"
  for _ in $(seq 100); do ping && break; sleep 0.1; done
  ping || { log "the Podman API did not come up:"; tail -20 "$STATE/podman-service.log" >&2; exit 1; }
  log "Podman API on $SOCK (pid $(cat "$STATE/podman-service.pid"))"
fi

# --- base images --------------------------------------------------------
# The Debian mirror apt uses here (deb822 or one-line sources).
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/* *$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

if podman image exists "$MINBASE"; then
  log "$MINBASE is there (kept from an earlier run)"
else
  t=$(date +%s)
  root=$(mktemp -d /var/tmp/minbase.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  log "debootstrap --variant=minbase bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$STATE/debootstrap.log" 2>&1 \
    || { tail -20 "$STATE/debootstrap.log" >&2; exit 1; }
  # Keep the image small: no package lists or caches.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -c . | podman import --change 'CMD ["/bin/bash"]' - "$MINBASE" >&2
  rm -rf "$root"; trap - EXIT
  log "$MINBASE imported in $(( $(date +%s) - t )) s"
fi

if podman image exists "$JRE"; then
  log "$JRE is there (kept from an earlier run)"
else
  t=$(date +%s)
  # apt inside the build needs the host's network: CI's containers reach
  # nothing outside the machine.
  podman build --network host --build-arg BASE_IMAGE="$MINBASE" --build-arg MIRROR="$mirror" \
    -t "$JRE" -f "$here/../docker/jre.Dockerfile" "$here/../docker" >&2
  log "$JRE built in $(( $(date +%s) - t )) s"
fi

MAVEN=localhost/lwm2m-conform/maven:17
if podman image exists "$MAVEN"; then
  log "$MAVEN is there (kept from an earlier run)"
else
  t=$(date +%s)
  podman build --network host --build-arg BASE_IMAGE="$JRE" --build-arg MIRROR="$mirror" \
    -t "$MAVEN" -f "$here/../docker/maven.Dockerfile" "$here/../docker" >&2
  log "$MAVEN built in $(( $(date +%s) - t )) s"
fi

# The Docker CLI in an image, for the harness image's docker-run SUT
# profiles (docker/examples): this machine kind ships a static one.
DOCKER_CLI=localhost/lwm2m-conform/docker-cli:local
if podman image exists "$DOCKER_CLI"; then
  log "$DOCKER_CLI is there (kept from an earlier run)"
elif cli=$(command -v docker); then
  ctx=$(mktemp -d)
  cp "$cli" "$ctx/docker"
  printf 'FROM %s\nCOPY docker /usr/local/bin/docker\n' "$MINBASE" >"$ctx/Dockerfile"
  podman build -q -t "$DOCKER_CLI" "$ctx" >&2
  rm -rf "$ctx"
  log "$DOCKER_CLI built from $cli"
else
  log "no docker CLI here: the docker-run SUT example cannot be tested"
  DOCKER_CLI=
fi

log "ready in $(( $(date +%s) - t0 )) s"
cat <<EOF
export DOCKER_HOST=unix://$SOCK
export TESTCONTAINERS_RYUK_DISABLED=true
export LWM2M_CONFORM_LESHAN_BASE_IMAGE=$JRE
export LWM2M_CONFORM_HARNESS_BASE_IMAGE=$MINBASE
export LWM2M_CONFORM_DOCKER_CLI_IMAGE=$DOCKER_CLI
export LWM2M_CONFORM_MAVEN_IMAGE=$MAVEN
EOF
