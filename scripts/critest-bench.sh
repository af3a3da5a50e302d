#!/usr/bin/env bash
# Runs critest's benchmarks (critest -benchmark: pod, container and image lifecycles, image listing) against a berthd
# of its own and, when Debian's containerd is installed, against a containerd on temp roots, in one run with the same
# images, CNI plugins and parameters; prints each operation's median and mean per runtime. See scripts/critest.sh
# for how the images are made and served. Usage: scripts/critest-bench.sh [samples per benchmark, default 20]
# Env: as scripts/critest.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/critest-common.sh
samples=${1:-20}
containerd_pid=

stop_containerd() {
  [ -n "$containerd_pid" ] || return 0
  /tmp/crictl --runtime-endpoint "unix://$work/containerd/containerd.sock" rmp -af >/dev/null 2>&1
  kill "$containerd_pid" && wait "$containerd_pid" 2>/dev/null
  ip link del "${bridge}c" 2>/dev/null
  containerd_pid=
}
trap 'stop_containerd; cleanup' EXIT

# the images only the benchmarks pull: a pause image for containerd's sandboxes (a static Go program that waits for
# a signal) and busybox under the names the image benchmarks list
make_bench_images() {
  local pause=$work/roots/pause
  mkdir -p "$pause" "$work/pause"
  printf '%s\n' 'package main' 'import ("os"; "os/signal"; "syscall")' \
    'func main() { c := make(chan os.Signal, 1); signal.Notify(c, syscall.SIGINT, syscall.SIGTERM); <-c }' > "$work/pause/main.go"
  (cd "$work/pause" && GO111MODULE=off CGO_ENABLED=0 GOCACHE=$work/gocache "$go" build -o "$pause/pause" main.go)
  import pause:3.9 "$pause" -c 'ENTRYPOINT ["/pause"]'
  for tag in 1.35.0-glibc 1-uclibc 1 1-glibc 1-musl; do import "docker/library/busybox:$tag" "$work/roots/busybox" -c 'CMD ["sh"]'; done
  mkdir -p "$work/hosts/public.ecr.aws" && cp "$work/hosts/gcr.io/hosts.toml" "$work/hosts/public.ecr.aws/"
}

start_containerd() {
  local root=$work/containerd
  mkdir -p "$root/cni"
  sed -e "s/\"bridge\": \"$bridge\"/\"bridge\": \"${bridge}c\"/" -e 's/10\.203\.91\./10.203.93./' -e "s|$work/ipam|$root/ipam|" \
    "$work/cni/10-critest.conflist" > "$root/cni/10-critest.conflist"
  cat > "$root/config.toml" <<TOML
version = 2
root = "$root/root"
state = "$root/state"
[grpc]
  address = "$root/containerd.sock"
[ttrpc]
  address = "$root/containerd.sock.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.9"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$root/cni"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$work/hosts"
TOML
  containerd --config "$root/config.toml" > "$root/containerd.log" 2>&1 &
  containerd_pid=$!
  for _ in $(seq 100); do [ -S "$root/containerd.sock" ] && return; sleep 0.1; done
  echo "containerd did not start:" >&2; cat "$root/containerd.log" >&2; exit 1
}

bench() { # NAME ENDPOINT
  local out=$work/bench/$1
  mkdir -p "$out"
  (cd "$work" && "$critest" -benchmark --runtime-endpoint "$2" --image-endpoint "$2" --ginkgo.no-color \
    --benchmarking-params-file "$work/bench.yaml" --benchmarking-output-dir "$out" > "$out/critest.log" 2>&1) \
    || echo "$1: some benchmarks failed: $(grep -E '^\s*\[FAIL\]' "$out/critest.log" | sort -u | tr '\n' ' ')" >&2
}

build_critest
start_berthd
make_images
make_bench_images
cat > "$work/bench.yaml" <<YAML
containersNumber: $samples
podsNumber: $samples
imagesNumber: $samples
YAML
bench berthd "unix://$cri"
if command -v containerd >/dev/null; then
  start_containerd
  bench containerd "unix://$work/containerd/containerd.sock"
  stop_containerd
fi
python3 - "$work/bench" <<'PY'
import json, os, statistics, sys
root = sys.argv[1]
runtimes = sorted(os.listdir(root), key=lambda r: r != "berthd")
rows = {}
for runtime in runtimes:
    for name in sorted(os.listdir(os.path.join(root, runtime))):
        if not name.endswith(".json"): continue
        data = json.load(open(os.path.join(root, runtime, name)))
        for i, op in enumerate(data["operationsNames"]):
            values = [d["operationsDurationsNs"][i] / 1e6 for d in data["datapoints"]]
            if values: rows.setdefault((name.replace("_benchmark_data.json", ""), op), {})[runtime] = values
print(f"{'benchmark':<16}{'operation':<22}" + "".join(f"{r + ' median/mean ms':>30}" for r in runtimes))
for (bench, op), by in rows.items():
    cells = "".join(f"{(f'{statistics.median(by[r]):.1f} / {statistics.mean(by[r]):.1f} (n={len(by[r])})' if r in by else '-'):>30}" for r in runtimes)
    print(f"{bench:<16}{op:<22}{cells}")
PY
