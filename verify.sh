#!/usr/bin/env bash
# Builds JwtGate and runs every test (unit, integration, real Tomcat 11 and Jetty 12, the sample's
# browser test). On a fresh Debian machine with only a JDK 17 it first installs what the tests
# need from the distribution: redis-server 7 (the sharded pub/sub tests need it; the embedded-redis
# jar's 6.2 binary serves only the sample), Chromium with its driver for the browser test, and wrk
# for the benchmark scripts' smoke test. Extra arguments go to Maven.
set -euo pipefail
case "${REDIS_SERVER:-}" in
  */*) # A relative path names a file from where verify.sh was run; each module's tests run in its own folder.
    [ "${REDIS_SERVER#/}" != "$REDIS_SERVER" ] || export REDIS_SERVER="$PWD/$REDIS_SERVER" ;;
esac
cd "$(dirname "$0")"

redis_server_setting=$(printf '%s' "${REDIS_SERVER:-}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')
if [ "$redis_server_setting" = embedded ]; then
  # The test rig takes it (the embedded-redis jar's binary), but that is Redis 6.2: no sharded pub/sub.
  echo "verify.sh: REDIS_SERVER=embedded is Redis 6.2, the tests need Redis 7 or later: unset it, or name a" \
    "redis-server 7 binary" >&2
  exit 1
fi

case "${REDIS_SERVER:-}" in
  */*) # A path names a binary of the user's choice: installing Debian's redis-server does not mend a wrong one.
    if [ ! -f "$REDIS_SERVER" ] || [ ! -x "$REDIS_SERVER" ]; then
      echo "verify.sh: REDIS_SERVER is not an executable file: $REDIS_SERVER" >&2
      exit 1
    fi ;;
  ''|redis-server) ;; # Debian's package brings redis-server when it is missing
  *) # Any other name is a command the user put on the PATH, which no package brings.
    if ! command -v "$REDIS_SERVER" >/dev/null 2>&1; then
      echo "verify.sh: REDIS_SERVER names no command on the PATH: $REDIS_SERVER" >&2
      exit 1
    fi ;;
esac

missing=()
# The test rig takes REDIS_SERVER (a path, or a name on the PATH; else redis-server on the PATH) and the cluster script
# REDIS_CLI (else redis-cli):
# Debian's redis-server package brings both, installed only when one of them is missing.
if ! command -v "${REDIS_SERVER:-redis-server}" >/dev/null 2>&1 || ! command -v "${REDIS_CLI:-redis-cli}" >/dev/null 2>&1; then
  missing+=(redis-server)
fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      if ! command -v sudo >/dev/null 2>&1; then
        echo "verify.sh: ${missing[*]} must be installed, which needs root or sudo: run as root, or install them" \
          "(Debian packages)" >&2
        exit 1
      fi
      sudo="sudo -n"
    fi
    echo "verify.sh: installing ${missing[*]} (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    # Retries for a flaky mirror; a wait for the locks a fresh VM's unattended upgrades may hold: dpkg's through its
    # option, the package lists' (which no option waits for) by trying update again, for up to five minutes.
    for attempt in $(seq 1 60); do
      if $sudo apt-get update -qq -o Acquire::Retries=3; then
        break
      fi
      if [ "$attempt" -eq 60 ]; then
        echo "verify.sh: apt-get update failed for five minutes" >&2
        exit 1
      fi
      sleep 5
    done
    $sudo apt-get install -y -qq -o Acquire::Retries=3 -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
  else
    echo "verify.sh: install ${missing[*]} (redis-server 7 for the Redis tests, Chromium and chromedriver for the" \
      "browser test, wrk for the benchmark smoke test)" >&2
    exit 1
  fi
fi

# The test rig takes REDIS_SERVER, else redis-server on the PATH: it must be Redis 7 (sharded pub/sub).
redis_server=${REDIS_SERVER:-redis-server}
redis_major=$("$redis_server" --version 2>/dev/null | sed -n 's/.* v=\([0-9]*\)\..*/\1/p' || true)
if [ "${redis_major:-0}" -lt 7 ]; then
  echo "verify.sh: $redis_server is Redis ${redis_major:-?}, the tests need Redis 7 or later (set REDIS_SERVER)" >&2
  exit 1
fi

java -version 2>&1 | head -1
# -T 2: once filter-core is built, two modules build and test at once (cli beside sample-webapp, benchmarks beside
# legacy-war). filter-core, which every other module waits for, runs its tests in two JVMs (its pom); in the other
# modules test classes run one at a time.
exec ./mvnw -B -T 2 verify "$@"
