#!/usr/bin/env python3
"""Builds the quality sets of exam questions and grade-school word problems
(`eval/quality-exam-*.jsonl`, `eval/quality-gsmtrain-*.jsonl`) from snapshots of public
repositories. See eval/README.md for each source, its licence and the commit read.

    python3 eval/src/quality_sets.py MMLU_PRO GRADE_SCHOOL_MATH

Each argument is a checkout of the repository or its bare git directory (read at HEAD). The
output is deterministic: rows are sampled with a fixed seed and each row goes to the tune or the
check part by a hash of its prompt (the same rule as public_sets.py).

- exam: multiple-choice questions of MMLU-Pro (TIGER-AI-Lab/MMLU-Pro) with the per-question
  answers its authors published for a strong model (Gemini 1.5 Pro 002) and a weak one
  (Mixtral-8x7B-Instruct, RouteLLM's weak model), 5-shot chain of thought: `strong` and `weak`
  are 1 when the model's answer is right, else 0. Only the questions MMLU-Pro took from STEM
  sources of its own (STEMEZ, TheoremQA, SciBench) are kept: the ones it took from MMLU
  (`src` "ori_mmlu-…") may be MMLU test questions, a held-out set this repository never uses.
  The options are written in one of three common styles ("A. x", "(A) x", "A) x"), chosen by
  the hash of the question, so no score can lean on one style.
- gsmtrain: word problems of GSM8K's *train* split (openai/grade-school-math; never the test
  split). No model outcomes exist for them; each worked solution's number of calculation steps
  (its `<<a*b=c>>` annotations, or its lines when it has none) is the difficulty label: `strong` is 9 and `weak` 9 minus the
  steps (a weak model loses more the more steps a problem takes), like quality-authored's levels.
"""
import ast
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile

# The same tune/check split and file writing as the task sets.
from public_sets import part, write

SEED = 12
EXAM_ROWS = 2400
GSM_ROWS = 1600
STRONG = "gemini-1.5-pro-002"
WEAK = "Mixtral-8x7B-Instruct-v0.1"
# MMLU-Pro's own sources; "ori_mmlu-*" rows are left out (see the docstring).
EXAM_SOURCES = ("stemez-", "theoremQA-", "scibench-")
LETTERS = "ABCDEFGHIJ"


def read_bytes(repo, path):
    plain = os.path.join(repo, path)
    if os.path.isfile(plain):
        with open(plain, "rb") as f:
            return f.read()
    return subprocess.run(
        ["git", f"--git-dir={repo}", "show", f"HEAD:{path}"],
        check=True,
        capture_output=True,
    ).stdout


def digest(text):
    return hashlib.sha256(text.encode()).digest()


def outputs(repo, model):
    path = f"eval_results/model_outputs_{model}_5shots.zip"
    with zipfile.ZipFile(io.BytesIO(read_bytes(repo, path))) as z:
        (name,) = z.namelist()
        return {r["question_id"]: r for r in json.loads(z.read(name))}


def exam_prompt(question, options):
    style = digest(question)[1] % 3
    lines = [question.strip()]
    for letter, option in zip(LETTERS, options):
        option = str(option).strip()
        if style == 0:
            lines.append(f"{letter}. {option}")
        elif style == 1:
            lines.append(f"({letter}) {option}")
        else:
            lines.append(f"{letter}) {option}")
    return "\n".join(lines)


def exam_rows(repo):
    strong, weak = outputs(repo, STRONG), outputs(repo, WEAK)
    rows = []
    for qid in sorted(strong.keys() & weak.keys(), key=int):
        s, w = strong[qid], weak[qid]
        if not s["src"].startswith(EXAM_SOURCES):
            continue
        options = s["options"]
        if isinstance(options, str):
            options = ast.literal_eval(options)
        rows.append({
            "id": f"mmlupro-{qid}",
            "prompt": exam_prompt(s["question"], options),
            "source": f"{s['src'].split('-')[0]}-{s['category']}",
            "strong": 1.0 if s["pred"] == s["answer"] else 0.0,
            "weak": 1.0 if w["pred"] == w["answer"] else 0.0,
        })
    return sorted(random.Random(SEED).sample(rows, EXAM_ROWS), key=lambda r: int(r["id"][8:]))


def gsm_rows(repo):
    text = read_bytes(repo, "grade_school_math/data/train.jsonl").decode("utf-8")
    data = [json.loads(l) for l in text.splitlines() if l.strip()]
    rows = []
    for i, r in sorted(random.Random(SEED).sample(list(enumerate(data)), GSM_ROWS)):
        solution = r["answer"].split("####")[0]
        # A solution without calculator annotations counts its lines instead.
        steps = len(re.findall(r"<<[^>]*>>", solution)) or len(solution.strip().splitlines())
        rows.append({
            "id": f"gsmtrain-{i}",
            "prompt": r["question"].strip(),
            "steps": steps,
            "strong": 9.0,
            "weak": float(9 - min(steps, 9)),
        })
    return rows


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    mmlu_pro, gsm = sys.argv[1:]
    for name, rows in (("exam", exam_rows(mmlu_pro)), ("gsmtrain", gsm_rows(gsm))):
        for p in ("tune", "check"):
            write(f"quality-{name}-{p}.jsonl", [r for r in rows if part(r["prompt"]) == p])


if __name__ == "__main__":
    main()
