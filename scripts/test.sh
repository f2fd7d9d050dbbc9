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
t_services=$(since "$t_start")

eval "$(scripts/services.sh env)"
eval "$(scripts/kube-apiserver.sh env)"

t_maven_start=$EPOCHREALTIME
rc=0
./mvnw -B verify "$@" || rc=$?
t_maven=$(since "$t_maven_start")

echo "[test] services start: ${t_services} s, mvnw verify: ${t_maven} s, total: $(since "$t_start") s (exit $rc)" >&2
exit "$rc"
