"""Experiment, measured and not adopted (README, "Distilling the paragraph view"): distils the paragraph reader's view
into the sentence-pair reader, so the engine would keep one model and its speed. `paragraph.py compare` showed that the two readers' log-odds added read better than either (top-1 89.0 % against
87.7 %, refusal at 90 % answered 61.1 % against 57.0 %) while two pair readers added do not.

For each training question the student (a pair reader, started from --init) scores every sentence of the question's
paragraph (at most --candidates of them, the answer and the closest by shared words first). The teachers are frozen:
the same pair reader as it started, and the paragraph reader. The target is the softmax over "none of them" (logit 0)
and the sentences of the teachers' mean log-odds; the loss is the KL divergence from it, plus the hard listwise loss
(which also sees a close sentence of another paragraph, as the engine's candidates come from the whole article) and the
span loss on the answer sentence. Questions the paragraph reader was trained on are skipped: its targets on them would
be memorised rather than read.

    python3 distill.py --training-dir D --base B --init PAIR_CKPT --paragraph PARAGRAPH_CKPT --out DIR [--questions N]

Resumable: a checkpoint is written every --checkpoint-minutes and when --max-minutes runs out (exit code 3).
"""
import argparse
import os
import random
import sys
import time

import torch
from torch import nn

import model
import pairs
import paragraph
import tokenization
from train import (bf16_is_fast, draw, listwise_loss, optimizer_and_schedule, optimizer_step, pad, question_stream,
                   resume_checkpoint, save_checkpoint, span_loss)


def candidates(q, c, kept, limit):
    """The own paragraph's sentences the paragraph reader saw (kept), the answer sentence first, then by shared words."""
    gold = [i for i in pairs.answer_sentences(c, q["answer"]) if i < kept][:1] if q["answer"] is not None else []
    ranked = [i for i in pairs.overlap_rank(q["words"], c.sentences[:kept]) if i not in gold]
    return gold + ranked[: limit - len(gold)]


def build_group(q, contexts, by_title, special, limit, rng):
    """(paragraph example, own-paragraph sentence indexes, their (ids, types, label, span) pairs, the other paragraph's
    pair or None)."""
    c = contexts[q["context"]]
    e = paragraph.example(special, q, contexts)
    if e is None:
        return None
    own = []
    indexes = candidates(q, c, len(e[2]), limit)
    for i in indexes:
        ids, types, first = pairs.encode_pair(special, q["ids"], c, i)
        if i in e[5]:
            span = pairs.answer_span(q, c.sentences[i])
            own.append((ids, types, 1.0, (span[0] + first, span[1] + first) if span is not None else None))
        else:
            own.append((ids, types, 0.0, (0, 0)))
    found = pairs.sibling_sentence(q, c, contexts, by_title, rng)
    other = None
    if found is not None:
        ids, types, _ = pairs.encode_pair(special, q["ids"], *found)
        other = (ids, types, 0.0, (0, 0))
    return e, indexes, own, other


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--training-dir", required=True)
    ap.add_argument("--base", required=True, help="folder with vocab.txt")
    ap.add_argument("--init", required=True, help="the pair reader's checkpoint: the student's start and a teacher")
    ap.add_argument("--paragraph", required=True, help="the paragraph reader's checkpoint (paragraph.py train)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--questions", type=int, default=14000)
    ap.add_argument("--unanswerable-share", type=float, default=0.3)
    ap.add_argument("--candidates", type=int, default=8, help="own-paragraph sentences per question (the engine reads 8)")
    ap.add_argument("--group", type=int, default=4, help="questions per step")
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--head-lr", type=float, default=1e-4)
    ap.add_argument("--hard-weight", type=float, default=0.2, help="the hard-label listwise loss's weight")
    ap.add_argument("--span-weight", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--max-minutes", type=float, default=1e9)
    ap.add_argument("--checkpoint-minutes", type=float, default=10)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tokenizer = tokenization.WordPiece(os.path.join(args.base, "vocab.txt"))
    special = (tokenizer.cls, tokenizer.sep)
    contexts, by_title, train, _ = pairs.load(args.training_dir, tokenizer)
    teacher_saved = torch.load(args.paragraph, map_location="cpu")
    taught = teacher_saved["args"]
    seen = {q["id"] for q in question_stream(train, taught["questions"], taught["unanswerable_share"], taught["seed"] + 7)}
    unseen = [q for q in train if q["id"] not in seen]
    stream = draw([q for q in unseen if q["answer"] is not None], [q for q in unseen if q["answer"] is None],
                  args.questions, args.unanswerable_share, random.Random(args.seed))
    steps = (len(stream) + args.group - 1) // args.group
    print(f"distilling on {len(stream)} questions ({sum(q['answer'] is None for q in stream)} unanswerable) the paragraph "
          f"reader never saw, {steps} steps", flush=True)

    paragraph_teacher = paragraph.ParagraphReader()
    paragraph_teacher.load_state_dict(teacher_saved["model"])
    pair_teacher = model.Reader()
    pair_teacher.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
    for teacher in (paragraph_teacher, pair_teacher):
        teacher.eval().requires_grad_(False)
    student = model.Reader()
    student.load_state_dict(pair_teacher.state_dict())
    student.word_embeddings.weight.requires_grad_(False)
    optimizer, schedule = optimizer_and_schedule(student, ("answer.", "span."), args.lr, args.head_lr, steps)
    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    state = {"step": 0, "seconds": 0.0, "questions": 0}
    if os.path.exists(checkpoint_path):
        state = resume_checkpoint(checkpoint_path, student, optimizer, schedule, "cpu")
        print(f"resumed at step {state['step']}/{steps}", flush=True)

    autocast = bf16_is_fast(torch.device("cpu"))
    student.train()
    started = last_save = time.time()
    window = 0.0
    while state["step"] < steps:
        step = state["step"]
        rng = random.Random(args.seed * 1_000_003 + step)
        groups = [g for g in (build_group(q, contexts, by_title, special, args.candidates, rng)
                              for q in stream[step * args.group: (step + 1) * args.group]) if g is not None and g[2]]
        if groups:
            rows, own_rows = [], []  # own_rows[n]: the rows of question n's own-paragraph pairs, in its indexes' order
            for n, (_, _, own, other) in enumerate(groups):
                own_rows.append(list(range(len(rows), len(rows) + len(own))))
                rows += [item + (n,) for item in own]
                if other is not None:
                    rows.append(other + (n,))
            ids, mask, types, labels, starts, ends = pad(rows)
            with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
                teacher_pairs = pair_teacher(ids, mask, types)[0].float()
                pids, pmask, ptypes, pool, present, *_ = paragraph.batch_tensors([g[0] for g in groups])
                null, sentences, _, _ = paragraph_teacher(pids, pmask, ptypes, pool)
                paragraph_odds = sentences.float() - null.float()[:, None]
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
                answer, start_logits, end_logits = student(ids, mask, types)
            answer = answer.float()
            distil = answer.new_zeros(())
            for n, (_, indexes, _, _) in enumerate(groups):
                picked = own_rows[n]
                target = (teacher_pairs[picked] + paragraph_odds[n, indexes]) / 2
                target = torch.cat([target.new_zeros(1), target]).softmax(-1)
                student_log = torch.cat([answer.new_zeros(1), answer[picked]]).log_softmax(-1)
                distil = distil + nn.functional.kl_div(student_log, target, reduction="sum")
            questions = torch.tensor([row[4] for row in rows])
            loss = distil / len(groups) + args.hard_weight * listwise_loss(answer, labels, questions)
            if (starts >= 0).any():
                loss = loss + args.span_weight * span_loss(start_logits, end_logits, mask, starts, ends)
            optimizer_step(loss, student, optimizer, schedule)
            window += loss.item()
            state["questions"] += len(groups)
        state["step"] += 1
        now = time.time()
        if state["step"] % 50 == 0:
            elapsed = state["seconds"] + now - started
            print(f"step {state['step']}/{steps} loss {window / 50:.4f} ({state['questions'] / elapsed:.2f} questions/s) "
                  f"elapsed {elapsed / 60:.1f} min", flush=True)
            window = 0.0
        out_of_time = state["seconds"] + now - started > args.max_minutes * 60
        if now - last_save > args.checkpoint_minutes * 60 or state["step"] == steps or out_of_time:
            state["seconds"] += now - started
            started = last_save = now
            save_checkpoint(checkpoint_path, student, optimizer, schedule, state, args)
            if state["step"] < steps and out_of_time:
                print(f"stopping after {args.max_minutes} minutes at step {state['step']}; rerun to resume", flush=True)
                sys.exit(3)
    print(f"done: {state['step']} steps, {state['questions']} questions, {state['seconds'] / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
