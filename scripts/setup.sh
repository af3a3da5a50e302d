#!/usr/bin/env bash
# Installs what building and testing Berth needs on Debian 12 (run as root): the NativeAOT toolchain, busybox-static
# for test root filesystems, tini-static (the init `run --init` mounts into containers, as Docker's docker-init is),
# bsdutils' `script` (end-to-end tests drive `run -it` on a pty), docker-py (python3-docker, a client end-to-end tests
# drive berthd with), and the peers the tests compare with (runc, crun) or interoperate with (Debian's reference
# registry docker-registry 2.8 and skopeo), and a docker CLI for the end-to-end tests when none is on PATH (Debian's
# docker.io; its daemon is never started), bzip2 and xz (build contexts compressed that way are unpacked with them, as
# moby does for xz), git (git build contexts are cloned with it, as moby does; tests serve one with `git daemon`),
# containernetworking-plugins (the CNI plugins the CRI's pod networking tests run: bridge, host-local, loopback). Packaged services are kept from starting: tests start their own.
set -euo pipefail
packages=(clang lld zlib1g-dev busybox-static libseccomp2 runc crun iproute2 procps util-linux bsdutils tini python3 python3-docker bc
  docker-registry skopeo iptables bzip2 xz-utils git containernetworking-plugins)
command -v docker >/dev/null || packages+=(docker.io)
packages+=(docker-compose) # Debian's docker-compose 1.29: a Compose client the end-to-end tests drive berthd with
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  policy=/usr/sbin/policy-rc.d
  [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && trap 'rm -f "$policy"' EXIT; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
