#!/usr/bin/env bash
# helm.sh - real Helm 3 without a helm binary: helm-java (Helm's own Go code, embedded as a native library, from
# Maven Central) behind a small command line (scripts/helm/HelmCli.java, run as a single-file Java program).
#
#   scripts/helm.sh install|upgrade RELEASE CHART [-n NS] [--kubeconfig FILE] [-f VALUES]... [--set K=V]...
#                   [--wait] [--timeout SECONDS]
#   scripts/helm.sh uninstall RELEASE [-n NS] [--kubeconfig FILE]
#
# The jars are gathered once into ~/.cache/reprise/helm/lib (XDG_CACHE_HOME honoured). Needs Java 17+.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${XDG_CACHE_HOME:-$HOME/.cache}/reprise/helm
POM=$ROOT/scripts/helm/pom.xml

sum=$(sha256sum "$POM" | cut -d' ' -f1)
if [[ ! -d $DIR/lib || ! -f $DIR/pom.sha256 || $(<"$DIR/pom.sha256") != "$sum" ]]; then
  echo "[helm] gathering helm-java with Maven into $DIR/lib (once)" >&2
  mkdir -p "$DIR" && rm -rf "$DIR/lib.tmp"
  "$ROOT/mvnw" -B -q -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$DIR/lib.tmp" >"$DIR/fetch.log" 2>&1 ||
    { tail -n 20 "$DIR/fetch.log" >&2; echo "[helm] ERROR: Maven could not gather helm-java" >&2; exit 1; }
  rm -rf "$DIR/lib" && mv "$DIR/lib.tmp" "$DIR/lib" && echo "$sum" >"$DIR/pom.sha256"
fi
exec java -cp "$DIR/lib/*" "$ROOT/scripts/helm/HelmCli.java" "$@"
