#!/usr/bin/env bash
# Model-zoo throughput: ours against PyTorch (torchvision), same run, same thread count (default 2).
# For each architecture: forward images/s at batch 1 and 16 (eval mode) and the wall time of one training step at
# batch 16 (forward + backward + SGD with momentum), median of REPEATS runs (10 x REPEATS at batch 1) after a warm-up of
# at least two runs and one second; the first batch-1 call (cold: JIT / primitive creation) on its own; peak memory of each
# process (ours: Process.PeakWorkingSet64, PyTorch: getrusage ru_maxrss). Random weights, random inputs.
#
#   bash build/bench/zoo.sh [--threads N] [--repeats N] [ARCH ...]      (default: mobilenet_v2 mobilenet_v3_large inception_v3)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
threads=2
repeats=3
archs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    -*) echo "usage: zoo.sh [--threads N] [--repeats N] [ARCH ...]" >&2; exit 2 ;;
    *) archs+=("$1"); shift ;;
  esac
done
[[ ${#archs[@]} -gt 0 ]] || archs=(mobilenet_v2 mobilenet_v3_large inception_v3)

dotnet build "$root/build/bench/zoo/ZooBench.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
get() { sed -n "s/.*\"$2\": *\([0-9.eE+-]*\).*/\1/p" <<<"$1" | tail -1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), threads=$threads, repeats=$repeats"
printf "%-20s %-8s %12s %12s %12s %14s %10s\n" arch side "1st call ms" "b1 img/s" "b16 img/s" "train step s" "peak MB"
for arch in "${archs[@]}"; do
  ours=$(DOTNET_gcServer=0 dotnet "$root/build/bench/zoo/bin/Release/net10.0/ZooBench.dll" "$arch" "$threads" "$repeats" | sed 's/:/: /g')
  torch=$(OMP_NUM_THREADS=$threads LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
    /usr/bin/python3 "$root/build/bench/zoo/zoo_peer.py" "$arch" "$threads" "$repeats")
  for side in ours torch; do
    line=${!side}
    printf "%-20s %-8s %12.1f %12.2f %12.2f %14.3f %10.0f\n" "$arch" "$side" "$(get "$line" first_call_ms)" "$(get "$line" batch1_images_per_second)" \
      "$(get "$line" batch16_images_per_second)" "$(get "$line" train_step_seconds)" "$(get "$line" peak_rss_mb)"
  done
  awk -v a="$(get "$ours" batch1_images_per_second)" -v b="$(get "$torch" batch1_images_per_second)" \
      -v c="$(get "$ours" batch16_images_per_second)" -v d="$(get "$torch" batch16_images_per_second)" \
      -v e="$(get "$ours" train_step_seconds)" -v f="$(get "$torch" train_step_seconds)" -v n="$arch" \
      'BEGIN { printf "%-20s %-8s %12s %12.2f %12.2f %14.2f   (ours/torch speed)\n", n, "ratio", "", a / b, c / d, f / e }'
done
