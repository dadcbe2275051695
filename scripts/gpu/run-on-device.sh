#!/usr/bin/env bash
# Runs on the GPU machine, in the repository root, with .devicebundle carried along (see build-device-bundle.sh).
# Points TorchSharp's bridge at the machine's own libtorch (PyTorch's lib folder and its CUDA libraries), then runs the
# benchmarks named on the command line: ./scripts/gpu/run-on-device.sh device "adapt --device cuda" ...
set -uo pipefail
cd "$(dirname "$0")/../.."
bundle=$(mktemp -d)
tar -C "$bundle" -xJf .devicebundle/bench.tar.xz
python=${PYTHON:-python3}
torch_lib=$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
nvidia_libs=$("$python" -c 'import glob, os, site; print(":".join(sorted({os.path.dirname(p) for d in site.getsitepackages() for p in glob.glob(os.path.join(d, "nvidia", "**", "lib*.so*"), recursive=True)})))')
export LD_LIBRARY_PATH="$torch_lib:$nvidia_libs:${LD_LIBRARY_PATH:-}"
echo "torch $("$python" -c 'import torch; print(torch.__version__, torch.version.cuda)') from $torch_lib"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
status=0
for benchmark in "$@"; do
  echo "=== bench $benchmark"
  # shellcheck disable=SC2086
  "$bundle/publish/MetaAnomaly.Bench" $benchmark || status=$?
done
exit "$status"
