#!/usr/bin/env bash
# The OCI distribution-spec conformance suite (its conformance/ Go test: pull, push, content discovery, content
# management) against berth-registry on 127.0.0.1, three times on fresh filesystem storage: no auth, htpasswd Basic
# auth, and token auth (berth-registry's own /token endpoint over the same htpasswd). Prints passed/failed/skipped per
# mode and the failed specs; exits 1 if any failed. berth-registry mounts only with ?from=, hence
# OCI_AUTOMATIC_CROSSMOUNT=0.
# The suite is built offline by Debian's Go (1.19) in GOPATH mode, from Debian's golang-*-dev packages (installed if
# missing) and, for what Debian does not package, a GOPATH tree at the versions of SPEC_DIR/conformance/go.mod.
# Usage (as root): scripts/conformance-distribution.sh SPEC_DIR DEPS_GOPATH
#   SPEC_DIR     a checkout of github.com/opencontainers/distribution-spec (v1.1.1 builds with Go 1.19 this way)
#   DEPS_GOPATH  a directory with src/github.com/onsi/ginkgo/v2 (v2.11.0 for spec v1.1.1), src/github.com/onsi/gomega
#                (v1.27.8) and src/github.com/bloodorangeio/reggie (v0.6.1), e.g. each `git archive TAG | tar -x -C …`
# REPORT_DIR=DIR keeps each mode's junit.xml, report.html and log there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/registry-common.sh
[ $# -eq 2 ] || { sed -n '2,/^set -e/p' "$0" | grep '^#' >&2; exit 2; }
spec=$(realpath "$1") deps=$(realpath "$2")
[ -f "$spec/conformance/setup.go" ] || { echo "$spec/conformance/setup.go: not a distribution-spec checkout" >&2; exit 2; }
for module in github.com/onsi/ginkgo/v2 github.com/onsi/gomega github.com/bloodorangeio/reggie; do
  [ -d "$deps/src/$module" ] || { echo "$deps/src/$module: missing (see $0's header)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/berth-conformance.XXXXXX)
registry_pid=""

cleanup() {
  [ -z "$registry_pid" ] || { kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null; } || true
  rm -rf "$work"
}
trap cleanup EXIT

debian_packages=(golang-go golang-github-asaskevich-govalidator-dev golang-github-go-resty-resty-dev
  golang-github-mitchellh-mapstructure-dev golang-github-google-uuid-dev golang-github-go-logr-logr-dev
  golang-github-opencontainers-go-digest-dev golang-github-google-go-cmp-dev golang-golang-x-net-dev
  golang-golang-x-sys-dev golang-golang-x-text-dev golang-gopkg-yaml.v3-dev apache2-utils)
missing=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' "${debian_packages[@]}" 2>/dev/null | awk '$1 == "ii" {print $2}' \
  | sort | comm -13 - <(printf '%s\n' "${debian_packages[@]}" | sort))
[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null

package=github.com/opencontainers/distribution-spec/conformance
mkdir -p "$work/gopath/src/$package"
cp -r "$spec/conformance/." "$work/gopath/src/$package"
GOPATH="$work/gopath:$deps:/usr/share/gocode" GO111MODULE=off GOFLAGS= GOPROXY=off \
  go test -c -o "$work/conformance.test" "$package"
ensure_berth_registry
htpasswd -Bbc "$work/htpasswd" conformance "conformance-secret" 2>/dev/null

run_mode() { # MODE, then berth-registry's auth options
  local mode=$1 port out; shift
  port=$(free_port) out=$work/$mode
  mkdir -p "$out"
  artifacts/native/berth-registry serve --addr "127.0.0.1:$port" --storage filesystem --root "$work/root-$mode" \
    --log-level Warning "${@//PORT/$port}" >"$out/registry.log" 2>&1 </dev/null &
  registry_pid=$!
  wait_http "http://127.0.0.1:$port/v2/" "$out/registry.log"
  local credentials=() status
  if [ $# -gt 0 ]; then # an auth mode: check that the registry does ask
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")
    [ "$status" = 401 ] || { echo "$mode: GET /v2/ without credentials answered $status, not 401" >&2; exit 1; }
    credentials=(OCI_USERNAME=conformance OCI_PASSWORD=conformance-secret)
  fi
  (cd "$out" && env "${credentials[@]}" OCI_ROOT_URL="http://127.0.0.1:$port" OCI_NAMESPACE=conformance/one \
    OCI_CROSSMOUNT_NAMESPACE=conformance/two OCI_AUTOMATIC_CROSSMOUNT=0 OCI_HIDE_SKIPPED_WORKFLOWS=0 OCI_REPORT_DIR="$out" \
    OCI_TEST_PULL=1 OCI_TEST_PUSH=1 OCI_TEST_CONTENT_DISCOVERY=1 OCI_TEST_CONTENT_MANAGEMENT=1 \
    timeout 600 "$work/conformance.test" -ginkgo.no-color >"$out/suite.log" 2>&1) || true
  kill "$registry_pid"; wait "$registry_pid" 2>/dev/null || true; registry_pid=""
  local counts
  counts=$(grep -oE '[0-9]+ Passed \| [0-9]+ Failed \| [0-9]+ Pending \| [0-9]+ Skipped' "$out/suite.log" | tail -1)
  if [ -z "$counts" ]; then
    echo "$mode: the suite did not finish; its log:" >&2; tail -30 "$out/suite.log" >&2
    counts="0 Passed | 1 Failed | 0 Pending | 0 Skipped"
  fi
  read -r passed _ _ failed _ _ pending _ _ skipped _ <<<"$counts"
  printf '%-8s %s passed, %s failed, %s skipped\n' "$mode" "$passed" "$failed" "$((skipped + pending))"
  [ -f "$out/junit.xml" ] && python3 - "$out/junit.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
for case in ET.parse(sys.argv[1]).iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        print("         FAILED:", case.get("name"))
EOF
  [ -z "${REPORT_DIR:-}" ] || { mkdir -p "$REPORT_DIR/$mode"; cp "$out"/*.xml "$out"/*.html "$out"/*.log "$REPORT_DIR/$mode/" 2>/dev/null || true; }
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed)) total_skipped=$((total_skipped + skipped + pending))
}

total_passed=0 total_failed=0 total_skipped=0
echo "distribution-spec $(git -C "$spec" describe --tags 2>/dev/null || basename "$spec") conformance against berth-registry"
run_mode none
run_mode basic --htpasswd "$work/htpasswd"
run_mode token --htpasswd "$work/htpasswd" --auth-token-realm "http://127.0.0.1:PORT/token"
echo "conformance: $total_passed passed, $total_failed failed, $total_skipped skipped"
[ "$total_failed" -eq 0 ]
