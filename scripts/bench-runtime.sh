#!/usr/bin/env bash
# `run` of a busybox bundle (`true`, every namespace but user, a 64 MiB memory limit) under berth-runtime, runc and
# crun, interleaved in one go; prints each runtime's median and mean wall time and the ratios to berth-runtime.
# crun 1.8 cannot join cgroup v1 controllers on a hybrid host, so there it gets the same bundle without a memory limit
# and without a cgroup namespace (said in the output). Usage: sudo scripts/bench-runtime.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
berth=$PWD/artifacts/native/berth-runtime
[ -x "$berth" ] || scripts/build.sh
work=$(mktemp -d /tmp/berth-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -a artifacts/rootfs/busybox "$work/rootfs"

make_bundle() { # DIR MEMORY_LIMIT CGROUPNS
  mkdir -p "$1"
  "$berth" spec --bundle "$1"
  python3 - "$1/config.json" "$2" "$3" "$work/rootfs" <<'PY'
import json, sys
path, memory, cgroupns, rootfs = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
c = json.load(open(path))
c["root"]["path"] = rootfs
c["process"]["terminal"] = False
c["process"]["args"] = ["true"]
if memory: c["linux"]["resources"]["memory"] = {"limit": memory}
if not cgroupns: c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "cgroup"]
json.dump(c, open(path, "w"), indent=1)
PY
}
make_bundle "$work/full" $((64 << 20)) 1
make_bundle "$work/crun" 0 0

declare -A bundle=([berth-runtime]="$work/full" [runc]="$work/full" [crun]="$work/crun")
declare -A binary=([berth-runtime]="$berth" [runc]="$(command -v runc)" [crun]="$(command -v crun)")
declare -A times
for r in berth-runtime runc crun; do
  [ -x "${binary[$r]}" ] || { echo "$r is not installed (apt-get install $r)" >&2; exit 1; }
  "${binary[$r]}" --root "$work/state-$r" run --bundle "${bundle[$r]}" warmup-$r >/dev/null 2>&1 </dev/null \
    || { echo "$r cannot run the bundle:" >&2; "${binary[$r]}" --root "$work/state-$r" run --bundle "${bundle[$r]}" probe-$r </dev/null; exit 1; }
done
for i in $(seq 1 "$runs"); do
  for r in berth-runtime runc crun; do
    start=$(date +%s%N)
    "${binary[$r]}" --root "$work/state-$r" run --bundle "${bundle[$r]}" "b$i" >/dev/null 2>&1 </dev/null
    times[$r]+="$(( ($(date +%s%N) - start) / 1000 )) "
  done
done

stats() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1; s+=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f", m/1000, s/NR/1000}'; }
read -r berth_median berth_mean <<<"$(echo "${times[berth-runtime]}" | stats)"
printf "%-14s %10s %10s %14s\n" runtime "median ms" "mean ms" "median ratio"
for r in berth-runtime runc crun; do
  read -r median mean <<<"$(echo "${times[$r]}" | stats)"
  printf "%-14s %10s %10s %13.2fx\n" "$r" "$median" "$mean" "$(echo "$median / $berth_median" | bc -l)"
done
echo "($runs runs each, interleaved; bundle: true, pid+net+ipc+uts+mount+cgroup namespaces, 64 MiB memory limit;"
echo " crun: no memory limit and no cgroup namespace, the most it can run on this hybrid-cgroup host)"
