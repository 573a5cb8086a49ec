"""Exports the trained reader for NewsBot: ONNX with calibration folded in, int8 dynamic quantization of every
MatMul with constant weights (per output column), and an fp16 word-embedding table; then reader.json, the
vocabulary, expected-scores.json (the training framework's outputs on fixed pairs, for NewsBot's equivalence
test) and tokenization-cases.json (ids and offsets the C# tokenizer must reproduce).

The expected scores come from the weights as shipped: the int8 matrices and fp16 embeddings read back into PyTorch
(from_onnx.rebuild), not from the checkpoint. What the rounding itself costs is a property of the model, printed here;
NewsBot's test checks that ONNX Runtime reads those weights as PyTorch does (tokens, segments, graph), which the
checkpoint's scores could only check within the rounding."""
import argparse
import json
import os
import shutil

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto

import calibrate
import from_onnx
import model
from model_card import sha256
import pairs
import tokenization

FIXED_PAIRS = [
    # (question, title, previous sentence, sentence)
    ("Why did the PMO decline the meeting?", "Netanyahu turns down meeting with Russian cybersecurity head linked to US hack",
     "But responding last week, a senior official in the Prime Minister’s Office declined the meeting.",
     "“Due to the heavy demands of his schedule, the prime minister must decline the invitation,” the official wrote."),
    ("How many users does Kaspersky's anti-virus program have?", "Netanyahu turns down meeting with Russian cybersecurity head linked to US hack",
     "", "Kaspersky Lab has denied the allegations, saying its software, used globally by some 400 million people, does not help any government spy."),
    ("Who won the 2018 World Cup?", "Netanyahu turns down meeting with Russian cybersecurity head linked to US hack",
     "", "Prime Minister Benjamin Netanyahu has turned down a personal request for a meeting by the CEO of Russian firm Kaspersky Lab."),
    ("What is the vault code?", "Netanyahu turns down meeting with Russian cybersecurity head linked to US hack",
     "", "The hackers took source code and passwords from the company’s network."),
    ("In what country is Normandy located?", "Normans",
     "", "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region in France."),
    ("When did the Île-de-France café open?", "Café culture",
     "Cafés spread across Paris in the 1680s.", "The Café Procope in Île-de-France opened in 1686 and still serves coffee today."),
]

TOKENIZATION_CASES = [
    "Why did the PMO decline the meeting?",
    "“Due to the heavy demands of his schedule, the prime minister must decline the invitation,” the official wrote.",
    "Prime Minister’s Office says premier ‘must decline’ Eugene Kaspersky’s request",
    "The Café Procope in Île-de-France opened in 1686 — and still serves coffee.",
    "Naïve façade: São Paulo’s Zürich-style coöperative, 50\u00a0km away, costs €1,200 (½ price).",
    "CEO\u00a0Eugene Kaspersky said: \"It's 400-million-strong!\"",
    "Ünïcödé ACCENTS and e\u0301 combining marks; emoji 🙂 and tabs\tand\nnewlines.",
    "supercalifragilisticexpialidociousness antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
]


def encode_fixed(tokenizer, question, title, previous, sentence):
    class One:
        pass
    c = One()
    c.title_ids = tokenizer.encode(title)[0][: pairs.MAX_TITLE]
    c.sentences = []
    for text in ([previous] if previous else []) + [sentence]:
        s = pairs.Sentence()
        s.ids, s.offsets = tokenizer.encode(text)
        s.start, s.end = 0, len(text)
        c.sentences.append(s)
    q_ids = tokenizer.encode(question)[0][: pairs.MAX_QUESTION]
    ids, types, first = pairs.encode_pair((tokenizer.cls, tokenizer.sep), q_ids, c, len(c.sentences) - 1)
    return ids, types, first, c.sentences[-1]


def quantize(model_proto):
    """int8 dynamic quantization of MatMuls with a constant [K, N] weight, and an fp16 word-embedding table."""
    graph = model_proto.graph
    inits = {t.name: t for t in graph.initializer}
    nodes = []
    for node in graph.node:
        weight = inits.get(node.input[1]) if node.op_type == "MatMul" else None
        if weight is None or len(weight.dims) != 2:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weight).astype(np.float32)
        scale = np.maximum(np.abs(w).max(axis=0), 1e-8) / 127.0
        q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        base = node.output[0]
        graph.initializer.remove(weight)
        del inits[weight.name]
        graph.initializer.extend([
            numpy_helper.from_array(q, weight.name + "_q"),
            numpy_helper.from_array(scale.astype(np.float32), weight.name + "_scale"),
            numpy_helper.from_array(np.zeros(w.shape[1], dtype=np.int8), weight.name + "_zero"),
        ])
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [node.input[0]], [base + "_aq", base + "_as", base + "_az"]),
            helper.make_node("MatMulInteger", [base + "_aq", weight.name + "_q", base + "_az", weight.name + "_zero"], [base + "_i32"]),
            helper.make_node("Cast", [base + "_i32"], [base + "_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [base + "_as", weight.name + "_scale"], [base + "_s"]),
            helper.make_node("Mul", [base + "_f", base + "_s"], [base]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)

    table_name = next(n for n in inits if "word_embeddings" in n)
    table = inits[table_name]
    half = numpy_helper.from_array(numpy_helper.to_array(table).astype(np.float16), table_name + "_fp16")
    graph.initializer.remove(table)
    graph.initializer.append(half)
    for node in graph.node:
        if node.op_type == "Gather" and node.input[0] == table_name:
            out = node.output[0]
            node.input[0] = half.name
            node.output[0] = out + "_fp16"
            graph.node.append(helper.make_node("Cast", [out + "_fp16"], [out], to=TensorProto.FLOAT))
    # Nodes must stay topologically sorted: move each Cast right after its Gather.
    ordered = []
    casts = {n.input[0]: n for n in graph.node if n.op_type == "Cast" and n.input[0].endswith("_fp16")}
    for node in graph.node:
        if node.op_type == "Cast" and node.input[0].endswith("_fp16"):
            continue
        ordered.append(node)
        for out in node.output:
            if out in casts:
                ordered.append(casts[out])
    del graph.node[:]
    graph.node.extend(ordered)
    return model_proto


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    calibration = json.load(open(args.calibration))
    reader = model.Reader()
    saved = torch.load(args.checkpoint)
    reader.load_state_dict(saved["model"])
    with torch.no_grad():
        reader.temperature.fill_(calibration["temperature"])
        reader.shift.fill_(calibration["shift"])
    reader.eval()
    tokenizer = tokenization.WordPiece(os.path.join(args.base, "vocab.txt"))

    fp32 = os.path.join(args.out, "reader.fp32.onnx")
    ids, types, first, _ = encode_fixed(tokenizer, *FIXED_PAIRS[0])
    dummy = (torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long), torch.tensor([types]))
    torch.onnx.export(reader, dummy, fp32, opset_version=14, do_constant_folding=True,
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["answer_logit", "start_logits", "end_logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                    "token_type_ids": {0: "batch", 1: "sequence"}, "answer_logit": {0: "batch"},
                                    "start_logits": {0: "batch", 1: "sequence"}, "end_logits": {0: "batch", 1: "sequence"}})
    quantized = quantize(onnx.load(fp32))
    onnx.checker.check_model(quantized)
    final = os.path.join(args.out, "reader.onnx")
    onnx.save(quantized, final)
    os.remove(fp32)
    shutil.copy(os.path.join(args.base, "vocab.txt"), os.path.join(args.out, "vocab.txt"))

    config = {"format": 1, "maxQuestionTokens": pairs.MAX_QUESTION, "maxSentenceTokens": pairs.MAX_SENTENCE,
              "maxTitleTokens": pairs.MAX_TITLE, "maxContextTokens": pairs.MAX_CONTEXT,
              "minProbability": calibration["minProbability"], "minSpanProbability": calibration["minSpanProbability"],
              "maxSpanTokens": calibrate.MAX_SPAN_TOKENS}
    json.dump(config, open(os.path.join(args.out, "reader.json"), "w"), indent=1)

    shipped = from_onnx.rebuild(final).eval()
    expected = []
    with torch.no_grad():
        for question, title, previous, sentence in FIXED_PAIRS:
            ids, types, first, s = encode_fixed(tokenizer, question, title, previous, sentence)
            inputs = (torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long), torch.tensor([types]))
            unrounded = float(torch.sigmoid(reader(*inputs)[0][0]))
            answer, start, end = shipped(*inputs)
            print(f"int8 rounding: {float(torch.sigmoid(answer[0])):.3f} against {unrounded:.3f} from the checkpoint  {question}")
            a, b, p = calibrate.best_span(start[0], end[0], first, min(len(s.ids), pairs.MAX_SENTENCE))
            short = sentence[s.offsets[a][0]: s.offsets[b][1]] if p >= calibration["minSpanProbability"] else None
            expected.append({"question": question, "title": title, "previous": previous, "sentence": sentence,
                             "inputIds": ids, "tokenTypeIds": types, "probability": float(torch.sigmoid(answer[0])),
                             "spanProbability": p, "shortAnswer": short})
    json.dump(expected, open(os.path.join(args.out, "expected-scores.json"), "w"), indent=1, ensure_ascii=False)
    cases = []
    for text in TOKENIZATION_CASES:
        token_ids, offsets = tokenizer.encode(text)
        cases.append({"text": text, "ids": token_ids, "offsets": [list(o) for o in offsets]})
    json.dump(cases, open(os.path.join(args.out, "tokenization-cases.json"), "w"), indent=1, ensure_ascii=False)
    for row in expected:
        print(f"{row['probability']:.3f} {row['spanProbability']:.2f} {row['shortAnswer']!r:40} {row['question']}")
    print(f"reader.onnx {os.path.getsize(final) / 1e6:.1f} MB sha256 {sha256(final)}")


if __name__ == "__main__":
    main()
