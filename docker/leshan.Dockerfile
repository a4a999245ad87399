# Leshan interop peers of lwm2m-conform: one image with the LwM2M server and
# client (Leshan 2.0.0-M18) and the bootstrap server (Leshan 2.0.0-M15).
#
# Nothing is downloaded during the build: the context holds the jars that
# package peers/leshan built on the host and checked against Maven
# Central's .sha1 (peers/), one Java argument file per peer (class path,
# main class and the JVM flags of process mode) and the launcher. Package
# peers/leshan assembles that context and builds this file once per
# content hash, tagged lwm2m-conform/leshan-peers:<hash> (and :latest).
#
#   docker run --rm -p 127.0.0.1:5684:5684/udp -p 127.0.0.1:8080:8080 lwm2m-conform/leshan-peers server
#   docker run --rm lwm2m-conform/leshan-peers bsserver --help
#
# The servers listen on 5683/udp (CoAP), 5684/udp (CoAPS) and 8080/tcp
# (REST API); no EXPOSE, so that a client container started on the host's
# network publishes nothing.
#
# BASE_IMAGE is any Java 17 runtime with a POSIX shell and `java` on PATH.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
COPY peers/ /opt/leshan-peers/
COPY leshan-peer.sh /usr/local/bin/leshan-peer
# Each container gets this fresh directory for Californium3.*.properties.
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/leshan-peer"]
CMD ["server"]
