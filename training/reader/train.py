"""Fine-tunes the reader. Resumable: a checkpoint is written every --checkpoint-minutes and when --max-minutes
runs out (exit code 3), and a rerun with the same arguments continues from it, producing the same model."""
import argparse
import os
import random
import sys
import time

import numpy as np
import torch

import model
import pairs
import synonyms
import tokenization

CHUNK = 64  # questions whose pairs are sorted by length and cut into batches together


def draw(answerable, unanswerable, count, unanswerable_share, rng):
    """Shuffles both lists and takes count questions, unanswerable_share of them unanswerable, in shuffled order."""
    rng.shuffle(answerable)
    rng.shuffle(unanswerable)
    n_un = min(len(unanswerable), int(count * unanswerable_share))
    chosen = answerable[: count - n_un] + unanswerable[:n_un]
    rng.shuffle(chosen)
    return chosen


def question_stream(train, count, unanswerable_share, seed):
    return draw([q for q in train if q["answer"] is not None], [q for q in train if q["answer"] is None],
                count, unanswerable_share, random.Random(seed))


def epoch_stream(train, epochs, unanswerable_repeat, seed):
    """Every training question, each epoch in a fresh order, the unanswerable ones unanswerable_repeat times per epoch
    (they are a sixth of the data and the hard part)."""
    answerable = [q for q in train if q["answer"] is not None]
    unanswerable = [q for q in train if q["answer"] is None]
    stream = []
    for epoch in range(epochs):
        chosen = answerable + unanswerable * unanswerable_repeat
        random.Random(seed + 1000 * epoch).shuffle(chosen)
        stream += chosen
    return stream


def expected_pairs(stream, contexts, by_title, knobs):
    """How many pairs the stream yields on average (the learning-rate schedule's length)."""
    total = 0.0
    for q in stream:
        c = contexts[q["context"]]
        n = len(c.sentences)
        if q["answer"] is not None:
            gold = len(pairs.answer_sentences(c, q["answer"]))
            total += min(gold, 1) + min(knobs["hard"], n - gold)
        else:
            total += min(knobs["unanswerable_negatives"], n)
        if knobs["article_negatives"] > 0:
            total += len(pairs.article_neighbours(q, c, contexts, by_title, knobs["article_negatives"]))
        elif len(by_title[c.title]) > 1:
            total += knobs["other_share"]
    return total


def continuation_stream(train, first_stage, count, unanswerable_share, seed):
    """Stage two: answerable questions stage one never saw, with unanswerable ones (stage one used nearly all of
    them) replayed at the same share so that refusal is not unlearned."""
    seen = {q["id"] for q in question_stream(train, first_stage, unanswerable_share, seed)}
    return draw([q for q in train if q["answer"] is not None and q["id"] not in seen],
                [q for q in train if q["answer"] is None], count, unanswerable_share, random.Random(seed + 1))


# The unanswerable shares run.sh's first two stages draw with (stage two's filter of stage one's questions used its own share).
FIRST_STAGE_SHARE, SECOND_STAGE_SHARE = 0.35, 0.3


def third_stage_stream(train, first_stage, second_stage, count, unanswerable_share, seed):
    """Stage three, on top of run.sh's first two (their checkpoint, or a model they shipped rebuilt by from_onnx.py): answerable questions
    neither stage drew, with unanswerable ones replayed so that refusal is not unlearned."""
    seen = {q["id"] for q in question_stream(train, first_stage, FIRST_STAGE_SHARE, seed)}
    seen |= {q["id"] for q in continuation_stream(train, first_stage, second_stage, SECOND_STAGE_SHARE, seed)}
    return draw([q for q in train if q["answer"] is not None and q["id"] not in seen],
                [q for q in train if q["answer"] is None], count, unanswerable_share, random.Random(seed + 2))


# The unanswerable share the shipped third stage drew with.
THIRD_STAGE_SHARE = 0.3


def fourth_stage_stream(train, first_stage, second_stage, third_stage, count, unanswerable_share, seed):
    """A further stage on top of the shipped three (rebuilt by from_onnx.py): answerable questions none of them drew, with
    unanswerable ones replayed."""
    seen = {q["id"] for q in question_stream(train, first_stage, FIRST_STAGE_SHARE, seed)}
    seen |= {q["id"] for q in continuation_stream(train, first_stage, second_stage, SECOND_STAGE_SHARE, seed)}
    seen |= {q["id"] for q in third_stage_stream(train, first_stage, second_stage, third_stage, THIRD_STAGE_SHARE, seed)}
    return draw([q for q in train if q["answer"] is not None and q["id"] not in seen],
                [q for q in train if q["answer"] is None], count, unanswerable_share, random.Random(seed + 3))


def bf16_is_fast(device):
    """bf16 autocast is 3-6x faster than fp32 on a GPU or a CPU with bf16 instructions, and about 20x slower on a CPU
    without them (measured on an AVX2-only AMD EPYC), where training stays in fp32."""
    if device.type != "cpu":
        return True
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def pad(batch):
    width = max(len(ids) for ids, *_ in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    labels = np.zeros(len(batch), dtype=np.float32)
    starts = np.full(len(batch), -100, dtype=np.int64)
    ends = np.full(len(batch), -100, dtype=np.int64)
    for row, (i, t, label, span, *_) in enumerate(batch):
        ids[row, : len(i)] = i
        types[row, : len(t)] = t
        mask[row, : len(i)] = 1
        labels[row] = label
        if span is not None:
            starts[row], ends[row] = span
    return [torch.from_numpy(x) for x in (ids, mask, types, labels, starts, ends)]


def paraphrased(q, contexts, thesaurus, tokenizer, share, rng):
    """The question with one word it shares with its sentence (the answer's, or an unanswerable question's closest) swapped
    for a synonym, share of the time when it has one (synonyms.py says why); else the question itself."""
    if rng.random() >= share:
        return q
    c = contexts[q["context"]]
    if q["answer"] is not None:
        gold = pairs.answer_sentences(c, q["answer"])
        index = gold[0] if gold else None
    else:
        ranked = pairs.overlap_rank(q["words"], c.sentences)
        index = ranked[0] if ranked else None
    if index is None:
        return q
    s = c.sentences[index]
    rewritten = thesaurus.rewrite(q["question"], c.text[s.start:s.end], rng)
    return q if rewritten is None else dict(q, question=rewritten, ids=tokenizer.encode(rewritten)[0][:pairs.MAX_QUESTION])


def chunk_batches(chunk, chunk_index, contexts, by_title, batch_size, seed, special, knobs, whole_questions=False, rewrite=None):
    """The chunk's pairs sorted by length and cut into shuffled batches of (ids, types, label, span, question). With
    whole_questions, a question's pairs share a batch (the listwise loss compares them), packed by their longest pair.
    rewrite(q, rng), when given, may replace a question's wording (its pairs and negatives stay those of the original)."""
    rng = random.Random(seed * 1_000_003 + chunk_index)
    rewrite_rng = random.Random(seed * 1_000_033 + chunk_index)  # its own stream: without rewriting the pairs are unchanged
    groups = []
    for n, q in enumerate(chunk):
        wording = q if rewrite is None else rewrite(q, rewrite_rng)
        group = []
        for c, i, label, span in pairs.question_pairs(q, contexts, by_title, rng, **knobs):
            ids, types, first = pairs.encode_pair(special, wording["ids"], c, i)
            if span is not None and span != (0, 0):
                span = (span[0] + first, span[1] + first)
            group.append((ids, types, label, span, n))
        groups.append(group)
    if not whole_questions:
        items = sorted((item for group in groups for item in group), key=lambda x: len(x[0]))
        batches = [items[k: k + batch_size] for k in range(0, len(items), batch_size)]
    else:
        batches = [[]]
        for group in sorted((g for g in groups if g), key=lambda g: max(len(x[0]) for x in g)):
            if batches[-1] and len(batches[-1]) + len(group) > batch_size:
                batches.append([])
            batches[-1].extend(group)
    rng.shuffle(batches)
    return batches


def listwise_loss(answer, labels, questions):
    """Cross-entropy over each question's candidates plus a "none of them" option of logit 0: the answer sentence must
    beat its rivals, and an unanswerable question's best sentence must stay below zero, which is how the engine picks
    and refuses (the best candidate against a threshold). BCE alone scores each pair on its own."""
    total = answer.new_zeros(())
    count = 0
    for n in questions.unique():
        rows = questions == n
        logits = torch.cat([answer.new_zeros(1), answer[rows]])
        positive = torch.nonzero(labels[rows] > 0.5)
        target = int(positive[0]) + 1 if len(positive) else 0
        total = total + torch.nn.functional.cross_entropy(logits[None], torch.tensor([target], device=answer.device))
        count += 1
    return total / max(1, count)


def span_loss(start_logits, end_logits, mask, starts, ends):
    """Cross-entropy of the answer's first and last token over the input's real tokens (rows without a span: -100)."""
    ce = torch.nn.functional.cross_entropy
    start_logits = start_logits.float().masked_fill(mask == 0, -1e4)
    end_logits = end_logits.float().masked_fill(mask == 0, -1e4)
    return (ce(start_logits, starts, ignore_index=-100) + ce(end_logits, ends, ignore_index=-100)) / 2


def optimizer_step(loss, module, optimizer, schedule):
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
    optimizer.step()
    schedule.step()


def optimizer_and_schedule(module, head_prefixes, lr, head_lr, steps, device_type="cpu"):
    """AdamW (weight decay 0.01), the heads at their own learning rate; linear warm-up over 5 % of the steps, then
    linear decay to 2 %."""
    trainable = [(n, p) for n, p in module.named_parameters() if p.requires_grad]
    body = [p for n, p in trainable if not n.startswith(head_prefixes)]
    heads = [p for n, p in trainable if n.startswith(head_prefixes)]
    optimizer = torch.optim.AdamW([{"params": body, "lr": lr}, {"params": heads, "lr": head_lr}], weight_decay=0.01,
                                  **({"fused": True} if device_type == "cuda" else {"foreach": True}))
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warmup) * max(0.02, 1 - step / steps))
    return optimizer, schedule


def save_checkpoint(path, module, optimizer, schedule, state, args):
    """Written to a temporary file and renamed, so a run killed while saving keeps its previous checkpoint."""
    tmp = path + ".tmp"
    torch.save({"model": {k: v.cpu() for k, v in module.state_dict().items()}, "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(), "state": state, "torch_rng": torch.get_rng_state(), "args": vars(args)}, tmp)
    os.replace(tmp, path)


def resume_checkpoint(path, module, optimizer, schedule, device):
    """Restores a save_checkpoint file into the module, optimizer, schedule and torch's RNG; returns its state."""
    saved = torch.load(path, map_location=device)
    module.load_state_dict(saved["model"])
    optimizer.load_state_dict(saved["optimizer"])
    schedule.load_state_dict(saved["schedule"])
    torch.set_rng_state(saved["torch_rng"].cpu())
    return saved["state"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--training-dir", required=True)
    ap.add_argument("--base", required=True, help="folder with base.onnx and vocab.txt")
    ap.add_argument("--out", required=True)
    ap.add_argument("--questions", type=int, default=16000, help="0: every training question, --epochs times")
    ap.add_argument("--epochs", type=int, default=1, help="with --questions 0")
    ap.add_argument("--unanswerable-repeat", type=int, default=1, help="with --questions 0")
    ap.add_argument("--hard-negatives", type=int, default=1, help="an answerable question's negatives from its paragraph")
    ap.add_argument("--unanswerable-negatives", type=int, default=2, help="an unanswerable question's sentences")
    ap.add_argument("--other-share", type=float, default=0.5, help="how often a close sentence of another paragraph joins")
    ap.add_argument("--article-negatives", type=int, default=0,
                    help="in place of --other-share: this many of the closest sentences of the article's other paragraphs")
    ap.add_argument("--synonym-share", type=float, default=0.0,
                    help="how often a question is reworded with a WordNet synonym of a word it shares with its sentence "
                         "(synonyms.py; needs Debian's wordnet-base)")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda where a GPU is lent (same recipe, faster)")
    ap.add_argument("--unanswerable-share", type=float, default=0.35)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=5e-4)
    ap.add_argument("--span-weight", type=float, default=0.5)
    ap.add_argument("--listwise-weight", type=float, default=0.0,
                    help="adds listwise_loss over each question's pairs with this weight (0: BCE only, as shipped)")
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-minutes", type=float, default=1e9)
    ap.add_argument("--checkpoint-minutes", type=float, default=10)
    ap.add_argument("--init", help="stage two: start from this stage-one checkpoint's weights (fresh optimizer and schedule)")
    ap.add_argument("--first-stage-questions", type=int, default=0,
                    help="stage two: skip the answerable questions the first stage's --questions drew")
    ap.add_argument("--second-stage-questions", type=int, default=0,
                    help="stage three: also skip the answerable questions run.sh's second stage drew with this --questions")
    ap.add_argument("--third-stage-questions", type=int, default=0,
                    help="a fourth stage: also skip the answerable questions the shipped third stage drew with this --questions")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    knobs = {"hard": args.hard_negatives, "unanswerable_negatives": args.unanswerable_negatives, "other_share": args.other_share,
             "article_negatives": args.article_negatives}
    os.makedirs(args.out, exist_ok=True)
    tokenizer = tokenization.WordPiece(os.path.join(args.base, "vocab.txt"))
    special = (tokenizer.cls, tokenizer.sep)
    t0 = time.time()
    contexts, by_title, train, _ = pairs.load(args.training_dir, tokenizer)
    if args.questions == 0:
        stream = epoch_stream(train, args.epochs, args.unanswerable_repeat, args.seed)
    elif args.init and args.third_stage_questions:
        stream = fourth_stage_stream(train, args.first_stage_questions, args.second_stage_questions, args.third_stage_questions,
                                     args.questions, args.unanswerable_share, args.seed)
    elif args.init and args.second_stage_questions:
        stream = third_stage_stream(train, args.first_stage_questions, args.second_stage_questions, args.questions,
                                    args.unanswerable_share, args.seed)
    elif args.init:
        stream = continuation_stream(train, args.first_stage_questions, args.questions, args.unanswerable_share, args.seed)
    else:
        stream = question_stream(train, args.questions, args.unanswerable_share, args.seed)
    batch_seed = args.seed + (1 if args.init else 0)
    chunks = [stream[k: k + CHUNK] for k in range(0, len(stream), CHUNK)]
    print(f"loaded {len(train)} training questions in {time.time() - t0:.0f}s; training on {len(stream)} "
          f"({sum(q['answer'] is None for q in stream)} unanswerable) in {len(chunks)} chunks", flush=True)

    reader = model.Reader().to(device)
    # The word-embedding table is a third of the weights: frozen, it saves its gradient and optimizer state.
    reader.word_embeddings.weight.requires_grad_(False)
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    # The shipped two-stage recipe sized its schedule at 2.4 pairs a question; other recipes count their pairs.
    pair_options = ("hard_negatives", "unanswerable_negatives", "other_share", "article_negatives")
    shipped_recipe = args.questions > 0 and all(getattr(args, o) == ap.get_default(o) for o in pair_options)
    pair_count = len(stream) * 2.4 if shipped_recipe else expected_pairs(stream, contexts, by_title, knobs)
    estimated_steps = int(pair_count / args.batch) + 1
    optimizer, schedule = optimizer_and_schedule(reader, ("answer.", "span."), args.lr, args.head_lr, estimated_steps,
                                                 device.type)
    state = {"chunk": 0, "step": 0, "seconds": 0.0, "pairs": 0}
    if os.path.exists(checkpoint_path):
        state = resume_checkpoint(checkpoint_path, reader, optimizer, schedule, device)
        print(f"resumed at chunk {state['chunk']}/{len(chunks)}, step {state['step']}", flush=True)
    elif args.init:
        reader.load_state_dict(torch.load(args.init, map_location=device)["model"])
    else:
        model.load_base(reader, args.base)

    thesaurus = synonyms.Thesaurus() if args.synonym_share > 0 else None
    rewrite = None if thesaurus is None else (
        lambda q, rng: paraphrased(q, contexts, thesaurus, tokenizer, args.synonym_share, rng))

    reader.train()
    bce = torch.nn.BCEWithLogitsLoss()
    started = time.time()
    last_save = started
    autocast = bf16_is_fast(device)
    state.update(chunks=len(chunks), precision="bf16 autocast" if autocast else "fp32")  # for the model card
    print(f"training on {device} in {'bf16 autocast' if autocast else 'fp32'}", flush=True)
    window = torch.zeros((), device=device)
    while state["chunk"] < len(chunks):
        for batch in chunk_batches(chunks[state["chunk"]], state["chunk"], contexts, by_title, args.batch, batch_seed, special,
                                   knobs, whole_questions=args.listwise_weight > 0, rewrite=rewrite):
            ids, mask, types, labels, starts, ends = (x.to(device, non_blocking=True) for x in pad(batch))
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
                answer, start_logits, end_logits = reader(ids, mask, types)
            answer = answer.float()
            loss = bce(answer, labels)
            if args.listwise_weight > 0:
                questions = torch.tensor([item[4] for item in batch], device=device)
                loss = loss + args.listwise_weight * listwise_loss(answer, labels, questions)
            if (starts >= 0).any():
                loss = loss + args.span_weight * span_loss(start_logits, end_logits, mask, starts, ends)
            optimizer_step(loss, reader, optimizer, schedule)
            state["step"] += 1
            state["pairs"] += len(batch)
            window += loss.detach()
            if state["step"] % 50 == 0:
                elapsed = state["seconds"] + time.time() - started
                print(f"step {state['step']}/{estimated_steps} chunk {state['chunk']}/{len(chunks)} loss {window.item() / 50:.4f} "
                      f"pairs {state['pairs']} ({state['pairs'] / max(elapsed, 1):.1f}/s) elapsed {elapsed / 60:.1f} min", flush=True)
                window.zero_()
        state["chunk"] += 1
        now = time.time()
        if now - last_save > args.checkpoint_minutes * 60 or state["chunk"] == len(chunks) or now - started > args.max_minutes * 60:
            state["seconds"] += now - started
            started = now
            save_checkpoint(checkpoint_path, reader, optimizer, schedule, state, args)
            last_save = now
            if state["chunk"] < len(chunks) and (now - t0) > args.max_minutes * 60:
                print(f"stopping after {args.max_minutes} minutes at chunk {state['chunk']}; rerun to resume", flush=True)
                sys.exit(3)
    print(f"done: {state['step']} steps, {state['pairs']} pairs, {state['seconds'] / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
