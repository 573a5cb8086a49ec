#!/usr/bin/env bash
# Runs ON the lent GPU machine, from the repository root, with .device/ carried (prepare.sh): trains two reader variants
# side by side in epoch mode, calibrates each there, and leaves under $OUT what comes back: log.txt, cal<V>.json and each
# checkpoint's weights without the frozen word-embedding table, in fp16, split into 15 MB parts (<V>.pt.partNN).
# unpack.py rebuilds a checkpoint from them; finish.sh turns it into models/reader/.
# Environment: PY (python with torch and CUDA, default python3), DEV (default cuda), MAXMIN (training minutes per
# variant, default 5.5: a device call may run 10 minutes and calibration follows), VARIANTS (default "A B").
set -u
PY=${PY:-python3}; DEV=${DEV:-cuda}; MAXMIN=${MAXMIN:-5.5}; VARIANTS=${VARIANTS:-A B}
export PYTHONUNBUFFERED=1 PYTHONHASHSEED=0
root=$(pwd); log=$OUT/log.txt; scratch=$(mktemp -d)
{ nvidia-smi -L; $PY -c "import torch; print(torch.__version__, torch.cuda.is_available())"; } >>"$log" 2>&1
mkdir -p "$scratch/training" "$scratch/base"
gunzip -c .device/questions.jsonl.gz > "$scratch/training/questions.jsonl"
gunzip -c .device/contexts.jsonl.gz > "$scratch/training/contexts.jsonl"
cp .device/base.pt .device/vocab.txt "$scratch/base/"
declare -A knobs=(
  [A]="--hard-negatives 2 --unanswerable-negatives 3 --other-share 0.5"
  [B]="--unanswerable-repeat 2 --hard-negatives 3 --unanswerable-negatives 4 --other-share 1.0"
)
common="--training-dir $scratch/training --base $scratch/base --questions 0 --epochs 2 --batch 128 --lr 8e-5 --head-lr 5e-4 --device $DEV --max-minutes $MAXMIN --checkpoint-minutes 100"
cd "$root/training/reader"
for v in $VARIANTS; do
  $PY train.py $common --out "$scratch/$v" ${knobs[$v]} > "$scratch/train$v.log" 2>&1 &
done
wait
for v in $VARIANTS; do
  echo "== train $v ${knobs[$v]}"; grep -v '^step' "$scratch/train$v.log"; grep '^step' "$scratch/train$v.log" | awk 'NR%20==0'
done >>"$log" 2>&1
for v in $VARIANTS; do
  [ -f "$scratch/$v/checkpoint.pt" ] || continue
  $PY calibrate.py --training-dir "$scratch/training" --base "$scratch/base" --checkpoint "$scratch/$v/checkpoint.pt" \
    --out "$OUT/cal$v.json" --device "$DEV" > "$scratch/cal$v.log" 2>&1 &
  $PY "$root/training/reader/device/pack.py" "$scratch/$v/checkpoint.pt" "$scratch/$v.pt" && (cd "$scratch" && split -b 15M -d "$v.pt" "$OUT/$v.pt.part")
done
wait
for v in $VARIANTS; do echo "== calibrate $v"; grep -v "^{'threshold" "$scratch/cal$v.log"; done >>"$log" 2>&1
ls -la "$OUT" >>"$log"
