#!/usr/bin/env bash
# Berth against its peers on registry traffic, in one run, all on 127.0.0.1:
#   push, then pull, of a 5-layer image of incompressible data (5 × LAYER_MB MiB, gzip layers) by berthd and by dockerd,
#   each against the same berth-registry (fresh filesystem storage per run); both pull the image docker pushed.
#   GET of one BLOB_MB MiB blob by 32 concurrent clients (wrk): berth-registry against Debian's docker-registry (2.8).
# Both daemons are driven by the same docker CLI, each on its own temp socket and data root; dockerd is Debian's
# docker.io (installed if missing, its service kept from starting) without bridge or iptables changes. Docker
# recompresses layers on push; Berth pushes the blobs it stores (here the archive's gzip layers).
# Prints medians, the Berth/peer ratios and the targets (times: ratio ≤ 0.5; throughput: ratio ≥ 1).
# Usage (as root, after scripts/build.sh): scripts/bench-registry.sh [RUNS]   (LAYER_MB=4 for a quick ~20 MB check)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/registry-common.sh
runs=${1:-3} layer_mb=${LAYER_MB:-40} blob_mb=${BLOB_MB:-32} wrk_seconds=${WRK_SECONDS:-10}
work=$(mktemp -d /tmp/berth-registry-bench.XXXXXX)
export BERTH_BIN=$PWD/artifacts/native
berth_sock=$work/berth.sock docker_sock=$work/docker.sock
berthd_pid="" dockerd_pid="" registry_pid="" peer_pid=""

stop() { [ -n "$1" ] || return 0; kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; } # a PID this script started
cleanup() {
  stop "$registry_pid"; stop "$peer_pid"; stop "$berthd_pid"; stop "$dockerd_pid"
  grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

install_missing() { # COMMAND PACKAGE
  command -v "$1" >/dev/null && return
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d # no service starts
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log" >&2; rm -f /usr/sbin/policy-rc.d; exit 1; }
  rm -f /usr/sbin/policy-rc.d
}
install_missing dockerd docker.io
install_missing docker-registry docker-registry
install_missing wrk wrk
ensure_berth_registry

# A docker-save archive (manifest.json, config and layers under blobs/sha256/) of 5 gzip layers, each one file of
# random bytes, tagged bench:latest.
make_image() { # ARCHIVE
  local dir=$work/image i diff blob config
  local -a diffs=() layers=()
  mkdir -p "$dir/blobs/sha256" "$work/layer"
  for i in 1 2 3 4 5; do
    rm -f "$work/layer"/*
    head -c "$((layer_mb * 1048576))" /dev/urandom >"$work/layer/data-$i"
    tar -C "$work/layer" --owner=0 --group=0 --mtime=@0 -cf "$work/layer.tar" "data-$i"
    diff=$(sha256sum <"$work/layer.tar" | cut -d' ' -f1)
    gzip -1 -n -c "$work/layer.tar" >"$work/layer.tar.gz"
    blob=$(sha256sum <"$work/layer.tar.gz" | cut -d' ' -f1)
    mv "$work/layer.tar.gz" "$dir/blobs/sha256/$blob"
    diffs+=("\"sha256:$diff\"") layers+=("\"blobs/sha256/$blob\"")
  done
  rm -rf "$work/layer" "$work/layer.tar"
  printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/data-1"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$(IFS=,; echo "${diffs[*]}")" >"$work/config.json"
  config=$(sha256sum <"$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$dir/blobs/sha256/$config"
  printf '[{"Config":"blobs/sha256/%s","RepoTags":["bench:latest"],"Layers":[%s]}]' "$config" "$(IFS=,; echo "${layers[*]}")" \
    >"$dir/manifest.json"
  tar -C "$dir" -cf "$1" manifest.json blobs
  rm -rf "$dir"
}

start_registry() { # berth-registry on a fresh root; sets registry_pid and registry
  local port; port=$(free_port)
  stop "$registry_pid"
  rm -rf "$work/registry"
  "$work/bin/berth-registry" serve --addr "127.0.0.1:$port" --storage filesystem --root "$work/registry" \
    --log-level Warning >>"$work/registry.log" 2>&1 </dev/null &
  registry_pid=$! registry=127.0.0.1:$port
  wait_http "http://$registry/v2/" "$work/registry.log"
}

make_image "$work/image.tar"
# Run from copies, so that a publish to artifacts/native meanwhile does not fail on a busy executable.
mkdir "$work/bin" && cp "$BERTH_BIN"/{berthd,berth-registry,libe_sqlite3.so} "$work/bin/"
setsid "$work/bin/berthd" -H "unix://$berth_sock" --data-root "$work/berth" >"$work/berthd.log" 2>&1 </dev/null &
berthd_pid=$!
dockerd -H "unix://$docker_sock" --data-root "$work/docker" --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
  --bridge=none --iptables=false --ip6tables=false --containerd-namespace berth-bench --log-level error >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
B() { docker -H "unix://$berth_sock" "$@"; }
D() { docker -H "unix://$docker_sock" "$@"; }
for _ in $(seq 300); do B version >/dev/null 2>&1 && D version >/dev/null 2>&1 && break; sleep 0.1; done
B version >/dev/null || { tail -20 "$work/berthd.log" >&2; exit 1; }
D version >/dev/null || { tail -20 "$work/dockerd.log" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
time_ms() { # a failure stops the bench: a failed push is not a fast one
  local s; s=$(date +%s%N)
  "$@" >"$work/last.out" 2>&1 || { echo "failed: $*" >&2; tail -20 "$work/last.out" >&2; return 1; }
  echo $(( ($(date +%s%N) - s) / 1000000 ))
}
row() { printf "%-40s %12s %12s %8s %8s\n" "$1" "$2" "$3" "$(awk "BEGIN {printf \"%.3f\", $2/$3}")" "$4"; }
forget_images() { # both engines: every image and its layers gone
  local engine
  for engine in B D; do
    $engine rmi -f $($engine images -q | sort -u) >/dev/null 2>&1 || true
    $engine image prune -a -f >/dev/null
    [ -z "$($engine images -q)" ] || { echo "$engine still has images" >&2; return 1; }
  done
}

first_second() { ((run % 2)) && echo "$1 $2" || echo "$2 $1"; } # who goes first alternates from run to run
layers() { $1 inspect -f '{{.RootFS.Layers}}' "$registry/bench/docker:r$run"; }

declare -a bpush=() dpush=() bpull=() dpull=()
for run in $(seq "$runs"); do
  start_registry
  forget_images
  B load -i "$work/image.tar" >/dev/null; D load -i "$work/image.tar" >/dev/null
  B tag bench:latest "$registry/bench/berth:r$run"; D tag bench:latest "$registry/bench/docker:r$run"
  for engine in $(first_second B D); do
    if [ "$engine" = B ]; then t=$(time_ms B push "$registry/bench/berth:r$run"); bpush+=("$t")
    else t=$(time_ms D push "$registry/bench/docker:r$run"); dpush+=("$t"); fi
  done
  forget_images
  for engine in $(first_second B D); do
    t=$(time_ms $engine pull "$registry/bench/docker:r$run")
    if [ "$engine" = B ]; then bpull+=("$t"); else dpull+=("$t"); fi
  done
  [ "$(layers B)" = "$(layers D)" ] || { echo "berth and docker pulled different layers" >&2; exit 1; }
done
forget_images
stop "$registry_pid"; registry_pid=""

# One blob in each registry, fetched by 32 connections for wrk_seconds, RUNS times each.
head -c "$((blob_mb * 1048576))" /dev/urandom >"$work/blob"
blob_digest=sha256:$(sha256sum <"$work/blob" | cut -d' ' -f1)
upload_blob() { # BASE_URL
  local location
  location=$(curl -fsS -X POST -D - -o /dev/null "$1/v2/bench/blob/blobs/uploads/" | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  [[ $location == http* ]] || location=$1$location
  [[ $location == *\?* ]] && location+="&" || location+="?"
  curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$work/blob" "${location}digest=$blob_digest" >/dev/null
  [ "$(curl -fsS "$1/v2/bench/blob/blobs/$blob_digest" | sha256sum | cut -d' ' -f1)" = "${blob_digest#sha256:}" ] \
    || { echo "$1 does not serve back the blob uploaded" >&2; return 1; }
}
throughput_mbs() { # BASE_URL: MB/s (10^6 bytes) of blob GETs by 32 concurrent clients
  local url=$1/v2/bench/blob/blobs/$blob_digest
  wrk -t2 -c32 -d"${wrk_seconds}s" --timeout 30s "$url" >"$work/wrk.out"
  if grep -qE 'Non-2xx|Socket errors' "$work/wrk.out"; then cat "$work/wrk.out" >&2; return 1; fi
  awk '/^Transfer\/sec:/ {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v);
    f=(u=="GB")?1073741824:(u=="MB")?1048576:(u=="KB")?1024:1; printf "%.0f", v*f/1000000}' "$work/wrk.out"
}
start_registry
peer_port=$(free_port)
cat >"$work/docker-registry.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/docker-registry
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$peer_port
EOF
docker-registry serve "$work/docker-registry.yml" >"$work/docker-registry.log" 2>&1 </dev/null &
peer_pid=$!
wait_http "http://127.0.0.1:$peer_port/v2/" "$work/docker-registry.log"
upload_blob "http://$registry"
upload_blob "http://127.0.0.1:$peer_port"
wrk -t2 -c32 -d2s "http://$registry/v2/bench/blob/blobs/$blob_digest" >/dev/null # warm up
wrk -t2 -c32 -d2s "http://127.0.0.1:$peer_port/v2/bench/blob/blobs/$blob_digest" >/dev/null
declare -a bmbs=() pmbs=()
for run in $(seq "$runs"); do
  for engine in $(first_second berth peer); do
    if [ "$engine" = berth ]; then t=$(throughput_mbs "http://$registry"); bmbs+=("$t")
    else t=$(throughput_mbs "http://127.0.0.1:$peer_port"); pmbs+=("$t"); fi
  done
done

printf "%-40s %12s %12s %8s %8s\n" "measure ($runs runs, image $((5 * layer_mb)) MiB)" "berth" "peer" "ratio" "target"
row "push, berthd vs dockerd (median ms)" "$(printf '%s\n' "${bpush[@]}" | median)" "$(printf '%s\n' "${dpush[@]}" | median)" "<= 0.5"
row "pull, berthd vs dockerd (median ms)" "$(printf '%s\n' "${bpull[@]}" | median)" "$(printf '%s\n' "${dpull[@]}" | median)" "<= 0.5"
row "blob GET ${blob_mb} MiB x32 vs registry 2.8 (MB/s)" "$(printf '%s\n' "${bmbs[@]}" | median)" "$(printf '%s\n' "${pmbs[@]}" | median)" ">= 1"
echo "each run: push ms berth ${bpush[*]}, docker ${dpush[*]}; pull ms berth ${bpull[*]}, docker ${dpull[*]};" \
  "GET MB/s berth ${bmbs[*]}, docker-registry ${pmbs[*]}"
