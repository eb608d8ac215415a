#!/usr/bin/env bash
# What users run, measured as they would: JwtGate in a WAR in the official Tomcat 11 distribution
# (TomcatWarBenchmark): /app/api/hello behind the filter (HS256, redis-cluster revocation on a real
# 3+3 cluster, near-cache on) against /app/public/hello (paths.exclude), the same Authorization
# header on both; wrk -t2 -c32, 7 alternating rounds of 5 s after a 10 s warm-up of each; per-round
# protected / public ratios, their median and range. With --before-jar, a second Tomcat runs the
# same WAR with that jwtgate-filter-core jar, in the same rounds: before and after in one run.
# Writes benchmarks/results/tomcat-jdk<version>-<date>.txt (RESULTS_DIR names another directory).
#
# Usage: benchmarks/run-tomcat.sh [--quick] [--no-build] [--before-jar JAR] [JDK_HOME]
#   JDK_HOME      defaults to $JAVA_HOME, else the JDK of the java on the PATH
#   --before-jar  a jwtgate-filter-core jar to compare with the one just built
#   --quick       a smoke run (1 round of 1 s, 1 s warm-up): measures nothing
# Exits with 1 when a run had non-2xx answers or failed, 2 (no results file) on a bad option, TOMCAT_ARGS's too;
# --help in TOMCAT_ARGS prints TomcatWarBenchmark's usage instead of running (exit 0, no results file).
# Extra arguments: TOMCAT_ARGS (e.g. "--rounds 9 --duration 10"). Needs wrk. About 2 minutes
# (3 with --before-jar) with the full settings.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# shellcheck source=benchmarks/jdk.sh
. "$root/benchmarks/jdk.sh"

quick=false
build=true
jdk_home=""  # options may come before or after it
before=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --quick) quick=true; shift ;;
    --no-build) build=false; shift ;;
    --before-jar)
      # Checked here, before a results file is begun: the path is made absolute through its directory.
      if [ $# -lt 2 ]; then echo "Option [--before-jar] needs a value" >&2; exit 2; fi
      if [ ! -f "$2" ]; then echo "Option [--before-jar] names no file: [$2]" >&2; exit 2; fi
      before=(--before-jar "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *)
      if [ -n "$jdk_home" ]; then echo "one JDK_HOME only: [$jdk_home] and [$1]" >&2; exit 2; fi
      jdk_home="$1"; shift ;;
  esac
done
use_jdk "$jdk_home"

if $quick; then
  settings=(--rounds 1 --duration 1 --warmup 1)
else
  settings=(--rounds 7 --duration 5 --warmup 10)
fi
# shellcheck disable=SC2206 # word splitting of the extra arguments is intended
settings+=(${TOMCAT_ARGS:-})

jar="$root/benchmarks/target/jwtgate-benchmarks.jar"
if $build; then
  # The distribution archive (lib/webapp) and the Tomcat zip are unpacked into benchmarks/target/containers.
  ./mvnw -B -q -ntp -pl benchmarks -am package -DskipTests
fi
containers="$root/benchmarks/target/containers"
tomcat_homes="$(ls -d "$containers"/apache-tomcat-* 2>/dev/null || true)"
webapp_libs="$(ls -d "$containers"/jwtgate-*/lib/webapp 2>/dev/null || true)"
if [ -z "$tomcat_homes" ] || [ -z "$webapp_libs" ]; then
  echo "no Tomcat or JwtGate distribution in $containers: run without --no-build" >&2
  exit 2
fi
# Unpacking never removes an older version's directory: measuring whichever sorts first could be the old one.
if [ "$(wc -l <<< "$tomcat_homes")" -gt 1 ] || [ "$(wc -l <<< "$webapp_libs")" -gt 1 ]; then
  echo "more than one Tomcat or JwtGate distribution in $containers (an older version's):" \
    "remove benchmarks/target and run again" >&2
  exit 2
fi
tomcat_home="$tomcat_homes"
webapp_lib="$webapp_libs"

harness_args=(--tomcat-home "$tomcat_home" --webapp-lib "$webapp_lib" ${before[@]+"${before[@]}"} "${settings[@]}")
check_options TomcatWarBenchmark "${harness_args[@]}" # before the results file: a file must mean a run happened

java_version="$(jdk_version)"
runtime="$(jdk_runtime)"
stamp="$(results_stamp)"
results="${RESULTS_DIR:-benchmarks/results}"
mkdir -p "$results"
out="$results/tomcat-jdk${java_version}-${stamp}.txt"

{
  echo "# JwtGate in a Tomcat WAR, $(date -Iseconds)$($quick && echo ' (QUICK SMOKE RUN: numbers not meaningful)')"
  echo "uptime at start: $(uptime)"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "JDK: $runtime($jdk)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' + local changes')"
  echo
} > "$out"

status=0
"$jdk/bin/java" -cp "$jar" org.jwtgate.bench.TomcatWarBenchmark "${harness_args[@]}" 2>&1 | tee -a "$out" || status=$?
echo "Results: $out"
[ "$status" -eq 0 ] || exit 1
