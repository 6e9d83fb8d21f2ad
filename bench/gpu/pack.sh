#!/usr/bin/env bash
# Publishes GpuPoissonCheck self-contained for linux-x64 and packs it as
# bench/gpu/artifacts/gpu-poisson-check.tgz (ignored by git) to carry to a GPU machine.
# On that machine: mkdir -p /tmp/gpc && tar -xzf bench/gpu/artifacts/gpu-poisson-check.tgz -C /tmp/gpc
#                  /tmp/gpc/GpuPoissonCheck --device cuda
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/artifacts/publish"
rm -rf "$out"
dotnet publish "$here/GpuPoissonCheck" -c Release -r linux-x64 --self-contained -o "$out"
tar -czf "$here/artifacts/gpu-poisson-check.tgz.partial" -C "$out" .
mv "$here/artifacts/gpu-poisson-check.tgz.partial" "$here/artifacts/gpu-poisson-check.tgz"
ls -la "$here/artifacts/gpu-poisson-check.tgz"
