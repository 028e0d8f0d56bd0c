#!/usr/bin/env bash
# 13-10-1 tansig/purelin BP network on Boston housing: ours (Levenberg–Marquardt, trainlm defaults) against
# scikit-learn's MLPRegressor(hidden_layer_sizes=(10,), solver="lbfgs"), same 80/20 split, same run.
#
#   bash build/bench/bp.sh [--split-seed N]
#
# Ours writes the split's row indices to a temp file and the peer reads them, so both use exactly the same rows.
# Both min-max the features to [-1, 1] from the training part. Each side trains 3 seeds and reports the median test
# RMSE and the median wall time of one training (ours: in-process after warm-up runs, so neither process start nor
# JIT is counted; sklearn: the fit call).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
split_seed=42
while [[ $# -gt 0 ]]; do
  case "$1" in
    --split-seed) split_seed=$2; shift 2 ;;
    *) echo "usage: bp.sh [--split-seed N]" >&2; exit 2 ;;
  esac
done
data=${MLNET_NETS_DATA:-$root/../shared/data}
housing=$data/housing/housing.txt
[[ -f $housing ]] || { echo "bp.sh: $housing not found (set MLNET_NETS_DATA)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dotnet build "$root/build/bench/bp/BpBench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
ours=$(dotnet "$root/build/bench/bp/bin/Release/net10.0/BpBench.dll" --data "$housing" --split-out "$tmp/split.txt" --split-seed "$split_seed")
echo "$ours"
peer=$(OMP_NUM_THREADS=2 LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
  /usr/bin/python3 "$root/build/bench/bp/bp_peer.py" "$housing" "$tmp/split.txt")
echo "$peer"

get() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<<"$1" | tail -1; }
our_rmse=$(get "$ours" median_test_rmse); our_time=$(get "$ours" median_train_seconds)
sk_rmse=$(get "$peer" median_test_rmse); sk_time=$(get "$peer" median_fit_seconds)
awk -v r1="$our_rmse" -v t1="$our_time" -v r2="$sk_rmse" -v t2="$sk_time" 'BEGIN {
  printf "split_seed=%s\n", "'"$split_seed"'";
  printf "test RMSE   ours %.4f  sklearn %.4f  ratio ours/sklearn %.3f  %s\n", r1, r2, r1 / r2, (r1 <= r2 ? "PASS" : "FAIL");
  printf "train time  ours %.4f s  sklearn %.4f s  ratio ours/sklearn %.3f  %s\n", t1, t2, t1 / t2, (t1 <= t2 ? "PASS" : "FAIL");
}'
