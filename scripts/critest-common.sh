# Shared by scripts/critest.sh and scripts/critest-bench.sh (sourced, from the repository's root): a berthd on temp
# roots with its own CNI configuration and bridge, serving stand-ins of critest's images from its embedded registry
# through --registry-config-dir, and the cleanup of everything made (on exit).
repo=$PWD
native=${ARTIFACTS:-$repo/artifacts/native}
critest=${CRITEST:-/tmp/critest}
cri_tools_git=${CRI_TOOLS_GIT:-/work/.mirror/kubernetes-sigs+cri-tools/repo}
port=${REGISTRY_PORT:-5055}
go=/usr/lib/go-1.19/bin/go
bridge=bcrit$((RANDOM % 1000))
work=$(mktemp -d /tmp/berth-critest.XXXXXX)
sock=$work/exec/berth.sock
cri=$work/exec/cri.sock
berthd_pid=
portmap_chains_before=1

cleanup() {
  set +e
  [ -n "$berthd_pid" ] && kill "$berthd_pid" && wait "$berthd_pid" 2>/dev/null
  for link in "$bridge" "${bridge}d"; do
    ip link del "$link" 2>/dev/null
    for table in filter nat; do
      iptables -t $table -S | grep -E "^-A .* $link( |$)" | cut -d' ' -f2- | while read -r rule; do
        eval "iptables -t $table -D $rule"
      done
    done
  done
  [ -z "$portmap_chains_before" ] && remove_portmap_chains 2>/dev/null
  grep " $work" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l
  [ "${KEEP:-}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

build_critest() {
  [ -x "$critest" ] && return
  local src=$work/cri-tools
  mkdir -p "$src"
  git --git-dir="$cri_tools_git" archive v1.29.0 | tar -x -C "$src"
  (cd "$src" && flock -o /tmp/berth-heavy.lock env GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0 GOCACHE=$work/gocache \
    "$go" test -c -o "$critest" ./cmd/critest)
}

start_berthd() {
  mkdir -p "$work/cni" "$work/hosts/registry.k8s.io" "$work/hosts/gcr.io" "$work/exec"
  cat > "$work/cni/10-critest.conflist" <<EOF
{ "cniVersion": "1.0.0", "name": "critest", "plugins": [
  { "type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": false,
    "ipam": { "type": "host-local", "dataDir": "$work/ipam", "ranges": [[{ "subnet": "10.203.91.0/24" }]] } },
  { "type": "portmap", "capabilities": { "portMappings": true } },
  { "type": "loopback" } ] }
EOF
  for registry in registry.k8s.io gcr.io; do
    cat > "$work/hosts/$registry/hosts.toml" <<EOF
server = "http://127.0.0.1:$port"   # never the real registry: nothing leaves the machine
[host."http://127.0.0.1:$port"]
  capabilities = ["pull", "resolve"]
EOF
  done
  echo "{}" > "$work/daemon.json"
  "$native/berthd" -H "unix://$sock" --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/berthd.pid" \
    --config-file "$work/daemon.json" --cri-socket "$cri" --cni-conf-dir "$work/cni" --registry-config-dir "$work/hosts" \
    --registry "127.0.0.1:$port" --default-registry "127.0.0.1:$port" --bridge "${bridge}d" --bip 10.203.92.1/24 \
    > "$work/berthd.log" 2>&1 &
  berthd_pid=$!
  for _ in $(seq 100); do [ -S "$cri" ] && return; sleep 0.1; done
  echo "berthd did not start:" >&2; cat "$work/berthd.log" >&2; exit 1
}

berth() { "$native/berth" -H "unix://$sock" "$@"; }

# copy_with_libs ROOT FILE DEST: FILE to ROOT/DEST with the shared libraries it loads (the host's, or the packages')
copy_with_libs() {
  local root=$1 file=$2 dest=$3
  install -D "$file" "$root$dest"
  LD_LIBRARY_PATH=$work/debs/lib/x86_64-linux-gnu:$work/debs/usr/lib/x86_64-linux-gnu ldd "$file" \
    | grep -o '/[^ ]*' | while read -r lib; do install -D "$lib" "$root${lib#"$work/debs"}"; done
}

make_busybox_root() {
  local root=$1
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,home,var/run,var/www,lib64}
  chmod 1777 "$root/tmp"
  copy_with_libs "$root" "$work/debs/bin/busybox" /bin/busybox
  # hard links, as busybox images have them: a masked path check needs each applet to be a real file
  "$root/bin/busybox" --list-full | while read -r applet; do
    [ "$applet" = bin/busybox ] || ln -f "$root/bin/busybox" "$root/$applet"
  done
  # procps' pgrep and util-linux's ipcs, the host's: critest runs them, and Debian's busybox has not those applets
  for tool in /usr/bin/pgrep /usr/bin/ipcs; do copy_with_libs "$root" "$tool" "$tool"; done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'www-data:x:33:33:www-data:/var/www:/bin/false' \
    'default-user:x:1000:1000::/home/default-user:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' > "$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'www-data:x:33:' 'default-user:x:1000:' 'group-defined-in-image:x:50000:default-user' \
    'nogroup:x:65534:' > "$root/etc/group"
}

import() { # NAME DIR [--change …]
  local name=$1 dir=$2; shift 2
  tar -C "$dir" -c . | berth import "$@" - "127.0.0.1:$port/$name" >/dev/null
  berth push "127.0.0.1:$port/$name" >/dev/null
  berth rmi "127.0.0.1:$port/$name" >/dev/null
}

make_images() {
  mkdir -p "$work/debs"
  (cd "$work/debs" && apt-get download -q busybox nginx nginx-common libpcre2-8-0 libssl3 zlib1g libcrypt1 >/dev/null 2>&1 \
    && for deb in *.deb; do dpkg-deb -x "$deb" .; done)
  local base=$work/roots/busybox
  make_busybox_root "$base"
  import e2e-test-images/busybox:1.29-2 "$base" -c 'CMD ["sh"]'

  local nginx=$work/roots/nginx
  cp -a "$base" "$nginx"
  copy_with_libs "$nginx" "$work/debs/usr/sbin/nginx" /usr/sbin/nginx
  mkdir -p "$nginx"/{etc/nginx,var/log/nginx,var/lib/nginx,usr/share/nginx/html}
  cp "$work/debs/etc/nginx/mime.types" "$nginx/etc/nginx/"
  echo '<title>Welcome to nginx!</title>' > "$nginx/usr/share/nginx/html/index.html"
  cat > "$nginx/etc/nginx/nginx.conf" <<'EOF'
user www-data;
pid /var/run/nginx.pid;
error_log stderr;
events {}
http { include mime.types; access_log /dev/stdout; server { listen 80; root /usr/share/nginx/html; } }
EOF
  import e2e-test-images/nginx:1.14-2 "$nginx" -c 'CMD ["nginx", "-g", "daemon off;"]' -c 'EXPOSE 80'

  # busybox's httpd in place of Apache, saying the command line Apache logs (critest looks for it)
  mkdir -p "$base/var/www" && echo ok > "$base/var/www/index.html"
  import e2e-test-images/httpd:2.4.39-4 "$base" \
    -c "CMD [\"sh\", \"-c\", \"echo \\\"Command line: 'httpd -D FOREGROUND'\\\" && exec httpd -f -p 80 -h /var/www\"]" -c 'EXPOSE 80'

  # a set-user-ID root program that says its effective uid, as the e2e nonewprivs image's
  mkdir -p "$work/nnp" "$base/usr/local/bin"
  printf '%s\n' 'package main' 'import ("fmt"; "os")' 'func main() { fmt.Printf("Effective uid: %d\n", os.Geteuid()) }' > "$work/nnp/main.go"
  (cd "$work/nnp" && GO111MODULE=off CGO_ENABLED=0 GOCACHE=$work/gocache "$go" build -o "$base/usr/local/bin/nnp" main.go)
  chmod 4755 "$base/usr/local/bin/nnp"
  import e2e-test-images/nonewprivs:1.3 "$base" -c 'CMD ["/usr/local/bin/nnp"]'
  rm "$base/usr/local/bin/nnp"

  local staging=k8s-staging-cri-tools
  import $staging/test-image-user-uid "$base" -c 'USER 1002'
  import $staging/test-image-user-username "$base" -c 'USER www-data'
  import $staging/test-image-user-uid-group "$base" -c 'USER 1003:1004'
  import $staging/test-image-user-username-group "$base" -c 'USER www-data:1004'
  import $staging/test-image-predefined-group "$base" -c 'USER 1000'
  for name in test-image-latest test-image-tag:test test-image-tag:all test-image-1 test-image-2 test-image-3 test-image-tags:1; do
    echo "$name" > "$base/${name%%:*}"
    import "$staging/$name" "$base"
    rm "$base/${name%%:*}"
  done
  for tag in 2 3; do
    berth pull -q "127.0.0.1:$port/$staging/test-image-tags:1" >/dev/null
    berth tag "127.0.0.1:$port/$staging/test-image-tags:1" "127.0.0.1:$port/$staging/test-image-tags:$tag"
    berth push "127.0.0.1:$port/$staging/test-image-tags:$tag" >/dev/null
    berth rmi "127.0.0.1:$port/$staging/test-image-tags:1" "127.0.0.1:$port/$staging/test-image-tags:$tag" >/dev/null
  done
}

# What critest's pods left once it removed them: each id it printed, the pod network, mounts and processes.
check_leaks() {
  local leaks=() id
  for id in $(grep -oE '"[0-9a-f]{64}"' "$work/critest.log" | tr -d '"' | sort -u); do
    compgen -G "/sys/fs/cgroup/*/berth/$id" >/dev/null && leaks+=("cgroup of $id")
    pgrep -f "$id" >/dev/null && leaks+=("process of $id")
  done
  [ -n "$(ls -A "$work/exec/netns" 2>/dev/null)" ] && leaks+=("netns: $(ls "$work/exec/netns")")
  [ -n "$(ip -o link show master "$bridge" 2>/dev/null)" ] && leaks+=("veths on $bridge")
  ls "$work/ipam/critest" 2>/dev/null | grep -qvE '^(lock|last_reserved_ip\.0)$' && leaks+=("CNI addresses: $(ls "$work/ipam/critest")")
  iptables -t nat -S | grep -q 'name: \\"critest\\"' && leaks+=("portmap rules")
  grep -q " $work/" /proc/mounts && leaks+=("mounts under $work")
  if [ ${#leaks[@]} -eq 0 ]; then echo "leaks: none"; else printf 'leak: %s\n' "${leaks[@]}"; fi
}

# portmap's shared chains stay after its last pod; removed here if this run made them
remove_portmap_chains() {
  iptables -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
  iptables -t nat -D OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
  iptables -t nat -D POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ
  for chain in CNI-HOSTPORT-DNAT CNI-HOSTPORT-MASQ CNI-HOSTPORT-SETMARK; do iptables -t nat -F $chain && iptables -t nat -X $chain; done
}
iptables -t nat -S CNI-HOSTPORT-DNAT >/dev/null 2>&1 && portmap_chains_before=1 || portmap_chains_before=

