#!/usr/bin/env bash
# Builds the benchmarks and runs all of them with one JDK: JMH (raw jose4j vs JwtGate's in-process
# path, with -prof gc), the HTTP comparison under wrk, and the revocation propagation harness.
# Writes benchmarks/results/<jdk>-<date>.txt (summary) and .log (full JMH output); RESULTS_DIR
# names another directory.
#
# Usage: benchmarks/run-all.sh [--quick] [--no-build] [JDK_HOME]
#   JDK_HOME   defaults to $JAVA_HOME, else the JDK of the java on the PATH
#              (JDK 25 here: /usr/lib/jvm/temurin-25-jdk-amd64)
#   --quick    a smoke run (1 × 1 s warm-up and measurement, wrk 3 s, 50 trials): checks that
#              everything works, measures nothing worth publishing
#   --no-build reuse benchmarks/target/jwtgate-benchmarks.jar
# Extra arguments per part: JMH_ARGS (e.g. "-p algorithm=HS256"), HTTP_ARGS, PROPAGATION_ARGS; a bad option in
# HTTP_ARGS or PROPAGATION_ARGS is refused before JMH starts (exit 2, no results file), and --help there prints that
# harness's usage instead of running (exit 0). JMH's -h, -l, -lp, -lprof or -lrf in JMH_ARGS (or --l, -lr, …
# as JMH also takes them) prints JMH's answer (-l: the benchmarks this run would measure) and stops, with JMH's
# exit status and no results file.
# Needs wrk (apt-get install wrk). Takes about 20 minutes per JDK with the full settings: 60 JMH configurations of
# about 20 s each (VirtualThreadBenchmark's 10 need JDK 21+: below that they are left out, 50 run, and a line says so),
# then about 2 minutes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# shellcheck source=benchmarks/jdk.sh
. "$root/benchmarks/jdk.sh"

quick=false
build=true
jdk_home=""  # options may come before or after it
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --quick) quick=true; shift ;;
    --no-build) build=false; shift ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *)
      if [ -n "$jdk_home" ]; then echo "one JDK_HOME only: [$jdk_home] and [$1]" >&2; exit 2; fi
      jdk_home="$1"; shift ;;
  esac
done
use_jdk "$jdk_home"

if $quick; then
  jmh_settings=(-foe true -f 1 -wi 1 -w 1s -i 1 -r 1s)
  http_settings=(--duration 3 --warmup 1)
  propagation_settings=(--trials 50 --warmup-trials 5)
else
  jmh_settings=(-foe true -f 1 -wi 3 -w 2s -i 5 -r 2s)
  # alternating rounds, each ratio taken within its round: a fixed /open, /nc, /direct order tracks machine load
  http_settings=(--rounds 7 --duration 5 --warmup 5)
  propagation_settings=(--trials 500 --warmup-trials 20)
fi
# shellcheck disable=SC2206 # word splitting of the extra arguments is intended
jmh_settings+=(${JMH_ARGS:-})
# shellcheck disable=SC2206
http_settings+=(${HTTP_ARGS:-})
# shellcheck disable=SC2206
propagation_settings+=(${PROPAGATION_ARGS:-})

jar="$root/benchmarks/target/jwtgate-benchmarks.jar"
if $build; then
  ./mvnw -B -q -ntp -pl benchmarks -am package -DskipTests
fi

check_options HttpBenchmark "${http_settings[@]}"
check_options PropagationBenchmark "${propagation_settings[@]}"

java_version="$(jdk_version)"
runtime="$(jdk_runtime)"
# It starts virtual threads: below JDK 21 each of its configurations would only fail.
left_out=""
if ! has_virtual_threads "$java_version"; then
  left_out="VirtualThreadBenchmark left out: it needs JDK 21 or later, this is JDK $java_version"
  jmh_settings+=(-e VirtualThreadBenchmark)
fi
answer_jmh_question "${jmh_settings[@]}" # after the exclusion: -l lists what this run would measure
stamp="$(results_stamp)"
results="${RESULTS_DIR:-benchmarks/results}"
mkdir -p "$results"
out="$results/jdk${java_version}-${stamp}.txt"
log="$results/jdk${java_version}-${stamp}.log"
jmh_table="$(mktemp)"
trap 'rm -f "$jmh_table"' EXIT

{
  echo "# JwtGate benchmarks, $(date -Iseconds)$($quick && echo ' (QUICK SMOKE RUN: numbers not meaningful)')"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "JDK: $runtime($jdk)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' + local changes')"
  echo "JMH: ${jmh_settings[*]} -prof gc"
  if [ -n "$left_out" ]; then echo "$left_out"; fi
  echo
} > "$out"

if [ -n "$left_out" ]; then echo "$left_out"; fi
echo "JMH (progress in $log) ..."
"$jdk/bin/java" -jar "$jar" "${jmh_settings[@]}" -prof gc -rf text -rff "$jmh_table" > "$log" 2>&1 || {
  echo "JMH failed; see $log" >&2
  exit 1
}
{
  echo "== JMH: time per operation (us/op) and allocation per operation (gc.alloc.rate.norm, B/op)"
  # Keep the scores and bytes/op; the other GC counters stay in the .log.
  grep -v -E ':gc\.(alloc\.rate|count|time) ' "$jmh_table"
  echo
} >> "$out"

echo "HTTP ..."
status=0
benchmarks/run-http.sh "${http_settings[@]}" | tee -a "$out" || status=1
echo >> "$out"

echo "Revocation propagation ..."
"$jdk/bin/java" -cp "$jar" org.jwtgate.bench.PropagationBenchmark "${propagation_settings[@]}" | tee -a "$out" || status=1

echo "Results: $out (full JMH output: $log)"
exit $status
