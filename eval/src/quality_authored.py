"""Writes eval/quality-authored.jsonl: complexity rows written by Switchyard's developers.

Each prompt was composed for this file. `strong` and `weak` are NOT judge scores: they are the
authors' expectation, on the 1-10 scale of the MT-Bench judge, of how a strong model (GPT-4
class) and a weak one (a small open model) would answer: easy asks both answer well (9/9),
medium ones cost the weak model some points (9/7), hard ones (many steps, proofs, exacting
constraints) it often gets wrong (9/4). Lengths are deliberately mixed within each level so
that prompt length alone cannot sort them. Use it as a sanity check next to quality-dev.jsonl.
Run: python3 eval/src/quality_authored.py > eval/quality-authored.jsonl
"""
import json

LEVEL = {"easy": (9, 9), "medium": (9, 7), "hard": (9, 4)}

ROWS = [
# Word problems: the number of steps, not the words, makes them hard.
("easy", "Lena has 12 stickers and gives 5 to her brother. How many does she have left?"),
("easy", "A pencil costs 30 cents. How much do 4 pencils cost?"),
("easy", "My grandfather, who has lived on the same farm for over fifty years and still gets up before sunrise every single day to feed the chickens, the goats and the two old horses, collected 9 eggs on Monday and 7 on Tuesday. How many eggs did he collect in total?"),
("medium", "A school orders 14 boxes of markers with 24 markers each. After giving 8 markers to each of 35 students, how many markers are left?"),
("medium", "Jon earns $18 an hour and works 6 hours a day, 5 days a week. He saves a third of his pay. How much does he save in 4 weeks?"),
("hard", "A farmer sells 3/5 of his apples on Monday, then 1/4 of the rest on Tuesday, and has 45 left. A third of the apples sold on Monday were bruised and sold at half price ($0.40 instead of $0.80). How much money did he make on Monday?"),
("hard", "Mia is 4 years older than twice Leo's age. In 5 years the sum of their ages will be 3 times Leo's age now plus 10. How old is Mia?"),
("hard", "A store raises a price by 20%, then runs a sale of 15% off, then adds 8% tax. A customer pays $66.10. What was the original price, to the cent?"),
("medium", "A car uses 6.5 litres of fuel per 100 km. Fuel costs $1.80 per litre. What does a 340 km trip cost?"),
# Short answers and facts.
("easy", "What is the capital of Canada?"),
("easy", "How many legs does a spider have?"),
("easy", "Translate 'good night' into Spanish."),
("easy", "Give me a synonym for 'happy'."),
("easy", "Write a two-line birthday message for my coworker Dana."),
("easy", "Convert this to uppercase: the quick brown fox."),
("easy", "Is a tomato a fruit or a vegetable? Answer in one word."),
("easy", "Summarize in one sentence: The library will close early on Friday for staff training and reopen on Saturday at 9."),
# Multiple choice.
("easy", "Which planet is closest to the Sun?\nA) Venus\nB) Mercury\nC) Mars\nD) Earth"),
("easy", "Which of these is a primary colour?\n(A) green (B) orange (C) blue (D) purple"),
("medium", "A gas is compressed to half its volume at constant temperature. What happens to its pressure?\nA) It halves\nB) It doubles\nC) It stays the same\nD) It quadruples"),
("hard", "Which of the following statements about the eigenvalues of a real symmetric matrix is NOT true?\nI. They are all real.\nII. Eigenvectors for distinct eigenvalues are orthogonal.\nIII. The matrix is always invertible.\nA) I only\nB) III only\nC) II and III\nD) I, II and III"),
("hard", "In a perfectly competitive market in long-run equilibrium, a per-unit tax is imposed on producers. Which of the following best describes the long-run effect on the number of firms, price and output per firm, assuming constant-cost industry?\nA) fewer firms, higher price, same output per firm\nB) same firms, higher price, lower output per firm\nC) fewer firms, same price, same output\nD) more firms, lower price, higher output"),
("medium", "Which amendment to the US Constitution abolished slavery?\nA) 13th\nB) 14th\nC) 15th\nD) 19th"),
# Code.
("easy", "Write a Python function that returns the larger of two numbers."),
("easy", "How do I print 'hello' in JavaScript?"),
("medium", "Write a Python function that groups a list of words into anagram sets and returns them sorted by set size."),
("hard", "Implement an LRU cache in Rust with O(1) get and put, generic over key and value types, without unsafe code, and explain how ownership is handled for the linked list."),
("hard", """Given n intervals [l_i, r_i] and q queries, each asking how many intervals contain point x, answer all queries.
Input: n and q (1 ≤ n, q ≤ 2·10^5), then the intervals (0 ≤ l_i ≤ r_i ≤ 10^9), then q points.
Output: q lines with the counts. Your solution must run in O((n + q) log n)."""),
("hard", "My async Rust service deadlocks under load when two tasks hold a tokio Mutex across an await and also call into a blocking database pool. Explain the likely cause and restructure the code to avoid it."),
("medium", "Why does my SQL query with GROUP BY customer_id return an error about a column not being in the group by clause?"),
("easy", "What does `git status` do?"),
# Reasoning and proofs.
("easy", "If all cats are animals and Tom is a cat, is Tom an animal?"),
("hard", "Prove that there are infinitely many primes of the form 4k + 3."),
("hard", "Five people each make one statement, exactly two of them lie, and the liars' statements are about each other. A says B lies; B says C tells the truth; C says D lies; D says E lies; E says A tells the truth. Who are the liars? Show your reasoning."),
("medium", "A bat and a ball cost $1.10 together. The bat costs $1.00 more than the ball. How much does the ball cost? Explain."),
("hard", "Show that for every positive integer n, n^5 - n is divisible by 30."),
("medium", "Find the sum of the first 50 odd numbers."),
("hard", "Let $a, b, c > 0$ with $a + b + c = 3$. Find the minimum of $\\frac{a^2}{b} + \\frac{b^2}{c} + \\frac{c^2}{a}$ and prove it is attained."),
# Writing with many constraints vs simple writing.
("easy", "Write a short poem about autumn leaves."),
("easy", "Write a friendly reminder to my team that the meeting starts at 10."),
("medium", "Write a 200-word product description for a reusable water bottle aimed at hikers, mentioning weight, insulation and price."),
("hard", "Write a sonnet in strict iambic pentameter about a lighthouse, with the rhyme scheme ABAB CDCD EFEF GG, where the first letters of the lines spell LIGHTHOUSE KEEPS, and no line uses the letter 'z'."),
("hard", "Draft a data-processing agreement clause under GDPR Article 28 for a SaaS vendor that uses sub-processors in the US, covering transfer mechanisms, audit rights, breach notification within 48 hours, and deletion at contract end; keep it under 300 words."),
("medium", "Pretend you are a museum guide and describe the Mona Lisa to a group of teenagers."),
# Analysis.
("easy", "What is photosynthesis?"),
("medium", "Explain the difference between TCP and UDP and when to use each."),
("hard", "Compare the monetary policy responses of the Federal Reserve and the ECB to the 2021-2023 inflation surge, and assess which framework better balanced employment and price stability; cite the mechanisms involved."),
("hard", "Analyze how the Treaty of Westphalia shaped the modern concept of state sovereignty, and evaluate two criticisms of that view from international-relations scholarship."),
("medium", "What are the pros and cons of remote work for a small startup?"),
("easy", "Why is the sky blue? Keep it short."),
# Translation and transformation.
("easy", "Translate into German: Where is the bathroom?"),
("medium", "Translate this paragraph into French, keeping the formal register: We regret to inform you that your application could not be processed because the attached documents were incomplete. Please resubmit them by the end of the month."),
("hard", "Translate this legal clause into Japanese, keeping the defined terms consistent and explaining any term that has no exact equivalent: 'The Licensee shall indemnify the Licensor against all claims arising from the Licensee's negligent use of the Software.'"),
("easy", "Extract the email address from: contact us at help@example.com."),
("medium", "From the following meeting notes, extract every action item with its owner and due date as JSON: Ana will send the budget by Friday. Ben to review the contract next Tuesday. We agreed Chloe owns the launch plan, due end of month."),
]

for i, (level, prompt) in enumerate(ROWS, 1):
    strong, weak = LEVEL[level]
    print(json.dumps({"id": f"q{i}", "prompt": prompt, "level": level, "strong": strong, "weak": weak}, ensure_ascii=False))
