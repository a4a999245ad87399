# Maven on a Java 17 JDK from Debian, for machines without a registry (CI):
# container mode runs the peers' Maven build in it when the host has no mvn.
# Elsewhere the official maven:3.9-eclipse-temurin-17 image does that.
#
#   docker build --network host --build-arg BASE_IMAGE=debian:bookworm-slim -t lwm2m-conform/maven:17 -f docker/maven.Dockerfile docker
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG MIRROR=http://deb.debian.org/debian
RUN printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" >/etc/apt/sources.list \
 && rm -f /etc/apt/sources.list.d/*.sources \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb \
 && mvn -v
