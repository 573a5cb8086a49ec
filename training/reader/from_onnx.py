"""Rebuilds a training checkpoint from a shipped reader.onnx, so that training can go on from the shipped model
(`train.py --init`) where its checkpoint is gone: every session starts from the repository alone.

export.py quantized each MatMul to int8 per output column (weight_q, weight_scale) and stored the word embeddings in
fp16; this inverts both (q × scale, fp16 → fp32), finds each matrix through the Add that uses its named bias, as
model.load_pretrained does for the base graph, and reads the answer head, LayerNorms, embeddings and the folded
calibration (temperature, shift) by name. The checkpoint gets temperature 1 and shift 0, the state train.py trains in;
calibrate.py fits them again afterwards.

It checks itself: with the calibration put back, the rebuilt model must reproduce expected-scores.json (the training
framework's outputs on fixed pairs, written by export.py) within --tolerance, or it writes nothing and exits 1.
Usage: from_onnx.py --model-dir models/reader --out artifacts/reader/shipped.pt

The checkpoint also records where it came from (the commit that last changed reader.onnx, its sha256) and the shipped
model's own training stages as its MODEL_CARD.md gives them, for model_card.py to describe the model trained on from it.
"""
import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import calibrate
import model
import pairs
from model_card import sha256


def dequantized_matrices(graph, tensors):
    """Each quantized MatMul's weight, as torch's [out, in], keyed by the bias name of the Add that follows it."""
    producer = {out: node for node in graph.node for out in node.output}
    matrices = {}
    for node in graph.node:
        bias = next((i for i in node.input if i.endswith(".bias") and i in tensors), None) if node.op_type == "Add" else None
        if bias is None:
            continue
        scaled = producer.get(next(i for i in node.input if i != bias))
        if scaled is None or scaled.op_type != "Mul":
            continue
        cast = producer.get(scaled.input[0])
        integer = producer.get(cast.input[0]) if cast is not None and cast.op_type == "Cast" else None
        if integer is None or integer.op_type != "MatMulInteger":
            continue
        weight = integer.input[1]
        base = weight[: -len("_q")]
        w = tensors[weight].astype(np.float32) * tensors[base + "_scale"].astype(np.float32)
        matrices[bias] = w.T  # ONNX [in, out] -> torch [out, in]
    return matrices


def rebuild(onnx_path):
    graph = onnx.load(onnx_path).graph
    tensors = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    matrices = dequantized_matrices(graph, tensors)
    reader = model.Reader()
    state = reader.state_dict()
    loaded = {}
    for name in state:
        if name.endswith(".weight") and name[: -len(".weight")] + ".bias" in matrices:
            array = matrices[name[: -len(".weight")] + ".bias"]
        elif name == "word_embeddings.weight":
            array = tensors["word_embeddings.weight_fp16"].astype(np.float32)
        else:
            # Named tensors, the answer head's Gemm weight included, are stored as torch holds them.
            array = tensors[name]
        array = np.asarray(array, dtype=np.float32).reshape(tuple(state[name].shape))
        loaded[name] = torch.tensor(array)
    reader.load_state_dict(loaded)
    return reader


def check(reader, model_dir, tolerance):
    """The largest difference from expected-scores.json in answer probability and span probability."""
    worst = 0.0
    with torch.no_grad():
        for row in json.load(open(os.path.join(model_dir, "expected-scores.json"), encoding="utf-8")):
            ids, types = row["inputIds"], row["tokenTypeIds"]
            answer, start, end = reader(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long), torch.tensor([types]))
            first = types.index(1)
            length = min(len(ids) - first - 1, pairs.MAX_SENTENCE)
            _, _, span = calibrate.best_span(start[0], end[0], first, length)
            for got, want in ((float(torch.sigmoid(answer[0])), row["probability"]), (span, row["spanProbability"])):
                worst = max(worst, abs(got - want))
            print(f"{float(torch.sigmoid(answer[0])):.3f} (expected {row['probability']:.3f})  {row['question']}")
    return worst <= tolerance, worst


def shipped_stages(model_dir):
    """The numbered training stages of the shipped model's card, each with its minutes."""
    card = open(os.path.join(model_dir, "MODEL_CARD.md"), encoding="utf-8").read()
    training = card.split("## Training", 1)[1].split("\n## ", 1)[0]
    stages = []
    for number, text in re.findall(r"^(\d+)\. (.+)$", training, re.MULTILINE):
        minutes = re.search(r"(\d+) minutes\.?$", text)
        stages.append({"args": {}, "state": {"seconds": 60 * int(minutes.group(1)) if minutes else 0}, "text": text})
    return stages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True, help="models/reader: reader.onnx and expected-scores.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--tolerance", type=float, default=0.03,
                    help="export.py writes the expected scores from the exported weights, so a right rebuild matches them to float "
                         "precision (0.0002 for the shipped model); models exported before that carry their checkpoint's scores, "
                         "which int8 rounding moved by 0.01-0.12")
    args = ap.parse_args()
    reader = rebuild(os.path.join(args.model_dir, "reader.onnx"))
    reader.eval()
    ok, worst = check(reader, args.model_dir, args.tolerance)
    print(f"largest difference from expected-scores.json: {worst:.4f} (tolerance {args.tolerance})")
    if not ok:
        sys.exit(1)
    calibration = {"temperature": float(reader.temperature), "shift": float(reader.shift)}
    with torch.no_grad():
        reader.temperature.fill_(1.0)
        reader.shift.fill_(0.0)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    onnx_path = os.path.abspath(os.path.join(args.model_dir, "reader.onnx"))
    commit = subprocess.run(["git", "log", "-1", "--format=%H", "--", os.path.basename(onnx_path)], cwd=os.path.dirname(onnx_path),
                            capture_output=True, text=True).stdout.strip() or "unknown"
    torch.save({"model": reader.state_dict(), "shippedCalibration": calibration,
                "rebuiltFrom": {"commit": commit, "sha256": sha256(onnx_path)}, "stages": shipped_stages(args.model_dir)}, args.out)
    print(f"wrote {args.out} (shipped calibration {calibration})")


if __name__ == "__main__":
    main()
