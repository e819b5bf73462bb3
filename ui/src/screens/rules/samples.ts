// The sample prompts of the live test: one per kind of request people send most.
export const SAMPLES: { label: string; prompt: string }[] = [
  {
    label: 'Code',
    prompt: 'Fix this Python function, it crashes on an empty list:\n```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```',
  },
  { label: 'Math', prompt: 'Prove that the square root of 2 is irrational.' },
  { label: 'Translation', prompt: 'Translate into French: "The meeting is moved to Thursday at 10."' },
  {
    label: 'Summary',
    prompt:
      'Summarize in three bullet points: Our Q3 revenue grew 12% on strong subscription sales, while hardware declined 4%. We hired 40 engineers and opened an office in Lisbon. Churn fell to 2.1%.',
  },
  { label: 'Chat', prompt: 'Hi! Any ideas for a relaxed Sunday afternoon?' },
];
