#!/usr/bin/env bash
# Builds the solution and publishes the NativeAOT binaries to artifacts/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Berth.slnx -c Release --nologo -v quiet
dotnet publish src/Berth.Runtime.Cli -c Release -r linux-x64 --nologo -v quiet -o artifacts/native
