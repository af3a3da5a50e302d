#!/usr/bin/env bash
# The runtime and the shim beside their peers and targets (issue 14), in one go:
#  - `run` of a busybox bundle (`true`; pid, net, ipc, uts, mount and cgroup namespaces; a 64 MiB memory limit) under
#    berth-runtime, runc and crun, interleaved; median and mean wall times and the ratios to berth-runtime;
#  - berth-shim's memory (VmRSS, and its private part RssAnon) created, started, after 3 execs, and its peak (VmHWM)
#    through a 50 MB log burst;
#  - a table of today's figures beside the targets.
#
# crun 1.8 refuses hybrid cgroup hosts outright ("cgroups in hybrid mode not supported"). On such a host the script
# measures twice: berth-runtime and runc on the host as it is, then all three in a private mount namespace where the
# empty cgroup2 "unified" mount is hidden (a plain cgroup v1 view), which crun can drive with the same bundle.
#
# --phases prints, instead, the median time of each phase mark (BERTH_RUNTIME_TRACE, see docs/performance.md) of
# `berth-runtime run`, counted from the launch: where the time goes.
# Usage (as root): scripts/bench-runtime.sh [RUNS]    scripts/bench-runtime.sh --phases [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
berth=$PWD/artifacts/native/berth-runtime
shim=$PWD/artifacts/native/berth-shim
[ -x "$berth" ] && [ -x "$shim" ] || scripts/build.sh
results=$(mktemp /tmp/berth-bench-results.XXXXXX)
trap 'rm -f "$results"' EXIT

bundle() { # DIR: the bench bundle
  cp -a artifacts/rootfs/busybox "$1/rootfs"
  "$berth" spec --bundle "$1"
  sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2-dev"/; s/"terminal": true/"terminal": false/; s/"sh"$/"true"/' "$1/config.json"
  sed -i 's/"resources": {/"resources": {\n      "memory": { "limit": 67108864 },/' "$1/config.json"
}

median_mean() { tr ' ' '\n' | grep -v '^$' | sort -n |
  awk '{a[NR]=$1; s+=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f", m/1000, s/NR/1000}'; }

measure() { # VIEW RUNTIME...: prints the table, appends "VIEW RUNTIME MEDIAN" lines to $results
  local view=$1 work r i start median mean base
  shift
  work=$(mktemp -d /tmp/berth-bench.XXXXXX)
  trap 'rm -rf "$work"; trap - RETURN' RETURN
  bundle "$work"
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
    read -r median mean <<<"$(median_mean <<<"${times[$r]}")"
    base=${base:-$median}
    printf "%-14s %10s %10s %7.2fx\n" "$r" "$median" "$mean" "$(bc -l <<<"$median / $base")"
    echo "$view $r $median" >>"$results"
  done
}

phases() { # the median of each trace mark over $runs runs of `berth-runtime run`, in ms from the launch
  local work i s
  work=$(mktemp -d /tmp/berth-bench.XXXXXX)
  trap 'rm -rf "$work"; trap - RETURN' RETURN
  bundle "$work"
  for i in $(seq 1 "$runs"); do
    s=$(( $(date +%s%N) / 1000 ))
    BERTH_RUNTIME_TRACE=1 "$berth" --root "$work/state" run --bundle "$work" "p$i" </dev/null 2>&1 >/dev/null |
      awk -v s="$s" '$1 == "berth-trace" {t = $2; $1 = $2 = $3 = ""; sub(/^ +/, ""); print t - s, $0}'
    echo "$(( $(date +%s%N) / 1000 - s )) exited (as the caller sees it)"
  done | awk '{t = $1; $1 = ""; sub(/^ /, ""); if (!($0 in n)) order[++k] = $0; v[$0, ++n[$0]] = t}
    END {for (i = 1; i <= k; i++) {p = order[i]; c = n[p]; for (j = 1; j <= c; j++) a[j] = v[p, j]
      for (x = 2; x <= c; x++) for (y = x; y > 1 && a[y-1] > a[y]; y--) {t = a[y]; a[y] = a[y-1]; a[y-1] = t}
      printf "%9.2f ms  %s\n", a[int((c + 1) / 2)] / 1000, p}}'
}

shim_memory() { # berth-shim's memory through a container's life; appends "shim peak KB" and "shim anon KB" to $results
  local work
  work=$(mktemp -d /tmp/berth-bench-shim.XXXXXX)
  trap 'rm -rf "$work"; trap - RETURN' RETURN
  python3 - "$shim" "$berth" "$PWD/artifacts/rootfs/busybox" "$work" "$results" <<'EOF'
import json, os, socket, subprocess, sys, time
shim, runtime, rootfs, work, results = sys.argv[1:6]
bundle = os.path.join(work, "bundle")
os.makedirs(bundle)
os.symlink(rootfs, os.path.join(bundle, "rootfs"))
subprocess.run([runtime, "spec", "--bundle", bundle], check=True)
spec = json.load(open(os.path.join(bundle, "config.json")))
line = "0123456789abcdefghijklmnopqrstuvwxyz" * 3
spec["process"].update(terminal=False, args=["sh", "-c", f'trap "yes {line} | head -c 52428800; echo burst-done" USR1; while :; do sleep 0.05; done'])
spec["linux"]["cgroupsPath"] = "/berth/" + os.path.basename(work)  # under the runtime's own parent: nothing new left behind
json.dump(spec, open(os.path.join(bundle, "config.json"), "w"))
sock, log = os.path.join(work, "shim.sock"), os.path.join(work, "log.json")
shim_process = subprocess.Popen([shim, "--id", "bench-shim", "--bundle", bundle, "--runtime-root", os.path.join(work, "state"), "--socket", sock,
                                 "--log", log, "--exit-file", os.path.join(work, "exit.json"), "--stage", runtime],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "shim.err"), "w"), start_new_session=True)
assert b'"pid"' in shim_process.stdout.readline(), open(os.path.join(work, "shim.err")).read()

def memory():
    fields = dict(l.split(":", 1) for l in open(f"/proc/{shim_process.pid}/status"))
    return {k: int(fields[k].split()[0]) for k in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}

def call(request):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    s.sendall((json.dumps(request) + "\n").encode())
    answer = b""
    while not answer.endswith(b"\n") and (c := s.recv(1)):
        answer += c
    assert b'"ok"' in answer, answer
    while s.recv(65536):  # an exec's frames, to its exit frame and end of stream
        pass
    s.close()

rows = []
def row(what):
    m = memory()
    rows.append(m)
    print(f"{what:34s} {m['VmRSS'] / 1024:8.1f} {m['RssAnon'] / 1024:8.1f} {m['RssFile'] / 1024:8.1f}")

print(f"{'berth-shim':34s} {'RSS MB':>8s} {'anon MB':>8s} {'file MB':>8s}")
time.sleep(0.2); row("created")
call({"op": "start"}); time.sleep(0.3); row("started")
for _ in range(3):
    call({"op": "exec", "process": {"args": ["true"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}, "stdin": False})
time.sleep(0.2); row("after 3 execs")
call({"op": "kill", "signal": 10, "all": False})
started = time.time()
while time.time() - started < 120 and not (os.path.exists(log) and b"burst-done" in open(log, "rb").read()[-400:]):
    time.sleep(0.05)
row(f"after a 50 MB log burst ({time.time() - started:.1f} s)")
peak = memory()["VmHWM"]
print(f"{'peak RSS through all of it (VmHWM)':34s} {peak / 1024:8.1f}")
call({"op": "kill", "signal": 9, "all": True})
shim_process.wait(timeout=30)
with open(results, "a") as f:
    f.write(f"shim peak {peak}\nshim anon {max(r['RssAnon'] for r in rows)}\n")
EOF
}

result() { awk -v a="$1" -v b="$2" '$1 == a && $2 == b {print $3}' "$results"; }

export PATH="$(dirname "$berth"):$PATH"
if [ "${1:-}" = --v1-view ]; then # internal: the second half on a hybrid host, in its own mount namespace
  rm -f "$results"
  trap - EXIT
  runs=$2 results=$3
  umount /sys/fs/cgroup/unified
  measure v1 berth-runtime runc crun
  exit
fi
if [ "${1:-}" = --phases ]; then
  runs=${2:-20}
  echo "== berth-runtime run: median of each phase mark over $runs runs, from the launch =="
  phases
  exit
fi
runs=${1:-50}
if grep -q ' /sys/fs/cgroup/unified cgroup2 ' /proc/self/mounts; then
  echo "== this host (hybrid cgroups), $runs runs each =="
  measure host berth-runtime runc
  echo
  echo "== cgroup v1 view (unified hidden in a private mount namespace, so crun can run), $runs runs each =="
  unshare -m --propagation private "$0" --v1-view "$runs" "$results"
else
  echo "== this host, $runs runs each =="
  measure host berth-runtime runc crun
fi
echo
shim_memory

crun_view=$( [ -n "$(result v1 crun)" ] && echo v1 || echo host)
echo
echo "== targets (issue 14) =="
printf "%-44s %12s %22s %14s\n" measure berth peer target
printf "%-44s %12s %22s %14s\n" "berth-runtime run, this host (ms)" "$(result host berth-runtime)" "runc $(result host runc)" "-"
printf "%-44s %12s %22s %14s\n" "berth-runtime run, beside crun (ms, $crun_view)" "$(result "$crun_view" berth-runtime)" \
  "crun $(result "$crun_view" crun)" "<= crun"
printf "%-44s %12s %22s %14s\n" "shim peak RSS, exec and log burst (MB)" "$(awk "BEGIN {printf \"%.1f\", $(result shim peak)/1024}")" \
  "containerd-shim 14.2" "<= 3"
printf "%-44s %12s %22s %14s\n" "shim private memory, peak RssAnon (MB)" "$(awk "BEGIN {printf \"%.1f\", $(result shim anon)/1024}")" "" ""
