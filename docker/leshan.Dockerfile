# Leshan interop peers of lwm2m-conform: one image with the LwM2M server and
# client (Leshan 2.0.0-M18) and the bootstrap server (Leshan 2.0.0-M15),
# built from the Maven project in peers/leshan/java.
#
#   docker build -f docker/leshan.Dockerfile -t lwm2m-conform/leshan-peers peers/leshan
#   docker run --rm -p 5683:5683/udp -p 5684:5684/udp -p 8080:8080 lwm2m-conform/leshan-peers server
#   docker run --rm lwm2m-conform/leshan-peers bsserver --help
#   docker run --rm lwm2m-conform/leshan-peers client -n ep -u coap://host:5683
#
# Package peers/leshan builds and runs it the same way in container mode.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY java/ ./
# -C: strict checksums, every artifact must match the .sha1 Maven Central
# publishes for it.
RUN mvn -B -q -C package dependency:copy-dependencies -DincludeScope=runtime \
 && for m in lwm2m bootstrap; do \
      mkdir -p /out/$m/lib \
      && cp $m/target/leshan-peers-$m-*.jar /out/$m/ \
      && cp $m/target/dependency/*.jar /out/$m/lib/ ; \
    done \
 && printf '%s\n' \
      '#!/bin/sh' \
      '# leshan-peer server|bsserver|client [flags]' \
      'set -e' \
      'kind="$1"; [ $# -gt 0 ] && shift' \
      'case "$kind" in' \
      '  server)   m=lwm2m;     main=org.lwm2mconform.leshan.lwm2m.ServerPeer ;;' \
      '  client)   m=lwm2m;     main=org.lwm2mconform.leshan.lwm2m.ClientPeer ;;' \
      '  bsserver) m=bootstrap; main=org.lwm2mconform.leshan.bootstrap.BootstrapServerPeer ;;' \
      '  *) echo "usage: leshan-peer server|bsserver|client [flags] (--help for the flags)" >&2; exit 2 ;;' \
      'esac' \
      'exec java $JAVA_OPTS -cp "/opt/leshan-peers/$m/*:/opt/leshan-peers/$m/lib/*" "$main" "$@"' \
      > /out/leshan-peer \
 && chmod 755 /out/leshan-peer

FROM eclipse-temurin:17-jre
COPY --from=build /out /opt/leshan-peers
ENV JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m"
# Each run gets this fresh directory for Californium3.*.properties.
WORKDIR /work
EXPOSE 5683/udp 5684/udp 8080/tcp
ENTRYPOINT ["/opt/leshan-peers/leshan-peer"]
CMD ["server"]
