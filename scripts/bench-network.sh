#!/usr/bin/env bash
# The daemon-side network services on this machine: the port proxy's start cost per mapping, its round trip and
# throughput against a direct connection on 127.0.0.1, and (as root) the embedded DNS server's start cost and query
# latency from inside a fresh network namespace, for a container name and for a forward to a local fake upstream.
# Everything stays on 127.0.0.0/8. Usage: scripts/bench-network.sh
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/berth-heavy.lock dotnet build scripts/bench-network -c Release --nologo -v quiet >/dev/null
flock /tmp/berth-heavy.lock dotnet artifacts/bin/BenchNetwork/release/BenchNetwork.dll
