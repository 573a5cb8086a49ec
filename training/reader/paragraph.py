"""Experiment: a paragraph-level reader, measured against the shipped sentence-pair reader on the same questions.

The shipped reader reads one (question, sentence) pair per pass. This one reads [CLS] question [SEP] paragraph [SEP]
once and scores every sentence of the paragraph from the mean of its tokens' states, against a "none of them" logit
from [CLS] (a listwise cross-entropy, the engine's decision: the best sentence against a threshold), with the span head
trained SQuAD 2.0-style over the whole paragraph ([CLS] as "no span"). It starts from a sentence-pair checkpoint, so
it keeps what that model learned about questions and answers.

    python3 paragraph.py train --training-dir D --base B --init CKPT --out DIR [--questions N --max-minutes M]
    python3 paragraph.py compare --training-dir D --base B --paragraph DIR/checkpoint.pt --pairs CKPT [--questions 2000]

`compare` prints, for both readers over each validation question's own paragraph (articles held out by title, never
trained on): answer-sentence top-1, the refusal curve (unanswerable refused at equal share of answerable answered) and
the time per question; a third row adds both readers' log-odds. Nothing here is used by NewsBot: it measured whether
the C# reader should read paragraphs (README, "A paragraph-level reader").
"""
import argparse
import os
import random
import sys
import time

import numpy as np
import torch
from torch import nn

import model
import pairs
import tokenization
from train import bf16_is_fast, optimizer_and_schedule, optimizer_step, pad, question_stream, span_loss

MAX_TOKENS = 256
KEPT = (0.95, 0.90, 0.85, 0.80)


def encode_paragraph(special, question_ids, context):
    """[CLS] question [SEP] sentences... [SEP], cut at MAX_TOKENS; returns ids, types and each kept sentence's token
    range [start, end) (a sentence cut off by the limit keeps the tokens that fit; later ones are dropped)."""
    cls, sep = special
    ids = [cls] + question_ids + [sep]
    first = len(ids)
    ranges = []
    for sentence in context.sentences:
        room = MAX_TOKENS - 1 - len(ids)
        if room <= 0:
            break
        taken = sentence.ids[:room]
        ranges.append((len(ids), len(ids) + len(taken)))
        ids += taken
    ids.append(sep)
    return ids, [0] * first + [1] * (len(ids) - first), ranges


def example(special, q, contexts):
    """(ids, types, ranges, target sentence or -1, span (start, end) or (0, 0)); None when the answer was cut off."""
    c = contexts[q["context"]]
    ids, types, ranges = encode_paragraph(special, q["ids"], c)
    if q["answer"] is None:
        return ids, types, ranges, -1, (0, 0), frozenset()
    gold = [i for i in pairs.answer_sentences(c, q["answer"]) if i < len(ranges)]
    if not gold:
        return None
    target = gold[0]
    span = pairs.span_tokens(c.sentences[target], q["answer"])
    start, end = ranges[target]
    if span is None or start + span[1] >= end:
        span = None
    else:
        span = (start + span[0], start + span[1])
    return ids, types, ranges, target, span, frozenset(gold)


class ParagraphReader(nn.Module):
    def __init__(self):
        super().__init__()
        self.reader = model.Reader()
        self.sentence = nn.Linear(model.HIDDEN, 1)

    def forward(self, ids, mask, types, pool):
        r = self.reader
        x = r.encode(ids, mask, types)
        null = r.answer(r.dropout(x[:, 0])).squeeze(-1)
        sentences = self.sentence(r.dropout(torch.matmul(pool.to(x.dtype), x))).squeeze(-1)
        span = r.span(x)
        return null, sentences, span[..., 0], span[..., 1]


def batch_tensors(batch):
    width = max(len(e[0]) for e in batch)
    most = max(1, max(len(e[2]) for e in batch))
    ids = np.zeros((len(batch), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    pool = np.zeros((len(batch), most, width), dtype=np.float32)
    present = np.zeros((len(batch), most), dtype=bool)
    targets = np.zeros(len(batch), dtype=np.int64)
    starts = np.full(len(batch), -100, dtype=np.int64)
    ends = np.full(len(batch), -100, dtype=np.int64)
    for row, (i, t, ranges, target, span, _) in enumerate(batch):
        ids[row, : len(i)] = i
        types[row, : len(t)] = t
        mask[row, : len(i)] = 1
        for k, (a, b) in enumerate(ranges):
            if b > a:
                pool[row, k, a:b] = 1.0 / (b - a)
                present[row, k] = True
        targets[row] = target + 1  # 0 is "none of them"
        if span is not None:
            starts[row], ends[row] = span
    return [torch.from_numpy(x) for x in (ids, mask, types, pool, present, targets, starts, ends)]


def choice_logits(null, sentences, present):
    """[none of them, sentence 1..n] per row, absent sentences at -1e4."""
    return torch.cat([null[:, None], sentences.masked_fill(~present, -1e4)], dim=1)


def train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tokenizer = tokenization.WordPiece(os.path.join(args.base, "vocab.txt"))
    special = (tokenizer.cls, tokenizer.sep)
    contexts, by_title, train_questions, _ = pairs.load(args.training_dir, tokenizer)
    stream = question_stream(train_questions, args.questions, args.unanswerable_share, args.seed + 7)
    examples = [e for e in (example(special, q, contexts) for q in stream) if e is not None]
    rng = random.Random(args.seed)
    order = sorted(examples, key=lambda e: len(e[0]))
    batches = [order[k: k + args.batch] for k in range(0, len(order), args.batch)]
    rng.shuffle(batches)
    print(f"{len(examples)} examples ({sum(e[3] < 0 for e in examples)} unanswerable) in {len(batches)} batches", flush=True)

    net = ParagraphReader()
    net.reader.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
    with torch.no_grad():  # the pair model's answer head scored a candidate; the sentence head starts from it
        net.sentence.weight.copy_(net.reader.answer.weight)
        net.sentence.bias.zero_()
    net.reader.word_embeddings.weight.requires_grad_(False)
    optimizer, schedule = optimizer_and_schedule(net, ("sentence.", "reader.answer.", "reader.span."), args.lr,
                                                 args.head_lr, len(batches))
    autocast = bf16_is_fast(torch.device("cpu"))
    net.train()
    started = time.time()
    window = 0.0
    for step, batch in enumerate(batches, 1):
        ids, mask, types, pool, present, targets, starts, ends = batch_tensors(batch)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            null, sentences, start_logits, end_logits = net(ids, mask, types, pool)
        choice = choice_logits(null.float(), sentences.float(), present)
        loss = nn.functional.cross_entropy(choice, targets)
        if (starts >= 0).any():
            loss = loss + args.span_weight * span_loss(start_logits, end_logits, mask, starts, ends)
        optimizer_step(loss, net, optimizer, schedule)
        window += loss.item()
        if step % 50 == 0:
            elapsed = time.time() - started
            print(f"step {step}/{len(batches)} loss {window / 50:.4f} ({step * args.batch / elapsed:.1f} questions/s) "
                  f"elapsed {elapsed / 60:.1f} min", flush=True)
            window = 0.0
        if time.time() - started > args.max_minutes * 60:
            print(f"stopped at the time limit after {step} of {len(batches)} batches", flush=True)
            break
    os.makedirs(args.out, exist_ok=True)
    torch.save({"model": net.state_dict(), "args": vars(args), "steps": step, "minutes": (time.time() - started) / 60},
               os.path.join(args.out, "checkpoint.pt"))
    print(f"saved after {(time.time() - started) / 60:.1f} min", flush=True)


def refusal_curve(answerable_scores, unanswerable_scores):
    """Unanswerable refused when the threshold answers KEPT of the answerable questions."""
    ranked = sorted(answerable_scores, reverse=True)
    out = []
    for kept in KEPT:
        threshold = ranked[min(len(ranked) - 1, int(kept * len(ranked)))]
        out.append(sum(s < threshold for s in unanswerable_scores) / max(1, len(unanswerable_scores)))
    return out


def compare(args):
    torch.set_num_threads(args.threads)
    tokenizer = tokenization.WordPiece(os.path.join(args.base, "vocab.txt"))
    special = (tokenizer.cls, tokenizer.sep)
    contexts, _, _, validation = pairs.load(args.training_dir, tokenizer)
    rng = random.Random(args.seed)
    chosen = rng.sample(validation, min(args.questions, len(validation)))
    items = [(q, e) for q, e in ((q, example(special, q, contexts)) for q in chosen) if e is not None]
    autocast = bf16_is_fast(torch.device("cpu"))

    paragraph = ParagraphReader()
    paragraph.load_state_dict(torch.load(args.paragraph, map_location="cpu")["model"])
    paragraph.eval()
    pair_reader = model.Reader()
    pair_reader.load_state_dict(torch.load(args.pairs, map_location="cpu")["model"])
    pair_reader.eval()

    results = {"paragraph": [], "pairs": [], "both": []}
    seconds = {"paragraph": 0.0, "pairs": 0.0, "both": 0.0}
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        for k in range(0, len(items), 16):
            chunk = items[k: k + 16]
            t = time.time()
            ids, mask, types, pool, present, *_ = batch_tensors([e for _, e in chunk])
            null, sentences, _, _ = paragraph(ids, mask, types, pool)
            probs = choice_logits(null.float(), sentences.float(), present).softmax(-1)
            seconds["paragraph"] += time.time() - t
            for row, (q, e) in enumerate(chunk):
                n = len(e[2])
                best = int(torch.argmax(probs[row, 1: n + 1]))
                results["paragraph"].append((q["answer"] is not None, best in e[5], float(probs[row, 1 + best])))
            paragraph_odds = (sentences.float() - null.float()[:, None]).tolist()

            t = time.time()
            rows, owners = [], []
            for row, (q, e) in enumerate(chunk):
                c = contexts[q["context"]]
                for i in range(len(e[2])):
                    pair_ids, pair_types, _ = pairs.encode_pair(special, q["ids"], c, i)
                    rows.append((pair_ids, pair_types, 0.0, None))
                    owners.append((row, i))
            pid, pmask, ptypes, *_ = pad(rows)
            logits = pair_reader(pid, pmask, ptypes)[0].float()
            seconds["pairs"] += time.time() - t
            per_question = {}
            for (row, i), logit in zip(owners, logits.tolist()):
                per_question.setdefault(row, []).append((logit, i))
            for row, (q, e) in enumerate(chunk):
                logit, best = max(per_question[row])
                results["pairs"].append((q["answer"] is not None, best in e[5], 1 / (1 + np.exp(-logit))))
                # Both readers' log-odds added: whether the two views of a sentence disagree usefully.
                joint, best = max((pair_logit + paragraph_odds[row][i], i) for pair_logit, i in per_question[row])
                results["both"].append((q["answer"] is not None, best in e[5], joint))

    answerable = sum(r[0] for r in results["paragraph"])
    print(f"{len(items)} validation questions ({answerable} answerable) from {len(set(contexts[q['context']].title for q, _ in items))} "
          f"held-out articles, each over its own paragraph")
    print("reader     top-1   " + "   ".join(f"refused@{int(k * 100)}%" for k in KEPT) + "   ms/question")
    for name, rows in results.items():
        top1 = sum(r[1] for r in rows if r[0]) / max(1, answerable)
        curve = refusal_curve([r[2] for r in rows if r[0]], [r[2] for r in rows if not r[0]])
        print(f"{name:10} {top1 * 100:5.1f}   " + "   ".join(f"{c * 100:10.1f}" for c in curve)
              + (f"   {seconds[name] * 1000 / len(rows):8.1f}" if seconds[name] else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=("train", "compare"))
    ap.add_argument("--training-dir", required=True)
    ap.add_argument("--base", required=True, help="folder with vocab.txt")
    ap.add_argument("--init", help="train: the sentence-pair checkpoint to start from")
    ap.add_argument("--out", help="train: folder for checkpoint.pt")
    ap.add_argument("--paragraph", help="compare: the paragraph reader's checkpoint")
    ap.add_argument("--pairs", help="compare: the sentence-pair reader's checkpoint")
    ap.add_argument("--questions", type=int, default=12000)
    ap.add_argument("--unanswerable-share", type=float, default=0.3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--head-lr", type=float, default=3e-4)
    ap.add_argument("--span-weight", type=float, default=0.5)
    ap.add_argument("--max-minutes", type=float, default=1e9)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20261201)
    args = ap.parse_args()
    if args.command == "train":
        if not (args.init and args.out):
            sys.exit("train needs --init and --out")
        train(args)
    else:
        if not (args.paragraph and args.pairs):
            sys.exit("compare needs --paragraph and --pairs")
        compare(args)


if __name__ == "__main__":
    main()
