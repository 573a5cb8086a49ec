"""Paragraph windows for the window reader: [CLS] question [SEP] consecutive sentences of one paragraph [SEP] title [SEP].

The reader then sees a candidate sentence with its neighbours (what "it" and "the company" refer to) and its span head
chooses among all the window's tokens, [CLS] meaning "no answer here". A window is built around a focus sentence: whole
sentences are added before and after it, alternately, while they fit in WINDOW_TOKENS; a sentence longer than that is
cut. src/NewsBot.Reader builds windows the same way (ReaderWindows.cs).
"""
import pairs

WINDOW_TOKENS = 176


def sentence_ids(sentence):
    return sentence.ids[: pairs.MAX_SENTENCE]


def window_around(context, focus):
    """Indexes [first, last] of the sentences in the window around sentence focus."""
    sentences = context.sentences
    used = len(sentence_ids(sentences[focus]))
    first = last = focus
    grew = True
    while grew:
        grew = False
        if first > 0 and used + len(sentence_ids(sentences[first - 1])) <= WINDOW_TOKENS:
            first -= 1
            used += len(sentence_ids(sentences[first]))
            grew = True
        if last + 1 < len(sentences) and used + len(sentence_ids(sentences[last + 1])) <= WINDOW_TOKENS:
            last += 1
            used += len(sentence_ids(sentences[last]))
            grew = True
    return first, last


def encode_window(special, question_ids, context, first, last):
    """Returns ids, types and, per sentence in the window, (sentence index, position of its first token, token count)."""
    cls, sep = special
    ids = [cls] + question_ids + [sep]
    spans = []
    for i in range(first, last + 1):
        s = sentence_ids(context.sentences[i])
        spans.append((i, len(ids), len(s)))
        ids += s
    ids += [sep] + context.title_ids + [sep]
    types = [0] * (len(question_ids) + 2) + [1] * (len(ids) - len(question_ids) - 2)
    return ids, types, spans


def answer_tokens(context, spans, answer):
    """Window positions of the answer's first and last tokens, or None when the window does not hold all of it."""
    a, b = answer
    positions = []
    for i, position, count in spans:
        s = context.sentences[i]
        for k, (x, y) in enumerate(s.offsets[:count]):
            if s.start + x < b and a < s.start + y:
                positions.append(position + k)
    if not positions:
        return None
    first_sentence = context.sentences[spans[0][0]]
    last_sentence = context.sentences[spans[-1][0]]
    if a < first_sentence.start or b > last_sentence.end:
        return None
    return positions[0], positions[-1]


def question_windows(q, contexts, by_title, rng, other_share=0.5):
    """Yields (context, first, last) windows for one question, with the answer's token span or (0, 0) for none: the window
    around the answer sentence (or, unanswerable, around the sentence sharing most words with the question) and,
    other_share of the time, the window around the closest sentence of another paragraph of the same article."""
    c = contexts[q["context"]]
    if q["answer"] is not None:
        gold = pairs.answer_sentences(c, q["answer"])
        focus = gold[0] if gold else 0
    else:
        focus = pairs.overlap_rank(q["words"], c.sentences)[0]
    yield c, window_around(c, focus), q["answer"]
    siblings = [cid for cid in by_title[c.title] if cid != c.id]
    if siblings and rng.random() < other_share:
        o = contexts[siblings[rng.randrange(len(siblings))]]
        ranked = pairs.overlap_rank(q["words"], o.sentences)
        if ranked:
            yield o, window_around(o, ranked[0]), None


def training_items(q, contexts, by_title, rng, special):
    """(ids, types, answer label, (start, end)) per window; (0, 0) points both at [CLS]: no answer in this window."""
    for c, (first, last), answer in question_windows(q, contexts, by_title, rng):
        ids, types, spans = encode_window(special, q["ids"], c, first, last)
        span = answer_tokens(c, spans, answer) if answer is not None and q["source"] != "selqa_ass" else None
        if answer is None:
            yield ids, types, 0.0, (0, 0)
        elif span is not None:
            yield ids, types, 1.0, span
        elif q["source"] == "selqa_ass":
            yield ids, types, 1.0, None


MAX_WINDOWS = 8


def plan(candidates, max_windows=MAX_WINDOWS):
    """Windows for a question's candidates, [(context, first, last)], and per candidate the window that reads it (or None):
    candidates in retrieval's order; one already inside a planned window is read there, otherwise a window is planned
    around it, up to max_windows."""
    planned, reading = [], []
    for c, i in candidates:
        k = next((n for n, (o, first, last) in enumerate(planned) if o is c and first <= i <= last), None)
        if k is None and len(planned) < max_windows:
            planned.append((c,) + window_around(c, i))
            k = len(planned) - 1
        reading.append(k)
    return planned, reading


def sentence_probabilities(start_logits, spans):
    """Per window sentence, the probability that the answer starts in it: softmax of the start logits over [CLS] and the
    window's sentence tokens (question and title tokens take no part), summed over the sentence's tokens."""
    import numpy as np
    positions = [0] + [p for _, position, count in spans for p in range(position, position + count)]
    logits = np.asarray(start_logits, dtype=np.float64)[positions]
    weights = np.exp(logits - logits.max())
    weights /= weights.sum()
    out, k = {}, 1
    for i, _, count in spans:
        out[i] = float(weights[k: k + count].sum())
        k += count
    return out, float(weights[0])
