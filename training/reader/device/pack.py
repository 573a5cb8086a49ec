"""Shrinks a training checkpoint for the trip back from a device machine: the weights only, in fp16, without the word-
embedding table (frozen during training, so base.pt already holds it), plus the record the model card reads."""
import sys

import torch

saved = torch.load(sys.argv[1], map_location="cpu")
weights = {k: v.half() for k, v in saved["model"].items() if k != "word_embeddings.weight"}
torch.save({"model": weights, "args": saved["args"], "state": saved["state"]}, sys.argv[2])
