"""Writes eval/tasks-authored.jsonl: task-detection rows written by Switchyard's developers.

Every prompt here was composed for this file (none is copied from a public benchmark), to cover
the kinds of prompt the router meets: code in many languages and shapes (function stubs with
docstrings, programming-problem statements with input/output sections and limits, bug reports,
code translation), math word problems and notation, logic, writing and role-play, analysis,
translation, classification, extraction, summarization, formatting, and open chat.
Run: python3 eval/src/tasks_authored.py > eval/tasks-authored.jsonl
"""
import json

ROWS = [
# --- code: function stubs with docstrings, many languages --------------------------------
("code", ["code"], '''def count_evens(values: list[int]) -> int:
    """Return how many numbers in values are even.
    >>> count_evens([1, 2, 4, 7])
    2
    """'''),
("code", ["code"], '''from typing import List

def pairwise_gaps(xs: List[float]) -> List[float]:
    """ Given a sorted list of numbers, return the differences between neighbours.
    >>> pairwise_gaps([1.0, 2.5, 4.0])
    [1.5, 1.5]
    """'''),
("code", ["code"], '''def digit_product(n):
    """Given a positive integer n, return the product of its odd digits, or 0 if all digits are even.
    digit_product(235) == 15
    digit_product(4) == 0
    """'''),
("code", ["code"], '''def is_balanced(s: str) -> bool:
    """Check whether every opening bracket in s is closed in the right order."""'''),
("code", ["code"], '''def nth_triangular(n: int) -> int:
    """The sum of the integers from 1 to n, for n >= 0. Examples: nth_triangular(4) -> 10."""'''),
("code", ["code"], '''/**
 * Returns the largest sum of any contiguous run of numbers in the array.
 * maxRun([2, -1, 3]) === 4
 */
function maxRun(nums) {'''),
("code", ["code"], '''fn median(values: &mut [f64]) -> Option<f64> {
    // Return the median of the values, or None when the slice is empty.
    todo!()
}'''),
("code", ["code"], '''// Complete the function: it must return the number of primes below n.
func CountPrimes(n int) int {
}'''),
("code", ["code"], '''public static int gcd(int a, int b) {
    // TODO: return the greatest common divisor of a and b
}'''),
("code", ["code"], '''#include <vector>
// Return the k-th smallest element of v (1-based).
int kth_smallest(std::vector<int> v, int k) {'''),
("code", ["code"], "Write a function that takes a list of integers and returns the second largest distinct value, or None if there is none."),
("code", ["code"], "Write a Python program that reads numbers from a file, one per line, and prints their mean and standard deviation."),
("code", ["code"], "Implement a function to check whether a year is a leap year. Include tests for 1900, 2000 and 2024."),
("code", ["code"], "Create a JavaScript function that rounds a price to the nearest 5 cents."),
("code", ["code"], "Write a SQL query that returns, for each customer, the total of their orders in 2023, highest first."),
("code", ["code"], "Give me a bash one-liner that counts the lines of every .py file in a directory tree."),
("code", ["code"], "Translate this Python into Rust:\n\ndef squares(n):\n    return [i * i for i in range(n)]"),
("code", ["code"], "My React component re-renders forever when I call setState inside useEffect. Why, and how do I fix it?"),
("code", ["code"], "Why does this print 0.30000000000000004?\n\n>>> 0.1 + 0.2\n0.30000000000000004"),
("code", ["code"], "I get `TypeError: 'NoneType' object is not subscriptable` on line 12 when the API returns nothing. How should I guard against it?"),
("code", ["code"], "Write a regular expression that matches dates like 2024-03-15 but not 2024-13-40."),
("code", ["code"], "Refactor this to avoid the nested loops:\n\nfor a in xs:\n    for b in ys:\n        if a == b:\n            out.append(a)"),
# --- code: programming-problem statements ---------------------------------------------------
("code", ["code"], """A shop sells n boxes; box i holds a_i candies. You may take any number of consecutive boxes, but their total must not exceed k. Find the largest number of boxes you can take.

Input
The first line contains two integers n and k (1 ≤ n ≤ 2·10^5, 1 ≤ k ≤ 10^9).
The second line contains n integers a_1, …, a_n (1 ≤ a_i ≤ 10^4).

Output
Print one integer: the largest number of boxes.

Example
Input
5 7
2 3 1 4 2
Output
3"""),
("code", ["code"], """You are given t test cases. In each, there is a string s of lowercase letters. Count the pairs of equal adjacent letters.

Input Format
The first line holds t (1 <= t <= 1000). Each of the next t lines holds s (1 <= |s| <= 10^5).

Output Format
For each test case, print the count on its own line."""),
("code", ["code"], """Given an integer array nums and an integer target, return the number of pairs (i, j) with i < j and nums[i] + nums[j] == target.

Example 1:
Input: nums = [1,2,3,4,3], target = 6
Output: 2

Constraints:
2 <= nums.length <= 10^5
-10^9 <= nums[i] <= 10^9"""),
("code", ["code"], """There are N cities connected by M two-way roads, each with a length. Find the length of the shortest route from city 1 to city N, or -1 if there is none.
Constraints: 2 ≤ N ≤ 10^5, 1 ≤ M ≤ 2×10^5, 1 ≤ length ≤ 10^6.
Input is given from standard input. Print the answer."""),
("code", ["code"], "Given a binary tree, return the sum of the values of its deepest leaves. The number of nodes is between 1 and 10^4."),
("code", ["code"], """Petya has a sequence of n integers. In one move he can add 1 to any element. What is the minimum number of moves to make all elements pairwise distinct?
Input: the first line contains n (1 ≤ n ≤ 3000), the second the sequence.
Output: the minimum number of moves."""),
# --- math ------------------------------------------------------------------------------------
("math", ["math"], "A bakery sells muffins for $3 each and cookies for $1.25 each. Maria buys 4 muffins and 6 cookies and pays with a $20 bill. How much change does she get?"),
("math", ["math"], "Tom is twice as old as his sister. In 6 years the sum of their ages will be 42. How old is Tom now?"),
("math", ["math"], "A train leaves at 9:40 and travels 210 km at 70 km per hour. At what time does it arrive?"),
("math", ["math"], "A recipe needs 3/4 cup of sugar for 12 cookies. How much sugar is needed for 30 cookies?"),
("math", ["math"], "Sam reads 18 pages on Monday, twice as many on Tuesday, and 5 fewer than Tuesday on Wednesday. How many pages did he read in the three days?"),
("math", ["math"], "A jacket costs $80. It is discounted by 25%, then a further 10% is taken off the sale price. What is the final price?"),
("math", ["math"], "Solve for x: 3x - 7 = 2x + 5."),
("math", ["math"], "Find all real solutions of x^2 - 5x + 6 = 0."),
("math", ["math"], "What is the derivative of sin(x) * e^x?"),
("math", ["math"], "Evaluate $\\int_0^1 x^2 \\, dx$."),
("math", ["math"], "How many ways can 5 people be seated around a round table?"),
("math", ["math"], "Two dice are rolled. What is the probability that the sum is 8?"),
("math", ["math"], "Let $f(x) = 2x + 3$ and $g(x) = x^2$. Compute $f(g(2)) - g(f(1))$."),
("math", ["math"], "What is the remainder when 2^100 is divided by 7?"),
("math", ["math"], "The perimeter of a rectangle is 36 cm and its length is twice its width. Find its area."),
("math", ["math", "reasoning"], "Prove that the sum of two odd integers is even."),
("math", ["math"], "A tank fills in 6 hours with pipe A and in 4 hours with pipe B. How long does it take with both pipes open?"),
("math", ["math"], "What's 17% of 340?"),
# --- reasoning ---------------------------------------------------------------------------
("reasoning", ["reasoning"], "All the painters in the village are musicians. Some musicians are teachers. Can we conclude that some painters are teachers?"),
("reasoning", ["reasoning"], "Anna is taller than Ben. Ben is taller than Carl. Is Carl taller than Anna? Explain."),
("reasoning", ["reasoning"], "Three boxes are labelled apples, oranges and mixed, and every label is wrong. You may take one fruit from one box. How do you relabel them correctly?"),
("reasoning", ["reasoning"], "Which word does not belong: violin, cello, trumpet, viola?"),
("reasoning", ["reasoning"], "If it rains, the match is cancelled. The match was not cancelled. What follows?"),
("reasoning", ["reasoning", "analysis"], "A man pushes his car to a hotel and tells the owner he's bankrupt. What is going on? Think it through."),
# --- writing and role-play ------------------------------------------------------------------
("writing", ["writing"], "Write a short thank-you email to a colleague who covered my shift last weekend."),
("writing", ["writing"], "Compose a haiku about the first snow of the year."),
("writing", ["writing"], "Draft a cover letter for a junior data analyst position at a logistics company."),
("writing", ["writing"], "Write a 300-word story about a lighthouse keeper who finds a message in a bottle."),
("writing", ["writing"], "Pretend you are a medieval innkeeper and greet a weary traveller who just walked in from the storm."),
("writing", ["writing"], "Act as a personal fitness coach. I want to run 5 km in under 30 minutes by summer; what should I do?"),
("writing", ["writing"], "Imagine you are a tour guide in Rome. Describe the Colosseum to a group of ten-year-olds."),
("writing", ["writing"], "You are a grumpy pirate captain. Answer my question in character: what's the best way to store treasure?"),
("writing", ["writing"], "I want you to act as a job interviewer for a nurse position. Ask me the first question and wait for my answer."),
("writing", ["writing"], "Speak as Sherlock Holmes and explain how you deduced that I have just come back from a trip."),
("writing", ["writing"], "Role-play as a customer-service agent for an airline whose flight I missed."),
("writing", ["writing"], "Give me five catchy names for a bakery that specialises in sourdough."),
("writing", ["writing"], "Rewrite this sentence to sound more formal: hey, can u send me the file asap?"),
("writing", ["writing"], "Write a toast for my sister's wedding that is funny but not embarrassing."),
("writing", ["writing"], "Write a limerick about a cat who learns to code."),
# --- analysis and open questions --------------------------------------------------------------
("analysis", ["analysis"], "Compare the advantages and disadvantages of nuclear and wind power for a small country."),
("analysis", ["analysis"], "Why did the Roman Empire split into east and west?"),
("analysis", ["analysis"], "Explain how vaccines train the immune system."),
("analysis", ["analysis"], "What are the main causes of inflation, and how do central banks respond?"),
("analysis", ["analysis"], "How does a refrigerator move heat from inside to outside?"),
("analysis", ["analysis"], "Discuss the impact of social media on local journalism."),
("analysis", ["analysis"], "What is the difference between weather and climate?"),
("analysis", ["analysis", "writing"], "What should I consider when choosing between renting and buying a home?"),
("chat", ["analysis", "writing"], "Can you recommend a few good science fiction novels for a beginner?"),
("chat", ["analysis", "writing"], "How do I keep basil alive on a windowsill?"),
("chat", ["analysis", "writing"], "What's a good way to learn to cook as a busy student?"),
("chat", ["analysis", "writing"], "Is it better to stretch before or after a run?"),
("chat", ["analysis", "writing", "reasoning"], "Who would win in a race, a cheetah or a greyhound, over 5 km?"),
# --- translation ---------------------------------------------------------------------------
("translation", ["translation"], "Translate into French: The meeting has been moved to Thursday afternoon."),
("translation", ["translation"], "How do you say 'where is the train station' in Japanese?"),
("translation", ["translation"], "Please translate the following German text to English: Ich habe heute keine Zeit, aber morgen passt es mir gut."),
("translation", ["translation"], "Translate this from Spanish: No sé si podré llegar a tiempo, el tráfico está terrible."),
("translation", ["translation"], "Render this sentence in Italian: My grandmother grows tomatoes every summer."),
("translation", ["translation"], "Переведите на английский: Я люблю читать книги по вечерам."),
("translation", ["translation"], "What does 'Je ne regrette rien' mean in English?"),
("translation", ["translation"], "Translate to Portuguese: Thank you for your patience; your order ships tomorrow."),
("translation", ["translation"], "请把这句话翻译成英文：今天天气很好，我们去公园散步吧。"),
# --- classification ---------------------------------------------------------------------------
("classification", ["classification"], "Classify the sentiment of this review as positive, negative or neutral: 'The battery died after two days.'"),
("classification", ["classification"], "Is this email spam? 'Congratulations! You have won a free cruise, click here to claim.'"),
("classification", ["classification"], "Categorize these animals as mammals, birds or reptiles: dolphin, eagle, gecko, bat, penguin."),
("classification", ["classification"], "Label each support ticket with one of billing, bug, feature request: 1) I was charged twice. 2) The app crashes on login. 3) Please add dark mode."),
# --- extraction -----------------------------------------------------------------------------
("extraction", ["extraction"], "Extract every date and the event it belongs to from this text: The fair opens on 3 May; the parade is on 5 May and the fireworks on 7 May."),
("extraction", ["extraction"], "List all the people and companies mentioned: Sarah Lee left Orion Bank to join Helix Labs, where Tom Reyes is CEO."),
("extraction", ["extraction", "formatting"], "Pull out the product names and prices from this receipt as JSON: Milk 1.20, Bread 2.50, Coffee 6.99."),
("extraction", ["extraction"], "From the following paragraph, identify the email addresses and phone numbers: Contact anna@example.org or call 555-0134; for press, press@example.org."),
# --- summarization -----------------------------------------------------------------------
("summarization", ["summarization"], "Summarize in two sentences: The city council met on Tuesday to discuss the new bike lanes. Residents were split; shop owners feared losing parking, while parents welcomed safer routes to school. The council postponed the vote to next month."),
("summarization", ["summarization"], "TL;DR this: our sprint missed two stories because the staging server was down for three days; we moved them to next sprint and added monitoring."),
("summarization", ["summarization"], "Give me the key points of this memo: Starting in June, all expense reports must be filed within 30 days. Receipts over $25 must be attached. Late reports will be returned unpaid."),
# --- formatting ------------------------------------------------------------------------------
("formatting", ["formatting"], "Convert this list to a Markdown table with columns Name and Age: Ana 31, Ben 27, Chloe 45."),
("formatting", ["formatting"], "Reformat these names as 'Last, First', one per line: John Smith, Mary Jones, Li Wei."),
("formatting", ["formatting", "extraction"], "Turn this into YAML: name = server1, port = 8080, debug = true."),
("formatting", ["formatting"], "Sort these words in alphabetical order and capitalize each: pear, apple, mango, kiwi."),
# --- added later: open chat with numbers in it, asks written in the text's own language, judge-style
# --- problem statements, more role-play; composed for this file like the rows above
("chat", ["analysis", "writing"], "Hi! How are you doing today?"),
("chat", ["analysis", "writing"], "What's a good name for a golden retriever puppy?"),
("chat", ["analysis", "writing"], "Can you recommend three sci-fi novels for someone who loved Dune?"),
("chat", ["analysis", "writing"], "Why is the sky blue?"),
("chat", ["analysis", "writing"], "What should I pack for a 5-day hiking trip in the Alps in September?"),
("chat", ["analysis", "writing"], "Tell me a fun fact about octopuses."),
("chat", ["analysis", "writing"], "I have 3 eggs, 200g of flour and some milk. What can I cook for 2 people?"),
("chat", ["analysis", "writing"], "Is it better to rent or buy a house in 2024? Give me pros and cons."),
("code", ["code"], "Given an array of integers nums and an integer target, return indices of the two numbers such that they add up to target.\n\nExample 1:\nInput: nums = [2,7,11,15], target = 9\nOutput: [0,1]\n\nConstraints:\n2 <= nums.length <= 10^4\n-10^9 <= nums[i] <= 10^9"),
("code", ["code"], "You are given n integers a1, a2, ..., an. Find the maximum sum of a contiguous subarray.\n\nInput\nThe first line contains a single integer n (1 ≤ n ≤ 2·10^5). The second line contains n integers a_i (−10^9 ≤ a_i ≤ 10^9).\n\nOutput\nPrint one integer — the maximum sum.\n\nExamples\ninput\n5\n1 -2 3 4 -1\noutput\n7"),
("code", ["code"], "Vasya has a string s of length n consisting of digits. He wants to delete exactly k digits so that the remaining number is as large as possible. Output the resulting number.\n\nInput: the first line contains n and k (1 ≤ k < n ≤ 500000), the second line contains s.\nOutput: print the answer."),
("code", ["code"], "def count_primes(n: int) -> int:\n    \"\"\"Return the number of primes strictly less than n.\n    >>> count_primes(10)\n    4\n    >>> count_primes(2)\n    0\n    \"\"\"\n"),
("code", ["code"], "from typing import List\n\ndef below_zero(operations: List[int]) -> bool:\n    \"\"\" You're given a list of deposit and withdrawal operations on a bank account that starts with zero balance. Your task is to detect if at any point the balance of account falls below zero, and at that point function should return True. Otherwise it should return False.\n    >>> below_zero([1, 2, 3])\n    False\n    >>> below_zero([1, 2, -4, 5])\n    True\n    \"\"\"\n"),
("code", ["code"], "def sum_squares(lst):\n    \"\"\"You are given a list of numbers. You need to return the sum of squared numbers in the given list, round each element in the list to the upper int(Ceiling) first.\n    Examples:\n    For lst = [1,2,3] the output should be 14\n    For lst = [1.4,4.2,0] the output should be 29\n    \"\"\""),
("code", ["code"], "Write a program that reads a positive integer N and prints the N-th Fibonacci number modulo 1,000,000,007."),
("code", ["code"], "How do I reverse a linked list in Java?"),
("math", ["math"], "Find all real x such that x^2 - 5x + 6 = 0."),
("math", ["math"], "What is the sum of all positive divisors of 360?"),
("math", ["math"], "Let f(x) = 3x + 2. Find f^{-1}(11)."),
("math", ["math"], "A train travels 300 km in 2.5 hours. What is its average speed in km/h?"),
("math", ["math"], "How many ways can 5 people be seated around a round table?"),
("math", ["math"], "If the probability of rain on any day is 0.3, what is the probability that it rains on exactly 2 of the next 4 days?"),
("math", ["math"], "Compute the integral of x e^x dx."),
("math", ["math"], "Prove that there are infinitely many primes."),
("translation", ["translation"], "Translate into French: The meeting has been moved to Thursday afternoon."),
("translation", ["translation"], "How do you say 'good luck with your exam' in Japanese?"),
("translation", ["translation"], "Traduce al inglés: Me gustaría reservar una mesa para cuatro personas."),
("translation", ["translation"], "Please translate the following paragraph into German:\n\nOur company was founded in 1998 and now employs more than 2,000 people in 14 countries."),
("translation", ["translation"], "What does the German word 'Schadenfreude' mean in English?"),
("translation", ["translation"], "Übersetze ins Englische: Ich habe heute keine Zeit, weil ich arbeiten muss."),
("writing", ["writing"], "Pretend you are a pirate captain and welcome a new crew member aboard."),
("writing", ["writing"], "You are Sherlock Holmes. A client enters your office looking nervous. Respond in character."),
("writing", ["writing"], "Let's role-play: you are a barista in a busy cafe in Paris and I'm a tourist ordering coffee."),
("writing", ["writing"], "Write a limerick about a cat who loves lasagna."),
("reasoning", ["reasoning"], "If all bloops are razzies and all razzies are lazzies, are all bloops definitely lazzies?"),
("reasoning", ["reasoning"], "Alice is taller than Bob. Bob is taller than Carol. Who is the shortest?"),
("chat", ["analysis", "writing"], "My rent is $1,200 a month and I earn $3,500 after tax. Is that too much?"),
("chat", ["analysis", "writing"], "Our team has 12 engineers across 3 time zones. How should we schedule standups?"),
("chat", ["analysis", "writing"], "I'm 34, 180 cm and 85 kg. What's a good weekly workout plan?"),
("chat", ["analysis", "writing"], "I slept only 5 hours for 3 nights in a row. Any tips to feel less tired?"),
("code", ["code"], "Write a Python function to compute the nth prime number."),
("code", ["code"], "Sample Input 1\n3\n1 2 3\nSample Output 1\n6\n\nGiven N integers, print their sum. Constraints: 1 <= N <= 100000, 0 <= A_i <= 10^9."),
("code", ["code"], "def is_leap(year: int) -> bool:\n    \"\"\"Return True if year is a leap year: divisible by 4, except centuries not divisible by 400.\n    >>> is_leap(1900)\n    False\n    >>> is_leap(2000)\n    True\n    \"\"\""),
("code", ["code"], "function chunk(arr, size) {\n  // split arr into arrays of length size; the last may be shorter\n}\nComplete this JavaScript function. chunk([1,2,3,4,5], 2) should give [[1,2],[3,4],[5]]."),
("math", ["math"], "Solve: 2x + 3 = 11"),
("math", ["math"], "What's 15% of 240?"),
("math", ["math"], "If a shirt costs $25 after a 20% discount, what was the original price?"),
("math", ["math"], "A rectangle has a perimeter of 36 cm and its length is twice its width. Find its area."),
("math", ["math"], "Janet buys 3 packs of pens with 12 pens each. She gives away 9 pens. How many does she have left?"),
("translation", ["translation"], "Translate 'I love you' to Italian."),
("translation", ["translation"], "What is 'thank you' in Korean?"),
("translation", ["translation"], "Can you translate this email into Spanish for me? Hi Maria, thanks for sending the report. I'll review it tomorrow and get back to you."),
("translation", ["translation"], "Traduis en anglais : Je voudrais un café, s'il vous plaît."),
("translation", ["translation"], "Переведи на английский: Я люблю читать книги."),
("translation", ["translation"], "请把这句话翻译成英文：我今天很忙。"),
("translation", ["translation"], "Traduza para o inglês: Eu gostaria de marcar uma consulta para amanhã."),
("translation", ["translation"], "Vertaal naar het Engels: Ik woon al tien jaar in Amsterdam."),
("writing", ["writing"], "Write a short story about a lighthouse keeper who finds a message in a bottle."),
("writing", ["writing"], "Act as my grandmother telling me a bedtime story about her childhood village."),
("writing", ["writing"], "You are a customer support agent for an airline. I lost my luggage; help me."),
# --- a second probe, written before the detector was run on it (5 misses of 40 then; adjusted
# --- on two of them afterwards: least common multiple, "how can I")
("chat", ["analysis", "writing"], "What's the difference between a latte and a flat white?"),
("chat", ["analysis", "writing"], "Any ideas for a 10th wedding anniversary gift under $200?"),
("chat", ["analysis", "writing"], "I work 9 to 5 and have 2 hours free in the evening. How can I learn Spanish in 6 months?"),
("chat", ["analysis", "writing"], "Should I get a cat or a dog if I live in a 40 square meter apartment?"),
("chat", ["analysis", "writing"], "What are some fun things to do in Lisbon for 3 days?"),
("chat", ["analysis", "writing"], "Who was the first person to walk on the moon?"),
("chat", ["analysis", "writing"], "My 2 year old won't sleep past 5am. What can we try?"),
("chat", ["analysis", "writing"], "How many cups of coffee a day is too many?"),
("code", ["code"], "There are n cities connected by m roads. Find the shortest path from city 1 to city n.\n\nInput\nThe first line contains two integers n and m (2 ≤ n ≤ 10^5, 1 ≤ m ≤ 2·10^5). Each of the next m lines contains three integers u, v, w.\n\nOutput\nPrint the length of the shortest path, or -1 if there is none."),
("code", ["code"], "Problem: Given a sequence of N integers, count the number of pairs (i, j) with i < j and A_i + A_j divisible by K.\nConstraints\n1 ≤ N ≤ 2×10^5\n1 ≤ K ≤ 10^9\nInput is given from Standard Input in the following format:\nN K\nA_1 ... A_N"),
("code", ["code"], "def median_of_three(a: int, b: int, c: int) -> int:\n    \"\"\"Return the median of three integers.\n    >>> median_of_three(3, 1, 2)\n    2\n    \"\"\""),
("code", ["code"], "def fizz_sum(n):\n    \"\"\"Return the sum of all numbers below n that are multiples of 3 or 5.\n    fizz_sum(10) == 23\n    \"\"\""),
("code", ["code"], "def triangle_area(a, h):\n    \"\"\"Given length of a side and high return area for a triangle.\n    >>> triangle_area(5, 3)\n    7.5\n    \"\"\""),
("code", ["code"], "Implement a function that checks whether a number is a perfect square without using sqrt."),
("code", ["code"], "In C, write a function that returns the number of set bits in a 32-bit unsigned integer."),
("code", ["code"], "Why does my Python loop print 0 1 2 instead of 1 2 3?\nfor i in range(3):\n    print(i)"),
("math", ["math"], "What is the least common multiple of 12, 18 and 30?"),
("math", ["math"], "Solve for x: log2(x) + log2(x - 2) = 3."),
("math", ["math"], "A bag has 4 red and 6 blue marbles. Two are drawn without replacement. What is the probability both are red?"),
("math", ["math"], "The sum of three consecutive even integers is 78. What are the integers?"),
("math", ["math"], "Find the derivative of sin(x^2)."),
("math", ["math"], "If 3 workers build a wall in 8 hours, how long would 4 workers take?"),
("math", ["math"], "What is the remainder when 2^100 is divided by 7?"),
("math", ["math"], "A car depreciates by 15% each year. If it costs $20,000 new, what is it worth after 3 years?"),
("translation", ["translation"], "Translate to Spanish: Where is the nearest train station?"),
("translation", ["translation"], "How would you say 'I'm running late, sorry' in French?"),
("translation", ["translation"], "Can you put this into German for me: We look forward to working with you."),
("translation", ["translation"], "Traducir al francés: El museo abre a las nueve de la mañana."),
("translation", ["translation"], "Translate the following Japanese into English: 明日は雨が降るでしょう。"),
("translation", ["translation"], "English to Italian please: The soup is too salty."),
("translation", ["translation"], "Tradurre in inglese: Vorrei prenotare una camera per due notti."),
("writing", ["writing"], "Write a motivational speech for a high school graduation."),
("writing", ["writing"], "Roleplay as a medieval innkeeper greeting a tired traveller."),
("writing", ["writing"], "I want you to act as a stand-up comedian. Tell me a joke about programmers."),
("writing", ["writing"], "Write a product description for a stainless steel water bottle."),
("reasoning", ["reasoning"], "A farmer must cross a river with a wolf, a goat and a cabbage. The boat holds him and one item. How does he do it?"),
("reasoning", ["reasoning"], "Three boxes are labelled apples, oranges and mixed, and all labels are wrong. You may pick one fruit from one box. How do you fix the labels?"),
("summarization", ["summarization"], "Summarize the plot of Romeo and Juliet in three sentences."),
("classification", ["classification"], "Is the following tweet sarcastic or not? 'Oh great, another Monday. Just what I needed.'"),
("extraction", ["extraction"], "List every city mentioned in this text: We flew from Boston to Denver, then drove to Salt Lake City before heading home."),
# --- a third probe (numbers in code, math notation, chat), written before the detector ran on it:
# --- 9 misses of 40 then, 3 after adjusting on them (so it measures nothing unseen now)
("code", ["code"], "Given an integer n, return the number of trailing zeroes in n!. Example: n = 5 -> 1."),
("code", ["code"], "Write a function that takes a list of prices and returns the maximum profit from one buy and one sell."),
("code", ["code"], "You are given two positive integers a and b. Print their greatest common divisor.\nInput: two integers a, b (1 ≤ a, b ≤ 10^18)\nOutput: one integer"),
("code", ["code"], "Implement binary exponentiation to compute a^b mod m for 0 ≤ a, b, m ≤ 10^9."),
("code", ["code"], "Count the number of islands in a 2D grid of '1's and '0's. Constraints: 1 <= m, n <= 300."),
("code", ["code"], "def mean_absolute_deviation(numbers: list[float]) -> float:\n    \"\"\"For a given list of input numbers, calculate Mean Absolute Deviation around the mean of this dataset.\n    >>> mean_absolute_deviation([1.0, 2.0, 3.0, 4.0])\n    1.0\n    \"\"\""),
("code", ["code"], "def is_prime(n):\n    \"\"\"Return true if a given number is prime, and false otherwise.\n    >>> is_prime(6)\n    False\n    >>> is_prime(101)\n    True\n    \"\"\""),
("code", ["code"], "def add(x: int, y: int):\n    \"\"\"Add two numbers x and y\n    >>> add(2, 3)\n    5\n    \"\"\""),
("code", ["code"], "Write a SQL query returning the second highest salary from the Employee table."),
("code", ["code"], "My Rust code fails with 'borrowed value does not live long enough'. How do I fix it?\nfn longest(a: &str, b: &str) -> &str { if a.len() > b.len() { a } else { b } }"),
("code", ["code"], "Petya has n coins with values a_1..a_n. He wants to split them into two groups with equal sums. Determine if it is possible.\n\nInput\nThe first line contains t (1 ≤ t ≤ 10^4) — the number of test cases.\n\nOutput\nFor each test case print YES or NO."),
("code", ["code"], "Compute the n-th Catalan number modulo 998244353 for n up to 10^6. Write efficient code."),
("math", ["math"], "What is the 10th Catalan number?"),
("math", ["math"], "How many trailing zeros does 100! have?"),
("math", ["math"], "Find the greatest common divisor of 462 and 1071."),
("math", ["math"], "Evaluate 7^222 mod 5."),
("math", ["math"], "In how many ways can 8 rooks be placed on a chessboard so that none attack each other?"),
("math", ["math"], "The average of five numbers is 12. If one number is removed, the average becomes 10. What number was removed?"),
("math", ["math"], "Simplify (x^2 - 9)/(x - 3)."),
("math", ["math"], "A cylinder has radius 3 cm and height 10 cm. What is its volume?"),
("chat", ["analysis", "writing"], "What's the best laptop under $1000 for video editing?"),
("chat", ["analysis", "writing"], "How long should I boil an egg for a runny yolk?"),
("chat", ["analysis", "writing"], "Is 8 hours of sleep really necessary?"),
("chat", ["analysis", "writing"], "What time zone is Tokyo in?"),
("chat", ["analysis", "writing"], "Can you suggest a 3-day itinerary for Rome?"),
("chat", ["analysis", "writing"], "My phone battery drains 20% overnight. Is that normal?"),
("translation", ["translation"], "Translate 'The invoice is attached' to Spanish, formal tone."),
("translation", ["translation"], "Give me the Japanese for 'Where is the station?' with romaji."),
("translation", ["translation"], "How do Germans say 'cheers' when drinking?"),
("translation", ["translation"], "Translate to English: Je suis désolé, je ne parle pas bien français."),
("writing", ["writing"], "Write a haiku about autumn rain."),
("writing", ["writing"], "Compose a wedding toast for my best friend Sam."),
("writing", ["writing"], "You are a noir detective. Describe the rainy city at night."),
("writing", ["writing"], "Write a LinkedIn post announcing my new job as a data scientist."),
("summarization", ["summarization"], "Summarize: The company reported revenue of $4.2 billion, up 12% year over year, driven by cloud services, while hardware sales fell 5%."),
("classification", ["classification"], "Classify each as fruit or vegetable: tomato, carrot, apple, spinach."),
("extraction", ["extraction"], "Extract the phone numbers: Call 555-1234 or 555-9876 after 5pm."),
("reasoning", ["reasoning", "math"], "If it takes 5 machines 5 minutes to make 5 widgets, how long would it take 100 machines to make 100 widgets?"),
("reasoning", ["reasoning", "math"], "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost?"),
("analysis", ["analysis", "code"], "Explain the difference between TCP and UDP."),
# --- a fourth probe (function stubs, judge statements, competition and word problems, translation
# --- asks in several formats, everyday questions), written before the detector ran on it: 3 misses
# --- of 40 then, 0 after adjusting on them (so it measures nothing unseen now)
("code", ["code"], "from typing import List\n\n\ndef running_max(numbers: List[int]) -> List[int]:\n    \"\"\" From a given list of integers, generate a list of rolling maximum element found until given moment\n    in the sequence.\n    >>> running_max([1, 2, 3, 2, 3, 4, 2])\n    [1, 2, 3, 3, 3, 4, 4]\n    \"\"\"\n"),
("code", ["code"], "\ndef digit_product(n):\n    \"\"\"Given a positive integer n, return the product of the odd digits.\n    Return 0 if all digits are even.\n    For example:\n    digit_product(1)  == 1\n    digit_product(4)  == 0\n    digit_product(235) == 15\n    \"\"\"\n"),
("code", ["code"], "def count_triples(n: int) -> int:\n    \"\"\"\n    You are given a positive integer n. Create an integer array a of length n where\n    a[i] = i * i - i + 1. Return the number of triples (a[i], a[j], a[k]) with i < j < k\n    such that a[i] + a[j] + a[k] is a multiple of 3.\n\n    Example :\n        Input: n = 5\n        Output: 1\n    \"\"\"\n"),
("code", ["code"], "/**\n * Returns the sum of the squares of the numbers in the array that are odd.\n * Ignore numbers that are negative or not integers.\n * sumOddSquares([1, 3, 2, 0]) == 10\n * sumOddSquares([-1, -2, 0]) == 0\n */\nfunction sumOddSquares(lst) {\n"),
("code", ["code"], "func SmallestChange(arr []int) int {\n    // Given an array arr of integers, find the minimum number of elements that\n    // need to be changed to make the array palindromic.\n    // SmallestChange([1,2,3,5,4,7,9,6]) == 4\n"),
("code", ["code"], "Write a Python function that takes a list of integers and returns the second largest distinct value, or None if there isn't one."),
("code", ["code"], "Implement a function is_prime(n) in C that returns 1 if n is prime and 0 otherwise. It should handle n up to 2^31-1 efficiently."),
("code", ["code"], "Polycarp has n coins, the value of the i-th coin is a_i. Polycarp wants to distribute all the coins between his pockets, but he cannot put two coins with the same value into the same pocket.\n\nHelp Polycarp find the minimum number of pockets he needs.\n\nInput\nThe first line of the input contains one integer n (1 ≤ n ≤ 100) — the number of coins.\nThe second line contains n integers a_1, a_2, …, a_n (1 ≤ a_i ≤ 100) — values of coins.\n\nOutput\nPrint only one integer — the minimum number of pockets Polycarp needs.\n\nExamples\ninput\n6\n1 2 4 3 3 2\noutput\n2"),
("code", ["code"], "You are given two integers l and r. Find the number of integers x in [l, r] whose sum of digits is divisible by 7.\n\nThe first line contains a single integer t (1 ≤ t ≤ 10^4). Each of the next t lines contains two integers l and r (1 ≤ l ≤ r ≤ 10^18).\n\nFor each test case, output one integer — the answer."),
("code", ["code"], "There are N cities numbered 1 to N connected by M bidirectional roads. Road i connects city A_i and city B_i and has length C_i. Find the shortest distance from city 1 to city N, or print -1 if N is unreachable.\n\n-----Constraints-----\n - 2 \\leq N \\leq 2 \\times 10^5\n - 1 \\leq M \\leq 2 \\times 10^5\n - 1 \\leq C_i \\leq 10^9\n\n-----Input-----\nInput is given from Standard Input in the following format:\nN M\nA_1 B_1 C_1\n:\nA_M B_M C_M\n\n-----Output-----\nPrint the answer."),
("code", ["code"], "Given a string s consisting of lowercase letters, find the length of the longest substring in which every character appears an even number of times.\n\nSample Input 1\nabba\nSample Output 1\n4\n\nSample Input 2\nabc\nSample Output 2\n0"),
("math", ["math"], "Find the number of ordered pairs $(a,b)$ of positive integers such that $a+b=1000$ and neither $a$ nor $b$ has a zero digit."),
("math", ["math"], "If $f(x) = 3x^2 - 5$, what is the value of $f(f(1))$?"),
("math", ["math"], "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?"),
("math", ["math"], "A train leaves the station at 3:15 pm traveling at 80 km/h. A second train leaves the same station at 4:00 pm traveling at 100 km/h on a parallel track. At what time does the second train catch up with the first?"),
("math", ["math"], "Compute $\\sum_{n=1}^{\\infty} \\frac{1}{n(n+2)}$."),
("math", ["math"], "What is the remainder when 2^100 is divided by 7?"),
("math", ["math"], "The sum of three consecutive even integers is 138. What is the largest of the three?"),
("math", ["math"], "Let $z$ be a complex number with $|z| = 2$. Find the maximum value of $|(z-1)^2 (z+1)|$."),
("math", ["math"], "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck egg. How much in dollars does she make every day at the farmers' market?"),
("translation", ["translation"], "Translate the following sentence into German: The meeting has been moved to next Thursday because the manager is sick."),
("translation", ["translation"], "How do you say 'where is the nearest train station' in Japanese?"),
("translation", ["translation"], "Please translate to English: « Je ne sais pas si je pourrai venir demain, il faut que je termine ce rapport. »"),
("translation", ["translation"], "English: The weather is lovely today.\nSpanish:"),
("translation", ["translation"], "Can you put this into Portuguese for me? 'Thank you for your patience, your order will ship within two business days.'"),
("translation", ["translation"], "Translate from Chinese to English: 我们明天早上九点在公司门口见面。"),
("translation", ["translation"], "What does 'Schadenfreude' mean in English, and is there a single-word equivalent?"),
("chat", ["analysis", "writing"], "What are some good ways to improve my sleep quality?"),
("chat", ["analysis", "writing"], "Who was the first woman to win a Nobel Prize?"),
("chat", ["analysis", "writing"], "Why is the sky blue?"),
("chat", ["analysis", "writing"], "Give me a list of five fun things to do in Lisbon on a rainy day."),
("chat", ["analysis", "writing"], "What's the difference between a crocodile and an alligator?"),
("chat", ["analysis", "writing"], "I'm planning a birthday party for my 7-year-old. Any ideas for games?"),
("chat", ["analysis", "writing"], "How many calories should an average adult eat per day?"),
("chat", ["analysis", "writing"], "Tell me about the history of the Eiffel Tower."),
("chat", ["analysis", "writing"], "Is it better to rent or buy a house in 2024?"),
("chat", ["analysis", "writing"], "What should I pack for a 10-day trip to Iceland in March?"),
("chat", ["analysis", "writing"], "Can you recommend some books similar to The Martian by Andy Weir?"),
("chat", ["analysis", "writing"], "How does a credit score work?"),
("chat", ["analysis", "writing"], "What year did World War II end, and what were the main reasons it ended?"),
# --- a fifth probe (MBPP-style asks, judge statements without headings, MATH and GSM8K-style
# --- problems, translation asks in other languages, everyday questions), written before the
# --- detector ran on it: 2 misses of 40 then, 0 after adjusting on them
("code", ["code"], "Write a function to find the shared elements from the given two lists."),
("code", ["code"], "Write a python function to identify non-prime numbers."),
("code", ["code"], "Write a function to find the n largest integers from a given list of numbers, returned in descending order."),
("code", ["code"], "def below_zero(operations: List[int]) -> bool:\n    \"\"\" You're given a list of deposit and withdrawal operations on a bank account that starts with\n    zero balance. Your task is to detect if at any point the balance of account falls below zero, and\n    at that point function should return True. Otherwise it should return False.\n    >>> below_zero([1, 2, 3])\n    False\n    >>> below_zero([1, 2, -4, 5])\n    True\n    \"\"\"\n"),
("code", ["code"], "\ndef fib4(n: int):\n    \"\"\"The Fib4 number sequence is a sequence similar to the Fibbonacci sequnece that's defined as follows:\n    fib4(0) -> 0\n    fib4(1) -> 0\n    fib4(2) -> 2\n    fib4(3) -> 0\n    fib4(n) -> fib4(n-1) + fib4(n-2) + fib4(n-3) + fib4(n-4).\n    Please write a function to efficiently compute the n-th element of the fib4 number sequence.  Do not use recursion.\n    \"\"\"\n"),
("code", ["code"], "Vasya has a sequence of n integers. He wants to choose a contiguous segment such that the bitwise XOR of its elements is maximal.\n\nThe first line contains n (1 ≤ n ≤ 100). The second line contains n space-separated integers, each between 0 and 2^30.\n\nPrint a single integer — the maximal XOR of a segment."),
("code", ["code"], "Chef has N candies and wants to give them to K children so that every child gets the same number of candies. What is the minimum number of candies Chef must throw away?\n\nInput:\nFirst line: T, the number of test cases.\nEach test case: two integers N and K.\n\nOutput:\nFor each test case, print the answer on a new line.\n\nConstraints\n1 <= T <= 1000\n1 <= N, K <= 10^9"),
("code", ["code"], "My React app shows a blank page after I deployed it to GitHub Pages, but it works locally. What could be wrong?"),
("code", ["code"], "how do i reverse a linked list in java without recursion"),
("math", ["math"], "What is the smallest positive integer $n$ such that $3n \\equiv 1356 \\pmod{22}$?"),
("math", ["math"], "Find the domain of the expression $\\frac{\\sqrt{x-2}}{\\sqrt{5-x}}$."),
("math", ["math"], "Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?"),
("math", ["math"], "Betty is saving money for a new wallet which costs $100. Betty has only half of the money she needs. Her parents decided to give her $15 for that purpose, and her grandparents twice as much as her parents. How much more money does Betty need to buy the wallet?"),
("math", ["math"], "If the sum of two numbers is 20 and their difference is 4, what is their product?"),
("math", ["math"], "Let $a$ and $b$ be real numbers such that $a + b = 7$ and $a^3 + b^3 = 91$. Find $ab$."),
("math", ["math"], "A rectangle has a perimeter of 36 cm and its length is twice its width. Find its area."),
("math", ["math"], "Solve the system: 2x + 3y = 12 and x - y = 1."),
("math", ["math"], "What is the probability of rolling two dice and getting a sum of 7?"),
("translation", ["translation"], "Translate the following text from German to English: Die Bundesregierung hat am Mittwoch neue Maßnahmen zur Senkung der Energiepreise beschlossen."),
("translation", ["translation"], "Translate this to French: I would like to book a table for two at eight o'clock."),
("translation", ["translation"], "¿Cómo se dice 'I miss you' en italiano?"),
("translation", ["translation"], "Can you translate 'good morning, how did you sleep?' into Korean and give the pronunciation?"),
("translation", ["translation"], "Translate into Spanish, keeping the tone casual: hey! long time no see, we should grab coffee sometime"),
("translation", ["translation"], "Japanese: 今日はとても暑いですね。\nEnglish:"),
("chat", ["analysis", "writing"], "hey can u help me come up with a name for my new puppy? she's a golden retriever"),
("chat", ["analysis", "writing"], "What's the best way to learn to play the guitar as an adult?"),
("chat", ["analysis", "writing"], "Explain how vaccines work like I'm five."),
("chat", ["analysis", "writing"], "What are the pros and cons of electric cars?"),
("chat", ["analysis", "writing"], "Who painted the Mona Lisa?"),
("chat", ["analysis", "writing"], "Why do we dream?"),
("chat", ["analysis", "writing"], "Suggest a healthy breakfast that takes less than 10 minutes to make."),
("chat", ["analysis", "writing"], "What is the capital of Australia?"),
("chat", ["analysis", "writing"], "How can I be more productive when working from home?"),
("chat", ["analysis", "writing"], "What's a good gift for a coworker who is retiring?"),
("chat", ["analysis", "writing"], "Is coffee bad for you?"),
("chat", ["analysis", "writing"], "what movies are similar to inception"),
("writing", ["writing"], "Write a short story about a robot who learns to paint."),
("writing", ["writing"], "Pretend you are Sherlock Holmes and describe what you can deduce about me from the fact that I'm typing at 3am."),
("writing", ["writing"], "Write a cover letter for a junior accountant position."),
("summarization", ["summarization"], "Summarize the main arguments for and against universal basic income in a few bullet points."),
# --- a sixth probe (narrative judge statements, stubs, MATH and GSM8K-style problems, translation
# --- asks in several forms, everyday questions, role-play), written before the detector ran on
# --- it: 1 miss of 40 then ('Render this paragraph in Italian: …'), 0 after
("code", ["code"], "A long time ago, in a galaxy far away, there were n planets in a row. The i-th planet has a_i units of fuel. A spaceship starts at planet 1 with zero fuel and must reach planet n. At each planet it can take all the fuel there, and moving to the next planet costs 1 unit of fuel.\n\nDetermine whether the ship can reach planet n, and if so, the maximum fuel it can have when it arrives.\n\nInput\nThe first line contains an integer n (2 ≤ n ≤ 2·10^5). The second line contains n integers a_1, …, a_n (0 ≤ a_i ≤ 10^9).\n\nOutput\nPrint -1 if the ship cannot reach planet n; otherwise print the maximum fuel."),
("code", ["code"], "def sort_third(l: list):\n    \"\"\"This function takes a list l and returns a list l' such that\n    l' is identical to l in the indicies that are not divisible by three, while its values at the indicies that are divisible by three are equal\n    to the values of the corresponding indicies of l, but sorted.\n    >>> sort_third([1, 2, 3])\n    [1, 2, 3]\n    >>> sort_third([5, 6, 3, 4, 8, 9, 2])\n    [2, 6, 3, 4, 8, 9, 5]\n    \"\"\"\n"),
("code", ["code"], "def x_or_y(n, x, y):\n    \"\"\"A simple program which should return the value of x if n is \n    a prime number and should return the value of y otherwise.\n\n    Examples:\n    for x_or_y(7, 34, 12) == 34\n    for x_or_y(15, 8, 5) == 5\n    \n    \"\"\"\n"),
("code", ["code"], "Write a function to calculate the area of a regular polygon given the length and number of its sides."),
("code", ["code"], "Write a Python program that reads a CSV of transactions and prints the total amount per month."),
("code", ["code"], "Given an array of integers nums and an integer target, return indices of the two numbers such that they add up to target. You may assume that each input would have exactly one solution."),
("code", ["code"], "Why does 0.1 + 0.2 print 0.30000000000000004 in JavaScript, and how should I compare floats?"),
("code", ["code"], "SELECT statement to get the top 5 customers by total order value from orders(customer_id, amount)"),
("math", ["math"], "Tom has twice as many marbles as Jerry. Together they have 48 marbles. How many marbles does Tom have?"),
("math", ["math"], "Simplify $\\sqrt{50} + \\sqrt{18}$."),
("math", ["math"], "The population of a town increases by 5% every year. If the population is now 20,000, what will it be in 3 years?"),
("math", ["math"], "How many different 4-letter arrangements can be made from the letters of the word MATH?"),
("math", ["math"], "Find all real solutions to $x^4 - 5x^2 + 4 = 0$."),
("math", ["math"], "A store sells pencils at 3 for $1.20. How much do 15 pencils cost?"),
("math", ["math"], "Prove that the square root of 2 is irrational."),
("math", ["math"], "Compute $\\dbinom{10}{4}$."),
("math", ["math"], "An investment of $5,000 earns 4% interest compounded annually. How much is it worth after 10 years?"),
("translation", ["translation"], "Translate to German: Please make sure all windows are closed before you leave the office."),
("translation", ["translation"], "What's the English for 'mettre les pieds dans le plat'? Explain the idiom too."),
("translation", ["translation"], "Translate the following Korean sentence into English: 저는 매일 아침 커피를 마셔요."),
("translation", ["translation"], "Render this paragraph in Italian: Our hotel is a ten-minute walk from the old town and offers free breakfast."),
("translation", ["translation"], "How would you say 'I'm allergic to peanuts' in Thai?"),
("translation", ["translation"], "Russian: Я не знаю, где он живёт.\nEnglish:"),
("chat", ["analysis", "writing"], "What's the difference between weather and climate?"),
("chat", ["analysis", "writing"], "Can dogs eat grapes?"),
("chat", ["analysis", "writing"], "Give me some tips for a job interview at a tech startup."),
("chat", ["analysis", "writing"], "What happened during the French Revolution?"),
("chat", ["analysis", "writing"], "How do I get red wine out of a carpet?"),
("chat", ["analysis", "writing"], "Which is healthier, brown rice or white rice?"),
("chat", ["analysis", "writing"], "Recommend three podcasts about history."),
("chat", ["analysis", "writing"], "What does a product manager do?"),
("chat", ["analysis", "writing"], "How long does it take to get to Mars?"),
("chat", ["analysis", "writing"], "Why are flamingos pink?"),
("chat", ["analysis", "writing"], "Is it safe to travel to Egypt right now?"),
("writing", ["writing"], "You are a pirate captain. Give a rousing speech to your crew before a storm."),
("writing", ["writing"], "Write a limerick about a cat who loves lasagna."),
("writing", ["writing"], "Roleplay as my Spanish tutor and start a conversation with me about my weekend."),
("writing", ["writing"], "Draft a polite email to my landlord asking to fix the heating."),
("classification", ["classification"], "Is this review positive or negative? 'The battery died after two days and support never answered.'"),
("extraction", ["extraction"], "From the text below, pull out every date mentioned.\n\nThe contract was signed on March 3, 2021, amended on 14 July 2022, and expires at the end of 2025."),
# --- competition math with a figure drawn in Asymptote ([asy] … [/asy]), written when the
# --- detector was found to read the figure's drawing commands as source code (all three went to code)
("math", ["math"], "In the diagram, $AB$ is a line segment. What is the value of $x$?\n\n[asy]\ndraw((0,0)--(10,0),black+linewidth(1));\ndraw((4,0)--(4,8),black+linewidth(1));\ndraw((4,0)--(3.5,0)--(3.5,0.5)--(4,0.5)--cycle,black+linewidth(1));\ndraw((4,0)--(9,7),black+linewidth(1));\nlabel(\"$A$\",(0,0),W);\nlabel(\"$B$\",(10,0),E);\nlabel(\"$x^\\circ$\",(4.75,2.25));\nlabel(\"$52^\\circ$\",(5.5,0.75));\n[/asy]"),
("math", ["math"], "Triangle $ABC$ has vertices $A(0,0)$, $B(6,0)$ and $C(2,5)$. What is the area of the triangle?\n[asy]\nunitsize(0.5cm);\npair A=(0,0), B=(6,0), C=(2,5);\ndraw(A--B--C--cycle);\nlabel(\"$A$\",A,SW); label(\"$B$\",B,SE); label(\"$C$\",C,N);\n[/asy]"),
("math", ["math"], "The graph of $y=f(x)$ is shown below. What is $f(f(2))$?\n\n[asy]\nimport graph; size(7cm);\nreal f(real x) {return x^2-2;}\ndraw(graph(f,-2,2));\nxaxis(\"$x$\"); yaxis(\"$y$\");\n[/asy]"),
# --- a seventh, short probe (12 prompts of mixed kinds), written before the detector ran on it:
# --- 2 misses then ('From this JSON, list…' read as formatting, a temperature conversion as formatting), 0 after
("code", ["code"], "Implement Newton's method in Python to compute sqrt(x) to a tolerance of 1e-9."),
("math", ["math"], "Evaluate sum_{k=1}^{n} k^2 for n = 10."),
("chat", ["analysis", "writing"], "What were the top 10 movies of 2023?"),
("extraction", ["extraction"], "From this JSON, list the names of the users older than 30:\n[{\"name\": \"Ana\", \"age\": 31}, {\"name\": \"Bo\", \"age\": 25}, {\"name\": \"Cy\", \"age\": 44}]"),
("formatting", ["formatting"], "Convert this CSV to a markdown table:\nname,price\napple,1.20\npear,0.90"),
("chat", ["analysis", "writing"], "What is the population of Canada in 2024?"),
("math", ["math"], "If 3 pencils cost 45 cents, how much do 7 pencils cost?"),
("chat", ["analysis", "writing"], "Best 5 exercises for lower back pain?"),
("code", ["code"], "Fix the off-by-one error:\nfor (int i = 0; i <= n; i++) sum += a[i];"),
("math", ["math"], "Convert 72 degrees Fahrenheit to Celsius."),
("chat", ["analysis", "writing"], "Which is bigger, a blue whale or a 737 airplane?"),
("math", ["math"], "A recipe needs 3/4 cup of sugar for 12 cookies. How much sugar for 30 cookies?"),
# --- an eighth, short probe (10 prompts written in other languages), written before the detector
# --- ran on it: 4 misses then (questions all in French, Chinese, Japanese, Russian read as
# --- translation asks), 0 after
("chat", ["analysis", "writing"], "¿Cuál es la mejor manera de aprender a programar desde cero?"),
("chat", ["analysis", "writing"], "Quels sont les avantages du télétravail pour les entreprises ?"),
("chat", ["analysis", "writing"], "Was sind die besten Sehenswürdigkeiten in Berlin?"),
("chat", ["analysis", "writing"], "为什么天空是蓝色的？"),
("chat", ["analysis", "writing"], "東京でおすすめのラーメン屋はどこですか？"),
("writing", ["writing"], "Escribe un poema corto sobre el mar."),
("math", ["math"], "Resuelve la ecuación 2x + 5 = 17."),
("code", ["code"], "Escribe una función en Python que invierta una cadena."),
("chat", ["analysis", "writing"], "Как приготовить борщ?"),
("translation", ["translation"], "Translate to English: ¿Dónde está la biblioteca?"),
# --- a ninth, short probe (12 everyday questions that name a task's operation or a language),
# --- written before the detector ran on it: 4 misses then under these labels ('How do I convert a Word
# --- document to PDF?' read as formatting, 'How do I extract juice…' as extraction, 'How do you
# --- translate a recipe's cups into grams?' as translation, 'Which category of hurricane…' as
# --- classification), 1 after (the hurricane)
("chat", ["analysis", "writing"], "How do I convert a Word document to PDF on a Mac?"),
("chat", ["analysis", "writing"], "How do I format a USB drive so it works on both Windows and Mac?"),
("chat", ["analysis", "writing"], "What's the best format for a wedding speech?"),
("chat", ["summarization", "analysis", "writing"], "Can you summarize what happened in the 2008 financial crisis?"),
("chat", ["analysis", "writing"], "What is the difference between a virus and bacteria?"),
("chat", ["analysis", "writing"], "How do I extract juice without a juicer?"),
("chat", ["analysis", "writing"], "Which category of hurricane is the strongest?"),
("chat", ["analysis", "writing"], "What's a good table tennis paddle for beginners?"),
("chat", ["analysis", "writing"], "How do you translate a recipe's cups into grams?"),
("chat", ["code", "analysis", "writing"], "What is the best way to learn Python?"),
("chat", ["code", "analysis", "writing"], "Is it worth learning Rust in 2025?"),
("chat", ["analysis", "writing"], "Explain the plot of Inception."),
# --- a tenth probe (30: word problems with asks of many forms, advice on the asker's own numbers,
# --- programs, prose and translations that count things), written before the detector ran on
# --- it, after the word-problem rule of 2026-11-29: 7 misses then (two word problems asking "what
# --- is her change" / "the least he can spend", five advice questions read as word problems), 3
# --- after an ask for advice stopped a question for a quantity from making one
("math", ["math"], "Janelle buys 3 notebooks at $4.50 each and a backpack that costs twice as much as all the notebooks together. She pays with a $50 bill. What is her change?"),
("math", ["math"], "A bakery sells muffins for $2 each or a box of 6 for $10. Carlos needs 20 muffins. What is the least he can spend?"),
("math", ["math"], "Tom's salary is $3,200 a month. He spends 35% on rent, a quarter of what is left on food, and saves the rest. How much does he save each month?"),
("math", ["math"], "A train leaves at 9:40 and travels 210 miles at 60 miles per hour. At what time does it arrive?"),
("math", ["math"], "Maria is 4 years older than twice her brother's age. If her brother is 9, how old will Maria be in 5 years?"),
("math", ["math"], "Determine the total cost of painting a wall 12 feet long and 8 feet high if one gallon covers 40 square feet and costs $28."),
("math", ["math"], "A farmer plants 15 rows of corn with 24 plants in each row. A storm destroys one fifth of the plants. Calculate how many plants survive."),
("math", ["math"], "Lena read 45 pages on Monday, 20% more on Tuesday, and half of Tuesday's amount on Wednesday. Find the number of pages she read over the three days."),
("math", ["math"], "The ratio of boys to girls in a class is 3:5. If there are 40 students, what percent of the class are boys?"),
("math", ["math"], "Ahmed saves $15 every week. After how many weeks will he have enough for a bike that costs $240 if he already has $60?"),
("math", ["math"], "A pizza is cut into 12 slices. Jo eats 3 slices and Sam eats twice as many as Jo. What fraction of the pizza is left?"),
("math", ["math"], "Each of the 6 shelves holds 18 books, and the library wants to add 30 more books. If each new shelf holds 18 books, how many new shelves are needed at minimum?"),
("math", ["math"], "A phone plan charges $25 a month plus $0.10 per text. Last month Ben paid $41.50. How many texts did he send?"),
("math", ["math"], "Rita ran 5 km on Saturday and 3.5 km on Sunday. If she wants to run 30 km this week, what distance remains for the other days?"),
("math", ["math"], "Oliver buys 4 packs of stickers with 25 stickers each. He gives 18 to his sister and puts the rest equally into 2 albums. What number of stickers goes in each album?"),
("chat", ["analysis", "writing"], "I have 2 kids aged 5 and 8. How many hours of screen time a day is reasonable for them?"),
("chat", ["analysis", "writing"], "We are 4 people visiting Rome for 3 days. How much should we budget for food, roughly?"),
("chat", ["analysis", "writing"], "How many of the 50 US states have a coastline on the Pacific Ocean?"),
("chat", ["analysis", "writing"], "My dog is 7 years old and weighs 30 kg. How much should I feed him per day?"),
("chat", ["analysis", "writing"], "I run 3 times a week for 30 minutes. How long before I can run a half marathon?"),
("chat", ["analysis", "writing"], "Is it better to buy a 55 inch or a 65 inch TV for a living room that is 4 meters deep?"),
("chat", ["analysis", "writing"], "How many cups of coffee a day is too much for someone who sleeps 6 hours?"),
("chat", ["analysis", "writing"], "What were the 3 main causes of World War 1?"),
("code", ["code"], "Write a Python function that takes a list of 10 integers and returns how many of them are even."),
("code", ["code"], "def count_vowels(s: str) -> int:\n    \"\"\"Return how many vowels are in s.\n    >>> count_vowels('hello')\n    2\n    \"\"\""),
("code", ["code"], "Given an array of n integers (1 <= n <= 10^5), print how many pairs sum to zero. Input: the first line contains n, the second n integers."),
("writing", ["writing"], "Write a short poem of 4 lines about 2 cats who count how many stars they can see."),
("writing", ["writing"], "Write a story for kids in which 3 friends find 7 golden coins and decide how many each should get."),
("summarization", ["summarization"], "Summarize this in two sentences: The city council voted 7 to 2 to approve a budget of $4.5 million, 12% more than last year, after a debate that lasted 3 hours about how much to spend on parks."),
("translation", ["translation"], "Translate to French: I bought 3 apples and 2 pears. How much do I owe you?"),
# --- an eleventh probe (20 word problems in the style of grade-school sets, asks of many
# --- forms), written before the detector ran on it: 2 misses then (an ages puzzle asking "what are
# --- their ages", a work-rate problem asking "in what time"), 0 after number words counted as
# --- numbers do and "as old as", "at the same rate" counted for math beside quantities
("math", ["math"], "Kelly bought a dress for $45 and two pairs of shoes that cost $30 each. She had a coupon for 10% off the whole purchase. By how much did the coupon reduce her bill?"),
("math", ["math"], "A water tank holds 1,200 liters. It is filled at 40 liters per minute while a leak drains 10 liters per minute. Starting empty, when will the tank be full?"),
("math", ["math"], "Ravi earns $18 an hour and works 7 hours a day, 5 days a week. His rent is $1,100 a month. What fraction of a four-week month's pay goes to rent?"),
("math", ["math"], "The original price of a jacket was reduced by 25% and then by another $12, so it now sells for $48. What was the original price?"),
("math", ["math"], "A school orders 8 boxes of markers with 24 markers in each. Each of the 32 classrooms gets the same number of markers. What does each classroom receive?"),
("math", ["math"], "Grace is three times as old as her son. In 12 years she will be twice as old as him. What are their ages now?"),
("math", ["math"], "A cyclist covers the first 20 km at 16 km/h and the next 30 km at 20 km/h. What is her average speed for the whole trip?"),
("math", ["math"], "Mr. Lee planted 5 rows of tomatoes with 14 plants per row. Each plant gives about 3 kg of tomatoes, and he sells them at $2.50 per kg. What will he make from the harvest?"),
("math", ["math"], "A movie marathon has 4 films of 118, 97, 132 and 105 minutes, with 15-minute breaks between films. If it starts at 10:00 am, when does it end?"),
("math", ["math"], "Nina had some stickers. She gave 14 to Leo and then half of the remaining to Ana, leaving her with 23. With how many stickers did she start?"),
("math", ["math"], "In a class of 30 students, 18 play soccer, 12 play basketball, and 5 play both. Determine how many play neither sport."),
("math", ["math"], "A recipe for 4 servings uses 300 g of flour. Jamal wants to bake for 10 people. What amount of flour will he need?"),
("math", ["math"], "Each ticket costs $12 for adults and $7 for children. A group of 9 people paid $88. Work out how many children were in the group."),
("math", ["math"], "A car uses 6.5 liters of fuel per 100 km. Fuel costs $1.80 per liter. What does a 450 km trip cost in fuel?"),
("math", ["math"], "Lucy saves 20 cents on the first day, 40 cents on the second, 60 cents on the third, and so on. What will her total savings be after 15 days?"),
("math", ["math"], "Three workers can paint a house in 12 days. Working at the same rate, in what time could 4 workers paint it?"),
("math", ["math"], "Sam's bakery sold 120 cupcakes on Friday, which was 20 more than Thursday. Saturday's sales were double Thursday's. Find the total for the three days."),
("math", ["math"], "A rectangle's length is 3 cm more than twice its width, and its perimeter is 42 cm. What is its area?"),
("math", ["math"], "Pablo's phone battery lasts 15 hours. He used it for 2 hours of video, which drains battery 3 times faster than normal use. What remains of the battery life under normal use?"),
("math", ["math"], "There were 250 people at the fair at noon. By 3 pm, 40% more had arrived and 35 had left. What was the crowd size at 3 pm?"),
# --- a twelfth probe (20 everyday questions), written before the detector ran on it: 1 miss
# --- ("How does compound interest work" read as math), left as it is
("chat", ["analysis", "writing"], "What are some good habits for keeping my inbox organized?"),
("chat", ["analysis", "writing"], "Why do cats purr?"),
("chat", ["analysis", "writing"], "Can you recommend a few podcasts about history for a long drive?"),
("chat", ["analysis", "writing"], "What's the best way to store fresh herbs so they last longer?"),
("chat", ["analysis", "writing"], "How does compound interest work, in simple terms?"),
("chat", ["analysis", "writing"], "Which is healthier, brown rice or quinoa?"),
("chat", ["analysis", "writing"], "What should I pack for a week-long hiking trip in the Alps?"),
("chat", ["analysis", "writing"], "How do noise-cancelling headphones work?"),
("chat", ["analysis", "writing"], "Is it rude to leave a group chat without saying anything?"),
("chat", ["analysis", "writing"], "What are the pros and cons of living in a big city versus a small town?"),
("chat", ["analysis", "writing"], "How can I get better at public speaking?"),
("chat", ["analysis", "writing"], "What is the origin of the word 'quarantine'?"),
("chat", ["analysis", "writing"], "Why is the ocean salty but rivers are not?"),
("chat", ["analysis", "writing"], "What are the main differences between a Roth IRA and a traditional IRA?"),
("chat", ["analysis", "writing"], "Who were the most influential painters of the Renaissance?"),
("chat", ["analysis", "writing"], "How long should I rest between sets when lifting weights?"),
("chat", ["analysis", "writing"], "What does a product manager actually do all day?"),
("chat", ["analysis", "writing"], "Give me some ideas for a rainy weekend with two kids."),
("chat", ["analysis", "writing"], "How do I politely decline a wedding invitation?"),
("chat", ["analysis", "writing"], "What causes the northern lights?"),
# --- a thirteenth probe (10 function stubs in six languages), written before the detector ran on
# --- it: 0 misses
("code", ["code"], "def running_max(numbers: list[float]) -> list[float]:\n    \"\"\"Given a list of numbers, return the list of the largest value seen so far at each position.\n    >>> running_max([1, 3, 2, 5])\n    [1, 3, 3, 5]\n    \"\"\"\n"),
("code", ["code"], "def digits_product(n: int) -> int:\n    # Return the product of the odd digits of n, or 0 if all digits are even.\n"),
("code", ["code"], "from typing import List\n\ndef count_pairs_with_sum(values: List[int], target: int) -> int:\n    \"\"\" Count the pairs i < j such that values[i] + values[j] == target.\n    >>> count_pairs_with_sum([1, 2, 3, 4], 5)\n    2\n    \"\"\"\n"),
("code", ["code"], "/**\n * Returns the number of days between two dates given as \"YYYY-MM-DD\" strings.\n * daysBetween(\"2024-01-01\", \"2024-03-01\") === 60\n */\nfunction daysBetween(a, b) {\n"),
("code", ["code"], "public static int sumOfSquares(int n) {\n    // returns 1^2 + 2^2 + ... + n^2\n"),
("code", ["code"], "func IsPerfectSquare(n int) bool {\n\t// IsPerfectSquare reports whether n is the square of an integer.\n"),
("code", ["code"], "/* Return the median of the n numbers in arr (n is odd). */\ndouble median(double *arr, int n) {\n"),
("code", ["code"], "/// Returns the greatest common divisor of a and b.\n/// assert_eq!(gcd(12, 18), 6);\nfn gcd(a: u64, b: u64) -> u64 {\n"),
("code", ["code"], "def triangle_area(a, h):\n    \"\"\"Given length of a side and high return area for a triangle.\n    >>> triangle_area(5, 3)\n    7.5\n    \"\"\"\n"),
("code", ["code"], "def fizz_count(n: int) -> int:\n    \"\"\"Return how many integers below n are divisible by 11 or 13 and contain the digit 7.\"\"\"\n"),
# --- a fourteenth probe (15: judge-style statements, translation asks, competition math),
# --- written before the detector ran on it: 2 misses then ('the German version of', a
# --- "how do you say" asked in Chinese), 0 after
("code", ["code"], "You are given N sticks with lengths L_1, ..., L_N. Find the number of ways to choose three sticks that can form a triangle.\n\nConstraints\n3 <= N <= 2000\n1 <= L_i <= 1000\n\nInput\nN\nL_1 L_2 ... L_N\n\nOutput\nPrint the answer."),
("code", ["code"], "Petya has a string s of length n consisting of lowercase letters. In one move he may delete any character. What is the minimum number of moves to make s a palindrome? Each test contains several test cases; the first line holds t (1 ≤ t ≤ 10^4)."),
("code", ["code"], "Given an integer array nums, return the length of the longest strictly increasing subsequence.\n\nExample 1:\nInput: nums = [10,9,2,5,3,7,101,18]\nOutput: 4\n\nConstraints:\n1 <= nums.length <= 2500"),
("code", ["code"], "A frog is at position 0 on a number line and wants to reach position n. It can jump 1 or 2 units. Count the distinct jump sequences modulo 1,000,000,007. n is at most 10^6. Read n from standard input and print the count."),
("code", ["code"], "Alice and Bob play a game with a pile of n stones, taking 1, 3 or 4 stones per turn; whoever cannot move loses. For each query n (up to 10^5 queries, n ≤ 10^6), output \"Alice\" or \"Bob\" assuming optimal play."),
("translation", ["translation"], "Could you put this into Portuguese for me? \"The meeting has been moved to Thursday at 3 pm.\""),
("translation", ["translation"], "What's \"I'm allergic to peanuts\" in Thai?"),
("translation", ["translation"], "Translate the following menu items to English: pollo al ajillo, gambas a la plancha, tortilla española."),
("translation", ["translation"], "我想知道 \"break a leg\" 用中文怎么说？"),
("translation", ["translation"], "Please provide the German version of this sentence: We look forward to working with you."),
("math", ["math"], "Let $f(x) = x^3 - 6x^2 + 11x - 6$. Find the sum of the squares of the roots of $f$."),
("math", ["math"], "How many positive integers less than 1000 are divisible by neither 7 nor 11?"),
("math", ["math"], "In triangle $ABC$, $AB = 13$, $BC = 14$, and $CA = 15$. Find the length of the altitude from $A$."),
("math", ["math"], "Compute $\\sum_{k=1}^{50} \\frac{1}{k(k+1)}$."),
("math", ["math"], "A fair coin is flipped 10 times. What is the probability of getting at least 8 heads? Express your answer as a common fraction."),
# --- a fifteenth probe (15 translation asks of many forms), written before the detector ran on
# --- it: 5 misses then ("How would a Spaniard say", "in French, keeping it formal", "'…' in
# --- Russian.", "into Brazilian Portuguese", "Say '…' in Turkish."), 1 after (the "Rewrite …
# --- in French," one, whose "rewrite" still outweighs the language)
("translation", ["translation"], "How would a Spaniard say 'I'm running late, start without me'?"),
("translation", ["translation"], "Can you help me say 'happy birthday, grandma' in Polish?"),
("translation", ["translation"], "Turn this sentence into Japanese: The train to Kyoto leaves at seven."),
("translation", ["translation"], "I need this in Korean: Please take off your shoes before entering."),
("translation", ["translation"], "What is the Italian translation of 'the check, please'?"),
("translation", ["translation"], "Rewrite the following in French, keeping it formal: We regret to inform you that your application was not successful."),
("translation", ["translation"], "Give me the Arabic for 'peace be upon you' with a transliteration."),
("translation", ["translation"], "Translate from Dutch to English: Ik heb de hele dag gewerkt en ik ben moe."),
("translation", ["translation"], "Express 'where is the nearest pharmacy?' in Russian."),
("translation", ["translation"], "How do you write 'thank you for your patience' in Vietnamese?"),
("translation", ["translation"], "Convert this English paragraph into Brazilian Portuguese: Our store will be closed on Monday for inventory."),
("translation", ["translation"], "What does 'Schadenfreude' mean in English?"),
("translation", ["translation"], "Spanish to English please: Me gustaría reservar una mesa para dos personas."),
("translation", ["translation"], "Can you translate these three phrases to Greek? Good morning. Good night. See you tomorrow."),
("translation", ["translation"], "Say 'I love this city' in Turkish."),
# --- a sixteenth probe (15: role-play, logic puzzles without logic words, competition math in
# --- words), written before the detector ran on it: 4 misses then (a role-play whose character
# --- deduces, read as reasoning; a seating puzzle and a riddle read as questions; "How many
# --- diagonals does a convex polygon…" read as a question), 2 after (the role-play, the riddle)
("writing", ["writing"], "Pretend you are a grumpy medieval innkeeper and greet me as I walk in soaked from the rain."),
("writing", ["writing"], "You are Sherlock Holmes. Deduce three things about me from the fact that I arrived with mud on my left boot."),
("writing", ["writing"], "Act as my Spanish conversation partner for a café role-play; start by asking what I would like to order."),
("writing", ["writing"], "Let's role-play: you're a nervous astronaut radioing mission control after a meteor strike. Go."),
("writing", ["writing"], "Imagine you are a tour guide in ancient Rome and describe the Colosseum on opening day."),
("reasoning", ["reasoning", "math"], "Five houses in a row are painted different colours. The green house is immediately left of the white one, the red house is in the middle, and the blue house is at one end. Which house is yellow?"),
("reasoning", ["reasoning"], "If all bloops are razzies and some razzies are lazzies, can we conclude that some bloops are lazzies? Explain."),
("reasoning", ["reasoning", "math"], "A man looks at a portrait and says: 'Brothers and sisters I have none, but that man's father is my father's son.' Who is in the portrait?"),
("reasoning", ["reasoning"], "Three boxes are labelled apples, oranges and mixed, and every label is wrong. You may take one fruit from one box. How do you relabel them correctly?"),
("reasoning", ["reasoning", "math"], "Anna is taller than Ben, Ben is taller than Carl, and Dana is shorter than Carl but taller than Eve. Who is the second shortest?"),
("math", ["math"], "Find the remainder when 2 to the power 100 is divided by 7."),
("math", ["math"], "What is the sum of all two-digit numbers whose digits add up to 9?"),
("math", ["math"], "Solve for x: 3(x - 4) + 2 = 5x - 14."),
("math", ["math"], "How many diagonals does a convex polygon with 12 sides have?"),
("math", ["math"], "The arithmetic mean of four numbers is 15. Three of them are 10, 12 and 20. What is the fourth?"),
# --- a seventeenth probe (20: text pasted first and asked about after: emails, articles, data,
# --- code, a clinical note, a recipe), written before the detector ran on it: 10 misses with the
# --- router before the pasted-material rule, 6 after it (the passage's figures and "returns"
# --- read as math or code, "What is the most likely diagnosis" as a quantity ask, an email
# --- saying "you" read as the ask), 2 after the fixes (CSV rows before "Convert this to JSON",
# --- a syllogism read as analysis)
("pasted", ["writing", "formatting"], "Hi team, the quarterly review moved from Tuesday 14 March at 10:00 to Thursday 16 March at 15:30 in room 4B. Please bring the figures for Q1: revenue was 1.2M, up 8% from 1.1M, and churn fell to 3.4%. Lunch will be served for the 12 people who confirmed; tell Dana by Monday if you have dietary needs. Thanks, Marc\n\nCan you turn this into a short, friendlier version for Slack?"),
("pasted", ["summarization"], "The mitochondrion is a double-membraned organelle found in most eukaryotic cells. It generates most of the cell's supply of adenosine triphosphate (ATP), used as a source of chemical energy. Mitochondria have their own DNA, inherited from the mother, and are thought to descend from bacteria engulfed by an ancestral cell some 1.5 billion years ago. A human cell holds from a few hundred to a few thousand of them.\n\nSummarize this in one sentence for a ten-year-old."),
("pasted", ["code"], "def merge(a, b):\n    out = []\n    i = j = 0\n    while i < len(a) and j < len(b):\n        if a[i] < b[j]:\n            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out\n\nWhy does this lose elements at the end?"),
("pasted", ["math"], "Quarterly sales by region (units): North 1,240 / 1,310 / 1,580 / 1,620; South 980 / 1,020 / 940 / 1,100; East 2,010 / 1,950 / 2,200 / 2,430; West 760 / 810 / 790 / 905. Prices stayed at $24 a unit all year, and returns ran at about 2% in every region except East, where they reached 5% in the last quarter after a packaging change.\n\nWhat was the total revenue for the year, net of returns?"),
("pasted", ["analysis", "writing"], "I walked the old road home tonight, past the mill and the empty school, and every window I remembered had a stranger's light in it. The river still ran loud under the bridge, as if nothing had happened in thirty years, and I stood there until the cold got into my coat and I could not tell any more whether I was sad or only tired.\n\nWhat is the mood of this passage, and how does the writer create it?"),
("pasted", ["classification"], "Dear Sir or Madam, I am writing to complain about order #44721, placed on 3 May. The blender arrived with a cracked jug, and the replacement I was promised on 9 May has not arrived after 21 days and three phone calls. I would like a full refund of £89.99 to my original card, or a working replacement delivered within 7 days.\n\nIs this a complaint, a question, or a compliment? Answer with one word."),
("pasted", ["translation"], "Der Zug nach München fährt heute wegen Bauarbeiten nicht von Gleis 5, sondern von Gleis 12 ab. Reisende nach Augsburg steigen bitte in die vorderen Wagen ein, da der Zug in Donauwörth geteilt wird. Wir bitten um Ihr Verständnis und wünschen eine gute Fahrt mit der Deutschen Bahn und unseren Partnern im Nahverkehr der Region.\n\nTranslate this announcement into English."),
("pasted", ["analysis", "reasoning"], "Patient is a 54-year-old man with a 3-day history of fever up to 39.2 °C, productive cough and right-sided chest pain on inspiration. Heart rate 104, blood pressure 118/76, oxygen saturation 92% on room air. Crackles over the right lower lobe. White cell count 15.8, CRP 182. He smokes 20 a day and has type 2 diabetes treated with metformin.\n\nWhat is the most likely diagnosis and what should be done first?"),
("pasted", ["formatting"], "Name, Email, Signup date, Plan\nAna Ruiz, ana@example.com, 2024-01-03, Pro\nBen Okafor, ben@example.com, 2024-02-11, Free\nChen Wei, chen@example.com, 2024-02-19, Pro\nDora Lind, dora@example.com, 2024-03-02, Team\nEli Marsh, eli@example.com, 2024-03-15, Free\n\nConvert this to a JSON array of objects."),
("pasted", ["extraction", "analysis", "writing"], "In 1977 the two Voyager probes were launched from Cape Canaveral, sixteen days apart, to take advantage of a rare alignment of the outer planets that happens once every 175 years. Voyager 2 flew past Jupiter in 1979, Saturn in 1981, Uranus in 1986 and Neptune in 1989, and is still the only spacecraft to have visited the two ice giants. Both probes now travel through interstellar space more than 20 billion kilometres from Earth.\n\nWhich planets did Voyager 2 visit?"),
("pasted", ["extraction", "summarization", "formatting"], "The committee met on 4 June. Present: the chair, the treasurer and four members; two sent apologies. The treasurer reported a balance of 3,412 after the spring fair, which raised 1,150. The roof repair quote of 2,800 was approved by five votes to one. The summer outing will be on 19 July; members will pay 15 each and the club will cover the coach.\n\nList the decisions taken, as bullet points."),
("pasted", ["writing", "analysis"], "You are a customer-support assistant for a company that sells refurbished laptops. Customers write in with problems about delivery, warranty claims and returns, and you answer politely and briefly, always asking for the order number if it is missing. Never promise a refund yourself: say that a colleague will confirm it within two working days. Keep answers under 80 words.\n\nMy laptop's battery dies after 40 minutes. It's 3 weeks old."),
("pasted", ["analysis", "writing", "extraction"], "We hold these truths to be self-evident, that all men are created equal, that they are endowed by their Creator with certain unalienable Rights, that among these are Life, Liberty and the pursuit of Happiness. That to secure these rights, Governments are instituted among Men, deriving their just powers from the consent of the governed.\n\nWho wrote this, and when?"),
("pasted", ["math"], "Ingredients: 250 g flour, 2 eggs, 500 ml milk, a pinch of salt, 30 g melted butter. Whisk the flour and salt, make a well, add the eggs and half the milk and whisk to a smooth batter, then the rest of the milk and the butter. Rest 30 minutes. Cook in a hot pan, about 60 ml per crêpe, 1 minute a side. Makes about 12.\n\nHow much flour would I need for 30 crêpes?"),
("pasted", ["code"], "SELECT c.name, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\nWHERE o.created_at > '2024-01-01'\nGROUP BY c.name\nORDER BY orders DESC;\n\nWhy do customers with no orders not show up?"),
("pasted", ["summarization", "writing"], "The city council voted 7 to 2 on Tuesday to ban cars from the historic centre on weekends from next April. Shop owners say footfall will fall by a third; a pilot in 2022 showed a 12% rise in visitors instead. Buses will run every 8 minutes from two new park-and-ride sites with 1,400 spaces, and residents keep their permits.\n\nWrite a headline and a two-sentence summary."),
("pasted", ["reasoning"], "All the birds in the aviary are either finches or canaries. Every canary sings in the morning. Some finches sing in the morning, but none of them sings at night. Pip is a bird in the aviary that sings at night and is not a canary that came from the south wing, where all the canaries are kept.\n\nCan Pip be a finch? Explain step by step."),
("pasted", ["translation", "analysis", "writing"], "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur.\n\nWhat language is this and what does it mean?"),
("pasted", ["analysis", "writing", "extraction"], "The Eiffel Tower is 330 metres tall and weighs about 10,100 tonnes. It was built in 2 years, 2 months and 5 days for the 1889 World's Fair, by some 300 workers who joined 18,038 pieces of wrought iron with 2.5 million rivets. It was the tallest structure in the world for 41 years, until the Chrysler Building was finished in New York in 1930.\n\nWhy was it built?"),
("pasted", ["analysis", "reasoning"], "Our startup has 14 months of runway at the current burn of 85k a month. We have 3 engineers, 1 designer and 2 salespeople, and revenue grew from 4k to 19k MRR over the last 6 months. Two investors offered terms: one 1.5M at a 9M pre-money valuation, the other 2M at 12M pre with a board seat.\n\nWhich offer should we take and why?"),
# --- an eighteenth probe (10: long asks, over 300 bytes, then a short closing line), written to
# --- attack the pasted-material rule: 3 misses with that rule as first written (an ask opening
# --- "Summarize…" read as material; two requests with a budget read as math), 1 after asks
# --- opening with an imperative stayed asks and a request's numbers became its constraints
# --- (an explanation of a "one-way function" read as code)
("long-ask", ["writing"], "Write a short story about a lighthouse keeper on a remote Scottish island who finds a message in a bottle written in his own handwriting, dated forty years in the future. The story should be melancholic but end with a note of hope, use vivid descriptions of the sea and the weather, and include at least one conversation with the supply-boat captain who visits once a month.\n\nKeep it under 600 words."),
("long-ask", ["writing", "formatting", "analysis"], "Create a detailed weekly meal plan for a family of four with two teenagers who play sports, on a budget of about 150 dollars a week, with breakfasts, lunches to pack for school, dinners that take at most 40 minutes, and one batch-cooking session on Sunday. Avoid pork and keep at least two dinners vegetarian, and make the shopping list easy to follow at a normal supermarket.\n\nPut it in a table."),
("long-ask", ["analysis", "writing"], "Explain how public-key cryptography lets two people who have never met agree on a secret over a channel that everyone can read, covering the idea of a one-way function, why factoring large numbers is hard, how a certificate authority fits in when you connect to a bank's website, and what would change if large quantum computers became practical in the next decade.\n\nAim it at a curious high-school student."),
("long-ask", ["code"], "Design a database schema for a small veterinary clinic that tracks owners, their pets, appointments, the vets who see them, treatments and invoices. Each pet can have several owners, each appointment can involve several treatments, and invoices can be paid in several instalments. Say which columns need indexes for the daily appointment view and the monthly revenue report.\n\nUse PostgreSQL."),
("long-ask", ["analysis", "writing"], "Compare the economic policies of Margaret Thatcher and Ronald Reagan in the 1980s, looking at taxation, the role of trade unions, privatisation and deregulation, monetary policy and inflation, and how each government dealt with unemployment, and say which of their ideas have lasted in British and American politics and which have been reversed since the financial crisis of 2008.\n\nAbout 800 words, with headings."),
("long-ask", ["summarization", "analysis", "writing"], "Summarize the main arguments for and against a four-day working week, drawing on the trials run in Iceland, the United Kingdom and New Zealand, the effects on productivity, staff wellbeing and recruitment that employers reported, the sectors where it is hardest to apply such as healthcare and retail, and the concerns economists have raised about costs and competitiveness.\n\nBullet points please."),
("long-ask", ["code"], "I need a Python script that watches a folder for new CSV files, validates that each has the columns date, store, product and amount, loads the valid ones into a SQLite table, moves invalid files to a quarantine folder with a log line explaining what was wrong, and sends a summary email at the end of every day with the number of rows loaded per store.\n\nIt has to run on Windows."),
("long-ask", ["translation"], "Translate the following paragraph into Spanish, keeping the friendly tone and adapting the idioms rather than translating them word for word, because it is going on the website of a small family hotel: We can't wait to welcome you! Our rooms are a stone's throw from the beach, breakfast is on the house, and if it rains cats and dogs we have board games and hot chocolate waiting.\n\nUse the informal tú form."),
("long-ask", ["writing", "analysis"], "Help me plan a two-week trip to Japan in April for two adults who like food, gardens and hiking but not big crowds, starting and ending in Tokyo, with a rail pass if it is worth it, a few nights in a traditional inn with hot springs, and at least one day hike on an old post road. We have about 5,000 dollars for everything except flights.\n\nDay by day, please."),
("long-ask", ["math"], "Solve the following system and show every step clearly so that a student who missed the lesson can follow along: two times x plus three times y equals twelve, four times x minus y equals ten, and then check the solution by substituting it back into both equations, and finally explain how the same method would extend to a system of three equations in three unknowns.\n\nNo matrices."),
]

for i, (category, accept, prompt) in enumerate(ROWS, 1):
    print(json.dumps({"id": f"a{i}", "prompt": prompt, "category": category, "accept": accept}, ensure_ascii=False))
