#!/usr/bin/env bash
# The HTTP comparison: one JVM, one Jetty, the same servlet at /open/hello (no filter), /nc/hello
# (filter, HS256, redis-cluster revocation, near-cache on) and /direct/hello (near-cache off),
# each loaded by wrk after a warm-up run. Prints requests/s, latency percentiles, ratios to /open
# and Redis commands per request.
#
# Usage: benchmarks/run-http.sh [--threads 2] [--connections 32] [--duration 10] [--warmup 5] [--rounds 1]
#                               [--store redis-cluster|memory] [--wrk wrk] [--port 0]
#   --rounds   more than 1: the paths in alternating rounds, each ratio to /open taken within a round
# The JDK is $JAVA_HOME (default: JDK 17). Builds benchmarks/target/jwtgate-benchmarks.jar when missing.
# Needs wrk: apt-get install wrk
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/jwtgate-benchmarks.jar"
# shellcheck source=benchmarks/jdk.sh
. "$root/benchmarks/jdk.sh"
for arg in "$@"; do
  case "$arg" in -h|--help) usage; exit 0 ;; esac
done
use_jdk "" # $JAVA_HOME, else JDK 17

if [ ! -f "$jar" ]; then
  (cd "$root" && JAVA_HOME="$jdk" ./mvnw -B -q -ntp -pl benchmarks -am package -DskipTests)
fi
exec "$jdk/bin/java" -cp "$jar" org.jwtgate.bench.HttpBenchmark "$@"
