#!/usr/bin/env bash
# node-images.sh - the images the one-node cluster runs, built here with no container registry: base root file
# systems from Debian's archive (debootstrap), then the project's own Dockerfiles on top of them, straight into
# the node's Docker (DOCKER_HOST; `scripts/one-node.sh images` sets it). Run after `./mvnw package` (it takes the
# orchestrator's quarkus-app and the agent jar from target/, as the Dockerfiles' APP_FROM=prebuilt stages say).
#
#   scripts/node-images.sh            # every image below that is missing or older than its inputs
#   scripts/node-images.sh --base     # only the base image (e.g. in the background while the build runs)
#   scripts/node-images.sh --list     # the image names, one a line
#
# Images (tags the deployment files, the executor's defaults and the examples name):
#   reprise.local/bookworm:java17-python3    debootstrap --variant=minbase bookworm, with openjdk-17-jdk-headless,
#                                            python3 (3.11) and what torch imports: the one base of the images below
#   ghcr.io/reprise-dev/reprise-orchestrator:VERSION   orchestrator/src/main/docker/Dockerfile
#   ghcr.io/reprise-dev/reprise-agent:VERSION          agent/src/main/docker/Dockerfile
#   ghcr.io/reprise-dev/reprise-examples:VERSION       examples/Dockerfile (trainers, data, a venv with torch if
#                                                      pip finds a wheel: `pip download --no-deps torch`)
# The base root file system is cached as a tarball in $REPRISE_IMAGE_CACHE (~/.cache/reprise/images; 6-13 min the
# first time on 2 busy cores, ~150 MB of packages; then `docker import` in seconds); the project's images are rebuilt
# only when their inputs changed (a hash of them is a label on the image). Concurrent runs wait for each other.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${REPRISE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reprise/images}
MIRROR=${REPRISE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
VERSION=${REPRISE_IMAGE_VERSION:-0.1.0}
JAVA_PYTHON=reprise.local/bookworm:java17-python3
ORCHESTRATOR=ghcr.io/reprise-dev/reprise-orchestrator:$VERSION
AGENT=ghcr.io/reprise-dev/reprise-agent:$VERSION
EXAMPLES=ghcr.io/reprise-dev/reprise-examples:$VERSION
# what the examples' trainers need: a JDK (single-file source launch), Python 3.11 and torch's imports
JAVA_PYTHON_PACKAGES=openjdk-17-jdk-headless,python3,python3-venv,python3-numpy,python3-typing-extensions,python3-sympy,python3-filelock,python3-networkx,python3-jinja2,python3-fsspec,ca-certificates

log() { echo "[node-images] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
dk() { /usr/bin/docker "$@"; }

if [[ ${1:-} == --list ]]; then
  printf '%s\n' "$JAVA_PYTHON" "$ORCHESTRATOR" "$AGENT" "$EXAMPLES"
  exit 0
fi
[[ -n ${DOCKER_HOST:-} ]] || die "DOCKER_HOST is not set: run 'scripts/one-node.sh images' (the node's own Docker)"
dk info >/dev/null 2>&1 || die "no Docker at $DOCKER_HOST: scripts/one-node.sh start first"

# A root file system tarball from Debian's archive, built once per machine (debootstrap, as root).
rootfs_tar() { # name include-packages -> path of the tarball
  local name=$1 include=$2 tar=$CACHE/$1.tar
  if [[ ! -s $tar ]]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap </dev/null >/dev/null ||
      die "debootstrap is missing and apt-get install debootstrap failed"
    local t0=$EPOCHREALTIME dir=$CACHE/$name.rootfs
    rm -rf "$dir" && mkdir -p "$dir" "$CACHE/debs"
    log "debootstrap $SUITE ($name${include:+: $include}) from $MIRROR"
    nice debootstrap --variant=minbase --cache-dir="$CACHE/debs" ${include:+--include="$include"} \
      "$SUITE" "$dir" "$MIRROR" >"$CACHE/$name.log" 2>&1 || { tail -n 20 "$CACHE/$name.log" >&2; die "debootstrap $name failed"; }
    # what an image needs of it: no apt lists, no package cache, no logs
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/var/log/*
    tar --numeric-owner -C "$dir" -cf "$tar.tmp" . && mv -f "$tar.tmp" "$tar"
    rm -rf "$dir"
    log "$name: $(du -h "$tar" | cut -f1) in $(since "$t0") s"
  fi
  echo "$tar"
}

import_base() { # image name include
  local image=$1 tar
  tar=$(rootfs_tar "$2" "$3")
  if [[ $(dk image inspect -f '{{ index .Config.Labels "dev.reprise.rootfs" }}' "$image" 2>/dev/null) == "$(stat -c %Y "$tar")" ]]; then
    return 0
  fi
  local t0=$EPOCHREALTIME
  dk import -c "LABEL dev.reprise.rootfs=$(stat -c %Y "$tar")" -c 'CMD ["/bin/bash"]' \
    -c 'ENV LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tar" "$image" >/dev/null
  log "$image imported in $(since "$t0") s"
}

# Builds with BuildKit (skips the Dockerfiles' compile-from-source stages) unless the image's input hash is unchanged.
build() { # image hash context dockerfile build-args...
  local image=$1 hash=$2 context=$3 dockerfile=$4
  shift 4
  if [[ $(dk image inspect -f '{{ index .Config.Labels "dev.reprise.inputs" }}' "$image" 2>/dev/null) == "$hash" ]]; then
    log "$image up to date"
    return 0
  fi
  local t0=$EPOCHREALTIME args=() a
  for a in "$@"; do args+=(--build-arg "$a"); done
  DOCKER_BUILDKIT=1 dk build -q --network none -f "$dockerfile" "${args[@]}" --label "dev.reprise.inputs=$hash" \
    -t "$image" "$context" >"$CACHE/build.log" 2>&1 || { tail -n 30 "$CACHE/build.log" >&2; die "docker build $image failed"; }
  log "$image built in $(since "$t0") s ($(dk image inspect -f '{{.Size}}' "$image" | awk '{ printf "%d MB", $1 / 1e6 }'))"
}

hash_of() { # files/dirs... -> one hash of their contents
  find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
}

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
t_all=$EPOCHREALTIME
import_base "$JAVA_PYTHON" bookworm-java17-python3 "$JAVA_PYTHON_PACKAGES"
[[ ${1:-} == --base ]] && exit 0

app=$ROOT/orchestrator/target/quarkus-app
jar=$ROOT/agent/target/reprise-agent.jar
[[ -f $app/quarkus-run.jar && -f $jar ]] || die "build first: ./mvnw -pl orchestrator,agent -am package -DskipTests"

build "$ORCHESTRATOR" "$(hash_of "$app" "$ROOT/orchestrator/src/main/docker")" "$ROOT" \
  "$ROOT/orchestrator/src/main/docker/Dockerfile" APP_FROM=prebuilt "BUILD_IMAGE=$JAVA_PYTHON" "RUNTIME_IMAGE=$JAVA_PYTHON"
build "$AGENT" "$(hash_of "$jar" "$ROOT/agent/src/main/docker")" "$ROOT" \
  "$ROOT/agent/src/main/docker/Dockerfile" JAR_FROM=prebuilt "BUILD_IMAGE=$JAVA_PYTHON" "BASE_IMAGE=$JAVA_PYTHON"

# The examples' context: the examples (trainers, data) and, when pip finds one, a torch wheel (hard-linked).
ctx=$CACHE/examples-context
mkdir -p "$ctx/wheels"
rsync -a --delete --exclude '*.pyc' "$ROOT/examples/" "$ctx/examples/"
# torch and the pure-Python packages it imports (newer than Debian's), wherever pip's configuration finds them
pip_wheel() { # package [pip options]
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --platform any -d "$ctx/wheels" "$@" >/dev/null 2>&1
}
if ! compgen -G "$ctx/wheels/torch-*.whl" >/dev/null; then
  # the CPU build: first what pip finds on disk (find-links), only then its indexes
  if pip_wheel "torch" --no-index || pip_wheel "torch" --index-url https://download.pytorch.org/whl/cpu; then
    for p in typing_extensions sympy mpmath filelock networkx jinja2 markupsafe fsspec; do
      pip_wheel "$p" || log "pip found no wheel of $p (torch may not import)"
    done
  else
    log "no torch wheel found by pip: the examples image has no torch"
  fi
fi
build "$EXAMPLES" "$(hash_of "$ctx")" "$ctx" "$ROOT/examples/Dockerfile" "BASE_IMAGE=$JAVA_PYTHON"
log "images ready in $(since "$t_all") s"
