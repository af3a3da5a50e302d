#!/usr/bin/env bash
# Runs cri-tools' conformance suite (critest v1.29.0) against a berthd of its own, offline:
#  - builds critest from the cri-tools tag if $CRITEST is missing (Debian's Go 1.19, vendored modules);
#  - makes stand-ins of critest's images from Debian packages (a dynamically linked busybox with hard links, nginx),
#    pushes them to the berthd's embedded registry on 127.0.0.1 and serves registry.k8s.io and gcr.io from it through
#    --registry-config-dir (hosts.toml), so the names critest pulls resolve without renaming;
#  - starts berthd on temp roots with a CNI configuration of its own (bridge, host-local, portmap, loopback);
#  - runs critest (the host network specs skipped: they listen on every address) and prints its counts;
#  - removes everything it made.
# Usage: scripts/critest.sh [critest flags…], e.g. -ginkgo.focus=Security (the benchmarks: scripts/critest-bench.sh)
# Env: CRITEST (default /tmp/critest), CRI_TOOLS_GIT (cri-tools git dir), REGISTRY_PORT (default 5055),
#      ARTIFACTS (berthd, berth, shim: default artifacts/native, made by scripts/build.sh), KEEP=1 keeps the work dir.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/critest-common.sh

build_critest
start_berthd
make_images
echo "critest images served from 127.0.0.1:$port; running critest $*" >&2
set +e
(cd "$work" && "$critest" --runtime-endpoint "unix://$cri" --image-endpoint "unix://$cri" \
  --ginkgo.skip='HostNetwork|host network' --ginkgo.no-color "$@" 2>&1) | tee "$work/critest.log" \
  | grep -E '^(•|Ran |FAIL|PASS|\[FAIL\]|  \[FAIL\])|Summarizing' >&2
status=${PIPESTATUS[0]}
grep -E '^Ran [0-9]+ of|^(FAIL|PASS)! ' "$work/critest.log"
grep -E '^\s*\[FAIL\]' "$work/critest.log" | sort -u
check_leaks
exit "$status"
