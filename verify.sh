#!/usr/bin/env bash
# Builds JwtGate and runs every test (unit, integration, real Tomcat 11 and Jetty 12, the sample's
# browser test). On a fresh Debian/Ubuntu machine with only a JDK 17 it first installs what the
# tests need from the distribution: redis-server (else the tests use the binary inside the
# embedded-redis jar), Chromium with its driver for the browser test, and wrk for the benchmark
# scripts' smoke test. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    echo "verify.sh: installing ${missing[*]} (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # redis-server is optional: without it the tests fall back to the embedded-redis binary.
    for package in "${missing[@]}"; do
      $sudo apt-get install -y -qq "$package" >/dev/null \
        || { [ "$package" = redis-server ] && echo "verify.sh: no redis-server package; using the embedded binary"; } \
        || exit 1
    done
  elif [[ " ${missing[*]} " == *" chromium"* || " ${missing[*]} " == *" wrk "* ]]; then
    echo "verify.sh: install ${missing[*]} (Chromium and chromedriver for the browser test, wrk for the benchmark smoke test)" >&2
    exit 1
  fi
fi

java -version 2>&1 | head -1
exec ./mvnw -B verify "$@"
