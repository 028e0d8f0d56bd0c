#!/usr/bin/env bash
# Convolution forward+backward (forward, data, weight and bias gradients) at batch 32: ours vs PyTorch, 2 threads each,
# interleaved rounds, medians. Prints one line per case: "case ours peer ratio" in GFLOP/s (3 × forward FLOPs / time).
# Usage: bash build/bench/conv.sh [rounds=3] [repeats per round=5] [case names...]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}; repeats=${2:-5}; shift $(( $# > 2 ? 2 : $# )) || true
export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
dotnet build build/bench/conv/ConvBench.csproj -c Release --nologo -v q >/dev/null
dll=build/bench/conv/bin/Release/net10.0/ConvBench.dll
out=$(mktemp -d)
for r in $(seq "$rounds"); do
  dotnet "$dll" "$repeats" "$@" >>"$out/ours"
  /usr/bin/python3 build/bench/peer/conv.py "$repeats" "$@" >>"$out/peer"
done
/usr/bin/python3 - "$out/ours" "$out/peer" <<'PY'
import statistics, sys
def read(path):
    d = {}
    for line in open(path):
        parts = line.split()
        d.setdefault(parts[0], []).append(parts[1:])
    return d
ours, peer = read(sys.argv[1]), read(sys.argv[2])
print(f"{'case':28} {'ours':>8} {'peer':>8} {'ratio':>6}   (GFLOP/s, fwd+bwd, median of {len(next(iter(ours.values())))} rounds)")
for name, rows in ours.items():
    flops = float(rows[0][1])
    t_ours = statistics.median(float(r[0]) for r in rows)
    t_peer = statistics.median(float(r[0]) for r in peer[name])
    print(f"{name:28} {flops / t_ours / 1e9:8.1f} {flops / t_peer / 1e9:8.1f} {t_peer / t_ours:6.2f}")
PY
rm -rf "$out"
