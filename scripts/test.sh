#!/usr/bin/env bash
# Builds, then runs every test project and ends with one line: "N passed, M failed, K skipped".
# Privileged tests need root; under CI=true they fail rather than skip without it.
# Each test project must leave its own TRX (artifacts/test-results/<project>.trx, named by tests/Directory.Build.props)
# with counters and at least one executed test; otherwise it counts as a failure. xunit's skips are not in the TRX's
# notExecuted counter: skipped = total - executed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
results=$PWD/artifacts/test-results
rm -rf "$results"
# A test that waits on something that never comes is aborted (with its name in the log) instead of stalling the run.
dotnet test Berth.slnx -c Release --no-build --nologo -v quiet -p:BerthTestResults="$results" \
  --blame-hang-timeout 10m --blame-hang-dump-type none \
  -- RunConfiguration.TreatNoTestsAsError=true
status=$?
passed=0 failed=0 skipped=0
for csproj in tests/*/*.csproj; do
  project=$(basename "$csproj" .csproj)
  [ "$project" = Berth.Testing ] && continue # the helper library, not a test project
  trx="$results/$project.trx"
  counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null)
  if [ -z "$counters" ]; then
    echo "$project: no test results (crashed, aborted or never ran)" >&2
    failed=$((failed + 1))
    continue
  fi
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total) executed=$(get executed)
  if [ "${executed:-0}" -eq 0 ]; then
    echo "$project: ran no test" >&2
    failed=$((failed + 1))
  fi
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + total - executed))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
