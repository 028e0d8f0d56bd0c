#!/usr/bin/env bash
# Trains LeNet-5 (conv 6@5x5 same, max-pool 2, conv 16@5x5, max-pool 2, dense 120-84-10, ReLU; Adam 1e-3, batch 64,
# pixels in [0, 1]) on MNIST with MLNet.Nets and with PyTorch (2 threads, OpenBLAS-openmp) in one run and prints the
# seconds per epoch of each and the ratio ours/PyTorch (goal <= 1.0).
# Usage: build/bench/lenet.sh [epochs=1] [rounds=1]   (rounds > 1 interleaves the two, to even out machine load)
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:-1}
rounds=${2:-1}
export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
data=${MLNET_NETS_DATA:-$(cd .. && pwd)/shared/data}/mnist
[ -d "$data" ] || { echo "lenet.sh: MNIST not found at $data (set MLNET_NETS_DATA)"; exit 1; }
dotnet build build/bench/lenet/LeNetBench.csproj -c Release --nologo -v q -o build/bench/lenet/bin/out >/dev/null
ours_sum=0; torch_sum=0
for r in $(seq 1 "$rounds"); do
  ours=$(dotnet build/bench/lenet/bin/out/LeNetBench.dll "$data" "$epochs" 0 2 | tail -1)
  torch=$(/usr/bin/python3 build/bench/lenet.py "$data" "$epochs" 0 | tail -1)
  echo "round $r ours:    $ours"
  echo "round $r pytorch: $torch"
  o=$(/usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds_per_epoch'])" "$ours")
  t=$(/usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds_per_epoch'])" "$torch")
  ours_sum=$(/usr/bin/python3 -c "print($ours_sum + $o)"); torch_sum=$(/usr/bin/python3 -c "print($torch_sum + $t)")
done
/usr/bin/python3 - "$ours_sum" "$torch_sum" "$rounds" <<'PY'
import sys
o, t, r = float(sys.argv[1]) / int(sys.argv[3]), float(sys.argv[2]) / int(sys.argv[3]), int(sys.argv[3])
print(f"lenet: ours {o:.2f} s/epoch, pytorch {t:.2f} s/epoch, ratio ours/pytorch {o / t:.2f} (goal <= 1.0), mean of {r} round(s)")
PY
