#!/usr/bin/env bash
# DPoP's cost, measured in one run with one JDK: JMH DpopBenchmark (in-process: a DPoP request vs the
# same request as a bearer token, ES256 and EdDSA proofs, memory and redis-cluster stores, -prof gc; a DPoP
# request's bytes are dpopRequest's minus proofSigning's, the untimed signing -prof gc counts too),
# then the HTTP comparison DpopHttpBenchmark (wrk, alternating rounds, medians, Redis round trips per
# request). Writes benchmarks/results/dpop-jdk<version>-<date>.txt (summary) and .log (full JMH
# output); RESULTS_DIR names another directory. Records `uptime` first: the machine may be shared.
#
# Usage: benchmarks/run-dpop.sh [--quick] [--no-build] [JDK_HOME]
#   JDK_HOME   defaults to $JAVA_HOME, else the JDK of the java on the PATH
#   --quick    a smoke run (JMH 1 × 1 s on the memory store, 1 HTTP round of 2 s): measures nothing
# Extra arguments: JMH_ARGS, HTTP_ARGS (a bad option there is refused before JMH starts: exit 2, no results file;
# --help there prints DpopHttpBenchmark's usage instead of running, exit 0; JMH's -h, -l, -lp, -lprof or -lrf in
# JMH_ARGS, or --l, -lr, … as JMH also takes them, prints JMH's answer and stops, with JMH's exit status and no
# results file).
# Needs wrk. About 10 minutes per JDK with the full settings (12 JMH configurations; proofSigning runs for both
# stores, though it uses neither).
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
  jmh_settings=(DpopBenchmark -p revocation=memory -foe true -f 1 -wi 1 -w 1s -i 1 -r 1s)
  http_settings=(--rounds 1 --duration 2 --warmup 1)
else
  jmh_settings=(DpopBenchmark -foe true -f 1 -wi 3 -w 2s -i 5 -r 2s)
  http_settings=(--rounds 5 --duration 10 --warmup 5)
fi
# shellcheck disable=SC2206 # word splitting of the extra arguments is intended
jmh_settings+=(${JMH_ARGS:-})
# shellcheck disable=SC2206
http_settings+=(${HTTP_ARGS:-})

jar="$root/benchmarks/target/jwtgate-benchmarks.jar"
if $build; then
  ./mvnw -B -q -ntp -pl benchmarks -am package -DskipTests
fi

check_options DpopHttpBenchmark "${http_settings[@]}"
answer_jmh_question "${jmh_settings[@]}"

java_version="$(jdk_version)"
runtime="$(jdk_runtime)"
stamp="$(results_stamp)"
results="${RESULTS_DIR:-benchmarks/results}"
mkdir -p "$results"
out="$results/dpop-jdk${java_version}-${stamp}.txt"
log="$results/dpop-jdk${java_version}-${stamp}.log"
jmh_table="$(mktemp)"
trap 'rm -f "$jmh_table"' EXIT

{
  echo "# JwtGate DPoP benchmarks, $(date -Iseconds)$($quick && echo ' (QUICK SMOKE RUN: numbers not meaningful)')"
  echo "uptime at start: $(uptime)"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "JDK: $runtime($jdk)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' + local changes')"
  echo "JMH: ${jmh_settings[*]} -prof gc"
  echo
} > "$out"

echo "JMH (progress in $log) ..."
"$jdk/bin/java" -jar "$jar" "${jmh_settings[@]}" -prof gc -rf text -rff "$jmh_table" > "$log" 2>&1 || {
  echo "JMH failed; see $log" >&2
  exit 1
}
{
  echo "== JMH: time per request (us/op) and allocation per request (gc.alloc.rate.norm, B/op)"
  grep -v -E ':gc\.(alloc\.rate|count|time) ' "$jmh_table"
  echo
  echo "uptime after JMH: $(uptime)"
  echo
} >> "$out"

echo "HTTP ..."
status=0
"$jdk/bin/java" -cp "$jar" org.jwtgate.bench.DpopHttpBenchmark "${http_settings[@]}" 2>>"$log" | tee -a "$out" || status=1
echo "uptime at the end: $(uptime)" >> "$out"

echo "Results: $out (full JMH output: $log)"
exit $status
