#!/usr/bin/env bash
# Kernel benchmarks against peers: our C# kernels vs numpy (OpenBLAS) / PyTorch, 2 threads each, same run.
#
#   build/bench/kernels.sh [regex] [rounds]      e.g.  build/bench/kernels.sh 'sgemm_(1024|2048)' 7
#
# Builds test/MLNet.Nets.Benchmarks in Release, then for each round runs our side
# (`dotnet MLNet.Nets.Benchmarks.dll peer <regex>`) and the peer side (build/bench/peer/kernels.py <regex>)
# one after the other, so both see the same machine load. Each side prints "case gflops" (median of timed
# runs after a warm-up); this script prints one line per case: "case ours peer ratio" with the medians over
# rounds (ratio = ours / peer, above 1 means we are faster). Environment: ROUNDS (default 5), MIN_TIME
# (seconds of timed runs per case per round, default 0.5).
#
# Adding a case (e.g. a convolution forward+backward):
#   1. C#: add one class file under test/MLNet.Nets.Benchmarks/Peer/ implementing IPeerCase
#      (Name, Flops, Setup, Run) with a public parameterless constructor, or IPeerCaseFamily for several
#      cases; it is discovered by reflection, nothing else to register.
#   2. Python: in build/bench/peer/kernels.py add a function returning (run, flops) decorated with
#      @case("same_name"); use torch() for PyTorch (already limited to 2 threads).
#   Both sides must count FLOPs the same way (a multiply-add is 2).
#
# The convolution forward+backward cases (LeNet-5, MobileNetV2 depthwise/pointwise, Inception V3 3x3, vs
# PyTorch) live in build/bench/conv.sh; this script runs them after the GEMM cases (CONV=0 skips them,
# CONV_REPEATS sets their timed repeats per round).
set -euo pipefail
cd "$(dirname "$0")/../.."
filter="${1:-}"
rounds="${2:-${ROUNDS:-5}}"
min_time="${MIN_TIME:-0.5}"

dotnet build test/MLNet.Nets.Benchmarks -c Release --nologo -v q -clp:ErrorsOnly >&2
dll=test/MLNet.Nets.Benchmarks/bin/Release/net10.0/MLNet.Nets.Benchmarks.dll

export OMP_NUM_THREADS=2
peer_env=(env LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for ((r = 1; r <= rounds; r++)); do
  echo "# round $r/$rounds" >&2
  dotnet "$dll" peer "$filter" --min-time "$min_time" >>"$work/ours" 2>>"$work/log"
  "${peer_env[@]}" /usr/bin/python3 build/bench/peer/kernels.py "$filter" --min-time "$min_time" >>"$work/peer" 2>>"$work/log"
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $rounds rounds, median GFLOP/s"
sort -u "$work/log" | sed 's/^# /# /'
/usr/bin/python3 - "$work/ours" "$work/peer" <<'PY'
import statistics, sys
def load(path):
    d, order = {}, []
    try:
        for line in open(path):
            name, value = line.split()
            if name not in d:
                order.append(name)
            d.setdefault(name, []).append(float(value))
    except FileNotFoundError:
        pass
    return d, order
ours, order = load(sys.argv[1])
peer, porder = load(sys.argv[2])
order += [n for n in porder if n not in ours]
width = max([len(n) for n in order] + [4])
print(f"{'case':<{width}} {'ours':>8} {'peer':>8} {'ratio':>6}")
for n in order:
    o = statistics.median(ours[n]) if n in ours else None
    p = statistics.median(peer[n]) if n in peer else None
    fo = f"{o:8.1f}" if o is not None else f"{'n/a':>8}"
    fp = f"{p:8.1f}" if p is not None else f"{'n/a':>8}"
    ratio = f"{o / p:6.2f}" if o and p else f"{'n/a':>6}"
    print(f"{n:<{width}} {fo} {fp} {ratio}")
PY

if [ "${CONV:-1}" != "0" ]; then
  echo
  echo "# convolution forward + backward at batch 32 vs PyTorch (build/bench/conv.sh)"
  bash build/bench/conv.sh "$rounds" "${CONV_REPEATS:-5}"
fi
