# Sourced by the benchmarks' run-*.sh scripts: use_jdk [JDK_HOME] picks the JDK (the argument, else
# $JAVA_HOME, else the JDK of the java on the PATH), refuses a directory without bin/java (exit 2), and exports JAVA_HOME;
# usage prints the calling script's opening comment, which is its usage (for --help);
# check_options HARNESS [OPTION]... checks a harness's options in $jar without running it (exit 2 on a bad one or
# no $jar; --help among them prints the harness's usage and exits 0);
# answer_jmh_question JMH_OPTION... runs JMH in $jar and stops the script with JMH's status when the options ask JMH a
# question (-h, -l, -lp, -lprof, -lrf, or as JMH also takes them: --l, -lr, …) instead of measuring;
# results_stamp prints the time a results file is named by; jdk_version the chosen JDK's version (17, 25), which
# names the results file; jdk_runtime its `java -version` on one line, for the file's header; has_virtual_threads
# VERSION whether a JDK of that version (jdk_version's answer) has virtual threads.
usage() {
  sed -n '2,/^set -euo pipefail/{/^#/s/^# \{0,1\}//p}' "$0"
}

use_jdk() {
  jdk="${1:-${JAVA_HOME:-}}"
  if [ -z "$jdk" ]; then
    # Neither Maven nor mvnw exports JAVA_HOME: the java a user runs is the one meant. Asked for its home, since it may
    # be a symlink (Debian's alternatives) or a shim script (asdf, jenv, mise).
    if ! command -v java >/dev/null 2>&1; then
      echo "no JDK: give JDK_HOME, set JAVA_HOME or put java on the PATH" >&2
      exit 2
    fi
    jdk=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p')
  fi
  if [ ! -x "$jdk/bin/java" ]; then
    echo "no JDK at $jdk (expected $jdk/bin/java)" >&2
    exit 2
  fi
  export JAVA_HOME="$jdk"
}

# A part that runs after JMH (HTTP_ARGS, PROPAGATION_ARGS) would refuse a bad option only minutes into the run, and a
# harness that only printed its usage would leave a results file of no run: the harness reads its options now, as its
# main does, and the script stops before measuring anything or beginning a results file.
check_options() {
  local harness="$1"
  shift
  if [ ! -f "$jar" ]; then # else the JVM's "Could not find or load main class" would be all a user reads
    echo "no $jar: run without --no-build to build it" >&2
    exit 2
  fi
  local status=0
  "$jdk/bin/java" -Dorg.jwtgate.bench.check-options=true -cp "$jar" "org.jwtgate.bench.$harness" "$@" || status=$?
  case "$status" in
    0) ;;
    3) exit 0 ;; # Options.HELP_SHOWN_WHILE_CHECKING: the usage asked for is printed; a run would not be
    *) exit 2 ;;
  esac
}

# JMH answers these options (help, the benchmarks it would run, its profilers, its result formats) and exits 0
# without measuring: the script stops with that answer, before a results file and the parts after JMH. JMH also takes
# them with "--" and shortened while no other option of its starts the same (-lr, -lpr, -lpro).
answer_jmh_question() {
  local option
  for option in "$@"; do
    case "$option" in
      -h|-l|-lp|-lpr|-lpro|-lprof|-lr|-lrf|--h|--l|--lp|--lpr|--lpro|--lprof|--lr|--lrf)
        exec "$jdk/bin/java" -jar "$jar" "$@" ;;
    esac
  done
}

# To the second: two runs in one minute (a smoke run, a run that stops early) wrote one file, the second over the first.
results_stamp() {
  date +%Y-%m-%dT%H%M%S
}

jdk_version() {
  "$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}'
}

jdk_runtime() {
  "$jdk/bin/java" -version 2>&1 | head -2 | tr '\n' ' '
}

has_virtual_threads() {
  [ "${1%%.*}" -ge 21 ]
}
