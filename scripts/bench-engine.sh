#!/usr/bin/env bash
# Berth against Docker in one go, on this machine, with the same busybox image:
#   run --rm busybox true (--network none, then the default bridge, and what the bridge adds) · exec true ·
#   20 concurrent run -d then rm -f · idle daemon RSS · shim RSS per container.
# Docker is Debian's docker.io, installed if missing (its service kept from starting) and started here on its own
# socket and data root, with its default bridge on a subnet of its own and no iptables changes (no rule is per
# container for a run without published ports). Berth's default bridge is a bridge of its own too; both are removed
# at the end. Prints medians and the Berth/Docker ratios.
# Usage (as root, after scripts/build.sh): scripts/bench-engine.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
runs=${1:-20}
work=$(mktemp -d /tmp/berth-engine-bench.XXXXXX)
export BERTH_BIN=$PWD/artifacts/native
berth_sock=$work/berth.sock docker_sock=$work/docker.sock
berthd_pid="" dockerd_pid=""

cleanup() {
  docker -H "unix://$docker_sock" rm -f $(docker -H "unix://$docker_sock" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
  "$BERTH_BIN/berth" -H "unix://$berth_sock" rm -f $("$BERTH_BIN/berth" -H "unix://$berth_sock" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
  [ -n "$berthd_pid" ] && kill "$berthd_pid" 2>/dev/null
  [ -n "$dockerd_pid" ] && kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null
  grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip link del btbench0 2>/dev/null || true
  ip link del docker0 2>/dev/null || true
  iptables -S | grep -- '-A .* btbench0 ' | sed 's/^-A/-D/' | while read -r rule; do eval iptables "$rule"; done || true
  iptables -t nat -S | grep -- ' btbench0 ' | sed 's/^-A/-D/' | while read -r rule; do eval iptables -t nat "$rule"; done || true
  rm -rf "$work"
}
trap cleanup EXIT

bench_install_docker

setsid "$BERTH_BIN/berthd" -H "unix://$berth_sock" --data-root "$work/berth" --exec-root "$work/berth-exec" \
  --pidfile "$work/berthd.pid" --bridge btbench0 --bip 10.211.0.1/24 >"$work/berthd.log" 2>&1 </dev/null &
berthd_pid=$!
dockerd -H "unix://$docker_sock" --data-root "$work/docker" --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
  --bip 10.210.0.1/24 --iptables=false --ip6tables=false --containerd-namespace berth-bench --log-level error >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
B() { "$BERTH_BIN/berth" -H "unix://$berth_sock" "$@"; }
D() { docker -H "unix://$docker_sock" "$@"; }
for _ in $(seq 300); do B version >/dev/null 2>&1 && D version >/dev/null 2>&1 && break; sleep 0.1; done
tar -C artifacts/rootfs/busybox -cf "$work/busybox.tar" .
B import "$work/busybox.tar" busybox >/dev/null
D import "$work/busybox.tar" busybox >/dev/null

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

printf "%-38s %12s %12s %8s\n" "measure" "berth" "docker" "ratio"
B run --rm --network none busybox true >/dev/null; D run --rm --network none busybox true >/dev/null # warm up
declare -a bt=() dt=()
for _ in $(seq "$runs"); do
  bt+=("$(time_ns B run --rm --network none busybox true)")
  dt+=("$(time_ns D run --rm --network none busybox true)")
done
none_b=$(printf '%s\n' "${bt[@]}" | median_ms) none_d=$(printf '%s\n' "${dt[@]}" | median_ms)
row "run --rm --network none (median ms)" "$none_b" "$none_d"
B run --rm busybox true >/dev/null; D run --rm busybox true >/dev/null # warm up the bridges
bt=() dt=()
for _ in $(seq "$runs"); do
  bt+=("$(time_ns B run --rm busybox true)")
  dt+=("$(time_ns D run --rm busybox true)")
done
bridge_b=$(printf '%s\n' "${bt[@]}" | median_ms) bridge_d=$(printf '%s\n' "${dt[@]}" | median_ms)
row "run --rm, default bridge (median ms)" "$bridge_b" "$bridge_d"
row "bridge cost over none (ms)" "$(awk "BEGIN {print $bridge_b - $none_b}")" "$(awk "BEGIN {print $bridge_d - $none_d}")"

B run -d --name bench-exec --network none busybox sleep 1000 >/dev/null
D run -d --name bench-exec --network none busybox sleep 1000 >/dev/null
bt=() dt=()
for _ in $(seq "$runs"); do
  bt+=("$(time_ns B exec bench-exec true)")
  dt+=("$(time_ns D exec bench-exec true)")
done
row "exec true (median ms)" "$(printf '%s\n' "${bt[@]}" | median_ms)" "$(printf '%s\n' "${dt[@]}" | median_ms)"

burst() { # CLI
  local s i; s=$(date +%s%N)
  for i in $(seq 20); do "$1" run -d --network none --name "burst-$i" busybox sleep 1000 >/dev/null & done; wait
  "$1" rm -f $(for i in $(seq 20); do echo "burst-$i"; done) >/dev/null
  echo $(( $(date +%s%N) - s ))
}
row "20x run -d, then rm -f (ms)" "$(burst B | median_ms)" "$(burst D | median_ms)"

shim_b=$(pgrep -f "berth-shim --id $(B inspect -f '{{.Id}}' bench-exec)" | head -1)
shim_d=$(pgrep -f "containerd-shim-runc-v2 .*-id $(D inspect -f '{{.Id}}' bench-exec)" | head -1)
row "shim RSS per container (MB)" "$(awk "BEGIN {print $(rss_kb "$shim_b")/1024}")" "$(awk "BEGIN {print $(rss_kb "$shim_d")/1024}")"
B rm -f bench-exec >/dev/null; D rm -f bench-exec >/dev/null
sleep 3 # idle: berthd gives memory back a second or two after its last request, Go's runtime in the background
containerd_pid=$(pgrep -f "containerd --config $work/docker-exec" | head -1 || true)
docker_rss=$(rss_kb "$dockerd_pid"); [ -n "$containerd_pid" ] && docker_rss=$((docker_rss + $(rss_kb "$containerd_pid")))
row "idle daemon RSS (MB; docker+containerd)" "$(awk "BEGIN {print $(rss_kb "$berthd_pid")/1024}")" "$(awk "BEGIN {print $docker_rss/1024}")"
