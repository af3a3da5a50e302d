#!/usr/bin/env bash
# Compose on Berth against Compose on Docker, in one go on this machine: `up -d` and `down -v` of a three-service
# application (a one-shot init job writing a named volume, a busybox httpd with a healthcheck that waits for it, a
# client that waits for the web to be healthy, on a custom network), `berth compose` on berthd against Debian's
# docker-compose 1.29 on Debian's docker.io. Both daemons run on their own sockets, data roots and bridges (removed at
# the end); dockerd without iptables changes. The long-running services stop on SIGKILL, so `down` measures the tools
# rather than a 10 s stop timeout (PID 1 ignores SIGTERM). Prints medians and the Berth/Docker ratios.
# Usage (as root, after scripts/build.sh): scripts/bench-compose.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
runs=${1:-10}
work=$(mktemp -d /tmp/berth-compose-bench.XXXXXX)
export BERTH_BIN=$PWD/artifacts/native
berth_sock=$work/berth.sock docker_sock=$work/docker.sock
berthd_pid="" dockerd_pid=""

B() { "$BERTH_BIN/berth" -H "unix://$berth_sock" "$@"; }
D() { docker -H "unix://$docker_sock" "$@"; }
BC() { B compose --project-directory "$work/app" -p bench "$@"; }
DC() { DOCKER_HOST="unix://$docker_sock" docker-compose --project-directory "$work/app" -f "$work/app/compose.yaml" -p bench "$@"; }

cleanup() {
  BC down -v >/dev/null 2>&1 || true
  DC down -v >/dev/null 2>&1 || true
  [ -n "$berthd_pid" ] && kill "$berthd_pid" 2>/dev/null
  [ -n "$dockerd_pid" ] && kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null
  grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip link del btbench1 2>/dev/null || true
  ip link del docker0 2>/dev/null || true
  iptables -S | grep -- '-A .* btbench1 ' | sed 's/^-A/-D/' | while read -r rule; do eval iptables "$rule"; done || true
  iptables -t nat -S | grep -- ' btbench1 ' | sed 's/^-A/-D/' | while read -r rule; do eval iptables -t nat "$rule"; done || true
  rm -rf "$work"
}
trap cleanup EXIT

bench_install_docker
command -v docker-compose >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null

setsid "$BERTH_BIN/berthd" -H "unix://$berth_sock" --data-root "$work/berth" --exec-root "$work/berth-exec" \
  --pidfile "$work/berthd.pid" --bridge btbench1 --bip 10.212.0.1/24 --default-address-pool base=10.213.0.0/16,size=24 \
  >"$work/berthd.log" 2>&1 </dev/null &
berthd_pid=$!
dockerd -H "unix://$docker_sock" --data-root "$work/docker" --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
  --bip 10.214.0.1/24 --default-address-pool base=10.215.0.0/16,size=24 --iptables=false --ip6tables=false \
  --containerd-namespace berth-compose-bench --log-level error >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 300); do B version >/dev/null 2>&1 && D version >/dev/null 2>&1 && break; sleep 0.1; done
tar -C artifacts/rootfs/busybox -cf "$work/busybox.tar" .
B import "$work/busybox.tar" busybox >/dev/null
D import "$work/busybox.tar" busybox >/dev/null

mkdir -p "$work/app"
cat >"$work/app/compose.yaml" <<'YAML'
services:
  init:
    image: busybox
    command: ["sh", "-c", "echo ready > /data/ready"]
    volumes: [data:/data]
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && cp /data/ready /www/index.html && exec httpd -f -p 80 -h /www"]
    volumes: ["data:/data:ro"]
    networks: [back]
    depends_on:
      init: {condition: service_completed_successfully}
    stop_signal: SIGKILL
    healthcheck:
      test: ["CMD-SHELL", "pidof httpd"]
      interval: 200ms
  client:
    image: busybox
    command: ["sleep", "300"]
    stop_signal: SIGKILL
    networks: [back]
    depends_on:
      web: {condition: service_healthy}
networks:
  back: {}
volumes:
  data: {}
YAML

printf "%-38s %12s %12s %8s\n" "measure" "berth" "docker" "ratio"
BC up -d >/dev/null 2>&1; BC down -v >/dev/null 2>&1; DC up -d >/dev/null 2>&1; DC down -v >/dev/null 2>&1 # warm up
declare -a bu=() bd=() du=() dd=()
for _ in $(seq "$runs"); do
  bu+=("$(time_ns BC up -d)"); bd+=("$(time_ns BC down -v)")
  du+=("$(time_ns DC up -d)"); dd+=("$(time_ns DC down -v)")
done
row "compose up -d, 3 services (median ms)" "$(printf '%s\n' "${bu[@]}" | median_ms)" "$(printf '%s\n' "${du[@]}" | median_ms)"
row "compose down -v (median ms)" "$(printf '%s\n' "${bd[@]}" | median_ms)" "$(printf '%s\n' "${dd[@]}" | median_ms)"
