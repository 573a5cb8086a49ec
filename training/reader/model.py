"""A 6-layer BERT cross-encoder reader: an answer logit from [CLS] and start/end logits per token.

The encoder's weights come from the packaged arctic-embed-xs ONNX graph. Its embedding, LayerNorm and bias
tensors keep their Hugging Face names; the Q/K/V/FFN matrices are anonymous, so each is found through the
MatMul whose output feeds the Add with the named bias (ONNX stores them [in, out], torch Linear [out, in]).
"""
import math
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

HIDDEN, LAYERS, HEADS, FFN, VOCAB, POSITIONS, TYPES = 384, 6, 12, 1536, 30522, 512, 2
LN_EPS = 1e-12


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.attention_output = nn.Linear(HIDDEN, HIDDEN)
        self.attention_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.intermediate = nn.Linear(HIDDEN, FFN)
        self.output = nn.Linear(FFN, HIDDEN)
        self.output_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def forward(self, x, bias):
        b, t, _ = x.shape
        d = HIDDEN // HEADS

        def heads(y):
            return y.view(b, t, HEADS, d).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias
        context = torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.attention_norm(x + self.attention_output(context))
        return self.output_norm(x + self.output(nn.functional.gelu(self.intermediate(x))))


class Reader(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB, HIDDEN)
        self.position_embeddings = nn.Embedding(POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(TYPES, HIDDEN)
        self.embedding_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.dropout = nn.Dropout(0.1)
        self.answer = nn.Linear(HIDDEN, 1)
        self.span = nn.Linear(HIDDEN, 2)
        # Calibration (temperature scaling), folded into the exported answer_logit.
        self.register_buffer("temperature", torch.tensor(1.0))
        self.register_buffer("shift", torch.tensor(0.0))

    def encode(self, input_ids, attention_mask, token_type_ids):
        """The encoder's last hidden state (with dropout while training)."""
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings(token_type_ids)
        x = self.dropout(self.embedding_norm(x))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.encode(input_ids, attention_mask, token_type_ids)
        answer_logit = (self.answer(self.dropout(x[:, 0])).squeeze(-1) - self.shift) / self.temperature
        span = self.span(x)
        return answer_logit, span[..., 0], span[..., 1]


def load_base(reader, folder):
    """The pretrained weights: base.onnx as extracted from the package, or base.pt (written by save_base, for a
    machine without the package, such as a lent GPU)."""
    onnx_path = os.path.join(folder, "base.onnx")
    if os.path.exists(onnx_path):
        load_pretrained(reader, onnx_path)
    else:
        weights = torch.load(os.path.join(folder, "base.pt"), map_location="cpu")
        reader.load_state_dict({k: v.float() for k, v in weights.items()}, strict=False)


def save_base(onnx_path, out_path):
    """The encoder's pretrained tensors in fp16 (45 MB instead of the graph's 90): the frozen word embeddings ship in
    fp16 anyway, and fine-tuning moves the rest far more than the rounding does."""
    reader = Reader()
    load_pretrained(reader, onnx_path)
    heads = ("answer.", "span.", "temperature", "shift")
    torch.save({k: v.half() for k, v in reader.state_dict().items() if not k.startswith(heads)}, out_path)


def load_pretrained(reader, onnx_path):
    graph = onnx.load(onnx_path).graph
    tensors = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}

    def matrix_for_bias(bias_name):
        for node in graph.node:
            if node.op_type == "Add" and bias_name in node.input:
                other = [i for i in node.input if i != bias_name][0]
                matmul = producer[other]
                assert matmul.op_type == "MatMul", bias_name
                weight = [i for i in matmul.input if i in tensors][0]
                return tensors[weight].T  # [in, out] -> [out, in]
        raise KeyError(bias_name)

    def put(param, array):
        assert tuple(param.shape) == array.shape, (param.shape, array.shape)
        with torch.no_grad():
            param.copy_(torch.from_numpy(np.ascontiguousarray(array)))

    put(reader.word_embeddings.weight, tensors["embeddings.word_embeddings.weight"])
    put(reader.position_embeddings.weight, tensors["embeddings.position_embeddings.weight"])
    put(reader.token_type_embeddings.weight, tensors["embeddings.token_type_embeddings.weight"])
    put(reader.embedding_norm.weight, tensors["embeddings.LayerNorm.weight"])
    put(reader.embedding_norm.bias, tensors["embeddings.LayerNorm.bias"])
    for i, layer in enumerate(reader.layers):
        p = f"encoder.layer.{i}."
        linear = {
            layer.query: "attention.self.query", layer.key: "attention.self.key", layer.value: "attention.self.value",
            layer.attention_output: "attention.output.dense", layer.intermediate: "intermediate.dense",
            layer.output: "output.dense",
        }
        for module, name in linear.items():
            put(module.bias, tensors[p + name + ".bias"])
            put(module.weight, matrix_for_bias(p + name + ".bias"))
        put(layer.attention_norm.weight, tensors[p + "attention.output.LayerNorm.weight"])
        put(layer.attention_norm.bias, tensors[p + "attention.output.LayerNorm.bias"])
        put(layer.output_norm.weight, tensors[p + "output.LayerNorm.weight"])
        put(layer.output_norm.bias, tensors[p + "output.LayerNorm.bias"])

