#!/usr/bin/env bash
# Runs the filter in an embedded Jetty 12 whose requests each run on a new virtual thread (VirtualThreadPool),
# against a real Redis Cluster: org.jwtgate.bench.VirtualThreadRun (what it checks: its javadoc). Needs JDK 21+;
# JDK 25 (JEP 491: no pinning on monitors) is the one documented in docs/performance.md#virtual-threads.
# Writes benchmarks/results/vthreads-jdk<version>-<date>.txt; RESULTS_DIR names another directory.
#
# Usage: benchmarks/run-vthreads.sh [--no-build] [JDK_HOME] [-- VirtualThreadRun options, e.g. --users 200]
#   JDK_HOME   defaults to $JAVA_HOME, else the java on the PATH (a JDK 17 has no virtual threads: exit 2,
#              before any build);
#              JDK 25 here: /usr/lib/jvm/temurin-25-jdk-amd64
# Exit status: VirtualThreadRun's (0 all checks held, 1 a check failed, 2 no virtual threads or a bad option, and then
# no results file); --help among its options prints VirtualThreadRun's usage instead of running (exit 0, no results file).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# shellcheck source=benchmarks/jdk.sh
. "$root/benchmarks/jdk.sh"

for arg in "$@"; do # the script's own arguments end at "--": after it, --help is VirtualThreadRun's
  case "$arg" in
    --) break ;;
    -h|--help) usage; exit 0 ;;
  esac
done
build=true
if [ "${1:-}" = "--no-build" ]; then
  build=false
  shift
fi
jdk_arg=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  jdk_arg="$1"
  shift
fi
[ "${1:-}" = "--" ] && shift
use_jdk "$jdk_arg"

jar="$root/benchmarks/target/jwtgate-benchmarks.jar"
java_version="$(jdk_version)"
if $build; then
  # VirtualThreadRun refuses such a JDK at once; the build before it would take minutes for nothing.
  if ! has_virtual_threads "$java_version"; then
    echo "virtual threads need JDK 21 or later; this is JDK $java_version (nothing built)" >&2
    exit 2
  fi
  ./mvnw -B -q -ntp -pl benchmarks -am package -DskipTests
fi
check_options VirtualThreadRun "$@" # before the results file: a file must mean a run happened
results="${RESULTS_DIR:-benchmarks/results}"
mkdir -p "$results"
out="$results/vthreads-jdk${java_version}-$(results_stamp).txt"
{
  echo "# JwtGate on virtual threads (embedded Jetty 12, VirtualThreadPool), $(date -Iseconds)"
  echo "machine: $(nproc) CPUs, $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "JDK: $(jdk_runtime)($jdk)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' + local changes')"
  echo "options: ${*:-(defaults)}"
  echo
} > "$out"
status=0
"$jdk/bin/java" -cp "$jar" org.jwtgate.bench.VirtualThreadRun "$@" | tee -a "$out" || status=${PIPESTATUS[0]}
echo "Results: $out"
exit "$status"
