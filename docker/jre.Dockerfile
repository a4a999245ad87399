# A Java 17 runtime on a Debian base, for machines without access to an
# image registry (CI builds it on the Debian minbase image it imports; see
# .ci/container-engine.sh). Elsewhere the Leshan image uses an official
# JRE image instead and this file is not needed.
#
#   docker build --network host --build-arg BASE_IMAGE=debian:bookworm-slim -t lwm2m-conform/jre:17 -f docker/jre.Dockerfile docker
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG MIRROR=http://deb.debian.org/debian
# The base's own sources list (debootstrap writes one), pointed at MIRROR.
RUN printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" >/etc/apt/sources.list \
 && rm -f /etc/apt/sources.list.d/*.sources \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb \
 && java -version
