"""Writes the held-out validation questions that calibration did not use as eval sets for the whole engine
(`newsbot eval --dataset FOLDER`), one folder per held-out article or group of small ones: retrieval, the reader and the answer rules
measured on articles no training step or threshold saw. Same format as ../shared/eval's QA sets.
With --calibration it writes calibrate.py's questions instead (sets named calibration-NN), on which fuse.py fits the
answer policy: the held-out sets stay untouched by every fit."""
import argparse
import json
import os
import random

import pairs
import tokenization


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--training-dir", required=True)
    ap.add_argument("--base", required=True, help="folder with vocab.txt")
    ap.add_argument("--out", required=True)
    ap.add_argument("--calibration-questions", type=int, default=2000, help="calibrate.py's --questions")
    ap.add_argument("--calibration-seed", type=int, default=7, help="calibrate.py's --seed")
    ap.add_argument("--max-per-article", type=int, default=60)
    ap.add_argument("--min-per-set", type=int, default=40)
    ap.add_argument("--skip-per-article", type=int, default=0,
                    help="leave out each article's first questions (as the default split draws them): a second held-out split "
                         "for choices the first was already used for")
    ap.add_argument("--calibration", action="store_true", help="write the calibration questions, not the held-out ones")
    args = ap.parse_args()
    tokenizer = tokenization.WordPiece(os.path.join(args.base, "vocab.txt"))
    contexts, _, _, validation = pairs.load(args.training_dir, tokenizer)
    rng = random.Random(args.calibration_seed)
    rng.shuffle(validation)
    chosen = validation[: args.calibration_questions] if args.calibration else validation[args.calibration_questions:]
    answers = {}
    with open(os.path.join(args.training_dir, "questions.jsonl"), encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            answers[row["id"]] = row
    by_title = {}
    for q in sorted(chosen, key=lambda q: q["id"]):
        by_title.setdefault(contexts[q["context"]].title, []).append(q)
    shards, shard = [], []
    for n, (title, questions) in enumerate(sorted(by_title.items())):
        random.Random(n).shuffle(questions)
        kept = questions[args.skip_per_article: args.skip_per_article + args.max_per_article]
        if kept:
            shard.append((title, kept))
        if sum(len(qs) for _, qs in shard) >= args.min_per_set:
            shards.append(shard)
            shard = []
    if shard and shards and sum(len(qs) for _, qs in shard) < args.min_per_set:
        shards[-1].extend(shard)
    elif shard:
        shards.append(shard)
    total = 0
    for n, shard in enumerate(shards):
        folder = os.path.join(args.out, f"{'calibration' if args.calibration else 'validation'}-{n:02d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "questions.jsonl"), "w", encoding="utf-8") as f:
            for _, questions in shard:
                for q in questions:
                    row = answers[q["id"]]
                    f.write(json.dumps({"id": q["id"], "context_id": q["context"], "question": q["question"],
                                        "answers": row["answers"], "answer_start": row["answer_starts"],
                                        "is_impossible": row["is_impossible"]}, ensure_ascii=False) + "\n")
                    total += 1
        with open(os.path.join(folder, "contexts.jsonl"), "w", encoding="utf-8") as f:
            for title, _ in shard:
                for cid in article_paragraphs(contexts, title):
                    c = contexts[cid]
                    f.write(json.dumps({"context_id": cid, "title": c.title, "text": c.text}, ensure_ascii=False) + "\n")
    print(f"{total} questions from {len(by_title)} articles in {len(shards)} sets under {args.out}")


def article_paragraphs(contexts, title):
    """Every paragraph of the article, so that retrieval has to find the right one (as calibrate.py's candidates do)."""
    return sorted(cid for cid, c in contexts.items() if c.title == title)


if __name__ == "__main__":
    main()
