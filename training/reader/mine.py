"""Mines a reader's own hard negatives for a further training stage (train.py --mined).

Why: the pairs' hard negatives are the sentences sharing most words with the question, which is how retrieval finds
rivals but not where the reader goes wrong. The shipped reader put the answer sentence first for 80.6 % of the
validation questions while retrieval had handed it the answer for 93 %: its errors are sentences it scores above the
answer, whatever their overlap. Here the reader scores what retrieval would hand it for each question of the stage
(calibrate.candidates: the paragraph's sentences and the closest elsewhere in the article) and keeps the best-scored
ones that do not hold the answer; an unanswerable question's are simply its best-scored sentences.

Output: {question id: [[context id, sentence index], ...]}, best-scored first.
Usage: mine.py --training-dir ../../../shared/training --base ../../models/reader --checkpoint shipped.pt --out mined.json
         --first-stage-questions 48000 --second-stage-questions 45000 --third-stage-questions 16000 --questions 16000
"""
import argparse
import json
import os
import time

import torch

import calibrate
import model
import pairs
import tokenization
import train


def holds_answer(q, context, index):
    """The answer's own sentence, or any sentence with the answer's text (a second right answer, not a negative)."""
    if q["answer"] is None:
        return False
    if context.id == q["context"] and index in pairs.answer_sentences(context, q["answer"]):
        return True
    s = context.sentences[index]
    return bool(q["answer_text"]) and q["answer_text"] in context.text[s.start:s.end].lower()


def answer_text(q, contexts):
    return contexts[q["context"]].text[q["answer"][0]:q["answer"][1]].lower() if q["answer"] is not None else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--training-dir", required=True)
    ap.add_argument("--base", required=True, help="folder with vocab.txt")
    ap.add_argument("--checkpoint", required=True, help="the reader to mine with (train.py or from_onnx.py checkpoint)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--questions", type=int, default=16000)
    ap.add_argument("--unanswerable-share", type=float, default=0.3)
    ap.add_argument("--first-stage-questions", type=int, required=True)
    ap.add_argument("--second-stage-questions", type=int, required=True)
    ap.add_argument("--third-stage-questions", type=int, required=True)
    ap.add_argument("--negatives", type=int, default=3, help="kept per question")
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    tokenizer = tokenization.WordPiece(os.path.join(args.base, "vocab.txt"))
    special = (tokenizer.cls, tokenizer.sep)
    contexts, by_title, training, _ = pairs.load(args.training_dir, tokenizer)
    stream = train.fourth_stage_stream(training, args.first_stage_questions, args.second_stage_questions,
                                       args.third_stage_questions, args.questions, args.unanswerable_share, args.seed)
    for q in stream:
        q["answer_text"] = answer_text(q, contexts)
    reader = model.Reader()
    reader.load_state_dict(torch.load(args.checkpoint, map_location="cpu")["model"])
    reader.eval()
    items = [(q, c, i) for q in stream for c, i in calibrate.candidates(q, contexts, by_title)]
    started = time.time()
    print(f"scoring {len(items)} pairs of {len(stream)} questions", flush=True)
    scores = calibrate.score(reader, items, special, bf16=train.bf16_is_fast(torch.device("cpu")))
    print(f"scored in {(time.time() - started) / 60:.1f} min", flush=True)
    by_question = {}
    for (q, c, i), (logit, _) in zip(items, scores):
        if not holds_answer(q, c, i):
            by_question.setdefault(q["id"], []).append((-logit, c.id, i))
    mined = {qid: [[cid, i] for _, cid, i in sorted(rows)[: args.negatives]] for qid, rows in by_question.items()}
    with open(args.out, "w") as f:
        json.dump(mined, f)
    print(f"wrote {len(mined)} questions' negatives to {args.out}", flush=True)


if __name__ == "__main__":
    main()
