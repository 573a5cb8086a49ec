"""Fits how the engine combines the reader with retrieval: which candidate to quote first (a ranking over the reader's and
retrieval's evidence for each candidate) and whether to answer at all, on the calibration questions only
(engine_eval_split.py --calibration), never on the held-out sets or ../shared/eval.

Input: the sets and, for each question, the candidates the engine read with their features, as written by
`newsbot eval --dataset SET --candidates FILE` (one JSON line per question). Variants are compared with
cross-validation by article (every question of an article in the same fold); the chosen one is refitted on every calibration
question and written as models/reader/fusion.json, which NewsBot.Reader loads and Core's answerer applies.
Numpy only; no randomness (full-batch gradient descent from zero), so the same inputs give the same file.

Usage: fuse.py --sets /work/calibeval --candidates calib-candidates.jsonl --engine calib-perq.jsonl --out models/reader/fusion.json
"""
import argparse
import glob
import json
import math
import os
import re
import sys

import numpy as np

# Per-candidate features, computed exactly so by Core's ReaderFusion (src/NewsBot.Core/Answering/ReaderFusion.cs).
CANDIDATE_FEATURES = ["readerLogit", "readerLogitBelowBest", "relativeScore", "score", "logRank", "dense", "lexical", "context",
                      "coverage", "kindMatch"]
# Per-question features of the answerability model, over the fused-best candidate and the pool.
QUESTION_FEATURES = ["bestReaderLogit", "maxReaderLogit", "bestRankingScore", "bestShare", "bestCoverage", "bestScore", "topScore"]


def logit(p):
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def candidate_features(candidates):
    top = max(c["score"] for c in candidates)
    logits = [logit(c["prob"]) for c in candidates]
    best = max(logits)
    rows = []
    for i, c in enumerate(candidates):
        kind = 0.0 if c.get("kindMatch") is None else (1.0 if c["kindMatch"] else -1.0)
        values = {"readerLogit": logits[i], "readerLogitBelowBest": logits[i] - best,
                  "relativeScore": c["score"] / top if top > 0 else 0.0, "score": c["score"], "logRank": math.log(1 + i),
                  "dense": c["dense"], "lexical": c["lexical"], "context": c["context"], "coverage": c["coverage"], "kindMatch": kind}
        rows.append(values)
    return rows


def fold(text):
    return re.sub(r"\s+", " ", text).strip().lower()


def load_questions(sets, candidates_file, engine_file):
    """One record per question: its set, whether it is answerable, its candidates with labels, and the engine's own outcome
    (used as is for questions the policy never sees: author and gist questions, nothing retrieved)."""
    gold = {}
    for path in sorted(glob.glob(os.path.join(sets, "*", "questions.jsonl"))):
        titles = {}
        for line in open(os.path.join(os.path.dirname(path), "contexts.jsonl"), encoding="utf-8"):
            row = json.loads(line)
            titles[row["context_id"]] = row["title"]
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            gold[row["question"]] = (titles[row["context_id"]], not row["is_impossible"], [fold(a) for a in row["answers"]])
    read = {}
    for line in open(candidates_file, encoding="utf-8"):
        row = json.loads(line)
        read[row["question"]] = row["candidates"]
    engine = {}
    for line in open(engine_file, encoding="utf-8") if engine_file else []:
        row = json.loads(line)
        engine[row["question"]] = row
    questions = []
    for text, (name, answerable, answers) in gold.items():
        candidates = read.get(text) or []
        for c in candidates:
            c.setdefault("kindMatch", c.get("kind"))
            c["label"] = answerable and any(a in fold(c["text"]) for a in answers)
        e = engine.get(text, {})
        questions.append({"question": text, "article": name, "answerable": answerable, "candidates": candidates, "answers": answers,
                          "engine": (bool(e.get("supported")), bool(e.get("firstCitationCorrect")), e.get("refused", True))})
    return questions


class Linear:
    """A standardised linear model: value = w · (x - mean) / scale + bias."""

    def __init__(self, names, mean, scale, weights, bias):
        self.names, self.mean, self.scale, self.weights, self.bias = names, mean, scale, weights, bias

    def __call__(self, rows):
        x = np.array([[r[n] for n in self.names] for r in rows], dtype=float)
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    @classmethod
    def from_json(cls, d):
        """The inverse of to_json: a model as fusion.json stores it."""
        return cls(d["features"], np.array(d["mean"]), np.array(d["scale"]), np.array(d["weights"]), d["bias"])

    def to_json(self):
        return {"features": self.names, "mean": [round(float(v), 6) for v in self.mean], "scale": [round(float(v), 6) for v in self.scale],
                "weights": [round(float(v), 6) for v in self.weights], "bias": round(float(self.bias), 6)}


def standardise(x):
    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def fit_ranking(questions, names, l2, listwise, steps=1500, lr=0.5):
    """Listwise: softmax over each answerable question's candidates, maximising the probability of its answering ones.
    Pointwise: logistic per candidate."""
    groups = [q for q in questions if q["candidates"] and (not listwise or any(c["label"] for c in q["candidates"]))]
    feats = [candidate_features(q["candidates"]) for q in groups]
    x = np.array([[r[n] for n in names] for rows in feats for r in rows], dtype=float)
    y = np.array([float(c["label"]) for q in groups for c in q["candidates"]])
    owner = np.concatenate([np.full(len(q["candidates"]), k) for k, q in enumerate(groups)])
    mean, scale = standardise(x)
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    b = 0.0
    n = len(groups)
    for _ in range(steps):
        s = z @ w + b
        if listwise:
            s = s - np.maximum.reduceat(s, starts(owner))[owner]
            e = np.exp(s)
            total = np.add.reduceat(e, starts(owner))[owner]
            positive = np.add.reduceat(e * y, starts(owner))[owner]
            # d(-log sum_pos softmax)/ds_i = p_i - (y_i e_i / sum_pos)
            g = e / total - y * e / positive
            grad_w = z.T @ g / n + l2 * w
            w -= lr * grad_w
        else:
            p = 1 / (1 + np.exp(-s))
            grad_w = z.T @ (p - y) / len(y) + l2 * w
            b -= lr * float((p - y).mean())
            w -= lr * grad_w
    return Linear(names, mean, scale, w, b)


def starts(owner):
    return np.concatenate([[0], np.nonzero(np.diff(owner))[0] + 1])


def question_features(candidates, ranking, order_scores=None):
    rows = candidate_features(candidates)
    scores = ranking(rows) if order_scores is None else order_scores
    best = int(np.argmax(scores))
    share = np.exp(scores - scores.max())
    share = share / share.sum()
    return best, {"bestReaderLogit": rows[best]["readerLogit"], "maxReaderLogit": max(r["readerLogit"] for r in rows),
                  "bestRankingScore": float(scores[best]), "bestShare": float(share[best]), "bestCoverage": rows[best]["coverage"],
                  "bestScore": rows[best]["score"], "topScore": max(r["score"] for r in rows)}


def fit_answerability(questions, ranking, names, l2, steps=2000, lr=0.5):
    rows, y = [], []
    for q in questions:
        if q["candidates"]:
            rows.append(question_features(q["candidates"], ranking)[1])
            y.append(1.0 if q["answerable"] else 0.0)
    x = np.array([[r[n] for n in names] for r in rows], dtype=float)
    y = np.array(y)
    mean, scale = standardise(x)
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= lr * (z.T @ (p - y) / len(y) + l2 * w)
        b -= lr * float((p - y).mean())
    return Linear(names, mean, scale, w, b)


def answer_threshold(values, share):
    """The highest threshold that still answers `share` of the answerable questions the policy sees."""
    values = sorted(values, reverse=True)
    return values[max(0, math.ceil(share * len(values)) - 1)] if values else 0.0


SHIPPED = "shipped: retrieval order, reader threshold, gate"
MIN_COVERAGE, MIN_SCORE = 0.2, 1.5  # AnsweringOptions' defaults: the hand gate


def is_answer(c):
    return c["coverage"] >= MIN_COVERAGE and c["score"] >= MIN_SCORE


class Policy:
    """order: 'retrieval' (the shipped policy: first passing candidate in retrieval order) or a ranking model;
    decide: 'reader' (the best's reader probability against min_probability) or an answerability model and threshold;
    gate: whether the hand coverage/score gate applies to the first quote; second: 'retrieval' or 'ranking'."""

    def __init__(self, min_probability, ranking=None, answerability=None, threshold=None, gate=True, second="retrieval",
                 restrict_to_passing=True):
        self.min_probability, self.ranking, self.answerability, self.threshold = min_probability, ranking, answerability, threshold
        self.gate, self.second, self.restrict = gate, second, restrict_to_passing

    def choose(self, candidates):
        if not candidates:
            return []
        t = self.min_probability
        if self.ranking is None:
            passing = [c for c in candidates if c["prob"] >= t]
            if not passing or (self.gate and not is_answer(passing[0])):
                return []
            best = passing[0]
            rest = passing[1:]
        else:
            scores = self.ranking(candidate_features(candidates))
            order = list(np.argsort(-scores, kind="stable"))
            if self.answerability is None:
                eligible = [i for i in order if candidates[i]["prob"] >= t] if self.restrict else order
                if not eligible or candidates[eligible[0]]["prob"] < t:
                    return []
                best_index = eligible[0]
            else:
                best_index, features = question_features(candidates, self.ranking, scores)
                if self.answerability([features])[0] < self.threshold:
                    return []
            best = candidates[best_index]
            if self.gate and not is_answer(best):
                return []
            rest = ([candidates[i] for i in order if i != best_index] if self.second == "ranking"
                    else [c for c in candidates if c is not best])
            rest = [c for c in rest if c["prob"] >= t]
        index = {id(c): k for k, c in enumerate(candidates)}
        b = index[id(best)]
        second = next((c for c in rest if not redundant(candidates, b, index[id(c)])), None)
        return [best] + ([second] if second else [])


def redundant(candidates, a, b):
    if a == b:
        return True
    first, later = (a, b) if a < b else (b, a)
    return first in candidates[later].get("redundantWith", [])


def evaluate(questions, policy):
    answerable = unanswerable = supported = first = refused = answered = 0
    for q in questions:
        if q["candidates"]:
            chosen = policy.choose(q["candidates"])
            labels = [c["label"] for c in chosen]
            s, f, r = any(labels), bool(labels and labels[0]), not chosen
        else:
            s, f, r = q["engine"]
        if q["answerable"]:
            answerable += 1
            supported += s
            first += f
            answered += not r if q["candidates"] else s
        else:
            unanswerable += 1
            refused += r
    return {"support": supported / max(1, answerable), "first": first / max(1, answerable), "refusal": refused / max(1, unanswerable),
            "counts": (supported, first, answerable, refused, unanswerable)}


def variants(min_probability):
    """(name, builder): a builder fits on training questions and returns a Policy."""
    full = CANDIDATE_FEATURES
    no_rank = [n for n in full if n not in ("logRank", "relativeScore", "score")]
    out = [(SHIPPED, lambda train: Policy(min_probability))]
    for listwise in (True, False):
        for names, label in ((full, "all features"), (no_rank, "reader + similarity only")):
            for l2 in (1e-3, 1e-2):
                kind = "listwise" if listwise else "pointwise"
                for gate in (True, False):
                    out.append((f"{kind} {label} l2={l2}, reader threshold{', gate' if gate else ''}",
                                lambda train, n=names, l=l2, lw=listwise, g=gate: Policy(min_probability, fit_ranking(train, n, l, lw), gate=g)))
                out.append((f"{kind} {label} l2={l2}, reader threshold, gate, second by ranking",
                            lambda train, n=names, l=l2, lw=listwise: Policy(min_probability, fit_ranking(train, n, l, lw), second="ranking")))
    for share in (0.9, None):
        for gate in (True, False):
            out.append((f"listwise all l2=1e-2 + answerability model ({'answers 90 %' if share else 'answers as many as shipped'}){', gate' if gate else ''}",
                        lambda train, s=share, g=gate: answerability_policy(train, min_probability, s, g)))
    out.append(("listwise all l2=1e-2 + answerability model (refuses as many as with the gate), no gate",
                lambda train: ungated_policy(train, min_probability)))
    for refused in (0.4, 0.5, 0.6):
        out.append((f"listwise all l2=1e-2 + answerability model (refuses {refused:.0%} of unanswerable), gate",
                    lambda train, r=refused: answerability_policy(train, min_probability, None, True, refused=r)))
    return out


def answerability_policy(train, min_probability, share, gate, refused=None):
    """refused: set the threshold so that this share of the unanswerable training questions is refused (the refusal target
    itself), rather than by how many answerable questions are answered."""
    ranking = fit_ranking(train, CANDIDATE_FEATURES, 1e-2, True)
    model = fit_answerability(train, ranking, QUESTION_FEATURES, 1e-2)
    if refused is not None:
        unanswerable = sorted(model([question_features(q["candidates"], ranking)[1]])[0]
                              for q in train if q["candidates"] and not q["answerable"])
        threshold = unanswerable[min(len(unanswerable) - 1, math.ceil(refused * len(unanswerable)))] if unanswerable else 0.0
        return Policy(min_probability, ranking, model, threshold, gate=gate)
    seen = [q for q in train if q["candidates"] and q["answerable"]]
    values = [model([question_features(q["candidates"], ranking)[1]])[0] for q in seen]
    if share is None:
        # As many answerable questions answered as the shipped policy answers on the same training questions.
        shipped = Policy(min_probability)
        share = sum(1 for q in seen if shipped.choose(q["candidates"])) / max(1, len(seen))
    return Policy(min_probability, ranking, model, answer_threshold(values, share), gate=gate)


def ungated_policy(train, min_probability):
    """The answerability model without the reader-less coverage/score gate, its threshold raised until it refuses as many of
    the training questions' unanswerable ones as the model with the gate did: the gate's refusals bought by the model,
    which weighs coverage and score itself, rather than by a floor that also refuses paraphrased answerable questions."""
    gated = answerability_policy(train, min_probability, None, True)
    seen = [q for q in train if q["candidates"] and not q["answerable"]]
    unseen_refused = sum(1 for q in train if not q["candidates"] and not q["answerable"] and q["engine"][2])
    wanted = evaluate(train, gated)["counts"][3] - unseen_refused
    scores = sorted(float(gated.answerability([question_features(q["candidates"], gated.ranking)[1]])[0]) for q in seen)
    threshold = gated.threshold
    if 0 < wanted <= len(scores) and scores[wanted - 1] >= threshold:
        above = scores[wanted] if wanted < len(scores) else scores[wanted - 1] + 1e-3
        threshold = (scores[wanted - 1] + above) / 2 if above > scores[wanted - 1] else scores[wanted - 1] + 1e-6
    return Policy(min_probability, gated.ranking, gated.answerability, threshold, gate=False)


def words(text):
    return [w for w in re.findall(r"[^\W_]+", text.lower()) if w not in ("a", "an", "the")]


def short_answer_right(short, answers):
    """As `newsbot eval` scores a short answer (EvalScorer.Matches): inside a gold answer, or token F1 of at least 0.5."""
    said = words(short)
    if not said:
        return False
    for gold in answers:
        expected = words(gold)
        if not expected:
            continue
        if fold(short) in fold(gold):
            return True
        left = {}
        for w in expected:
            left[w] = left.get(w, 0) + 1
        common = 0
        for w in said:
            if left.get(w, 0) > 0:
                left[w] -= 1
                common += 1
        if common and 2 * common / (len(said) + len(expected)) >= 0.5:
            return True
    return False


def short_answer_threshold(questions, policy, precision):
    """The least probability at which the short answers the engine would lead with (the span of its first quote, on every
    question it answers, answerable or not) are right at least `precision` of the time; 1.0 (never) when none is.
    The candidates must have been recorded with every span (Answering:Reader:MinShortAnswerProbability=0)."""
    shown = []
    for q in questions:
        chosen = policy.choose(q["candidates"]) if q["candidates"] else []
        if chosen and chosen[0].get("shortAnswer"):
            span = chosen[0]["shortAnswer"]
            shown.append((span["probability"], q["answerable"] and short_answer_right(span["text"], q["answers"])))
    answered = sum(1 for q in questions if q["candidates"] and policy.choose(q["candidates"]))
    curve = []
    for t in [k / 20 for k in range(1, 20)]:
        led = [right for p, right in shown if p >= t]
        curve.append({"minProbability": t, "ledWith": round(len(led) / max(1, answered), 4),
                      "right": round(sum(led) / max(1, len(led)), 4)})
    chosen = next((row for row in curve if row["ledWith"] > 0 and row["right"] >= precision), None)
    return {"minProbability": chosen["minProbability"] if chosen else 1.0, "precision": precision,
            "ledWith": chosen["ledWith"] if chosen else 0.0, "right": chosen["right"] if chosen else None, "curve": curve}


def cross_validate(questions, build, folds):
    articles = sorted({q["article"] for q in questions})
    pooled = []
    for k in range(folds):
        held = {a for n, a in enumerate(articles) if n % folds == k}
        train = [q for q in questions if q["article"] not in held]
        test = [q for q in questions if q["article"] in held]
        policy = build(train)
        pooled.append(evaluate(test, policy)["counts"])
    s, f, a, r, u = (sum(c[i] for c in pooled) for i in range(5))
    return {"support": s / max(1, a), "first": f / max(1, a), "refusal": r / max(1, u), "counts": (s, f, a, r, u)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", required=True, help="engine_eval_split.py --calibration's folder")
    ap.add_argument("--candidates", required=True, help="the candidates `newsbot eval --candidates` wrote for those sets")
    ap.add_argument("--engine", help="engine_eval.py --out's per-question results for the same run (the outcome of questions the reader "
                    "never saw: author and gist questions); without it they count as refused")
    ap.add_argument("--reader-settings", required=True, help="reader.json (its minProbability)")
    ap.add_argument("--folds", type=int, default=6)
    ap.add_argument("--choose", help="the variant to write (its name as printed); default: only compare")
    ap.add_argument("--out", help="fusion.json to write")
    ap.add_argument("--short-answer-precision", type=float, default=0.9,
                    help="lead with a short answer only from a probability at which at least this share of those led with is right")
    args = ap.parse_args()
    min_probability = json.load(open(args.reader_settings))["minProbability"]
    questions = load_questions(args.sets, args.candidates, args.engine)
    seen = [q for q in questions if q["candidates"]]
    print(f"{len(questions)} questions ({sum(q['answerable'] for q in questions)} answerable), {len(seen)} reached the reader",
          file=sys.stderr)
    engine = evaluate([dict(q, candidates=[]) for q in questions], None)
    print(f"engine as run: support {engine['support']:.3f} first {engine['first']:.3f} refusal {engine['refusal']:.3f}")
    results = {}
    for name, build in variants(min_probability):
        if args.choose and name not in (args.choose, SHIPPED):
            continue
        r = cross_validate(questions, build, args.folds)
        results[name] = r
        print(f"{r['support']:.3f} {r['first']:.3f} {r['refusal']:.3f}  {name}", flush=True)
    if args.choose and args.out:
        build = dict(variants(min_probability))[args.choose]
        policy = build(questions)
        document = {"format": 1, "variant": args.choose, "fittedOn": f"{len(questions)} calibration questions (engine_eval_split.py --calibration)",
                    "crossValidated": {k: round(v, 4) for k, v in results[args.choose].items() if k != "counts"},
                    "crossValidatedRetrievalOrder": {k: round(v, 4) for k, v in results[SHIPPED].items() if k != "counts"},
                    "ranking": policy.ranking.to_json(), "secondCitation": policy.second}
        if policy.answerability is not None:
            document["answerability"] = dict(policy.answerability.to_json(), threshold=round(float(policy.threshold), 6))
        short = short_answer_threshold(questions, policy, args.short_answer_precision)
        for row in short["curve"]:
            print(f"short answers from {row['minProbability']:.2f}: led with on {row['ledWith']:.1%} of answers, {row['right']:.1%} right")
        document["shortAnswer"] = {k: v for k, v in short.items() if k != "curve"}
        with open(args.out, "w") as f:
            json.dump(document, f, indent=1)
            f.write("\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
