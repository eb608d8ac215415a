# Sourced by the benchmarks' run-*.sh scripts: use_jdk [JDK_HOME] picks the JDK (the argument, else
# $JAVA_HOME, else JDK 17), refuses a directory without bin/java (exit 2), and exports JAVA_HOME.
use_jdk() {
  jdk="${1:-${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}}"
  if [ ! -x "$jdk/bin/java" ]; then
    echo "no JDK at $jdk (expected $jdk/bin/java)" >&2
    exit 2
  fi
  export JAVA_HOME="$jdk"
}
