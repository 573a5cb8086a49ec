#!/usr/bin/env bash
# Turns a trained and calibrated reader checkpoint into models/reader/: exports the int8 ONNX, runs the engine with it over
# the calibration questions, fits the answer fusion and writes the model card. run.sh ends with it; after a device run
# (device/train_variants.sh) it is called on the checkpoint device/unpack.py rebuilt, with the calibration made there.
# Usage: training/reader/finish.sh CHECKPOINT CALIBRATION_JSON [TRAINING_DIR]
# Environment: WORK (scratch folder with base weights, default artifacts/reader), FUSION_VARIANT (see run.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
checkpoint=$(realpath "$1")
calibration=$(realpath "$2")
training=$(cd "${3:-$repo/../shared/training}" && pwd)
work=${WORK:-$repo/artifacts/reader}
fusion_variant=${FUSION_VARIANT:-listwise all l2=1e-2 + answerability model (answers 90 %)}
python=/usr/bin/python3
mkdir -p "$work"
[ -f "$work/base.json" ] || { echo "$work/base.json is missing: training/reader/extract_base.py --package PACKAGE --out $work writes it (the model card names the base from it)" >&2; exit 1; }
cd "$repo/training/reader"
export PYTHONHASHSEED=0

$python export.py --base "$work" --checkpoint "$checkpoint" --calibration "$calibration" --out "$repo/models/reader"
[ "$calibration" -ef "$repo/models/reader/calibration.json" ] || cp "$calibration" "$repo/models/reader/calibration.json"
# Answer fusion: the engine, with the model just exported, over the calibration questions; fuse.py fits how its verdicts
# combine with retrieval's evidence (models/reader/fusion.json; the variant chosen by cross-validation, see the model card).
$python engine_eval_split.py --training-dir "$training" --base "$work" --out "$work/calibeval" --calibration --max-per-article 100000
$python engine_eval.py "$work/calibeval" --candidates "$work/calibration-candidates.jsonl" --out "$work/calibration-engine.jsonl" \
  --config Answering:Reader:MinShortAnswerProbability=0
$python fuse.py --sets "$work/calibeval" --candidates "$work/calibration-candidates.jsonl" --engine "$work/calibration-engine.jsonl" \
  --reader-settings "$repo/models/reader/reader.json" --choose "$fusion_variant" --out "$repo/models/reader/fusion.json"
$python model_card.py --checkpoint "$checkpoint" --calibration "$calibration" --model-dir "$repo/models/reader" --base "$work"
