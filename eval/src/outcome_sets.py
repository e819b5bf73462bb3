#!/usr/bin/env python3
"""Builds the quality sets with real outcomes of a strong and a weak model on the same questions
(`eval/quality-arc-*.jsonl`, `eval/quality-winogrande-*.jsonl`, `eval/quality-mwp-*.jsonl`)
from snapshots of public repositories. See eval/README.md for each source, its licence and the
commit read.

    python3 eval/src/outcome_sets.py ROUTERDC FAITHFUL_COT ROUTERARENA

Each argument is a checkout of the repository or its bare git directory (read at HEAD). The
output is deterministic; each row goes to the tune or the check part by a hash of its prompt
(the same rule as public_sets.py).

- arc, winogrande: ARC-Challenge science questions and Winogrande sentences with a blank, as
  RouterBench asked them of eleven models (zero-shot files of shuhao02/RouterDC, which copies
  RouterBench's per-question results): `strong` is GPT-4-1106-preview's outcome, `weak` is
  Mixtral-8x7B-chat's (RouteLLM's pair of models), 1 when right, else 0. RouterBench's prompts
  put a few solved examples before the question; only the question and its lettered options are
  kept, as a person would ask it (the examples and the "Print only a single choice" line are
  the benchmark's harness).
- mwp: grade-school word problems of ASDiv, SVAMP and MultiArith with the chain-of-thought
  answers Faithful-CoT's authors published for GPT-4 (`strong`) and GPT-3.5-turbo (`weak`):
  1 when the final number equals the reference answer, else 0. Problems whose reference answer
  is not one number are left out.
- routerarena: questions of some forty benchmarks (trivia, medicine, law, history, music
  theory, reading comprehension, programming contests, translation, ethics) with the scores
  RouterArena's authors published for Gemini 2.0 Flash (`strong`) and Claude 3 Haiku (`weak`):
  1/0 for a right or wrong answer, a METEOR score between 0 and 1 for translation and
  free-text answers. The harness's instruction line, its "Context: None" and "Question:"
  labels and its closing answer-format paragraph are cut; an instruction that is the ask
  itself ("Translate the following sentence from English to German.") is kept. Questions of
  MMLU, GSM8K and MATH are left out (those benchmarks' test splits are held out).
"""
import ast
import csv
import io
import json
import re
import sys
from fractions import Fraction

# The same tune/check split, file writing and reading of a checkout or bare git directory.
from public_sets import part, read as read_text, write

STRONG = "gpt-4-1106-preview"
WEAK = "mistralai/mixtral-8x7b-chat"
HARNESS_LINES = ("Print only a single choice", "Please answer with the letter", "Answer:")
MWP_SETS = ("ASDiv", "SVAMP", "MultiArith")
ARENA_STRONG = "gemini-2.0-flash-001"
ARENA_WEAK = "claude-3-haiku-20240307"
# RouterArena's harness: the instruction its multiple-choice, math and short-answer prompts
# open with, and the paragraph that closes them with the answer's format.
ARENA_OPENINGS = ("Please read the following", "Please solve the following")
ARENA_CLOSINGS = ("Provide the correct", "Provide your final")
ARENA_HELD_OUT = ("MMLU_", "GSM8K_", "MATH_")


def last_question(prompt):
    """The question RouterBench asked, without the solved examples before it and the harness's
    instruction lines."""
    value = ast.literal_eval(prompt)
    text = value[0] if isinstance(value, list) else value
    block = text.strip().split("\n\n")[-1]
    lines = []
    for line in block.splitlines():
        # "… without explanation. Answer:" ends some option lists on the same line.
        for marker in HARNESS_LINES:
            at = line.find(marker)
            if at >= 0:
                line = line[:at]
        if line.strip():
            lines.append(line.rstrip())
    return "\n".join(lines)


def routerbench_rows(repo, name, files):
    csv.field_size_limit(1 << 30)
    rows, seen = [], set()
    for path in files:
        for r in csv.DictReader(io.StringIO(read_text(repo, path))):
            # A few rows have no outcome for one of the two models.
            if r["sample_id"] in seen or not r[STRONG] or not r[WEAK]:
                continue
            seen.add(r["sample_id"])
            prompt = last_question(r["prompt"])
            rows.append({
                "id": f"{name}-{r['sample_id'].split('.')[-1]}",
                "prompt": prompt,
                "strong": float(r[STRONG]),
                "weak": float(r[WEAK]),
            })
    return sorted(rows, key=lambda r: r["id"])


def number(text):
    """The number a reference or a model's answer states ("#### 51", "$1,200", "3/4"; for an
    answer written as a sentence, its last number: "… 11 - 7 = 4 crickets."), or None."""
    t = str(text).replace("####", "").replace("$", "").replace(",", "").strip().rstrip(".")
    try:
        return Fraction(t)
    except (ValueError, ZeroDivisionError):
        pass
    found = re.findall(r"-?\d+(?:\.\d+)?(?:/\d+)?", t)
    try:
        return Fraction(found[-1]) if found else None
    except (ValueError, ZeroDivisionError):
        return None


def mwp_rows(repo):
    rows = []
    for name in MWP_SETS:
        data = [json.loads(l) for l in read_text(repo, f"data/{name}/test.jsonl").splitlines() if l.strip()]
        outcome = {}
        for model in ("gpt4", "gpt-3.5-turbo"):
            path = f"output_dir/{name}/test/{model}_COT/predictions.jsonl"
            preds = [json.loads(l) for l in read_text(repo, path).splitlines() if l.strip()]
            outcome[model] = {p["id"]: number(p["answer"]) for p in preds}
        for r in data:
            gold = number(r["answer"]) if isinstance(r["answer"], str) else None
            if gold is None or r["id"] not in outcome["gpt4"] or r["id"] not in outcome["gpt-3.5-turbo"]:
                continue
            rows.append({
                "id": f"{name.lower()}-{r['id']}",
                "prompt": r["question"].strip(),
                "strong": 1.0 if outcome["gpt4"][r["id"]] == gold else 0.0,
                "weak": 1.0 if outcome["gpt-3.5-turbo"][r["id"]] == gold else 0.0,
            })
    return rows


def arena_question(prompt):
    """The question as a person would ask it, without RouterArena's harness."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", prompt.strip())]
    if paragraphs and paragraphs[0].startswith(ARENA_OPENINGS):
        paragraphs = paragraphs[1:]
    if paragraphs and paragraphs[-1].startswith(ARENA_CLOSINGS):
        paragraphs = paragraphs[:-1]
    kept = [re.sub(r"^(Context|Question):\s*", "", p) for p in paragraphs if p != "Context: None"]
    return "\n\n".join(kept)


def routerarena_rows(repo):
    results = {}
    for model in (ARENA_STRONG, ARENA_WEAK):
        lines = read_text(repo, f"cached_results/{model}.jsonl").splitlines()
        results[model] = {r["global_index"]: r for r in map(json.loads, filter(str.strip, lines))}
    rows = []
    for key, weak in sorted(results[ARENA_WEAK].items()):
        strong = results[ARENA_STRONG].get(key)
        if key.startswith(ARENA_HELD_OUT) or not strong or not (weak["success"] and strong["success"]):
            continue
        rows.append({
            "id": f"routerarena-{key}",
            "prompt": arena_question(weak["question"]),
            "strong": float(strong["evaluation_result"]["score"]),
            "weak": float(weak["evaluation_result"]["score"]),
        })
    return rows


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    routerdc, faithful, routerarena = sys.argv[1:]
    zs = "datasets/routerbench_zs"
    sets = (
        ("arc", routerbench_rows(routerdc, "arc", [f"{zs}/arc_challenge_train.csv", f"{zs}/arc_challenge_test.csv"])),
        ("winogrande", routerbench_rows(routerdc, "winogrande", [f"{zs}/winograde_train.csv", f"{zs}/winograde_test.csv"])),
        ("mwp", mwp_rows(faithful)),
        ("routerarena", routerarena_rows(routerarena)),
    )
    for name, rows in sets:
        for p in ("tune", "check"):
            write(f"quality-{name}-{p}.jsonl", [r for r in rows if part(r["prompt"]) == p])


if __name__ == "__main__":
    main()
