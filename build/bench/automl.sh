#!/usr/bin/env bash
# AutoML tuner benchmark (cost-frugal vs random search) and the 60-second housing experiment vs the hand-tuned BP net.
#   bash build/bench/automl.sh [--trials N] [--seeds S] [--first-seed F] [--seconds T] [--refit-study]
#   (--seeds 0: only the timed experiments; --seconds 0: without them; --first-seed 20 --seeds 10: seeds not used while developing the tuner;
#    --first-seed 5 --seeds 0: the timed experiments with seeds 5-9)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
trials=40; seeds=5; first=0; seconds=60; mode=search
while [[ $# -gt 0 ]]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --first-seed) first=$2; shift 2 ;;
    --refit-study) mode=refit; shift ;;
    *) echo "usage: automl.sh [--trials N] [--seeds S] [--first-seed F] [--seconds T] [--refit-study]" >&2; exit 2 ;;
  esac
done
data=${MLNET_NETS_DATA:-$root/../shared/data}
housing=$data/housing/housing.txt
[[ -f $housing ]] || { echo "automl.sh: $housing not found (set MLNET_NETS_DATA)" >&2; exit 1; }
dotnet build "$root/build/bench/automl/AutoMlBench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet "$root/build/bench/automl/bin/Release/net10.0/AutoMlBench.dll" "$housing" "$trials" "$seeds" "$seconds" "$first" "$mode"
