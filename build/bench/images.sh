#!/usr/bin/env bash
# Images decoded and resized to 224×224 per second, ours (MLNet.Nets.Vision.Imaging) vs PIL, in the same run.
# Both do: decode the file, convert to RGB, bilinear (antialiased) resize to 224×224. Same files, same thread counts
# (1 and 2), best of PASSES timed passes after a warm-up pass; the runs are interleaved ROUNDS times and the medians
# (of each side's rate and of the per-round ratio ours/PIL) are reported, because the machine is shared.
# Usage: build/bench/images.sh [folder (default: <data>/photos)] [rounds (default 3)] [passes (default 3)]
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${MLNET_NETS_DATA:-$(cd .. && pwd)/shared/data}"
folder="${1:-$data/photos}"
rounds="${2:-3}"
passes="${3:-3}"
[ -d "$folder" ] || { echo "image folder not found: $folder (set MLNET_NETS_DATA or pass a folder)"; exit 1; }
out=build/bench/images/bin/Release
nice -n 10 dotnet build build/bench/images/ImagesBench.csproj -c Release -o "$out" --nologo -v q >/dev/null
py=/usr/bin/python3
/usr/bin/python3 -c "import PIL" || { echo "python3-PIL is required (apt-get install python3-pil)"; exit 1; }
/usr/bin/python3 -c "from PIL import features; print('PIL', __import__('PIL').__version__, 'libjpeg_turbo' if features.check_feature('libjpeg_turbo') else 'libjpeg')"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for threads in 1 2; do
  ours=(); pil=(); ratios=()
  for ((r = 0; r < rounds; r++)); do
    o=$(dotnet "$out/ImagesBench.dll" "$folder" "$threads" "$passes")
    p=$($py build/bench/images_pil.py "$folder" "$threads" "$passes")
    ours+=("$(sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$o")")
    pil+=("$(sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$p")")
    ratios+=("$(awk -v a="${ours[-1]}" -v b="${pil[-1]}" 'BEGIN {printf "%.3f", a / b}')")
    echo "  round $r: $o | $p | ratio ${ratios[-1]}"
  done
  mo=$(printf '%s\n' "${ours[@]}" | median)
  mp=$(printf '%s\n' "${pil[@]}" | median)
  ratio=$(printf '%s\n' "${ratios[@]}" | median)
  echo "threads=$threads  ours=${mo} img/s  PIL=${mp} img/s (medians)  ours/PIL=${ratio}x (median of the per-round ratios)"
done
