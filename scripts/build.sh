#!/usr/bin/env bash
# Builds the solution, publishes the NativeAOT binaries to artifacts/native and makes the busybox test rootfs.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Berth.slnx -c Release --nologo -v quiet
for project in Berth.Runtime.Cli Berth.Shim Berth.Cli Berth.Daemon Berth.Registry; do
  dotnet publish src/$project -c Release -r linux-x64 --nologo -v quiet -o artifacts/native
done
scripts/make-busybox-rootfs.sh artifacts/rootfs/busybox >/dev/null
