#!/usr/bin/env bash
# A local 6-node Redis Cluster (3 masters + 3 replicas) on 127.0.0.1:7001-7006, for development.
#
#   conf/redis-cluster/cluster.sh start    start the nodes; form the cluster the first time
#   conf/redis-cluster/cluster.sh status   show each node and the cluster state (exit 0 only if all is well)
#   conf/redis-cluster/cluster.sh stop     stop the nodes (SIGTERM: the AOF is flushed; data is kept)
#
# Then point JwtGate at it:  revocation.store=redis-cluster  redis.nodes=127.0.0.1:7001,...,127.0.0.1:7006
#
# Environment (all optional):
#   REDIS_SERVER        redis-server binary (default: from PATH)
#   REDIS_CLI           redis-cli binary (default: from PATH); needed to form the cluster and for status
#   CLUSTER_DATA_DIR    where node data, logs and pid files go (default: ${TMPDIR:-/tmp}/jwtgate-redis-cluster)
#   CLUSTER_FIRST_PORT  first port (default 7001); the six nodes use FIRST..FIRST+5, their bus ports +10000
#   CLUSTER_TIMEOUT     seconds to wait for the nodes and the cluster (default 30)
set -euo pipefail

# Through a symbolic link (~/bin/jwtgate-redis-cluster), the node configurations are beside the real script.
self="${BASH_SOURCE[0]}"
while [ -L "$self" ]; do
  link="$(readlink -- "$self")"
  case "$link" in
    /*) self="$link" ;;
    *) self="$(dirname -- "$self")/$link" ;;
  esac
done
# CDPATH unset: with it, cd prints the directory it enters, which would end up in HERE. -P: a relative link's ".."
# from where the link really sits.
HERE="$(CDPATH='' cd -P -- "$(dirname -- "$self")" && pwd -P)"
REDIS_SERVER="${REDIS_SERVER:-redis-server}"
REDIS_CLI="${REDIS_CLI:-redis-cli}"
DATA="${CLUSTER_DATA_DIR:-${TMPDIR:-/tmp}/jwtgate-redis-cluster}"
FIRST_PORT="${CLUSTER_FIRST_PORT:-7001}"
TIMEOUT="${CLUSTER_TIMEOUT:-30}"
HOST=127.0.0.1
NODES=6

die() { echo "cluster.sh: $*" >&2; exit 1; }

# Node i (1..6) uses config 700<i>.conf and port FIRST_PORT+i-1.
port_of() { echo $((FIRST_PORT + $1 - 1)); }
pid_file() { echo "$DATA/$(port_of "$1")/redis.pid"; }

# The pid of node i when it runs, else nothing. A stale pid file is ignored, also when its pid now belongs
# to another process (a node that crashed or was killed leaves its pid file behind): the process must be
# the node, whose title redis-server sets to "redis-server <host>:<port> [cluster]".
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && is_node "$pid" "$(port_of "$1")"; then echo "$pid"; fi
}

# Whether process <pid> is the node on <port>, by its title (/proc, else ps; with neither, trust the pid file).
is_node() {
  local title
  if [[ -r "/proc/$1/cmdline" ]]; then
    title="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true)"
  elif command -v ps >/dev/null 2>&1; then
    title="$(ps -o args= -p "$1" 2>/dev/null || true)"
  else
    return 0
  fi
  [[ " $title " == *":$2 "* ]]
}

has_cli() { command -v "$REDIS_CLI" >/dev/null 2>&1; }

# redis-cli waits for a reply without limit: a node that runs but does not answer (stopped, stuck) would hang
# status and start. Each call gets 5 s where coreutils' timeout is there.
cli() {
  if command -v timeout >/dev/null 2>&1; then
    timeout 5 "$REDIS_CLI" -h "$HOST" -p "$1" "${@:2}"
  else
    "$REDIS_CLI" -h "$HOST" -p "$1" "${@:2}"
  fi
}

# PING without redis-cli: plain RESP over bash's /dev/tcp.
answers_ping() {
  local reply=""
  { exec 3<>"/dev/tcp/$HOST/$1"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ "$reply" == "+PONG"* ]]
}

# Whether something listens on <port>: the kernel takes a connection before the process accepts it, and a
# connection still pending after 2 s (a full backlog; Linux retries for minutes) means a listener too. The
# connect runs in the background, so no coreutils timeout is needed (macOS has none).
port_taken() {
  local pid waited=0
  bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 20)); then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null
}

wait_until() { # wait_until <what> <command...>: polls every 0.2 s up to TIMEOUT seconds
  local what="$1"; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    ((SECONDS < deadline)) || die "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.2
  done
}

# Every node runs (its pid file names the node's own process) and answers: a PING alone could come from
# another server on the port.
all_started() {
  local i
  for ((i = 1; i <= NODES; i++)); do
    [[ -n "$(running_pid "$i")" ]] && answers_ping "$(port_of "$i")" || return 1
  done
}

state_of() { cli "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p'; }
slots_of() { cli "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p'; }

all_ok() {
  local i
  for ((i = 1; i <= NODES; i++)); do [[ "$(state_of "$(port_of "$i")")" == "ok" ]] || return 1; done
}

nodes_spec() {
  local i spec=""
  for ((i = 1; i <= NODES; i++)); do spec+="${spec:+,}$HOST:$(port_of "$i")"; done
  echo "$spec"
}

start() {
  command -v "$REDIS_SERVER" >/dev/null 2>&1 || die "redis-server not found (set REDIS_SERVER or install redis-server)"
  local i port dir
  # A node's port or bus port (+10000) held by another process: redis-server fails after it daemonized, so
  # the node would be reported started, then waited for in vain, or another server on the port taken for it.
  for ((i = 1; i <= NODES; i++)); do
    [[ -z "$(running_pid "$i")" ]] || continue
    port="$(port_of "$i")"
    if port_taken "$port"; then
      die "port $port is taken by another process, not this script's node: stop that process, or set CLUSTER_FIRST_PORT (nothing was started)"
    fi
    if port_taken "$((port + 10000))"; then
      die "port $((port + 10000)), node $port's cluster bus port, is taken by another process: stop that process, or set CLUSTER_FIRST_PORT (nothing was started)"
    fi
  done
  for ((i = 1; i <= NODES; i++)); do
    port="$(port_of "$i")"
    if [[ -n "$(running_pid "$i")" ]]; then
      echo "node $port already running (pid $(running_pid "$i"))"
      continue
    fi
    dir="$DATA/$port"
    mkdir -p "$dir"
    "$REDIS_SERVER" "$HERE/700$i.conf" \
      --port "$port" --cluster-config-file "nodes-$port.conf" \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes
    echo "node $port started (data in $dir)"
  done
  wait_until "the nodes to run and answer PING (each node's log: $DATA/<port>/redis.log)" all_started

  has_cli || die "redis-cli not found (set REDIS_CLI, or install Debian's redis-tools): the nodes run, but the cluster cannot be formed"
  # A cluster formed before comes back by itself from its nodes-*.conf; only a fresh one is created.
  if [[ "$(slots_of "$FIRST_PORT")" == "0" ]]; then
    local addresses=()
    for ((i = 1; i <= NODES; i++)); do addresses+=("$HOST:$(port_of "$i")"); done
    "$REDIS_CLI" --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$DATA/create.log" 2>&1 \
      || { cat "$DATA/create.log" >&2; die "redis-cli --cluster create failed"; }
    echo "cluster formed: 3 masters, 3 replicas"
  fi
  wait_until "cluster_state:ok on every node" all_ok
  echo "Redis Cluster ready: redis.nodes=$(nodes_spec)"
}

stop() {
  local i pid port stopped=()
  for ((i = 1; i <= NODES; i++)); do
    pid="$(running_pid "$i")"
    [[ -n "$pid" ]] || continue
    kill -TERM "$pid" # redis-server flushes the AOF and nodes.conf, then exits
    stopped+=("$i:$pid")
  done
  local entry deadline
  for entry in ${stopped[@]+"${stopped[@]}"}; do
    i="${entry%%:*}" pid="${entry#*:}" port="$(port_of "$i")"
    deadline=$((SECONDS + TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid"
      echo "node $port killed (did not stop within ${TIMEOUT}s)"
    else
      echo "node $port stopped"
    fi
  done
  ((${#stopped[@]} > 0)) || echo "no node was running"
}

status() {
  local i port pid healthy=0
  for ((i = 1; i <= NODES; i++)); do
    port="$(port_of "$i")"
    pid="$(running_pid "$i")"
    if [[ -z "$pid" ]]; then
      echo "node $port: stopped"
      healthy=1
    elif has_cli; then
      local role
      role="$(cli "$port" role 2>/dev/null | head -n 1 | tr -d '\r' || true)"
      echo "node $port: running (pid $pid) ${role:-no answer} cluster_state:$(state_of "$port")"
      [[ "$(state_of "$port")" == "ok" ]] || healthy=1
    else
      answers_ping "$port" && echo "node $port: running (pid $pid)" || { echo "node $port: not answering (pid $pid)"; healthy=1; }
    fi
  done
  if ((healthy == 0)); then echo "redis.nodes=$(nodes_spec)"; fi
  return "$healthy"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
