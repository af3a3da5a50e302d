#!/usr/bin/env bash
# `run` of a busybox bundle (`true`; pid, net, ipc, uts, mount and cgroup namespaces; a 64 MiB memory limit) under
# berth-runtime, runc and crun, interleaved in one go; prints median and mean wall times and the ratios to berth-runtime.
#
# crun 1.8 refuses hybrid cgroup hosts outright ("cgroups in hybrid mode not supported"). On such a host the script
# measures twice: berth-runtime and runc on the host as it is, then all three in a private mount namespace where the
# empty cgroup2 "unified" mount is hidden (a plain cgroup v1 view), which crun can drive with the same bundle.
# Usage (as root): scripts/bench-runtime.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
berth=$PWD/artifacts/native/berth-runtime
[ -x "$berth" ] || scripts/build.sh

measure() { # RUNTIME...
  local work r i start median mean base
  work=$(mktemp -d /tmp/berth-bench.XXXXXX)
  trap 'rm -rf "$work"' RETURN
  cp -a artifacts/rootfs/busybox "$work/rootfs"
  "$berth" spec --bundle "$work"
  sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2-dev"/; s/"terminal": true/"terminal": false/; s/"sh"$/"true"/' "$work/config.json"
  sed -i 's/"resources": {/"resources": {\n      "memory": { "limit": 67108864 },/' "$work/config.json"
  declare -A times=()
  for r in "$@"; do
    command -v "$r" >/dev/null || { echo "$r is not installed" >&2; return 1; }
    "$r" --root "$work/state-$r" run --bundle "$work" "warmup" </dev/null >/dev/null 2>&1 ||
      { echo "$r cannot run the bundle:" >&2; "$r" --root "$work/state-$r" run --bundle "$work" probe </dev/null; return 1; }
  done
  for i in $(seq 1 "$runs"); do
    for r in "$@"; do
      start=$(date +%s%N)
      "$r" --root "$work/state-$r" run --bundle "$work" "b$i" </dev/null >/dev/null 2>&1
      times[$r]+="$(( ($(date +%s%N) - start) / 1000 )) "
    done
  done
  printf "%-14s %10s %10s %8s\n" runtime "median ms" "mean ms" "ratio"
  base=""
  for r in "$@"; do
    read -r median mean <<<"$(tr ' ' '\n' <<<"${times[$r]}" | grep -v '^$' | sort -n |
      awk '{a[NR]=$1; s+=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f", m/1000, s/NR/1000}')"
    base=${base:-$median}
    printf "%-14s %10s %10s %7.2fx\n" "$r" "$median" "$mean" "$(bc -l <<<"$median / $base")"
  done
}

export PATH="$(dirname "$berth"):$PATH"
if [ "${1:-}" = --v1-view ]; then
  runs=${2:-50}
  umount /sys/fs/cgroup/unified
  measure berth-runtime runc crun
  exit
fi
if grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts; then
  echo "== this host (hybrid cgroups), $runs runs each =="
  measure berth-runtime runc
  echo
  echo "== cgroup v1 view (unified hidden in a private mount namespace, so crun can run), $runs runs each =="
  unshare -m --propagation private "$0" --v1-view "$runs"
else
  echo "== this host, $runs runs each =="
  measure berth-runtime runc crun
fi
