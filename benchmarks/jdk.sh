# Sourced by the benchmarks' run-*.sh scripts: use_jdk [JDK_HOME] picks the JDK (the argument, else
# $JAVA_HOME, else JDK 17), refuses a directory without bin/java (exit 2), and exports JAVA_HOME;
# usage prints the calling script's opening comment, which is its usage (for --help).
usage() {
  sed -n '2,/^set -euo pipefail/{/^#/s/^# \{0,1\}//p}' "$0"
}

use_jdk() {
  jdk="${1:-${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}}"
  if [ ! -x "$jdk/bin/java" ]; then
    echo "no JDK at $jdk (expected $jdk/bin/java)" >&2
    exit 2
  fi
  export JAVA_HOME="$jdk"
}
