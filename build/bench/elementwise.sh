#!/usr/bin/env bash
# Element-wise kernels (activations, batch norm, softmax, broadcast multiply), forward + backward at batch 32, ours vs
# PyTorch in one run. Prints one line per case: "case ours_ms peer_ms ratio" (ratio = peer/ours, > 1 means we are faster),
# best of the repetitions within each round, median over rounds; the rounds interleave ours and the peer.
# Our element-wise kernels run on one thread; PyTorch uses 2 (pass 1 as the third argument to compare one thread each).
# Usage: build/bench/elementwise.sh [rounds=3] [repetitions=7] [torch_threads=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}; reps=${2:-7}; threads=${3:-2}
export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
dotnet build build/bench/elementwise/ElementwiseBench.csproj -c Release --nologo -v q -o build/bench/elementwise/bin/out >/dev/null
results=()
for r in $(seq 1 "$rounds"); do
  results+=("$(dotnet build/bench/elementwise/bin/out/ElementwiseBench.dll "$reps" | tail -1)")
  results+=("$(/usr/bin/python3 build/bench/elementwise.py "$reps" "$threads" | tail -1)")
done
/usr/bin/python3 - "${results[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(a) for a in sys.argv[1:]]
ours, peer = runs[0::2], runs[1::2]
print(f"{'case':<18} {'ours_ms':>9} {'peer_ms':>9} {'ratio':>7}")
for case in ours[0]:
    o = statistics.median(r[case] for r in ours); p = statistics.median(r[case] for r in peer)
    print(f"{case:<18} {o:9.2f} {p:9.2f} {p / o:7.2f}")
PY
