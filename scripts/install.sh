#!/usr/bin/env bash
# Installs Berth as a service (as root): the binaries from artifacts/native in /usr/local/bin (tini as docker-init),
# the systemd units berthd.service and berthd.socket, a default /etc/berth/daemon.json (kept if present) and the
# berth group that may use the socket. Running it again upgrades the binaries and changes nothing else.
# DESTDIR=/some/dir installs below that directory instead of / (the group then goes to DESTDIR/etc/group).
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${DESTDIR:-}"
bin="$dest/usr/local/bin" units="$dest/etc/systemd/system" etc="$dest/etc/berth"
binaries=(berthd berth berth-shim berth-runtime berth-registry libe_sqlite3.so)

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
for b in "${binaries[@]}"; do
  [ -f "artifacts/native/$b" ] || { echo "install.sh: artifacts/native/$b is missing: run scripts/build.sh first" >&2; exit 1; }
done

install -d -m 0755 "$bin" "$units" "$etc"
for b in "${binaries[@]}"; do
  # Written beside and renamed: a running daemon or shim keeps its old binary, the next start takes the new one.
  install -m 0755 "artifacts/native/$b" "$bin/.$b.new"
  mv -f "$bin/.$b.new" "$bin/$b"
done
if [ -x /usr/bin/tini-static ]; then
  ln -sfn /usr/bin/tini-static "$bin/docker-init"
else
  echo "install.sh: /usr/bin/tini-static is missing (apt-get install tini): 'run --init' will not work" >&2
fi
install -m 0644 scripts/systemd/berthd.service scripts/systemd/berthd.socket "$units/"
[ -f "$etc/daemon.json" ] || printf '{}\n' > "$etc/daemon.json"  # flags and file must not overlap: start empty

if [ -n "$dest" ]; then
  install -d "$dest/etc"
  touch "$dest/etc/group"
  grep -q '^berth:' "$dest/etc/group" || groupadd --prefix "$dest" --system berth
else
  getent group berth >/dev/null || groupadd --system berth
fi

if [ -z "$dest" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed; start with: systemctl enable --now berthd.socket (members of the berth group may use /run/berth/berth.sock)"
else
  echo "installed${dest:+ in $dest}"
fi
