# lwm2m-conform as an image: the static binary (CGO_ENABLED=0) and the
# committed fixtures on a small base. The context is a directory holding
# the binary and fixtures/, which docker/build-harness-image.sh stages;
# nothing is compiled or downloaded during the build.
#
#   docker/build-harness-image.sh lwm2m-conform:latest
#   docker run --rm -v "$PWD/reports:/reports" lwm2m-conform run --sut reference --label x509 --out /reports
#
# Targets: `harness` (the default) and `harness-docker`, which adds the
# Docker CLI for SUT profiles that start the client under test with
# `docker run` (docker/compose.example.yaml).
ARG BASE_IMAGE=debian:bookworm-slim
ARG DOCKER_CLI_IMAGE=docker:28-cli

FROM ${DOCKER_CLI_IMAGE} AS docker-cli

FROM ${BASE_IMAGE} AS base
COPY lwm2m-conform /usr/local/bin/lwm2m-conform
COPY fixtures/ /opt/lwm2m-conform/fixtures/
# run, cases and reproduce find fixtures/ from the working directory up.
WORKDIR /opt/lwm2m-conform
ENTRYPOINT ["/usr/local/bin/lwm2m-conform"]
CMD ["run", "--sut", "reference", "--out", "/reports"]

FROM base AS harness-docker
COPY --from=docker-cli /usr/local/bin/docker /usr/local/bin/docker

# Last, so that a build without --target makes it.
FROM base AS harness
