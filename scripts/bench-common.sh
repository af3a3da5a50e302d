# Sourced by the bench-*.sh scripts that compare Berth with Debian's docker.io on this machine.

# Debian's docker.io, installed when dockerd is missing, its service kept from starting (the bench starts its own).
bench_install_docker() {
  command -v dockerd >/dev/null && return
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d # no service starts
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
  rm -f /usr/sbin/policy-rc.d
}

# The median of nanosecond timings on stdin, in milliseconds.
median_ms() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000000}'; }

# Runs a command quietly and prints how long it took, in nanoseconds; a failing command stops the bench.
time_ns() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; echo $(( $(date +%s%N) - s )); }

# One line of a table: the measure, Berth's figure, Docker's, and their ratio.
row() { printf "%-38s %12s %12s %8s\n" "$1" "$2" "$3" "$(awk "BEGIN {printf \"%.3f\", $2/$3}")"; }
