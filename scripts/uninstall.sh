#!/usr/bin/env bash
# Removes what scripts/install.sh installed (as root): the service, its units, the binaries, /etc/berth and the berth
# group. The data root (/var/lib/berth) stays: images, containers and volumes are the user's to delete.
# DESTDIR as for install.sh.
set -euo pipefail
dest="${DESTDIR:-}"
bin="$dest/usr/local/bin" units="$dest/etc/systemd/system"

[ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: run as root" >&2; exit 1; }
if [ -z "$dest" ] && [ -d /run/systemd/system ]; then
  systemctl disable --now berthd.socket berthd.service 2>/dev/null || true
fi
rm -f "$units/berthd.service" "$units/berthd.socket"
for b in berthd berth berth-shim berth-runtime berth-registry libe_sqlite3.so docker-init; do
  rm -f "$bin/$b"
done
rm -rf "$dest/etc/berth"
if [ -n "$dest" ]; then
  if [ -f "$dest/etc/group" ] && grep -q '^berth:' "$dest/etc/group"; then groupdel --prefix "$dest" berth; fi
elif getent group berth >/dev/null; then
  groupdel berth
fi
if [ -z "$dest" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
echo "uninstalled${dest:+ from $dest}; the data root is left in place"
