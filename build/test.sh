#!/usr/bin/env bash
# The test command: installs what the tests need, builds, runs every test project and ends with
# one line "N passed, N failed". Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Gemm").
set -uo pipefail
cd "$(dirname "$0")/.."
bash build/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
log=$(mktemp)
dotnet test MLNet.Nets.sln -c Release --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
passed=${passed:-0}; failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build error or a crashed test host
rm -f "$log"
echo "$passed passed, $failed failed"
exit "$rc"
