"""Rebuilds a training checkpoint from pack.py's parts and the base weights: the word-embedding table from base.pt or
base.onnx, every other weight back in fp32. The result loads in export.py, calibrate.py and model_card.py.
Usage: unpack.py BASE_FOLDER OUT_CHECKPOINT PART [PART ...]"""
import io
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import model  # noqa: E402

base, out, parts = sys.argv[1], sys.argv[2], sys.argv[3:]
packed = torch.load(io.BytesIO(b"".join(open(p, "rb").read() for p in sorted(parts))), map_location="cpu")
reader = model.Reader()
model.load_base(reader, base)
weights = {k: v.float() for k, v in packed["model"].items()}
weights["word_embeddings.weight"] = reader.word_embeddings.weight.detach().clone()
missing = set(reader.state_dict()) - set(weights)
if missing:
    sys.exit(f"unpack.py: the parts lack {sorted(missing)}")
reader.load_state_dict(weights)
args = dict(packed["args"], base=base)
torch.save({"model": reader.state_dict(), "args": args, "state": packed["state"]}, out)
print(f"{out}: {sum(v.numel() for v in weights.values()) / 1e6:.1f}M weights, {packed['state']['step']} steps, "
      f"{packed['state']['pairs']} pairs, {packed['state']['seconds'] / 60:.1f} training minutes on {args['device']}")
