#!/usr/bin/env bash
# test.sh - THE test command (README, CI): start the local services, export their coordinates, run the build.
#
#   scripts/test.sh [extra Maven arguments]    # e.g. scripts/test.sh -pl orchestrator -am
#
# Exit status = Maven's. The services stay up afterwards (scripts/services.sh stop to stop them).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

t_start=$EPOCHREALTIME
scripts/services.sh start
scripts/services.sh reset-test-db
# A real kube-apiserver + etcd + controller-manager for the Kubernetes executor's tests: built once per machine
# from Debian's kubernetes source package (several minutes the first time, then cached), started in seconds.
scripts/kube-apiserver.sh build
scripts/kube-apiserver.sh start
# The end-to-end tier (*E2E) runs on a one-node cluster of its own: a second API server (state and ports beside
# the first) joined by a real node (kubelet + kube-scheduler + Debian's Docker, scripts/one-node.sh). The tests of
# the API server above keep a cluster without a node, where pods stay Pending until a test moves them.
node_cluster() {
  REPRISE_KUBE_DIR=${REPRISE_KUBE_DIR:-$HOME/.reprise/kube}-node \
    REPRISE_KUBE_API_PORT=$((${REPRISE_KUBE_API_PORT:-16443} + 100)) \
    REPRISE_KUBE_ETCD_PORT=$((${REPRISE_KUBE_ETCD_PORT:-23790} + 2)) \
    REPRISE_KUBE_ETCD_PEER_PORT=$((${REPRISE_KUBE_ETCD_PORT:-23790} + 3)) "$@"
}
node_cluster scripts/kube-apiserver.sh start
node_cluster scripts/one-node.sh start
t_services=$(since "$t_start")

eval "$(scripts/services.sh env)"
eval "$(scripts/kube-apiserver.sh env)"
eval "$(node_cluster scripts/one-node.sh env)"

# The node's base image comes from Debian's archive (debootstrap: minutes, once per machine): it is made while the
# build and the other tiers run; the E2E tier then builds the project's images on it (scripts/node-images.sh).
images_log=${TMPDIR:-/tmp}/reprise-node-images.$$.log
node_cluster scripts/one-node.sh images --base >"$images_log" 2>&1 &

# failsafe merges its results into an existing summary file: a stale one from an earlier run in this tree would fail
# the verify goal of an execution whose tests all passed now
rm -f orchestrator/target/failsafe-reports/failsafe-summary*.xml

t_maven_start=$EPOCHREALTIME
rc=0
./mvnw -B verify -DskipE2E=false "$@" || rc=$?
wait || true
rm -f "$images_log"
t_maven=$(since "$t_maven_start")

echo "[test] services start: ${t_services} s, mvnw verify: ${t_maven} s, total: $(since "$t_start") s (exit $rc)" >&2
exit "$rc"
