#!/usr/bin/env bash
# Installs what the tests, benchmarks and the demo need on a fresh Debian machine (idempotent, quiet).
# Peers (numpy, PyTorch, torchvision, scikit-learn, ONNX, PIL) are the references the tests compare against.
set -euo pipefail
need=()
for p in libopenblas0-openmp python3-numpy python3-torch python3-torchvision python3-sklearn python3-onnx python3-pil \
         libturbojpeg0 libjpeg-turbo-progs; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Node and npm run the ONNX Runtime peer of the ONNX tests (onnxruntime-node, installed by the tests into a temp cache).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing nodejs npm" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
