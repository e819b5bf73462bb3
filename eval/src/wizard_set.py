#!/usr/bin/env python3
"""Builds `eval/tasks-wizard.jsonl` from WizardLM's Evol-Instruct test set
(`WizardLM/data/WizardLM_testset.jsonl`), see eval/README.md for the source and its licence.

    python3 eval/src/wizard_set.py WIZARDLM > eval/tasks-wizard.jsonl

WIZARDLM is a checkout of the repository or its bare git directory (read at HEAD). Each row's
`accept` follows from its own `Skill` alone (the table below); skills that name no task
(Complex Format, Computer Science, Toxicity: their rows are code, word problems and questions
alike) are left out.
"""
import json
import subprocess
import sys

KNOWLEDGE = ["analysis", "writing", "reasoning"]
SKILLS = {
    "Math": ["math", "reasoning"],
    "Code Generation": ["code"],
    "Code Debug": ["code"],
    "Writting": ["writing"],
    "Academic Writing": ["writing"],
    "Roleplay": ["writing"],
    "Multilingual": ["translation", "writing"],
    "Reasoning": ["reasoning", "math"],
    "Counterfactual": KNOWLEDGE,
    "Common-Sense": KNOWLEDGE,
    **{
        skill: KNOWLEDGE
        for skill in [
            "Biology", "Technology", "Ethics", "Sport", "Law", "Medicine", "Literature",
            "Entertainment", "Art", "Music", "Economy", "Physics", "History", "Chemistry",
            "Philosophy", "TruthfulQA",
        ]
    },
}


def main(repo):
    text = subprocess.run(
        ["git", "-C", repo, "show", "HEAD:WizardLM/data/WizardLM_testset.jsonl"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for line in text.splitlines():
        row = json.loads(line)
        accept = SKILLS.get(row["Skill"])
        if accept is None:
            continue
        print(json.dumps({
            "id": f"wizard-{row['idx']}",
            "prompt": row["Instruction"],
            "category": "wizard-" + row["Skill"].lower().replace(" ", "-"),
            "accept": accept,
        }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
