#!/usr/bin/env bash
# Berth's main job: start berthd (unless one already answers), seed a busybox image imported from Debian's
# busybox-static, and run a container from it with the berth CLI. Run as root after scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export BERTH_BIN="$PWD/artifacts/native"
berth="$BERTH_BIN/berth"
socket=${BERTH_SOCKET:-/run/berth/berth.sock}
export DOCKER_HOST="unix://$socket"

if ! "$berth" version >/dev/null 2>&1; then
  mkdir -p /var/log
  setsid "$BERTH_BIN/berthd" -H "unix://$socket" >>/var/log/berthd.log 2>&1 < /dev/null &
  for _ in $(seq 100); do "$berth" version >/dev/null 2>&1 && break; sleep 0.1; done
  echo "berthd started (pid $!, log /var/log/berthd.log)"
fi
if ! "$berth" image inspect busybox >/dev/null 2>&1; then
  tar -C artifacts/rootfs/busybox -c . | "$berth" import - busybox
fi
"$berth" run --rm busybox echo hello
