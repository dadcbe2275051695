#!/usr/bin/env bash
# Builds what a GPU machine needs to run the benchmarks: a self-contained linux-x64 publish of bench/MetaAnomaly.Bench
# (the .NET runtime included) WITHOUT the CPU libtorch files, since the GPU machine brings its own libtorch (the
# PyTorch wheel's lib folder). Output: .devicebundle/bench.tar.xz (git-ignored), to carry to the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.devicebundle
rm -rf "$out" && mkdir -p "$out/publish"
dotnet publish bench/MetaAnomaly.Bench -c Release -r linux-x64 --self-contained true \
  -p:PatchTorchSharpGlibcxx=true -o "$out/publish" -v q
# Keep only TorchSharp's bridge (libLibTorchSharp.so); libtorch, c10 and their CPU helpers come from the device.
find "$out/publish" \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libgomp*.so*' -o -name 'libbackend_with_compiler.so' \
  -o -name 'libjitbackend_test.so' -o -name 'libtorchbind_test.so' -o -name 'libaoti_custom_ops.so' -o -name 'libnnapi_backend.so' \
  -o -name 'libshm.so' -o -name 'libmscordaccore.so' -o -name 'libmscordbi.so' -o -name createdump \) -delete
rm -rf "$out/publish/cpu"
tar -C "$out" -cf - publish | xz -6 -T0 > "$out/bench.tar.xz"
rm -rf "$out/publish"
du -h "$out/bench.tar.xz"
