#!/usr/bin/env bash
# Learns the portfolio the cost-frugal tuner of BP regression experiments tries first
# (BackPropagationSearchSpace.RegressionPortfolio): random search on four regression data sets that are not the AutoML
# benchmark's (scikit-learn's diabetes data, Friedman #1-#3), then greedy selection of the configurations that together
# score best on all of them (as Auto-sklearn 2.0 builds its portfolio). Prints each pick and its C# line.
#
#   bash build/portfolio/portfolio.sh [--trials N] [--size K] [--seed S]      (defaults: 80 trials, 3 picks, seed 1; ~20 min)
#
# Needs python3-sklearn (apt-get install --no-install-recommends python3-sklearn).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
trials=80; size=3; seed=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: portfolio.sh [--trials N] [--size K] [--seed S]" >&2; exit 2 ;;
  esac
done
/usr/bin/python3 -c "import sklearn" 2>/dev/null || { echo "portfolio.sh: needs scikit-learn: apt-get install --no-install-recommends python3-sklearn" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$root/build/portfolio/make_datasets.py" "$tmp"
dotnet build "$root/build/portfolio/Portfolio.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet "$root/build/portfolio/bin/Release/net10.0/Portfolio.dll" "$trials" "$size" "$seed" "$tmp"/diabetes.txt "$tmp"/friedman1.txt "$tmp"/friedman2.txt "$tmp"/friedman3.txt
