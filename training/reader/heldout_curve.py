"""Compares readers on held-out engine sets along the whole trade-off, not only at their own thresholds.

Two readers' fusions seldom answer the same share of questions, so "more answered, fewer refused" alone cannot say whether
one is better or only set looser. For each model folder this replays the recorded candidates (`engine_eval.py SETS
--candidates F --out G`, run with that model) through the model's own fusion.json, sweeps its answerability threshold, and
prints the best refusal reached at each support level. A model is better beyond the trade-off where its curve lies above
the other's at every level, not only at its own threshold.

Usage: heldout_curve.py SETS MODEL_DIR:CANDIDATES:ENGINE_OUT [MODEL_DIR:CANDIDATES:ENGINE_OUT ...]"""
import argparse
import json
import os

import numpy as np

import fuse

SUPPORT_LEVELS = (0.86, 0.84, 0.82, 0.80, 0.78, 0.76, 0.74)


def policy(model_dir):
    fusion = json.load(open(os.path.join(model_dir, "fusion.json"), encoding="utf-8"))
    reader = json.load(open(os.path.join(model_dir, "reader.json"), encoding="utf-8"))
    if fusion.get("answerability") is None:
        raise SystemExit(f"{model_dir}/fusion.json has no answerability model, so there is no threshold to sweep")
    return fuse.Policy(reader["minProbability"], fuse.Linear.from_json(fusion["ranking"]), fuse.Linear.from_json(fusion["answerability"]),
                       fusion["answerability"]["threshold"], gate=False)


def curve(questions, chosen):
    """(support, refusal, first citation) at each threshold from well below to well above the fitted one."""
    fitted = chosen.threshold
    points = []
    for threshold in np.linspace(fitted - 1.0, fitted + 1.0, 201):
        chosen.threshold = threshold
        r = fuse.evaluate(questions, chosen)
        points.append((r["support"], r["refusal"], r["first"]))
    chosen.threshold = fitted
    return points


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", help="engine_eval_split.py's folder of held-out sets")
    ap.add_argument("runs", nargs="+", help="MODEL_DIR:CANDIDATES:ENGINE_OUT for each model")
    args = ap.parse_args()
    print(f"{'model':40} {'at its threshold':>22}  " + "  ".join(f"sup≥{s:.0%}" for s in SUPPORT_LEVELS))
    for run in args.runs:
        model_dir, candidates, engine = run.split(":")
        questions = fuse.load_questions(args.sets, candidates, engine)
        chosen = policy(model_dir)
        own = fuse.evaluate(questions, chosen)
        points = curve(questions, chosen)
        best = [max((refusal for support, refusal, _ in points if support >= level), default=float("nan")) for level in SUPPORT_LEVELS]
        print(f"{model_dir[-40:]:40} {own['support']:6.1%} / {own['refusal']:6.1%} ref.  "
              + "  ".join(f"{b:7.1%}" for b in best))


if __name__ == "__main__":
    main()
