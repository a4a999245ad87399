#!/bin/sh
# leshan-peer server|bsserver|client [flags]: starts one Leshan peer with
# the JVM flags, class path and main class of its argument file.
set -e
kind="${1:-}"
case "$kind" in
  server|bsserver|client) shift ;;
  *) echo "usage: leshan-peer server|bsserver|client [flags] (--help for the flags)" >&2; exit 2 ;;
esac
# exec: the JVM is PID 1 and gets the engine's SIGTERM (its shutdown hooks
# de-register the client and close the servers' sockets).
exec java $JAVA_OPTS "@/opt/leshan-peers/$kind.args" "$@"
