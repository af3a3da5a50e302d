#!/usr/bin/env bash
# Berth's builder against Docker's legacy builder in one go, on this machine, with the same busybox image and the same
# 10-step Dockerfile, both driven by the docker CLI (DOCKER_BUILDKIT=0): a cold build (--no-cache) and a rebuild with
# no change (every step from the cache). Docker is Debian's docker.io, installed if missing (its service kept from
# starting) and started here on its own socket and data root without networking changes. Prints medians and ratios.
# Usage (as root, after scripts/build.sh): scripts/bench-build.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
work=$(mktemp -d /tmp/berth-build-bench.XXXXXX)
export BERTH_BIN=$PWD/artifacts/native DOCKER_BUILDKIT=0
berth_sock=$work/berth.sock docker_sock=$work/docker.sock
berthd_pid="" dockerd_pid=""

cleanup() {
  [ -n "$berthd_pid" ] && kill "$berthd_pid" 2>/dev/null
  [ -n "$dockerd_pid" ] && kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null
  grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip link del btbench1 2>/dev/null || true
  iptables -S | grep -- '-A .* btbench1 ' | sed 's/^-A/-D/' | while read -r rule; do eval iptables "$rule"; done || true
  iptables -t nat -S | grep -- ' btbench1 ' | sed 's/^-A/-D/' | while read -r rule; do eval iptables -t nat "$rule"; done || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v dockerd >/dev/null; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d # no service starts
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi

setsid "$BERTH_BIN/berthd" -H "unix://$berth_sock" --data-root "$work/berth" --exec-root "$work/berth-exec" \
  --pidfile "$work/berthd.pid" --bridge btbench1 --bip 10.212.0.1/24 >"$work/berthd.log" 2>&1 </dev/null &
berthd_pid=$!
dockerd -H "unix://$docker_sock" --data-root "$work/docker" --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
  --bridge none --iptables=false --ip6tables=false --containerd-namespace berth-build-bench --log-level error >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
B() { docker -H "unix://$berth_sock" "$@"; }
D() { docker -H "unix://$docker_sock" "$@"; }
for _ in $(seq 300); do B version >/dev/null 2>&1 && D version >/dev/null 2>&1 && break; sleep 0.1; done
tar -C artifacts/rootfs/busybox -cf "$work/busybox.tar" .
B import "$work/busybox.tar" busybox >/dev/null
D import "$work/busybox.tar" busybox >/dev/null

context=$work/context
mkdir -p "$context/src"
for i in $(seq 50); do head -c 20000 /dev/urandom | base64 > "$context/src/file$i.txt"; done
cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM busybox
ARG VERSION=1
ENV APP=/app
WORKDIR /app
COPY src/ ./src/
RUN cat src/*.txt | wc -c > size
RUN mkdir -p out && cp src/file1.txt out/
LABEL version=$VERSION
EXPOSE 8080
CMD ["cat", "/app/size"]
DOCKERFILE

median_ms() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000000}'; }
time_ns() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; echo $(( $(date +%s%N) - s )); }
row() { printf "%-38s %12s %12s %8s\n" "$1" "$2" "$3" "$(awk "BEGIN {printf \"%.3f\", $2/$3}")"; }

printf "%-38s %12s %12s %8s\n" "measure (10-step Dockerfile)" "berth" "docker" "ratio"
declare -a bt=() dt=()
for _ in $(seq "$runs"); do
  bt+=("$(time_ns B build --no-cache -t bench:cold --network none "$context")")
  dt+=("$(time_ns D build --no-cache -t bench:cold --network none "$context")")
done
row "cold build, --no-cache (median ms)" "$(printf '%s\n' "${bt[@]}" | median_ms)" "$(printf '%s\n' "${dt[@]}" | median_ms)"
B build -t bench:warm --network none "$context" >/dev/null; D build -t bench:warm --network none "$context" >/dev/null
bt=() dt=()
for _ in $(seq "$runs"); do
  bt+=("$(time_ns B build -t bench:warm --network none "$context")")
  dt+=("$(time_ns D build -t bench:warm --network none "$context")")
done
row "rebuild, no change (median ms)" "$(printf '%s\n' "${bt[@]}" | median_ms)" "$(printf '%s\n' "${dt[@]}" | median_ms)"
[ "$(B run --rm bench:warm)" = "$(D run --rm --network none bench:warm)" ] || { echo "the two images differ" >&2; exit 1; }
