#!/usr/bin/env bash
# Prepares what a lent GPU machine needs to retrain the reader: .device/ at the repository root (git-ignored) with the
# base weights in fp16 (base.pt), the vocabulary, the gzipped training data and these scripts' inputs, about 57 MiB.
# Usage: training/reader/device/prepare.sh [TRAINING_DIR]   (default: ../shared/training beside the repository)
# A device call carries the working tree plus the carried folders, 64 MiB in all, so models/reader/reader.onnx (35 MB)
# must stay behind for that call: `--hide-model` takes it out of the index and excludes it, `--restore-model` undoes it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
python=/usr/bin/python3
case "${1:-}" in
  --hide-model)
    git -C "$repo" rm -q --cached models/reader/reader.onnx
    echo "/models/reader/reader.onnx" >> "$repo/.git/info/exclude"
    echo "reader.onnx hidden from the working tree's copy; run $0 --restore-model after the device call"; exit 0;;
  --restore-model)
    sed -i '\#^/models/reader/reader.onnx$#d' "$repo/.git/info/exclude"
    git -C "$repo" reset -q models/reader/reader.onnx
    git -C "$repo" status --short models/reader; exit 0;;
esac
training=$(cd "${1:-$repo/../shared/training}" && pwd)
out="$repo/.device"
mkdir -p "$out"
if [ ! -f "$out/base.pt" ] || [ ! -f "$out/base.json" ]; then
  work=$(mktemp -d)
  dotnet restore "$repo/src/NewsBot.Embeddings.Local" >/dev/null
  (cd "$repo/training/reader" && $python extract_base.py --torch --out "$work")
  cp "$work/base.pt" "$work/base.json" "$out/"
  rm -rf "$work"
fi
cp "$repo/models/reader/vocab.txt" "$out/"
gzip -9c "$training/questions.jsonl" > "$out/questions.jsonl.gz"
gzip -9c "$training/contexts.jsonl" > "$out/contexts.jsonl.gz"
du -sh "$out"
