#!/usr/bin/env bash
# Berth's main job today: run a busybox container with berth-runtime (an OCI bundle: config.json + rootfs).
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=$(mktemp -d /tmp/berth-bundle.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
cp -a artifacts/rootfs/busybox "$bundle/rootfs"
artifacts/native/berth-runtime spec --bundle "$bundle"
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"sh", "-c", "echo hello from a berth container: pid $$, host $(hostname); id"/' "$bundle/config.json"
artifacts/native/berth-runtime run --bundle "$bundle" "berth-demo-$$"
