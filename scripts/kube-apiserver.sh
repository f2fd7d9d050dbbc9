#!/usr/bin/env bash
# kube-apiserver.sh - a REAL Kubernetes control plane for Reprise's tests: kube-apiserver 1.20.2 + etcd 3.4
# (+ kube-controller-manager with WITH_KCM=1), built from Debian bookworm's own "kubernetes" source package
# with Debian's Go. No Docker, no downloads beyond Debian's archive. Everything binds to 127.0.0.1.
#
#   scripts/kube-apiserver.sh build    # once per machine: ~10 min on 2 cores, ~400 MB of static binaries
#                                      # (with the kubelet and kube-scheduler of the one-node cluster)
#                                      # cached in $CACHE; idempotent (instant when cached)
#   scripts/kube-apiserver.sh start    # etcd + kube-apiserver (+ kube-controller-manager), ~5 s; idempotent
#   scripts/kube-apiserver.sh status   # exit 0 when the API server answers /readyz
#   scripts/kube-apiserver.sh env      # prints: export REPRISE_KUBECONFIG=... (and REPRISE_KUBECTL=...)
#   scripts/kube-apiserver.sh stop     # stops exactly the processes it started (pidfiles in $STATE)
#
# Overrides: REPRISE_KUBE_CACHE (binaries), REPRISE_KUBE_DIR (state: certs, etcd data, logs, pids,
# kubeconfig), REPRISE_KUBE_SRC (build scratch, ~2.5 GB, removable after the build),
# REPRISE_KUBE_API_PORT (16443), REPRISE_KUBE_ETCD_PORT (23790), REPRISE_KUBE_ETCD_PEER_PORT (23800),
# WITH_KCM (1 = run kube-controller-manager; the default here), KCM_CONTROLLERS ("*"), KEEP_DATA (stop keeps etcd
# data), KEEP_SRC (build keeps its source tree).
#
# Auth: static bearer token (group system:masters) in the kubeconfig; RBAC on. With the controller-manager
# running, the real job controller creates Pods for Jobs; they stay Pending (there is no kubelet), and
# tests move them to Succeeded/Failed through the pods/status subresource. See docs/kubernetes.md.
set -euo pipefail

K8S_VERSION=v1.20.2
CACHE=${REPRISE_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reprise/kube/$K8S_VERSION}
STATE=${REPRISE_KUBE_DIR:-$HOME/.reprise/kube}
SRC_PARENT=${REPRISE_KUBE_SRC:-${TMPDIR:-/tmp}/reprise-kube-src}
API_PORT=${REPRISE_KUBE_API_PORT:-16443}
ETCD_PORT=${REPRISE_KUBE_ETCD_PORT:-23790}
ETCD_PEER_PORT=${REPRISE_KUBE_ETCD_PEER_PORT:-23800}
TOKEN=${REPRISE_KUBE_ADMIN_TOKEN:-reprise-kube-admin-token}
# 1 = kube-controller-manager: job controller (owns Job .status), garbage collector, TTL-after-finished,
#     service-account + token controllers (needed for the RBAC test's ServiceAccount token).
WITH_KCM=${WITH_KCM:-1}
KCM_CONTROLLERS=${KCM_CONTROLLERS:-*}
# alpha/beta in 1.20, GA today
FEATURE_GATES=${FEATURE_GATES:-TTLAfterFinished=true}
TIMEOUT=${REPRISE_KUBE_TIMEOUT:-60}

[[ $STATE == /* ]] || STATE=$PWD/$STATE

log() { echo "[kube-apiserver] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

apt_install() { # packages... (only the missing ones)
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null ||
    { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null; }
}

ensure_deb_src() {
  if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
    return 0
  fi
  [[ -f /etc/apt/sources.list.d/debian.sources ]] || die "no deb-src source and no debian.sources to copy"
  log "adding deb-src stanzas (copied from /etc/apt/sources.list.d/debian.sources)"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
    as_root tee /etc/apt/sources.list.d/reprise-debian-src.sources >/dev/null
  as_root apt-get update -qq
}

BINARIES=(kube-apiserver kube-controller-manager kubectl kubelet kube-scheduler)
built() { local b; for b in "${BINARIES[@]}"; do [[ -x $CACHE/$b ]] || return 1; done; }

cmd_build() {
  if built; then
    log "cached: $CACHE ($("$CACHE/kube-apiserver" --version))"
    return 0
  fi
  apt_install golang-go etcd-server dpkg-dev openssl curl make rsync golang-github-modern-go-reflect2-dev
  ensure_deb_src
  mkdir -p "$SRC_PARENT"
  local version src
  version=$(apt-cache showsrc kubernetes | awk '/^Version:/ { print $2; exit }')
  [[ -n $version ]] || die "apt-cache showsrc kubernetes: no source package (is deb-src configured?)"
  src=$(find "$SRC_PARENT" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)
  if [[ -z $src ]]; then
    log "apt-get source kubernetes=$version"
    (cd "$SRC_PARENT" && apt-get source -qq "kubernetes=$version" >/dev/null)
    src=$(find "$SRC_PARENT" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)
  fi
  [[ -d $src ]] || die "no source tree under $SRC_PARENT"
  # Required: 1.20 vendors github.com/modern-go/reflect2 v1.0.1, whose map iteration crashes on Go >= 1.18
  # (SIGSEGV in mapiterinit on the first response serialising a non-empty map, e.g. a Job PATCH).
  # Debian's reflect2 1.0.2 carries the upstream fix: swap it into vendor/.
  if ! grep -q 'reflect2 v1.0.2' "$src/vendor/modules.txt"; then
    local v=$src/vendor/github.com/modern-go/reflect2
    rm -rf "$v" && mkdir -p "$v"
    cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go "$v/"
    cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$v/" 2>/dev/null || true
    rm -f "$v"/*_test.go
    sed -i 's#github.com/modern-go/reflect2 v1.0.1#github.com/modern-go/reflect2 v1.0.2#g' "$src/go.mod" "$src/vendor/modules.txt"
  fi
  # The kubelet of the one-node cluster (scripts/one-node.sh): a process on these machines cannot LOWER its OOM score
  # (no CAP_SYS_RESOURCE), yet the dockershim gives every pod sandbox -998 and the kubelet Guaranteed pods -997; runc
  # then fails with "can't get final child's PID from pipe". Both constants become 0 (no effect on the other binaries).
  sed -i 's/defaultSandboxOOMAdj int = -998/defaultSandboxOOMAdj int = 0/' "$src/pkg/kubelet/dockershim/docker_sandbox.go"
  sed -i 's/guaranteedOOMScoreAdj int = -997/guaranteedOOMScoreAdj int = 0/' "$src/pkg/kubelet/qos/policy.go"
  log "building ${BINARIES[*]} (~10 min on 2 cores)"
  (
    cd "$src"
    mkdir -p .go/src/k8s.io && ln -sfn ../../.. .go/src/k8s.io/kubernetes
    export GOPATH=$PWD/.go CGO_ENABLED=0 HOME=$SRC_PARENT/home GOFLAGS=-mod=vendor
    mkdir -p "$HOME"
    make WHAT="$(printf 'cmd/%s ' "${BINARIES[@]}")"
  )
  mkdir -p "$CACHE"
  local b
  for b in "${BINARIES[@]}"; do
    install -m 0755 "$src/_output/bin/$b" "$CACHE/$b.tmp" && mv -f "$CACHE/$b.tmp" "$CACHE/$b"
  done
  if [[ ${KEEP_SRC:-0} == 1 ]]; then
    log "built into $CACHE; kept the source tree $src (KEEP_SRC=1)"
  else
    rm -rf "$SRC_PARENT"
    log "built into $CACHE; removed the build tree $SRC_PARENT (~2.5 GB; KEEP_SRC=1 keeps it)"
  fi
  "$CACHE/kube-apiserver" --version
}

gen_pki() {
  local p=$STATE/pki
  [[ -f $p/apiserver.crt && -f $p/tokens.csv ]] && return 0
  mkdir -p "$p"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=reprise-kube-ca" \
    -keyout "$p/ca.key" -out "$p/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$p/apiserver.key" -out "$p/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >"$p/ext.cnf"
  openssl x509 -req -in "$p/apiserver.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial \
    -days 3650 -extfile "$p/ext.cnf" -out "$p/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null
  echo "$TOKEN,admin,admin,system:masters" >"$p/tokens.csv"
  chmod 600 "$p"/*.key "$p/tokens.csv"
}

# The API server's client certificate for kubelets (logs, exec, port-forward of scripts/one-node.sh's node): the
# kubelet trusts the CA and authorises this identity (group system:masters) through the API server.
gen_kubelet_client() {
  local p=$STATE/pki
  [[ -f $p/kubelet-client.crt ]] && return 0
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" \
    -keyout "$p/kubelet-client.key" -out "$p/kubelet-client.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$p/kubelet-client.cnf"
  openssl x509 -req -in "$p/kubelet-client.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial \
    -days 3650 -extfile "$p/kubelet-client.cnf" -out "$p/kubelet-client.crt" 2>/dev/null
  chmod 600 "$p/kubelet-client.key"
}

write_kubeconfig() {
  local tmp=$STATE/kubeconfig.tmp
  cat >"$tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: reprise-local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 <"$STATE/pki/ca.crt")
users:
- name: admin
  user:
    token: $TOKEN
contexts:
- name: reprise-local
  context: {cluster: reprise-local, user: admin, namespace: default}
current-context: reprise-local
EOF
  chmod 600 "$tmp"
  mv -f "$tmp" "$STATE/kubeconfig"
}

# A live process whose command line contains the marker (guards against a reused pid).
pid_alive() { # pidfile marker
  [[ -s $1 ]] && [[ -r /proc/$(<"$1")/cmdline ]] && tr '\0' ' ' <"/proc/$(<"$1")/cmdline" | grep -qF -- "$2"
}

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

wait_for() { # what cmd...
  local what=$1 i
  shift
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  log "timeout waiting for $what; last lines of the logs:"
  tail -n 20 "$STATE"/log/*.log >&2 || true
  return 1
}

api_ready() {
  curl -sf --max-time 2 --cacert "$STATE/pki/ca.crt" -H "Authorization: Bearer $TOKEN" \
    "https://127.0.0.1:$API_PORT/readyz"
}

cmd_start() {
  built || die "not built: run '$0 build' first (~6 min, once per machine)"
  command -v etcd >/dev/null || apt_install etcd-server
  command -v curl >/dev/null || apt_install curl
  mkdir -p "$STATE/log" "$STATE/etcd"
  gen_pki
  gen_kubelet_client
  write_kubeconfig
  local t0=$EPOCHREALTIME
  start_bg etcd "--name reprise-kube" etcd --name reprise-kube --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "reprise-kube=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
    --quota-backend-bytes $((2 * 1024 * 1024 * 1024)) --snapshot-count 10000
  wait_for etcd curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"
  local admission=()
  [[ $WITH_KCM == 1 ]] || admission=(--disable-admission-plugins=ServiceAccount) # no SA controller -> no "default" SA
  start_bg kube-apiserver "$CACHE/kube-apiserver" "$CACHE/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --insecure-port 0 \
    --tls-cert-file "$STATE/pki/apiserver.crt" --tls-private-key-file "$STATE/pki/apiserver.key" \
    --client-ca-file "$STATE/pki/ca.crt" --token-auth-file "$STATE/pki/tokens.csv" \
    --authorization-mode RBAC \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --kubelet-client-certificate "$STATE/pki/kubelet-client.crt" --kubelet-client-key "$STATE/pki/kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$STATE/pki/sa.pub" --service-account-signing-key-file "$STATE/pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none \
    --max-requests-inflight 800 --max-mutating-requests-inflight 400 \
    --feature-gates "$FEATURE_GATES" "${admission[@]}" \
    --profiling=false --logtostderr=true --v=1
  wait_for kube-apiserver api_ready
  if [[ $WITH_KCM == 1 ]]; then
    start_bg kube-controller-manager "$CACHE/kube-controller-manager" "$CACHE/kube-controller-manager" \
      --kubeconfig "$STATE/kubeconfig" --leader-elect=false --port 0 \
      --bind-address 127.0.0.1 --secure-port 0 \
      --controllers "$KCM_CONTROLLERS" --feature-gates "$FEATURE_GATES" \
      --service-account-private-key-file "$STATE/pki/sa.key" --root-ca-file "$STATE/pki/ca.crt" \
      --use-service-account-credentials=false --kube-api-qps 200 --kube-api-burst 400 \
      --logtostderr=true --v=1
    # the serviceaccount controller creates default/default once it is up
    wait_for "kube-controller-manager (default ServiceAccount)" curl -sf --max-time 2 --cacert "$STATE/pki/ca.crt" \
      -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API_PORT/api/v1/namespaces/default/serviceaccounts/default"
  fi
  log "ready in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s; REPRISE_KUBECONFIG=$STATE/kubeconfig"
}

cmd_status() {
  local n rc=0
  for n in etcd kube-apiserver kube-controller-manager; do
    if [[ -s $STATE/$n.pid ]] && kill -0 "$(<"$STATE/$n.pid")" 2>/dev/null; then
      echo "$n: running (pid $(<"$STATE/$n.pid"))"
    else
      echo "$n: stopped"
    fi
  done
  if [[ -f $STATE/pki/ca.crt ]] && api_ready >/dev/null 2>&1; then
    echo "api: ready at https://127.0.0.1:$API_PORT"
  else
    echo "api: not ready"
    rc=1
  fi
  return "$rc"
}

cmd_stop() {
  local n f pid i
  for n in kube-controller-manager kube-apiserver etcd; do
    f=$STATE/$n.pid
    [[ -f $f ]] || continue
    pid=$(<"$f")
    if kill "$pid" 2>/dev/null; then
      for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -9 "$pid" 2>/dev/null || true
      log "stopped $n ($pid)"
    fi
    rm -f "$f"
  done
  [[ ${KEEP_DATA:-0} == 1 ]] || rm -rf "$STATE/etcd"
}

cmd_env() {
  echo "export REPRISE_KUBECONFIG=$STATE/kubeconfig"
  echo "export REPRISE_KUBECTL=$CACHE/kubectl"
}

case ${1:-} in
  build) cmd_build ;;
  start) cmd_start ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 build|start|status|stop|env" >&2
    exit 2
    ;;
esac
