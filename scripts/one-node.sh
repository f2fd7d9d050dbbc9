#!/usr/bin/env bash
# one-node.sh - a REAL one-node Kubernetes cluster for Reprise: a kubelet (with its built-in Docker runtime, on
# Debian's docker.io) and kube-scheduler, joined to the API server of scripts/kube-apiserver.sh. Trials run in real
# containers: real exit codes, real OOM kills, real image pulls (and pull failures), real `kubectl logs`.
#
#   scripts/one-node.sh start     # dockerd (its own), kube-scheduler, kubelet; waits until the node is Ready (~15 s)
#   scripts/one-node.sh status    # the processes and the node; exit 0 only when the node is Ready
#   scripts/one-node.sh images    # builds the images into the node's Docker (scripts/node-images.sh; cached)
#   scripts/one-node.sh env       # export lines: REPRISE_NODE_KUBECONFIG, REPRISE_NODE_NAME, REPRISE_NODE_DOCKER_HOST
#   scripts/one-node.sh stop      # stops everything start started (kubelet, scheduler, pods' containers, dockerd)
#
# Needs: root (dockerd), the binaries of `scripts/kube-apiserver.sh build` (kubelet and kube-scheduler are built
# with the API server, patched: see there), a running API server (`scripts/kube-apiserver.sh start`), and a cgroup
# memory controller. Installs Debian's docker.io (and gcc, for the pause image) when missing.
#
# Networking: the cluster has no pod network (no CNI plugin, no kube-proxy, no cluster DNS). Pods that need the
# network use the node's (hostNetwork: true): trial pods then reach the local Kafka, S3 store and orchestrator at
# 127.0.0.1 as every other local process does, and each other at 127.0.0.1 too. The deployment files and the
# executor have a switch for it (docs/kubernetes.md, "The one-node cluster"). dockerd runs with no bridge and
# no iptables rules, so several such nodes (one per API server) can share a machine.
#
# Overrides: REPRISE_NODE_DIR (state: docker data, kubelet root, logs, pids; default $REPRISE_KUBE_DIR/node),
# REPRISE_NODE_NAME (reprise-node), REPRISE_NODE_IP (the address on the default route), REPRISE_KUBELET_PORT (10250), REPRISE_KUBELET_HEALTHZ_PORT (10248),
# REPRISE_KUBE_SCHEDULER_PORT (10259), REPRISE_NODE_TIMEOUT (seconds to wait for the node, 90); and those of
# kube-apiserver.sh (REPRISE_KUBE_DIR, REPRISE_KUBE_CACHE). See docs/kubernetes.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
K8S_VERSION=v1.20.2
CACHE=${REPRISE_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reprise/kube/$K8S_VERSION}
KUBE_STATE=${REPRISE_KUBE_DIR:-$HOME/.reprise/kube}
[[ $KUBE_STATE == /* ]] || KUBE_STATE=$PWD/$KUBE_STATE
STATE=${REPRISE_NODE_DIR:-$KUBE_STATE/node}
[[ $STATE == /* ]] || STATE=$PWD/$STATE
KUBECONFIG_FILE=$KUBE_STATE/kubeconfig
NODE=${REPRISE_NODE_NAME:-reprise-node}
KUBELET_PORT=${REPRISE_KUBELET_PORT:-10250}
KUBELET_HEALTHZ_PORT=${REPRISE_KUBELET_HEALTHZ_PORT:-10248}
SCHEDULER_PORT=${REPRISE_KUBE_SCHEDULER_PORT:-10259}
TIMEOUT=${REPRISE_NODE_TIMEOUT:-90}
NODE_IP=${REPRISE_NODE_IP:-}
DOCKER_SOCK=$STATE/docker.sock
PAUSE_IMAGE=reprise.local/pause:3.2
KUBECTL=$CACHE/kubectl

log() { echo "[one-node] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }
dk() { DOCKER_HOST=unix://$DOCKER_SOCK /usr/bin/docker "$@"; }
kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

apt_install() { # packages... (only the missing ones)
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null ||
    { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null; }
}

# A live process whose command line contains the marker (guards against a reused pid).
pid_alive() { # pidfile marker
  [[ -s $1 ]] && [[ -r /proc/$(<"$1")/cmdline ]] && tr '\0' ' ' <"/proc/$(<"$1")/cmdline" | grep -qF -- "$2"
}

port_taken() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

start_bg() { # name marker cmd...
  local name=$1 marker=$2
  shift 2
  if pid_alive "$STATE/$name.pid" "$marker"; then
    log "$name already running (pid $(<"$STATE/$name.pid"))"
    return 0
  fi
  nohup "$@" >"$STATE/log/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$name.pid"
}

# Fails `start` naming the part that failed, after stopping whatever this invocation started.
fail() { # part message
  log "ERROR: $1: $2"
  local f
  for f in "${SHOW_LOGS[@]}"; do
    [[ -s $f ]] && { log "---- last lines of $f ----"; tail -n 15 "$f" >&2; }
  done
  log "stopping what this start started"
  cmd_stop >/dev/null 2>&1 || true
  exit 1
}
SHOW_LOGS=()

preflight() {
  [[ $(id -u) == 0 ]] || die "must run as root (dockerd and the kubelet manage containers, mounts and cgroups)"
  [[ -x $CACHE/kubelet && -x $CACHE/kube-scheduler && -x $KUBECTL ]] ||
    die "kubelet/kube-scheduler not built in $CACHE: run scripts/kube-apiserver.sh build (once per machine)"
  [[ -s $KUBECONFIG_FILE ]] && "$ROOT/scripts/kube-apiserver.sh" status >/dev/null 2>&1 ||
    die "the API server is not running (REPRISE_KUBE_DIR=$KUBE_STATE): scripts/kube-apiserver.sh start"
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    grep -qw memory /sys/fs/cgroup/cgroup.controllers || die "no cgroup memory controller (cgroup v2 without memory)"
  else
    [[ -d /sys/fs/cgroup/memory && -d /sys/fs/cgroup/cpu ]] ||
      die "no cgroup memory/cpu hierarchy under /sys/fs/cgroup: the kubelet cannot limit containers"
  fi
  if ! command -v dockerd >/dev/null || [[ ! -x /usr/bin/docker ]]; then
    apt_install docker.io iptables || die "Docker is missing and 'apt-get install docker.io' failed"
  fi
  command -v dockerd >/dev/null || die "Docker is missing: no dockerd after installing docker.io"
  local spec name port marker
  for spec in "kubelet:$KUBELET_PORT:--hostname-override=$NODE" "kubelet:$KUBELET_HEALTHZ_PORT:--hostname-override=$NODE" \
    "kube-scheduler:$SCHEDULER_PORT:--secure-port=$SCHEDULER_PORT"; do
    IFS=: read -r name port marker <<<"$spec"
    pid_alive "$STATE/$name.pid" "$marker" && continue
    port_taken "$port" && die "port $port ($name) is taken by another process: stop it or choose another port" \
      "(REPRISE_KUBELET_PORT, REPRISE_KUBELET_HEALTHZ_PORT, REPRISE_KUBE_SCHEDULER_PORT)"
  done
  # the kubelet refuses a loopback node IP: the machine's address on its default route, else its first one
  if [[ -z $NODE_IP ]]; then
    NODE_IP=$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "src") { print $(i + 1); exit } }')
    [[ -n $NODE_IP ]] || NODE_IP=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 -E '^[0-9]+\.[0-9.]+$' || true)
  fi
  [[ -n $NODE_IP ]] || die "no IPv4 address other than loopback for the node: set REPRISE_NODE_IP"
  return 0
}

start_docker() {
  SHOW_LOGS=("$STATE/log/dockerd.log")
  mkdir -p "$STATE/docker-data" "$STATE/docker-exec"
  # Its own data root, exec root, socket, containerd namespace; no bridge, no iptables, no IP forwarding: nothing
  # outside $STATE changes, and another dockerd on the machine is left alone.
  start_bg dockerd "--exec-root $STATE/docker-exec" dockerd \
    --data-root "$STATE/docker-data" --exec-root "$STATE/docker-exec" --pidfile "$STATE/docker-exec/dockerd.pid" \
    -H "unix://$DOCKER_SOCK" --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
    --containerd-namespace "reprise-$NODE" --containerd-plugins-namespace "reprise-$NODE-plugins" \
    --storage-driver overlay2 --log-driver json-file --log-opt max-size=20m
  local i
  for ((i = 0; i < TIMEOUT * 2; i++)); do
    dk info >/dev/null 2>&1 && return 0
    pid_alive "$STATE/dockerd.pid" dockerd || fail dockerd "dockerd exited"
    sleep 0.5
  done
  fail dockerd "dockerd did not answer on $DOCKER_SOCK in ${TIMEOUT} s"
}

# The pod sandbox ("pause") image: a static C program, so that no registry is needed.
pause_image() {
  dk image inspect "$PAUSE_IMAGE" >/dev/null 2>&1 && return 0
  apt_install gcc libc6-dev || fail "pause image" "cannot install gcc"
  local d=$STATE/pause
  mkdir -p "$d/rootfs"
  printf '%s\n' '#include <signal.h>' '#include <unistd.h>' 'static void stop(int s) { (void)s; _exit(0); }' \
    'int main(void) { signal(SIGTERM, stop); signal(SIGINT, stop); for (;;) pause(); }' >"$d/pause.c"
  gcc -static -O2 -o "$d/rootfs/pause" "$d/pause.c" || fail "pause image" "gcc -static failed"
  tar -C "$d/rootfs" -c . | dk import -c 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null ||
    fail "pause image" "docker import failed"
}

node_ready() {
  [[ $(kc get node "$NODE" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}

cmd_start() {
  local t0=$EPOCHREALTIME
  mkdir -p "$STATE/log"
  preflight
  start_docker
  pause_image
  SHOW_LOGS=("$STATE/log/kube-scheduler.log")
  start_bg kube-scheduler "--secure-port=$SCHEDULER_PORT" "$CACHE/kube-scheduler" \
    --kubeconfig="$KUBECONFIG_FILE" --authentication-kubeconfig="$KUBECONFIG_FILE" \
    --authorization-kubeconfig="$KUBECONFIG_FILE" --leader-elect=false \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --port=0 --logtostderr=true --v=1
  mkdir -p "$STATE/kubelet" "$STATE/kubelet-certs"
  SHOW_LOGS=("$STATE/log/kubelet.log")
  # --cgroups-per-qos=false/--enforce-node-allocatable=: containers go under Docker's own cgroup (no systemd here);
  # --node-ip: the API server reaches the kubelet there (logs, exec); the kubelet refuses 127.0.0.1. Pods on the
  # host network have it as their IP: the kubelet's probes go there (the chart points them at 127.0.0.1 instead);
  # client CA + webhook: only the API server (its kubelet client certificate) may use the kubelet's API;
  # eviction thresholds low: a laptop's nearly full disk must not evict trials.
  start_bg kubelet "--hostname-override=$NODE" "$CACHE/kubelet" \
    --kubeconfig="$KUBECONFIG_FILE" --hostname-override="$NODE" --node-ip="$NODE_IP" \
    --container-runtime=docker --docker-endpoint="unix://$DOCKER_SOCK" \
    --container-runtime-endpoint="unix://$STATE/dockershim.sock" --pod-infra-container-image="$PAUSE_IMAGE" \
    --cgroup-driver=cgroupfs --cgroups-per-qos=false --enforce-node-allocatable= --fail-swap-on=false \
    --oom-score-adj=0 --root-dir="$STATE/kubelet" --cert-dir="$STATE/kubelet-certs" \
    --address="$NODE_IP" --port="$KUBELET_PORT" --healthz-bind-address=127.0.0.1 \
    --healthz-port="$KUBELET_HEALTHZ_PORT" --read-only-port=0 \
    --client-ca-file="$KUBE_STATE/pki/ca.crt" --anonymous-auth=false --authentication-token-webhook \
    --authorization-mode=Webhook --resolv-conf=/etc/resolv.conf \
    --eviction-hard='memory.available<100Mi,nodefs.available<2%,imagefs.available<2%' \
    --image-gc-high-threshold=95 --image-gc-low-threshold=90 \
    --node-status-update-frequency=5s --sync-frequency=10s --logtostderr=true --v=1
  local i
  for ((i = 0; i < TIMEOUT; i++)); do
    node_ready && break
    pid_alive "$STATE/kubelet.pid" kubelet || fail kubelet "the kubelet exited"
    pid_alive "$STATE/kube-scheduler.pid" kube-scheduler || {
      SHOW_LOGS=("$STATE/log/kube-scheduler.log")
      fail kube-scheduler "kube-scheduler exited"
    }
    sleep 1
  done
  node_ready || fail kubelet "node $NODE not Ready in ${TIMEOUT} s"
  log "node $NODE Ready in $(since "$t0") s ($(kc get node "$NODE" -o 'jsonpath={.status.capacity.cpu} CPUs, {.status.capacity.memory} memory'))"
}

cmd_status() {
  local n rc=0
  for n in dockerd kube-scheduler kubelet; do
    if [[ -s $STATE/$n.pid ]] && kill -0 "$(<"$STATE/$n.pid")" 2>/dev/null; then
      echo "$n: running (pid $(<"$STATE/$n.pid"))"
    else
      echo "$n: stopped"
      rc=1
    fi
  done
  if [[ -s $KUBECONFIG_FILE ]] && node_ready; then
    echo "node: $(kc get node "$NODE" --no-headers 2>/dev/null)"
  else
    echo "node: $NODE not Ready"
    rc=1
  fi
  return "$rc"
}

stop_pid() { # name
  local f=$STATE/$1.pid pid i
  [[ -f $f ]] || return 0
  pid=$(<"$f")
  if kill "$pid" 2>/dev/null; then
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped $1 ($pid)"
  fi
  rm -f "$f"
}

cmd_stop() {
  stop_pid kubelet
  stop_pid kube-scheduler
  if [[ -S $DOCKER_SOCK ]] && dk info >/dev/null 2>&1; then
    local ids
    ids=$(dk ps -aq)
    [[ -z $ids ]] || { dk rm -f $ids >/dev/null 2>&1 || true; log "removed the pods' containers"; }
  fi
  stop_pid dockerd
  # the kubelet's volume mounts (secrets, service account tokens) and what dockerd left mounted
  local m
  if [[ -d $STATE ]]; then
    awk -v s="$STATE/" 'index($2, s) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$STATE/kubelet" "$STATE/docker-exec" "$DOCKER_SOCK" "$STATE/dockershim.sock"
  fi
  # the Node object goes too (its pods are then garbage-collected), when the API server is still there
  if [[ -s $KUBECONFIG_FILE && -x $KUBECTL ]]; then
    kc delete node "$NODE" --ignore-not-found --wait=false --request-timeout=5s >/dev/null 2>&1 || true
  fi
}

cmd_env() {
  echo "export REPRISE_NODE_KUBECONFIG=$KUBECONFIG_FILE"
  echo "export REPRISE_NODE_NAME=$NODE"
  echo "export REPRISE_NODE_DOCKER_HOST=unix://$DOCKER_SOCK"
}

case ${1:-} in
  start) cmd_start ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  images) shift; DOCKER_HOST=unix://$DOCKER_SOCK exec "$ROOT/scripts/node-images.sh" "$@" ;;
  *)
    echo "usage: $0 start|status|images|env|stop" >&2
    exit 2
    ;;
esac
