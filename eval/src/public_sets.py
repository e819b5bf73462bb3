#!/usr/bin/env python3
"""Builds the public development sets (`eval/tasks-public-*.jsonl`, `eval/quality-alpaca-*.jsonl`)
from snapshots of public repositories. See eval/README.md for each source, its licence and the
commit read.

    python3 eval/src/public_sets.py ARENA SELF_INSTRUCT SVAMP AQUA ALPACA_EVAL

Each argument is a checkout of the repository or its bare git directory (read at HEAD). The
output is deterministic: rows are sampled with a fixed seed, and each row goes to the tune or
the check part by a hash of its prompt, so adding a source does not reshuffle the others.

The task labels are ours: arena-hard-auto and Self-Instruct rows were labelled by hand (the
tables below, by row number), SVAMP and AQuA are math by construction. `accept` lists every task
a good detector may return, as in tasks-dev.jsonl; rows whose ask is unclear are left out.
"""
import hashlib
import json
import os
import random
import subprocess
import sys

# Label codes → accepted tasks.
CODES = {
    "K": ["code"],
    "KA": ["code", "analysis"],
    "M": ["math"],
    "MR": ["math", "reasoning"],
    "R": ["reasoning"],
    "RM": ["reasoning", "math"],
    "C": ["analysis", "writing"],
    "CR": ["analysis", "writing", "reasoning"],
    "A": ["analysis", "reasoning"],
    "W": ["writing"],
    "WR": ["writing", "reasoning"],
    "WS": ["writing", "summarization"],
    "G": ["writing", "formatting"],
    "F": ["formatting", "writing"],
    "FK": ["formatting", "code"],
    "L": ["classification"],
    "LA": ["classification", "analysis"],
    "LE": ["classification", "extraction", "analysis"],
    "E": ["extraction"],
    "EF": ["extraction", "formatting", "summarization"],
    "S": ["summarization"],
    "SW": ["summarization", "writing"],
    "T": ["translation"],
    "KL": ["code", "classification"],
    "V": ["classification", "reasoning", "analysis"],
}

# arena-hard-auto v0.1 question.jsonl, by line number (0-based). Rows not listed were not
# labelled (unclear asks, or not reviewed).
ARENA = (
    "1K 2C 4KA 5KA 6C 7C 8KA 9K 10K 11K 12MR 13M 14W 15C 16MR 17M 18K 19K 20K 21K 22K 23K 24K "
    "25K 26C 27C 28K 29K 30K 31KA 32C 33C 34K 35KA 36K 37K 38K 40K 41C 42K 43K 45W 46C 48K 49K "
    "50KA 51LE 52K 53K 54W 55K 56K 57C 58C 59K 60K 61K 62MR 63M 64K 65K 66K 68W 69WS 70K 71K "
    "72K 73K 74K 75K 76K 77K 78K 80K 81K 82KA 83K 84K 85K 86K 87K 88KA 89K 90K 91K 92C 93W 94K "
    "95K 96K 97CR 98K 99KA 100K 101K 102KA 103C 104MR 105K 106K 107K 110K 111K 112C 113C 114K "
    "115C 116K 117K 119C 121K 122C 129C 135R 210K 247W 259T 270C 319CR "
    "377KA 378K 379K 380M 381M 382K 383W 385K 386K 387K 388K 389K 390CR 391R 392K 393K 394K "
    "395K 396K 397K 398W 399W 400K 401K 402K 403K 404KA 405KA 406K 407M 408K 409K 410W 411K "
    "412A 413W 414W 415K 416K 417KA 418K 419K 420K 421K 422MR 423WR 424K 425KA 426RM 427M 428C "
    "429LA 430C 431K 432K 433K 434K 435K 436K 437K 438K 439K 440K 441KA 442K 443K 445M 446L 447K "
    "448K 449K 450C 451C 452K 453C 454K 455K 456W 458K 459A 460K 461K 462W 463M 464K 465K 467MR "
    "468K 469M 470K 471KA 472MR 473W 474K 475K 476K 477K 478K 479K 481C 482K 483K 484K 485W 486K "
    "487K 488C 489K 490K 491K 492W 494K 495K 496K 497K 498K 499K"
)

# Self-Instruct's 252 user-oriented instructions (human_eval/user_oriented_instructions.jsonl),
# by row number; the prompt is the instruction and its first instance's input.
SELF_INSTRUCT = (
    "0G 1LA 2G 3F 4W 5W 6G 7W 9W 10C 12K 13K 14K 17C 18C 19M 21W 22W 24W 25W 26C 28E 29W 30C "
    "32W 33W 34C 35C 36L 37C 38K 39K 40K 42C 43C 44C 45C 46C 47C 48C 49W 51C 52F 53W 54W 55W "
    "56W 57W 58W 59W 60W 61W 62W 63C 64W 65W 66W 67W 68W 70C 71C 72W 73W 74W 75W 76W 77KA 78K "
    "79W 81S 82LA 83C 84C 85C 86W 87C 88C 91L 92K 93K 94C 96K 98S 99W 100T 101C 103W 104C 105C "
    "106C 107W 108C 110C 111C 112C 113C 115C 116C 117C 118C 119C 120C 121F 122F 123W 126C 128C "
    "129C 130C 131C 132C 134RM 135W 136C 137C 138C 139L 140M 141MR 142R 144M 147W 148C 149M 151W "
    "152C 153W 154W 155W 156G 157E 158L 159S 160S 161G 162E 163L 164L 165L 166L 167W 168C 169W "
    "171C 172C 177C 178FK 179E 180C 181S 183L 184L 186W 187G 188F 189W 190K 191EF 192C 193G 194L "
    "195K 197L 198C 199SW 201W 202S 203C 204W 205K 206W 207W 208W 209C 210K 211W 212E 213C 214C "
    "215C 216F 218W 219W 220G 221CR 222C 223W 225L 226K 227K 228C 229C 230W 231K 232L 233C 234L "
    "235L 236G 237C 238L 239C 240G 241C 242K 243KL 244LA 245C 246W 247E 248W 249W 251C"
)

# Self-Instruct's 175 seed tasks (data/seed_tasks.jsonl), by row number, read the same way.
SEED_TASKS = (
    "0C 1A 2W 3C 4W 5C 6W 7C 8W 9C 10C 11C 12C 14W 15R 16C 17W 18W 19C 20W 21W 23C 24W 25M "
    "26E 27C 28K 29W 30C 31K 32C 33W 34C 35M 36C 37K 38C 39E 40W 41K 42G 43G 44W 45M 46W 47W "
    "48C 49W 50K 51G 52C 54C 55W 56W 57W 58M 59W 60C 62S 63W 64S 65W 66W 67E 68W 69K 70C 71C "
    "72K 73C 74W 75W 76W 77W 79W 80W 81C 82C 83M 84W 85E 86W 87W 88C 89W 90W 92V 93W 94A 95C "
    "96W 97G 98G 99C 100W 101T 102C 103C 104C 105W 107C 108W 109M 110M 111C 112W 113W 115C "
    "116C 117T 118C 119W 120C 122A 123W 124W 125C 126G 127C 129W 130C 131C 133C 136M 137S 138K "
    "139K 140K 141K 142C 143C 144M 145W 148L 149LA 150L 151L 152L 154L 155R 156L 157L 158KL 159L "
    "160V 164MR 165L 166L 167V 168L 169L 171L 172L 173L 174V"
)

SVAMP_ROWS = 70
AQUA_ROWS = 50
# arena-hard is mostly programming: keep every labelled row of other kinds and this many code rows.
ARENA_CODE_ROWS = 70
SEED = 12


def read(repo, path):
    plain = os.path.join(repo, path)
    if os.path.isfile(plain):
        with open(plain, encoding="utf-8") as f:
            return f.read()
    return subprocess.run(
        ["git", f"--git-dir={repo}", "show", f"HEAD:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def labels(table):
    out = {}
    for item in table.split():
        digits = "".join(c for c in item if c.isdigit())
        out[int(digits)] = CODES[item[len(digits):]]
    return out


def part(prompt):
    """tune or check, by a hash of the prompt: about half each, stable across runs."""
    return "check" if hashlib.sha256(prompt.encode()).digest()[0] % 2 else "tune"


def arena_rows(repo):
    lines = read(repo, "data/arena-hard-v0.1/question.jsonl").splitlines()
    table = labels(ARENA)
    rows = []
    for i, accept in sorted(table.items()):
        q = json.loads(lines[i])
        rows.append({
            "id": f"arena-{q['question_id'][:8]}",
            "prompt": q["turns"][0]["content"],
            "category": "arena-" + accept[0],
            "accept": accept,
        })
    code = [r for r in rows if r["accept"] == ["code"]]
    other = [r for r in rows if r["accept"] != ["code"]]
    keep = random.Random(SEED).sample(code, ARENA_CODE_ROWS)
    return other + keep


def self_instruct_rows(repo):
    return instruction_rows(
        repo, "human_eval/user_oriented_instructions.jsonl", SELF_INSTRUCT, "selfinstruct"
    ) + instruction_rows(repo, "data/seed_tasks.jsonl", SEED_TASKS, "seedtask")


def instruction_rows(repo, path, labelled, name):
    lines = read(repo, path).splitlines()
    table = labels(labelled)
    rows = []
    for i, accept in sorted(table.items()):
        r = json.loads(lines[i])
        prompt = r["instruction"].strip()
        given = (r.get("instances") or [{}])[0].get("input", "").strip()
        if given:
            prompt += "\n\n" + given
        rows.append({
            "id": f"{name}-{i}",
            "prompt": prompt,
            "category": f"{name}-{accept[0]}",
            "accept": accept,
        })
    return rows


def svamp_rows(repo):
    data = json.loads(read(repo, "SVAMP.json"))
    rows = []
    for r in random.Random(SEED).sample(data, SVAMP_ROWS):
        body = r["Body"].strip()
        if not body.endswith((".", "?", "!")):
            body += "."
        rows.append({
            "id": f"svamp-{r['ID']}",
            "prompt": f"{body} {r['Question'].strip()}",
            "category": "svamp-math",
            "accept": ["math"],
        })
    return rows


def aqua_rows(repo):
    data = [json.loads(l) for l in read(repo, "test.json").splitlines() if l.strip()]
    rows = []
    for i, r in sorted(random.Random(SEED).sample(list(enumerate(data)), AQUA_ROWS)):
        options = "\n".join(r["options"])
        rows.append({
            "id": f"aqua-test-{i}",
            "prompt": f"{r['question'].strip()}\nOptions:\n{options}",
            "category": "aqua-math",
            "accept": ["math"],
        })
    return rows


# AlpacaEval's weighted GPT-4-turbo annotator: `preference` is 1 + the probability that the
# model's answer beats the reference (GPT-4-turbo's). Judge score = 10 × that probability.
STRONG = "claude-2"
WEAK = "vicuna-7b-v1.5"


def alpaca_rows(repo):
    def scores(model):
        path = f"results/{model}/weighted_alpaca_eval_gpt4_turbo/annotations.json"
        return {a["instruction"]: a for a in json.loads(read(repo, path))}

    strong, weak = scores(STRONG), scores(WEAK)
    rows = []
    for n, (instruction, s) in enumerate(strong.items()):
        w = weak.get(instruction)
        if w is None or s["preference"] is None or w["preference"] is None:
            continue
        rows.append({
            "id": f"alpaca-{n}",
            "prompt": instruction,
            "source": s["dataset"],
            "strong": round(10 * (float(s["preference"]) - 1), 3),
            "weak": round(10 * (float(w["preference"]) - 1), 3),
        })
    return rows


def write(name, rows):
    path = os.path.join(os.path.dirname(__file__), "..", name)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} rows", file=sys.stderr)


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    arena, self_instruct, svamp, aqua, alpaca = sys.argv[1:]
    tasks = arena_rows(arena) + self_instruct_rows(self_instruct) + svamp_rows(svamp) + aqua_rows(aqua)
    for p in ("tune", "check"):
        write(f"tasks-public-{p}.jsonl", [r for r in tasks if part(r["prompt"]) == p])
    quality = alpaca_rows(alpaca)
    for p in ("tune", "check"):
        write(f"quality-alpaca-{p}.jsonl", [r for r in quality if part(r["prompt"]) == p])


if __name__ == "__main__":
    main()
