"""Training pairs from ../shared/training: (question, candidate sentence + title + previous sentence) with labels.

Positives are the sentences holding an answer. Negatives, hardest first, are the other sentences of the same
paragraph ranked by words shared with the question, a close sentence from another paragraph of the same
article (how "the article doesn't say" looks at run time), and every sentence of an unanswerable question's
paragraph. Validation holds out whole articles (titles), so no paragraph of a validation article is trained on.
"""
import hashlib
import json
import re

import segmenter

MAX_QUESTION, MAX_SENTENCE, MAX_TITLE, MAX_CONTEXT = 48, 96, 16, 32
STOP = set("a an the of in on at to for from by with and or but is are was were be been being what which who whom whose "
           "when where why how did do does done has have had that this these those it its as into than then there their "
           "they he she his her him i you we our your not no can could would should will may might must about after before "
           "during over under between s".split())
WORD = re.compile(r"[a-z0-9]+")


def content_words(text):
    return {w for w in WORD.findall(text.lower()) if w not in STOP}


def is_validation(title, percent):
    return int(hashlib.md5(title.encode("utf-8")).hexdigest(), 16) % 100 < percent


class Sentence:
    __slots__ = ("start", "end", "ids", "offsets", "words")


class Context:
    __slots__ = ("id", "title", "text", "sentences", "title_ids")


def load(training_dir, tokenizer, validation_percent=4):
    contexts = {}
    with open(f"{training_dir}/contexts.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            c = Context()
            c.id, c.title, c.text = row["context_id"], row["title"], row["text"]
            c.title_ids = tokenizer.encode(c.title)[0][:MAX_TITLE]
            c.sentences = []
            for start, end in segmenter.split(c.text):
                s = Sentence()
                s.start, s.end = start, end
                s.ids, s.offsets = tokenizer.encode(c.text[start:end])
                s.words = content_words(c.text[start:end])
                c.sentences.append(s)
            contexts[c.id] = c
    by_title = {}
    for c in contexts.values():
        by_title.setdefault(c.title, []).append(c.id)
    train, validation = [], []
    with open(f"{training_dir}/questions.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            c = contexts.get(row["context_id"])
            if c is None or not c.sentences:
                continue
            q = {
                "id": row["id"], "context": c.id, "question": row["question"], "source": row["source"],
                "ids": tokenizer.encode(row["question"])[0][:MAX_QUESTION], "words": content_words(row["question"]),
                "answer": None,
            }
            if not row["is_impossible"]:
                start = row["answer_starts"][0]
                text = row["answers"][0]
                if c.text[start:start + len(text)] != text:
                    continue
                q["answer"] = (start, start + len(text))
            (validation if is_validation(c.title, validation_percent) else train).append(q)
    return contexts, by_title, train, validation


def answer_sentences(context, answer):
    """Indexes of the sentences the answer overlaps."""
    a, b = answer
    return [i for i, s in enumerate(context.sentences) if s.start < b and a < s.end]


def span_tokens(sentence, answer):
    """Token positions (inside the sentence) of the answer, or None when it is cut off or not aligned."""
    a, b = answer
    a -= sentence.start
    b -= sentence.start
    inside = [i for i, (x, y) in enumerate(sentence.offsets[:MAX_SENTENCE]) if x < b and a < y]
    if not inside or a < 0 or b > sentence.end - sentence.start:
        return None
    return inside[0], inside[-1]


def encode_pair(tokenizer_ids, question_ids, context, index):
    """[CLS] question [SEP] sentence [SEP] title + previous sentence's end [SEP]; returns ids, types, sentence offset."""
    cls, sep = tokenizer_ids
    sentence = context.sentences[index]
    previous = context.sentences[index - 1].ids if index > 0 else []
    room = MAX_CONTEXT - len(context.title_ids)
    tail = previous[-room:] if room > 0 and previous else []
    ids = [cls] + question_ids + [sep]
    first = len(ids)
    ids += sentence.ids[:MAX_SENTENCE] + [sep] + context.title_ids + tail + [sep]
    types = [0] * first + [1] * (len(ids) - first)
    return ids, types, first


def overlap_rank(words, sentences, exclude=()):
    scored = [(len(words & s.words), i) for i, s in enumerate(sentences) if i not in exclude]
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [i for _, i in scored]


def answer_span(q, sentence):
    """The answer's token span inside its sentence; None when it is cut off, or for SelQA, which marks sentences only."""
    return span_tokens(sentence, q["answer"]) if q["source"] != "selqa_ass" else None


def sibling_sentence(q, context, contexts, by_title, rng):
    """(context, sentence index) of the sentence sharing most words with the question in a random other paragraph of the
    same article (how "the article doesn't say" looks at run time), or None."""
    siblings = [cid for cid in by_title[context.title] if cid != context.id]
    if not siblings:
        return None
    o = contexts[siblings[rng.randrange(len(siblings))]]
    ranked = overlap_rank(q["words"], o.sentences)
    return (o, ranked[0]) if ranked else None


def article_neighbours(q, context, contexts, by_title, count):
    """(context, sentence index) of the count sentences in the article's other paragraphs sharing most words with the
    question: the rivals retrieval brings the engine's reader from the whole article (about 7 in 10 of its candidates).
    For an answerable question, none that holds the answer's text, which would be a second right answer."""
    answer = context.text[q["answer"][0]:q["answer"][1]].lower() if q["answer"] is not None else None
    scored = []
    for cid in by_title[context.title]:
        if cid == context.id:
            continue
        for i, s in enumerate(contexts[cid].sentences):
            shared = len(q["words"] & s.words)
            if shared:
                scored.append((-shared, cid, i))
    scored.sort()
    found = []
    for _, cid, i in scored:
        o = contexts[cid]
        if answer is not None and answer in o.text[o.sentences[i].start:o.sentences[i].end].lower():
            continue
        found.append((o, i))
        if len(found) == count:
            break
    return found


def question_pairs(q, contexts, by_title, rng, hard=1, other_share=0.5, unanswerable_negatives=2, article_negatives=0):
    """Yields (context, sentence index, label, span or None) for one question: the answer sentence, the hard
    negatives of its paragraph (hardest first) and then either the article_negatives closest sentences of the article's
    other paragraphs or, other_share of the time, a close sentence of one other paragraph."""
    c = contexts[q["context"]]
    if q["answer"] is not None:
        gold = answer_sentences(c, q["answer"])
        for i in gold[:1]:
            yield c, i, 1.0, answer_span(q, c.sentences[i])
        ranked = overlap_rank(q["words"], c.sentences, exclude=set(gold))
        for i in ranked[:hard]:
            yield c, i, 0.0, (0, 0)
    else:
        ranked = overlap_rank(q["words"], c.sentences)
        for i in ranked[:unanswerable_negatives]:
            yield c, i, 0.0, (0, 0)
    if article_negatives > 0:
        for o, i in article_neighbours(q, c, contexts, by_title, article_negatives):
            yield o, i, 0.0, (0, 0)
    elif len(by_title[c.title]) > 1 and rng.random() < other_share:
        other = sibling_sentence(q, c, contexts, by_title, rng)
        if other is not None:
            yield *other, 0.0, (0, 0)
