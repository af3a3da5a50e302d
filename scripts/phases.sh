#!/usr/bin/env bash
# Where the time of run, exec and rm goes inside berthd: starts its own berthd with --debug (temp socket and data
# root), runs RUNS times `run --rm busybox true` and `exec true`, and prints the median of every phase berthd logged
# (create, start, release, remove) and of every API request. Find a regression here before guessing.
# Usage (as root, after scripts/build.sh): scripts/phases.sh [RUNS] [NETWORK]   (NETWORK: none (default) or bridge)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20} network=${2:-none}
work=$(mktemp -d /tmp/berth-phases.XXXXXX)
bin=$PWD/artifacts/native
sock=$work/berth.sock pid=""

cleanup() {
  [ -n "$pid" ] && "$bin/berth" -H "unix://$sock" rm -f phases-exec >/dev/null 2>&1 || true
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip link del btphase0 2>/dev/null || true
  for table in filter nat; do
    iptables -t $table -S | grep -- ' btphase0 ' | sed 's/^-A/-D/' | while read -r rule; do eval iptables -t $table "$rule"; done || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/berthd" --debug -H "unix://$sock" --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/berthd.pid" \
  --config-file /dev/null --bridge btphase0 --bip 10.212.0.1/24 >"$work/berthd.log" 2>&1 </dev/null &
pid=$!
B() { "$bin/berth" -H "unix://$sock" "$@"; }
for _ in $(seq 100); do B version >/dev/null 2>&1 && break; sleep 0.1; done
tar -C artifacts/rootfs/busybox -c . | B import - busybox >/dev/null
B run --rm --network "$network" busybox true # warm up
skip=$(wc -l <"$work/berthd.log") # the warm-up's lines
for _ in $(seq "$runs"); do B run --rm --network "$network" busybox true; done
B run -d --name phases-exec --network "$network" busybox sleep 1000 >/dev/null
for _ in $(seq "$runs"); do B exec phases-exec true; done

# "container <id>: start phases (ms): rootfs=1.2 … total=9.9" and "POST /v1.44/containers/<id>/start 204 3.1ms"
awk '
  BEGIN { for (i = 0; i < 64; i++) id = id "[0-9a-f]" }
  function add(key, v) { n[key]++; vals[key, n[key]] = v; if (!(key in seen)) { seen[key] = 1; order[++keys] = key } }
  / phases \(ms\): / {
    op = $0; sub(/ phases.*/, "", op); sub(/.*: /, "", op)
    line = $0; sub(/.*phases \(ms\): /, "", line)
    split(line, parts, " ")
    for (i in parts) { split(parts[i], kv, "="); add(op " " kv[1], kv[2]) }
  }
  match($0, /(GET|POST|DELETE|PUT|HEAD) [^ ]+ [0-9]+ [0-9.]+ms/) {
    split(substr($0, RSTART, RLENGTH), r, " ")
    path = r[2]; sub(/\?.*/, "", path); gsub(/\/v1\.[0-9]+/, "", path); gsub(id, "<id>", path); sub(/phases-exec/, "<id>", path)
    ms = r[4]; sub(/ms$/, "", ms)
    add("request " r[1] " " path, ms)
  }
  END {
    printf "%-48s %8s %6s\n", "phase", "median", "count"
    for (k = 1; k <= keys; k++) {
      key = order[k]; m = n[key]
      for (i = 1; i <= m; i++) a[i] = vals[key, i]
      for (i = 2; i <= m; i++) { v = a[i]; j = i - 1; while (j > 0 && a[j] > v) { a[j + 1] = a[j]; j-- } a[j + 1] = v }
      med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
      printf "%-48s %8.2f %6d\n", key, med, m
    }
  }' <(tail -n "+$((skip + 1))" "$work/berthd.log")
