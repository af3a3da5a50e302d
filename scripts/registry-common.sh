# Sourced by bench-registry.sh and conformance-distribution.sh: the berth-registry binary, free loopback ports, waits.

# Publishes berth-registry (NativeAOT) to artifacts/native when it is missing or older than its sources.
ensure_berth_registry() {
  local bin=artifacts/native/berth-registry
  if [ ! -x "$bin" ] || [ -n "$(find src/Berth.Registry src/Berth.Distribution src/Berth.Oci -name '*.cs' -newer "$bin" | head -1)" ]; then
    dotnet publish src/Berth.Registry -c Release -r linux-x64 --nologo -v quiet -o artifacts/native >&2
  fi
}

# Prints a TCP port that nothing listens on at 127.0.0.1.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$port" | grep -q . || { echo "$port"; return 0; }
  done
  echo "no free port found" >&2; return 1
}

# Waits (10 s at most) until URL answers HTTP at all; fails with the log file's tail otherwise.
wait_http() { # URL LOG
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1")" != 000 ] && return 0
    sleep 0.1
  done
  echo "nothing answers at $1" >&2; tail -20 "$2" >&2; return 1
}
