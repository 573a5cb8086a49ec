"""Runs `newsbot eval --json` over every set engine_eval_split.py wrote and prints the pooled metrics
(support, first-citation accuracy, refusal) with 95 % intervals, so that engine changes are judged on
hundreds of held-out questions rather than the public sets' few dozen.
Usage: engine_eval.py SETS_FOLDER [--config KEY=VALUE ...] [--out per-question.jsonl] [--candidates read-candidates.jsonl]"""
import argparse
import json
import math
import os
import subprocess
import sys


def interval(k, n):
    """Wilson score interval."""
    if n == 0:
        return 0.0, 0.0
    z, p = 1.96, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sets")
    ap.add_argument("--config", action="append", default=[], help="a setting, e.g. Answering:Reader:Enabled=false (passed as NEWSBOT__ variables)")
    ap.add_argument("--out")
    ap.add_argument("--candidates", help="also write each question's read candidates and their features here (eval --candidates), for fuse.py")
    args = ap.parse_args()
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    environment = dict(os.environ)
    for setting in args.config:
        key, _, value = setting.partition("=")
        environment["NEWSBOT__" + key.replace(":", "__")] = value
    build = subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", os.path.join(repo, "src", "NewsBot")],
                           capture_output=True, text=True, cwd=repo)
    if build.returncode != 0:
        sys.exit(f"build failed: {build.stdout.strip()[-1000:]}")
    if args.candidates and os.path.exists(args.candidates):
        os.remove(args.candidates)  # the eval command appends, set after set
    rows = []
    for name in sorted(os.listdir(args.sets)):
        folder = os.path.join(args.sets, name)
        command = ["dotnet", "run", "--no-build", "-c", "Release", "--project", os.path.join(repo, "src", "NewsBot"), "--",
                   "eval", "--dataset", folder, "--json"] + (["--candidates", os.path.abspath(args.candidates)] if args.candidates else [])
        result = subprocess.run(command, capture_output=True, text=True, cwd=repo, env=environment)
        if result.returncode != 0:
            sys.exit(f"{name}: exit {result.returncode}: {result.stderr.strip()[-500:]}")
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        rows += [dict(r, set=name) for r in lines if "id" in r]
        print(f"{name}: {lines[-1]['Support']:.3f} support, {lines[-1]['RefusalAccuracy']:.3f} refusal", file=sys.stderr, flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    for label, group, key in [("support", answerable, "supported"), ("first citation", answerable, "firstCitationCorrect"),
                              ("refusal", unanswerable, "refused")]:
        k = sum(r[key] for r in group)
        low, high = interval(k, len(group))
        print(f"{label}: {k}/{len(group)} = {k / max(len(group), 1):.1%} (95% {low:.1%}–{high:.1%})")


if __name__ == "__main__":
    main()
