//! The bundled keyword lists. Each list starts with the handful of words a keyword-first
//! baseline router matched for the task (the first task, in a fixed order, whose word appears
//! wins), so every prompt that baseline recognised still scores for the same task here; then
//! come the words and phrases that signal the task in everyday prompts. They are defaults only: the rule file carries its own copy,
//! which the user edits. A weight says how strongly one distinct hit points at the task.

use crate::task::Task;

type List = &'static [(&'static str, f64)];

/// Languages whose names, after "into"/"to"/"from", ask for a translation.
#[rustfmt::skip]
pub const LANGUAGES: &[&str] = &[
    "english", "french", "spanish", "german", "italian", "portuguese", "dutch",
    "russian", "ukrainian", "polish", "czech", "swedish", "norwegian", "danish", "finnish",
    "greek", "turkish", "arabic", "hebrew", "persian", "hindi", "bengali", "urdu", "chinese",
    "mandarin", "cantonese", "japanese", "korean", "vietnamese", "thai", "indonesian", "malay",
    "swahili", "latin", "brazilian portuguese", "european portuguese", "simplified chinese",
    "traditional chinese", "mexican spanish", "castilian spanish",
];

/// Speakers of a language, as "How do Germans say 'cheers'?" names them.
#[rustfmt::skip]
pub const SPEAKERS: &[&str] = &[
    "germans", "the germans", "the french", "french people", "italians", "spaniards",
    "the spanish", "portuguese people", "brazilians", "mexicans", "the dutch", "russians",
    "poles", "swedes", "norwegians", "danes", "finns", "greeks", "turks", "arabs", "israelis",
    "the chinese", "chinese people", "the japanese", "japanese people", "koreans",
    "vietnamese people", "thais", "indians", "the british", "brits", "americans", "australians",
    // One speaker: "How would a Spaniard say…?"
    "a german", "a french person", "an italian", "a spaniard", "a mexican", "a brazilian",
    "a russian", "a pole", "a swede", "a greek", "a turk", "a japanese person", "a korean",
    "a chinese person", "a native speaker",
];

#[rustfmt::skip]
const REASONING: List = &[
    // Baseline words first: "prove", "derive", "solve this", "reason through".
    ("prove", 1.5), ("derive", 1.5), ("solve this", 1.0), ("reason through", 2.0),
    ("reasoning", 1.5), ("reason", 0.5), ("logic", 1.5), ("logical", 1.5), ("logically", 1.5),
    ("puzzle", 2.0), ("riddle", 2.0), ("brain teaser", 2.0), ("deduce", 2.0),
    ("deduction", 2.0), ("infer", 1.5), ("step by step", 1.0), ("true or false", 1.5),
    ("uncertain", 1.0), ("relationship between", 1.0), ("does not belong", 2.0),
    ("doesn't belong", 2.0), ("odd one out", 2.0), ("what could be", 1.0), ("conclude", 1.0),
    ("conclusion", 1.0), ("contradiction", 1.0), ("paradox", 1.5), ("implies", 1.0),
    ("think through", 1.5), ("counterintuitive", 1.0), ("explain why", 0.5),
    ("trick question", 2.0), ("scenario", 0.5),
    // Constraint puzzles told as a story: "Here are some clues…", "Each person has a
    // different preference…".
    ("clues", 1.5), ("has a different", 1.0), ("have a different", 1.0),
    ("necessarily", 1.0), ("must be true", 1.5), ("does it follow", 1.5), ("can we conclude", 1.5),
    ("if all", 1.0), ("definitely", 0.5), ("syllogism", 2.0), ("what follows", 2.0),
    ("taller than", 1.0), ("older than", 0.5), ("every label", 1.5), ("liars", 1.5), ("knights", 1.0),
    ("tells the truth", 2.0),
    // Positions and orders a puzzle constrains ("immediately left of the white one", "at one
    // end", "shorter than Carl"): one of them is a fact, several a puzzle.
    ("left of", 0.75), ("right of", 0.75), ("at one end", 1.0), ("in the middle", 0.5),
    ("shorter than", 0.75), ("younger than", 0.5), ("sits next to", 1.0), ("sits between", 1.0),
    ("brothers and sisters", 0.5),
    ("with an explanation", 1.0), ("explain your answer", 1.0), ("justify", 1.0), ("proof", 1.0),
];

#[rustfmt::skip]
const MATH: List = &[
    // Baseline words first: "calculate", "math", "equation".
    ("calculate", 1.5), ("math", 1.5), ("equation", 1.5), ("mathematics", 1.5),
    ("mathematical", 1.0), ("solve", 1.0), ("compute", 1.0), ("prove", 1.0),
    ("probability", 2.0), ("integer", 1.5), ("remainder", 1.5), ("divided by", 1.5),
    ("divisible", 1.5), ("multiplication", 1.0), ("prime", 1.0), ("derivative of", 2.0), ("integral of", 2.0), ("sum of", 1.0), ("area", 0.5), ("area of", 1.0), ("perimeter", 1.5),
    ("triangle", 1.0), ("circle", 0.5), ("radius", 1.0), ("angle", 1.0), ("polynomial", 2.0),
    // Number theory's objects: "the four smallest perfect numbers".
    ("perfect number", 2.0), ("perfect square", 2.0), ("common divisor", 2.0),
    ("common multiple", 2.0), ("positive integers", 1.5),
    ("derivative", 2.0), ("integral", 2.0), ("inequality", 2.0), ("fraction", 1.5),
    ("percent", 1.0), ("percentage", 1.0), ("% of", 1.5), ("percent of", 1.5), ("average", 0.5), ("ratio", 1.0), ("how many", 0.5),
    ("how much", 0.5), ("total", 0.5), ("value of", 1.0), ("expression", 0.5), ("express", 0.5),
    ("simplify", 1.0), ("geometry", 2.0), ("algebra", 2.0), ("arithmetic", 2.0),
    ("theorem", 1.5), ("matrix", 1.0), ("logarithm", 2.0), ("square root", 1.5),
    ("real numbers", 1.5), ("digits", 1.0), ("modulo", 1.5), ("gcd", 2.0), ("lcm", 2.0),
    ("dice", 1.5), ("compound interest", 2.0), ("vertices", 0.5), ("coordinates", 1.0),
    ("function f", 1.5), ("positive integer", 1.5), ("real number", 1.5), ("sequence", 0.5),
    ("series", 0.5), ("evaluate the", 0.5), ("minimum value", 1.5), ("maximum value", 1.5),
    ("find all", 0.5), ("solutions", 0.5), ("graph of", 1.0), ("irrational", 1.5), ("rational number", 1.5),
    ("number theory", 2.0), ("catalan number", 2.0), ("binomial coefficient", 2.0),
    ("evaluate", 0.75), ("least common multiple", 2.0), ("lowest common multiple", 2.0),
    ("greatest common divisor", 2.0), ("greatest common factor", 2.0), ("divisor", 1.5),
    ("to celsius", 2.5), ("to fahrenheit", 2.5), ("to kelvin", 2.5),
    ("factorial", 1.5), ("prime factor", 1.5), ("asymptote", 2.0),
    // Figures of geometry: the topic of a problem about them.
    ("polygon", 1.0), ("diagonals", 1.0), ("convex", 0.5), ("pentagon", 1.0), ("hexagon", 1.0),
    ("octagon", 1.0), ("rectangle", 1.0), ("parallelogram", 1.5), ("trapezoid", 1.5),
    ("rhombus", 1.5), ("hypotenuse", 2.0), ("circumference", 1.5), ("cylinder", 0.5),
    ("sphere", 0.5), ("cube", 0.5), ("congruent", 1.5), ("isosceles", 2.0), ("equilateral", 2.0),
    // Word problems: money, ages, rates and multiples.
    ("dollars", 1.0), ("how old", 1.5), ("times as many", 1.5), ("twice as many", 1.5),
    ("times as much", 1.5), ("twice as much", 1.5), ("as old as", 1.5), ("at the same rate", 1.5),
    ("at this rate", 1.0),
    ("per hour", 1.0), ("how long will it take", 1.5), ("how many more", 1.0),
    ("how much more", 1.0), ("how much money", 1.5), ("in total", 0.5), ("altogether", 1.0),
    ("how many ways", 2.5), ("permutation", 2.0), ("combinations", 1.0), ("arrangements", 1.0),
    ("how long does it take", 1.0), ("how long will", 1.0), ("hours", 0.5), ("km", 0.5),
    // Quantities with units: the measures word problems compute with.
    ("feet", 0.5), ("square feet", 1.5), ("square meters", 1.5), ("meters", 0.5),
    ("centimeters", 0.5), ("inches", 0.5), ("miles", 0.5), ("kilograms", 0.5), ("grams", 0.5),
    ("liters", 0.5), ("gallons", 0.5), ("cents", 1.0), ("per minute", 1.0), ("per day", 0.5),
    ("per week", 0.5), ("speed", 0.5),
];

#[rustfmt::skip]
const CODE: List = &[
    // Baseline words first: "debug", "fix this code", "error in".
    ("debug", 2.0), ("fix this code", 2.0), ("error in", 0.5), ("code", 1.5), ("coding", 1.5),
    ("bug", 2.0), ("function", 1.5), ("program", 1.5), ("programming", 1.5), ("implement", 1.5),
    ("implementation", 0.75), ("algorithm", 1.5), ("compile", 1.5), ("compiler", 1.5),
    ("refactor", 2.0), ("unit test", 2.0), ("regex", 1.5), ("api", 1.0), ("array", 1.0),
    ("linked list", 1.5), ("binary tree", 1.5), ("data structure", 1.5), ("stack trace", 2.0),
    ("exception", 1.0), ("time complexity", 1.5), ("space complexity", 1.5), ("recursion", 1.5),
    ("recursive", 1.0), ("sql", 2.0), ("html", 2.0), ("css", 2.0), ("javascript", 2.0),
    ("typescript", 2.0), ("python", 2.0), ("java", 2.0), ("c++", 2.0), ("c#", 2.0),
    ("rust", 1.0), ("golang", 2.0), ("kotlin", 2.0), ("swift", 0.5), ("bash", 1.5),
    ("shell script", 2.0), ("snippet", 1.5), ("syntax", 1.0), ("website", 1.0), ("docker", 1.5),
    ("git", 1.0), ("class", 0.5), ("web page", 1.5), ("webpage", 1.5),
    ("button", 1.0), ("clicks", 1.0), ("in html", 2.0), ("dropdown", 1.5),  ("variable", 0.5), ("script", 0.5),
    ("input strings", 1.0),   ("segfault", 2.0),
    ("null pointer", 2.0), ("endpoint", 1.0), ("frontend", 1.5), ("backend", 1.5),
    ("react component", 2.0), ("sorted", 0.5),
    // "Write" leads many coding asks; these phrases outweigh the writing verb.
    ("write a function", 3.0), ("write a program", 3.0), ("write a script", 2.0),
    ("write code", 3.0), ("a function that", 1.5), ("a program that", 1.5),
    // Exercise phrasing of coding problems (LeetCode, HumanEval, MBPP).
    ("given a string", 2.0), ("given an array", 2.0), ("given an integer array", 2.0),
    ("substring", 1.5), ("subarray", 2.0), ("nums", 2.0), ("indices", 1.0), ("string", 0.5),
    ("o(n)", 1.5), ("o(1)", 1.5), ("o(log n)", 1.5), ("o(n log n)", 1.5), ("o(n^2)", 1.5),
    // What a docstring or a judge's statement says a program does: "Return the number…", "The
    // first line contains…", "For each test case print…". (A bare "return" is not here: funds,
    // shops and travellers return things too.)
    ("return the", 1.0), ("returns the", 0.5), ("print", 1.0), ("test case", 2.0),
    ("the first line", 2.0), ("the next line", 1.5), ("standard input", 2.0), ("stdin", 2.0),
    ("stdout", 2.0), ("time limit", 1.5), ("memory limit", 1.5), ("leetcode", 3.0),
    ("given a list", 1.5), ("list of integers", 1.0), ("list of strings", 1.5),
    ("input list", 1.5), ("boolean", 1.0), ("write a method", 3.0), ("write a class", 3.0),
    ("write a python", 3.0), ("write a sql", 3.0), ("sql query", 2.0), ("write a bash", 3.0),
    ("command line", 1.0), ("pseudocode", 2.0), ("unit tests", 2.0), ("edge cases", 1.0),
    // "Translate this into Rust" asks for code, not a translation.
    ("into python", 3.0), ("to python", 2.0), ("into rust", 3.0), ("to rust", 2.0),
    ("into javascript", 3.0), ("to javascript", 2.0), ("into typescript", 3.0),
    ("to typescript", 2.0), ("into java", 3.0), ("into c++", 3.0), ("into golang", 3.0),
    ("into go", 2.0), ("into c#", 3.0), ("into kotlin", 3.0), ("this code", 2.0),
    ("regular expression", 2.0), ("one-liner", 1.5),
    // Running a machine from its shell: "what is using port 8080", "sudo", "chmod".
    ("in the terminal", 2.0), ("using port", 1.5), ("on port", 1.5),
    ("sudo", 2.0), ("chmod", 2.0), ("environment variable", 2.0), ("command prompt", 1.5),
    // "Given an integer n, return…", "Write efficient code…", "for n up to 10^6": the
    // phrasing and the input bounds of programming exercises about numbers.
    ("given an integer", 2.0), ("efficient code", 2.0), ("code that", 1.5), ("up to 10^", 1.5),
    // The software ecosystem: libraries, frameworks, tools, platforms and their vocabulary. A
    // question about one is a programming question even with no code and no "write code" in
    // it ("how do I fetch data with @tanstack/vue-query", "scrape a page without selenium").
    ("pandas", 2.0), ("numpy", 2.0), ("matplotlib", 2.0), ("seaborn", 2.0), ("scipy", 2.0),
    ("tensorflow", 2.0), ("pytorch", 2.0), ("keras", 2.0), ("scikit-learn", 2.0), ("sklearn", 2.0),
    ("dataframe", 2.0), ("django", 2.0), ("flask", 1.0), ("fastapi", 2.0), ("reactjs", 2.0),
    ("react.js", 2.0), ("react app", 2.0), ("vue", 1.5), ("vue.js", 2.0), ("vue3", 2.0),
    ("angular", 1.0), ("next.js", 2.0), ("nextjs", 2.0), ("node.js", 2.0), ("nodejs", 2.0),
    ("npm", 2.0), ("tailwind", 2.0), ("jquery", 2.0), ("svelte", 2.0), ("laravel", 2.0),
    ("symfony", 2.0), ("composer.json", 2.0), ("php", 2.0), ("ruby", 1.0), ("ruby on rails", 2.0),
    ("perl", 1.5), ("scala", 1.5), ("haskell", 2.0), ("lua", 2.0), ("luau", 2.0), ("matlab", 2.0),
    ("vba", 2.0), ("vb.net", 2.0), (".net", 1.5), ("asp.net", 2.0), ("powershell", 2.0),
    ("linux", 1.5), ("ubuntu", 1.5), ("nginx", 2.0), ("kubernetes", 2.0), ("terraform", 2.0),
    ("ansible", 2.0), ("aws", 1.5), ("aws lambda", 2.0), ("ec2", 2.0), ("s3 bucket", 2.0),
    ("cron", 2.0), ("crontab", 2.0), ("systemd", 2.0), ("systemctl", 2.0), ("ssh", 1.5),
    ("sshd", 2.0), ("github", 1.5), ("gitlab", 1.5), ("github actions", 2.0), ("dockerfile", 2.0),
    ("docker-compose", 2.0), ("svg", 1.5), ("xaml", 2.0), ("wpf", 2.0), ("pyqt", 2.0),
    ("pyqt5", 2.0), ("pyqt6", 2.0), ("pyside6", 2.0), ("tkinter", 2.0), ("gui", 1.0),
    ("sdk", 1.5), ("mysql", 2.0), ("postgresql", 2.0), ("postgres", 2.0), ("sqlite", 2.0),
    ("sqlite3", 2.0), ("mongodb", 2.0), ("redis", 2.0), ("elasticsearch", 2.0), ("graphql", 2.0),
    ("rest api", 2.0), ("http request", 2.0), ("post request", 2.0), ("websocket", 2.0),
    ("socket", 1.0), ("localhost", 2.0), ("runtime", 1.0), ("llvm", 2.0), ("nixos", 2.0),
    ("cuda", 2.0), ("opencv", 2.0), ("shader", 2.0), ("hlsl", 2.0), ("glsl", 2.0),
    ("unreal engine", 1.5), ("godot", 1.5), ("roblox", 1.5), ("jetpack compose", 2.0),
    ("android app", 1.5), ("ios app", 1.5), ("xcode", 2.0), ("swiftui", 2.0), ("flutter", 2.0),
    ("electron", 0.5), ("vscode", 2.0), ("visual studio", 1.5), ("selenium", 2.0),
    ("playwright", 2.0), ("puppeteer", 2.0), ("beautifulsoup", 2.0), ("web scraping", 2.0),
    ("scrape", 1.5), ("scraping", 1.5), ("scraper", 1.5), ("oauth", 2.0), ("jwt", 2.0),
    ("huggingface", 2.0), ("hugging face", 1.5), ("langchain", 2.0), ("streamlit", 2.0),
    ("gradio", 2.0), ("shiny app", 2.0), ("ggplot", 2.0), ("tidyverse", 2.0), ("dplyr", 2.0),
    ("jupyter", 2.0), ("pip install", 2.0), ("pyspark", 2.0), ("databricks", 1.5),
    ("ffmpeg", 2.0), ("opengl", 2.0), ("webgl", 2.0), ("three.js", 2.0), ("d3.js", 2.0),
    ("chrome extension", 2.0), ("browser extension", 2.0), ("plugin", 0.5), ("codebase", 2.0),
    ("repository", 1.0), ("repo", 1.0), ("deploy", 1.0), ("database", 1.0), ("schema", 0.5),
    ("query", 0.5), ("pytest", 2.0), ("junit", 2.0), ("ci/cd", 2.0), ("merge conflict", 2.0),
    ("pull request", 2.0), ("xpath", 2.0), ("css selector", 2.0), ("dom", 1.0), ("iframe", 2.0),
    ("cors", 2.0), ("api key", 1.5), ("webhook", 2.0), ("http", 1.0), ("https", 0.5),
    ("tcp", 1.5), ("udp", 1.5), ("x86", 1.5), ("nasm", 2.0), ("assembly language", 2.0),
    ("verilog", 2.0), ("vhdl", 2.0), ("fpga", 1.5), ("arduino", 2.0), ("raspberry pi", 1.5),
    ("esp32", 2.0), ("microcontroller", 1.5), ("memory leak", 2.0), ("for loop", 2.0),
    ("while loop", 2.0), ("if statement", 2.0), ("integer overflow", 2.0), ("data type", 1.5),
    ("enum", 1.5), ("struct", 1.5), ("closure", 0.5), ("lambda", 1.0), ("async", 1.5),
    ("await", 1.0), ("multithreading", 2.0), ("race condition", 2.0), ("mutex", 2.0),
    ("deadlock", 1.5), ("garbage collection", 1.5), ("pointer", 1.0), ("pointers", 1.0),
    ("hashmap", 2.0), ("hash map", 2.0), ("tuple", 1.5), ("list comprehension", 2.0),
    ("dataclass", 2.0), ("decorator", 1.0), ("object-oriented", 1.5), ("oop", 1.5),
    ("design pattern", 1.5), ("dependency injection", 2.0), ("orm", 1.5), ("sqlalchemy", 2.0),
    ("serverless", 1.5), ("microservice", 1.5), ("microservices", 1.5), ("namespace", 1.0),
    ("excel formula", 2.0), ("google sheets formula", 2.0), ("spreadsheet formula", 2.0),
    ("command", 0.5), ("terminal", 0.5), ("cli", 1.5), ("compiler error", 2.0), ("stack overflow", 1.0),
];

#[rustfmt::skip]
const WRITING: List = &[
    // Baseline words first: "write", "draft", "compose", "blog".
    ("write", 1.0), ("draft", 1.5), ("compose", 1.5), ("blog", 1.5), ("essay", 1.5),
    ("story", 1.5), ("poem", 2.0), ("poet", 1.0), ("poetry", 2.0), ("letter", 1.0),
    ("email", 1.5), ("article", 1.0), ("paragraph", 1.0), ("headline", 1.5), ("slogan", 1.5),
    ("speech", 1.0), ("lyrics", 1.5), ("rewrite", 1.5), ("proofread", 1.5), ("edit", 1.0),
    ("grammar", 1.0), ("grammatical", 1.0), ("creative", 1.0), ("fictional", 1.5),
    ("fiction", 1.5), ("character", 0.5), ("narrative", 1.0), ("persuasive", 1.5),
    ("outline", 0.5), ("tweet", 1.0), ("caption", 1.0), ("tagline", 1.5), ("cover letter", 1.5),
    ("lesson plan", 1.5), ("craft", 1.0), ("describe", 0.5), ("vivid", 1.0), ("imagery", 1.0),
    ("catchy", 1.5), ("engaging", 1.0), ("suggest", 0.5), ("ideas", 0.5), ("brainstorm", 1.5),
    ("plan", 0.5), ("advice", 0.5),
    // Role-play is writing in character: an explicit framing outweighs the topic of the role
    // ("act as a math teacher" asks for a teacher's voice, not a calculation).
    ("pretend", 3.0), ("act as", 4.0), ("role-play", 4.0), ("roleplay", 4.0),
    ("assume the role", 4.0), ("take on the role", 4.0), ("embrace the role", 4.0),
    ("play the role", 4.0), ("in the role of", 4.0), ("your role", 2.0), ("persona", 2.5),
    ("embody", 2.0), ("imagine yourself", 2.5), ("picture yourself", 2.5),
    ("suppose you are", 2.0), ("imagine you are", 3.0), ("you are a", 2.0),
    ("now you are", 2.0), ("in character", 2.0), ("as if you were", 2.0),
    ("if you were a", 2.0), ("if you were an", 2.0), ("consider yourself", 2.0),
    ("imagine being", 2.0),
    ("you are an", 2.0), ("you're a", 2.0), ("pretend to be", 4.0), ("i want you to act", 4.0),
    ("stay in character", 4.0), ("in the voice of", 3.0), ("respond as", 3.0),
    ("answer as", 2.0), ("speak as", 3.0), ("you will play", 3.0), ("as a character", 2.0),
    ("from the perspective of", 1.5), ("imagine you're", 3.0), ("dialogue", 1.5),
    ("monologue", 2.0), ("screenplay", 2.0), ("haiku", 2.0), ("limerick", 2.0), ("sonnet", 2.0),
    ("song", 1.0), ("joke", 1.5), ("toast", 1.0), ("invitation", 1.0), ("announcement", 1.0),
    ("product description", 2.0), ("social media post", 2.0), ("thank-you note", 2.0),
    ("bio", 1.0), ("résumé", 1.0), ("resume", 0.5), ("script for", 1.0),
    // Asks to make something up: names, mottos, descriptions, ideas.
    ("generate", 0.5), ("come up with", 1.0), ("description", 1.0), ("motto", 1.5),
    ("acronym", 1.0), ("name for", 1.0), ("create", 0.5), ("invent", 1.0),
];

#[rustfmt::skip]
const ANALYSIS: List = &[
    ("analyze", 2.0), ("analyse", 2.0), ("analysis", 2.0), ("compare", 1.5), ("contrast", 1.5),
    ("evaluate", 1.0), ("assess", 1.5), ("explain", 1.0), ("discuss", 1.5),
    ("pros and cons", 2.0), ("advantages", 1.0), ("disadvantages", 1.0), ("impact", 1.0),
    ("influence", 1.0), ("influenced", 1.0), ("implications", 1.5), ("why", 0.5),
    ("how does", 1.0), ("how do", 0.5), ("what is", 0.5), ("what are", 0.5),
    ("differences", 1.5), ("difference between", 1.5), ("insights", 1.5), ("trends", 1.0),
    ("correlation", 1.5), ("critique", 1.5), ("examine", 1.5), ("investigate", 1.0),
    ("elaborate", 1.0), ("concept", 1.0), ("principles", 1.0), ("theory", 1.0),
    ("process", 0.5), ("factors", 1.0), ("effect", 0.5), ("consequences", 1.0), ("relate", 1.0),
    ("interpret", 1.5), ("significance", 1.5), ("considerations", 1.0), ("key components", 1.0),
    ("methods", 0.5), ("strategy", 0.5), ("recommend", 0.5), ("case studies", 1.0),
    ("justify", 1.0), ("approach", 0.5),
    // Asks for advice on one's own situation, numbers and all ("I earn $3,500: is that too
    // much rent?", "I slept 5 hours: any tips?"): a judgement, not a computation.
    ("should i", 0.75), ("should we", 0.75), ("any tips", 1.0), ("tips for", 0.75),
    ("advice", 1.0), ("what's a good", 0.75), ("what is a good", 0.75), ("is it worth it", 1.0),
    ("is that too", 1.0), ("what can i", 0.75), ("how can i", 0.75), ("how should i", 0.75),
    // Science questions ask for an explanation, not a calculation.
    ("physics", 1.0), ("chemistry", 1.0), ("biology", 1.0), ("chemical", 1.0),
    ("chemical equation", 2.0), ("reaction", 0.5), ("scientific", 0.5),
];

#[rustfmt::skip]
const TRANSLATION: List = &[
    ("translate", 3.0), ("translation", 3.0), ("translating", 3.0), ("translated", 2.0),
    ("how do you say", 2.5), ("how do i say", 2.5), ("in english", 1.0),
    // The ask written in the text's own language: "Traduce al inglés: …", "Übersetze ins
    // Englische: …" (a text in another script is noticed by its script).
    ("traduce", 3.0), ("traducir", 3.0), ("tradúceme", 3.0), ("traduis", 3.0),
    ("traduire", 3.0), ("traduisez", 3.0), ("traduza", 3.0), ("traduzir", 3.0),
    ("traduci", 3.0), ("tradurre", 3.0), ("übersetze", 3.0), ("übersetzen", 3.0),
    ("übersetzung", 3.0), ("vertaal", 3.0), ("vertalen", 3.0), ("przetłumacz", 3.0),
    ("översätt", 3.0), ("oversæt", 3.0), ("oversett", 3.0), ("çevir", 3.0),
    // In other scripts: Chinese, Japanese, Korean (written without spaces between words, so
    // matched anywhere), Russian, Ukrainian, Arabic, Hindi.
    ("翻译", 3.0), ("翻譯", 3.0), ("翻訳", 3.0), ("訳して", 3.0), ("번역", 3.0),
    ("переведи", 3.0), ("перевести", 3.0), ("переведите", 3.0), ("переклади", 3.0),
    ("ترجم", 3.0), ("अनुवाद", 3.0),
    // "How do you say …" asked in the asker's own language.
    ("cómo se dice", 2.5), ("como se dice", 2.5), ("como se diz", 2.5), ("comment dit-on", 2.5),
    ("comment on dit", 2.5), ("wie sagt man", 2.5), ("come si dice", 2.5), ("hoe zeg je", 2.5),
    // "How do you say it in …" with the language named: a bare 怎么说 is also in 怎么说服
    // ("how to persuade").
    ("中文怎么说", 2.5), ("英文怎么说", 2.5), ("英语怎么说", 2.5), ("日语怎么说", 2.5),
    ("法语怎么说", 2.5), ("德语怎么说", 2.5), ("韩语怎么说", 2.5), ("西班牙语怎么说", 2.5),
    ("中文怎麼說", 2.5), ("英文怎麼說", 2.5), ("で何と言います", 2.5), ("로 뭐라고", 2.5),
];

#[rustfmt::skip]
const CLASSIFICATION: List = &[
    // Baseline words first: "classify", "categorize", "which category".
    ("classify", 3.0), ("categorize", 3.0), ("which category", 3.0), ("categorise", 3.0),
    ("classification", 2.5), ("category", 1.5), ("categories", 1.5), ("label", 1.0),
    ("sentiment", 2.0), ("positive or negative", 2.0), ("spam", 2.5), ("sort into", 1.5),
    ("label each", 3.0), ("tag each", 3.0), ("which of these categories", 3.0),
    ("which type", 1.0), ("belongs to", 1.0), ("is this a", 0.5),
    // Yes/no and pick-a-label asks about a given text: "decide whether…", "tell me if…",
    // "is it offensive or not", "which genre".
    ("decide whether", 2.0), ("decide if", 2.0), ("determine whether", 1.0),
    ("determine if", 1.0), ("tell me if", 1.0), ("tell if", 2.0), ("tell me whether", 1.0),
    ("detect if", 2.0), ("detect whether", 2.0), ("identify if", 2.0), ("identify whether", 2.0),
    // Sorting items between named kinds: "Identify which animal is domesticated or wild: …".
    ("identify which", 2.0),
    ("check if", 1.0), ("check whether", 1.0), ("predict whether", 2.0), ("or not", 1.0),
    ("offensive", 1.5), ("toxic", 1.5), ("hate speech", 2.0), ("genre", 1.5), ("genres", 1.5),
    ("which genre", 2.0), ("topic candidates", 3.0), ("candidates include", 2.0),
    ("one of the following categories", 3.0), ("duplicates", 1.5), ("duplicate", 1.0),
    ("intent", 1.0), ("part of speech", 2.0), ("pos tag", 2.0), ("relevant or not", 2.0),
    ("spam or not", 2.5), ("neutral", 1.0), ("star rating", 2.0), ("how many stars", 1.5),
    ("fact check", 1.0), ("fact-check", 1.0), ("fact checking", 1.0), ("rating", 0.5),
];

#[rustfmt::skip]
const EXTRACTION: List = &[
    // Baseline words first: "extract", "pull out", "find the".
    ("extract", 3.0), ("pull out", 2.5), ("find the", 0.5), ("extraction", 3.0),
    ("identify", 1.5), ("list all", 1.5), ("named entities", 2.5), ("entities", 1.5),
    ("from the following", 1.0), ("from the text", 1.5), ("from the given", 1.0),
    ("following data", 1.0), ("mentioned", 1.0), ("parse", 1.5), ("retrieve", 1.0),
    ("count how many", 1.5), ("appear", 0.5), ("records", 1.0), ("given the following", 1.0),
    ("passage", 0.5), ("the following text", 1.0),
    // The data handed over named as the source of the answer: "From this JSON, list the names…".
    ("from this text", 1.5), ("from this json", 2.0), ("from the json", 2.0),
    ("from this data", 1.5), ("from this table", 1.5), ("list the names", 1.5),
    // A question to answer from the text handed over (reading comprehension): "From the
    // passage provided, when…", "Given a reference text about…, where…".
    ("from the passage", 2.0), ("in the passage", 1.5), ("based on the passage", 2.0),
    ("according to the passage", 2.0), ("given the passage", 1.5), ("from the paragraph", 1.5),
    ("given these paragraphs", 1.5), ("given this paragraph", 1.5), ("reference text", 1.5),
    ("based on the text", 1.5), ("according to the text", 1.5), ("from the article", 1.5),
    ("based on the article", 1.5), ("according to the article", 1.5), ("above passage", 1.5),
    ("passage above", 1.5), ("passage below", 1.5), ("text above", 1.0), ("text below", 1.0),
];

#[rustfmt::skip]
const SUMMARIZATION: List = &[
    // Baseline words first: "summarize", "tl;dr", "brief" ("brief" is weak on its own: "keep it
    // brief" asks for length, not a summary).
    ("summarize", 3.0), ("tl;dr", 3.0), ("brief", 0.25), ("summarise", 3.0), ("summary", 2.5),
    ("summarization", 3.0), ("tldr", 3.0), ("key points", 1.0), ("main points", 1.5),
    ("condense", 2.0), ("shorten", 1.5), ("in a nutshell", 2.0), ("recap", 2.0), ("gist", 2.0),
    ("overview", 1.0),
];

#[rustfmt::skip]
const FORMATTING: List = &[
    // Baseline words first: "format", "convert to", "json", "table" ("json" and "table" weigh
    // little: they mostly name the shape of an answer to another task).
    ("format", 0.5), ("convert to", 2.0), ("json", 0.5), ("table", 0.5), ("reformat", 2.5),
    ("convert", 1.0), ("csv", 0.5), ("yaml", 1.5), ("xml", 1.0), ("markdown", 1.5),
    ("bullet points", 1.0), ("bulleted", 1.0), ("capitalize", 1.5), ("uppercase", 1.5),
    ("lowercase", 1.5), ("alphabetical order", 1.5), ("indent", 1.0), ("turn this into", 1.5),
    ("restructure", 1.0), ("as a table", 1.5), ("fix the formatting", 2.0),
];

pub fn for_task(task: Task) -> List {
    match task {
        Task::Reasoning => REASONING,
        Task::Math => MATH,
        Task::Code => CODE,
        Task::Writing => WRITING,
        Task::Analysis => ANALYSIS,
        Task::Translation => TRANSLATION,
        Task::Classification => CLASSIFICATION,
        Task::Extraction => EXTRACTION,
        Task::Summarization => SUMMARIZATION,
        Task::Formatting => FORMATTING,
    }
}

/// Terms of art whose presence marks a prompt as specialised (the complexity's domain factor).
#[rustfmt::skip]
pub const DOMAIN_TERMS: &[&str] = &[
    "algorithm", "complexity", "recursion", "data structure", "binary tree",
    "linked list", "dynamic programming", "big-o", "asymptotic", "subsequence", "concurrency",
    "mutex", "deadlock", "latency", "throughput", "kernel", "compiler", "cryptography",
    "encryption", "hash", "protocol", "database", "index", "transaction", "api", "microservice",
    "theorem", "lemma", "proof", "integral", "derivative", "polynomial", "logarithm",
    "eigenvalue", "matrix", "vector space", "probability", "combinatorics", "modular",
    "inequality", "integer", "prime", "convergence", "topology", "manifold", "quantum",
    "entanglement", "superposition", "thermodynamics", "entropy", "relativity", "momentum",
    "velocity", "acceleration", "orbital", "gravitational", "electromagnetic", "molecular",
    "enzyme", "protein", "genome", "dna", "rna", "photosynthesis", "stoichiometry",
    "equilibrium", "catalyst", "neural network", "machine learning", "gradient", "regression",
    "statistical", "hypothesis", "variance", "distribution", "bayesian", "gdp", "inflation",
    "fiscal", "monetary", "antitrust", "jurisprudence", "statute", "pathology", "pharmacology",
    "clinical", "diagnosis",
];

/// Words that ask for a machine-readable answer (the complexity's structured-output factor).
#[rustfmt::skip]
pub const STRUCTURED_OUTPUT: &[&str] = &[
    "json", "yaml", "xml", "csv", "table", "schema", "key-value", "dictionary",
];

/// Words that ask for a justified answer rather than a bare one: the asks a weak model most
/// often gets wrong (the complexity's reasoning factor).
#[rustfmt::skip]
pub const REASONING_ASKS: &[&str] = &[
    "prove", "show that", "derive", "justify", "explain why", "explain how", "step by step",
    "show your work", "show your reasoning", "reasoning", "analyze", "analyse", "evaluate",
    "assess", "compare", "critique", "trade-offs", "tradeoffs", "in depth", "rigorous",
    "optimal", "efficient", "complexity", "edge cases", "minimum", "maximum", "minimize",
    "maximize", "all possible", "how many ways", "restructure", "design",
];

/// Words that state a requirement the answer must meet (the complexity's requirements factor):
/// each one is a constraint to keep track of.
#[rustfmt::skip]
pub const REQUIREMENTS: &[&str] = &[
    "must", "should", "without", "at least", "at most", "exactly", "no more than", "only",
    "under", "within", "ensure", "including", "covering", "strict", "keep", "avoid",
    "do not", "don't", "never", "each", "every", "both", "while", "unless", "except",
    "assuming", "given that", "such that", "if and only if", "consistent",
];

/// Quantities written as words ("twice", "a third", "five", "a dozen", "percent"): the
/// complexity's quantities factor counts each distinct one beside the numbers written in digits.
/// "one" is left out: it is a pronoun more often than a quantity.
#[rustfmt::skip]
pub const NUMBER_WORDS: &[&str] = &[
    "half", "twice", "double", "triple", "thrice", "quarter", "third", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
    "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion",
    "dozen", "percent",
];

/// Questions that ask for a quantity ("how many", "how much", "how far"): beside quantities
/// given in the text, the shape of a word problem, whatever its story is about ("Paige had 8
/// songs… how many songs does she have?" is arithmetic, not songwriting).
#[rustfmt::skip]
pub const QUANTITY_ASKS: &[&str] = &[
    "how many", "how much", "how long", "how far", "how old", "how fast", "how tall", "how heavy",
    "how big", "how often", "in all", "altogether", "in total", "greatest number", "largest number",
    "smallest number", "least number", "what number", "find the number", "difference between the number",
    "difference of the number", "what is the mean", "what is the average", "what is the sum",
    "what is the product", "what is the total", "what is the number", "what is the combined",
    "what is the least", "what is the minimum", "what is the maximum",
    "what was the combined", "greatest possible", "largest possible", "smallest possible",
    "least possible", "minimum number", "maximum number", "find the age",
];

/// Words that measure or count ("how many", "per day", "hours", "miles", "dollars"): they make
/// a word problem only beside quantities to compute with. In a text with no number, in digits
/// or in words, they do not count for math: "How many calories should an adult eat per day?"
/// and "How old is the universe?" ask for facts.
#[rustfmt::skip]
pub const QUANTITY_WORDS: &[&str] = &[
    "how many", "how much", "how many more", "how much more", "how much money", "how old", "% of",
    "percent of",
    "total", "in total", "altogether", "average", "dollars", "cents", "hours", "km", "feet",
    "square feet", "square meters", "meters", "centimeters", "inches", "miles", "kilograms",
    "grams", "liters", "gallons", "per hour", "per minute", "per day", "per week", "speed",
    "how long will it take", "how long does it take", "how long will", "as old as",
    "at the same rate", "at this rate", "amount",
];

/// Units a question can convert between without a digit ("How many seconds are in a week?",
/// "how many cups in a gallon"), singular and plural.
#[rustfmt::skip]
pub const UNITS: &[&str] = &[
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "decade", "century", "millisecond", "milliseconds",
    "inch", "inches", "foot", "feet", "yard", "yards", "mile", "miles", "meter", "meters",
    "metre", "metres", "kilometer", "kilometers", "kilometre", "kilometres", "centimeter",
    "centimeters", "millimeter", "millimeters", "gram", "grams", "kilogram", "kilograms",
    "pound", "pounds", "ounce", "ounces", "ton", "tons", "tonne", "tonnes", "cup", "cups",
    "pint", "pints", "quart", "quarts", "gallon", "gallons", "liter", "liters", "litre", "litres",
    "milliliter", "milliliters", "millilitre", "millilitres", "tablespoon", "tablespoons",
    "teaspoon", "teaspoons", "acre", "acres", "hectare", "hectares", "byte", "bytes", "bit",
    "bits", "kilobyte", "kilobytes", "megabyte", "megabytes", "gigabyte", "gigabytes",
    "terabyte", "terabytes",
];

/// Asks for advice on the asker's own situation ("I have 2 kids aged 5 and 8: how many hours of
/// screen time is reasonable?", "how much should we budget?"): its numbers are facts about the
/// asker, so a question for a quantity beside them is not a word problem.
#[rustfmt::skip]
pub const ADVICE_ASKS: &[&str] = &[
    "should i", "should we", "should my", "is it better", "reasonable",
    "is it normal", "is that normal", "is it safe", "is that too", "too much", "too many",
    "before i can", "any tips", "advice", "is it worth", "what's a good", "what is a good",
    "would you recommend", "do you recommend", "is that enough", "is it enough", "a good choice",
    "a good idea", "which is better",
];

/// Words of a text that computes with ages ("4 years older than", "twice as old as", "the sum
/// of their ages", "her present age"): there the ages given are quantities, elsewhere ("a gift
/// for a 60-year-old", "kids aged 4 and 7") facts about someone.
#[rustfmt::skip]
pub const AGE_WORDS: &[&str] = &[
    "older", "younger", "as old as", "age", "ages", "born", "how old",
];

/// Code keywords that name a language, a framework or a tool. Most questions naming one are
/// programming questions; in an ask for advice ("Should I learn React or Vue?", "Is Linux a
/// good choice for a home computer?") the name is the topic, and counts as little as a keyword
/// of the material.
#[rustfmt::skip]
pub const CODE_NAMES: &[&str] = &[
    "python", "javascript", "typescript", "java", "c++", "c#", "rust", "golang", "kotlin", "swift",
    "php", "ruby", "perl", "scala", "haskell", "lua", "matlab", "vue", "angular", "svelte",
    "django", "flask", "linux", "ubuntu", "docker", "git", "github", "gitlab", "aws", "sql",
    "mysql", "postgresql", "postgres", "sqlite", "mongodb", "html", "css", "tailwind", "jquery",
    "node.js", "nodejs", "next.js", "nextjs", "react.js", "reactjs", "vue.js", "kubernetes",
    "laravel", "pandas", "numpy", "tensorflow", "pytorch", "powershell", "bash",
];

/// Asks about what the asker needs or can do ("Do I need a visa for 10 days?", "Can I run
/// 5 km a day?"): advice, unless the question asks for a quantity ("How much flour do I need
/// for 10?", "How many batches can I make?"), which makes it a computation.
#[rustfmt::skip]
pub const NEED_ASKS: &[&str] = &[
    "do i need", "do we need", "can i",
];

/// Whether `word` is one of `list`, whatever its case.
pub fn is_listed(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// The words of a text, letters and apostrophes ("I'm", "let's"), in order.
pub fn words(text: &str) -> impl Iterator<Item = &str> + Clone {
    text.split(|c: char| !(c.is_ascii_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
}

/// Imperatives that ask for something other than a computation ("Create a meal plan…",
/// "Help me plan a trip…"): a text opening with one gives its numbers as constraints.
#[rustfmt::skip]
pub const REQUEST_OPENERS: &[&str] = &[
    "write", "create", "explain", "summarize", "summarise", "translate", "describe", "compare",
    "list", "give", "tell", "help", "generate", "design", "draft", "make", "plan", "suggest",
    "imagine", "pretend", "act", "let's", "lets", "rewrite", "edit", "fix", "improve", "analyze",
    "analyse", "classify", "extract", "format", "provide", "produce", "build", "implement",
    "develop", "review", "assess", "outline", "propose", "recommend",
    "brainstorm", "compose", "discuss", "identify", "prepare", "organize", "organise",
];

/// Other words an ask opens with (a computation, a question, a request): with
/// [`REQUEST_OPENERS`], a long first paragraph that opens with one is the ask, not text pasted
/// before it ("Summarize the main arguments for…"). A story, article, email or abstract rarely
/// opens this way.
#[rustfmt::skip]
pub const ASK_OPENERS: &[&str] = &[
    "find", "solve", "calculate", "compute", "evaluate", "convert", "prove", "determine", "show",
    "can", "could",
    "would", "will", "how", "what", "why", "which", "who", "where", "is", "are", "do", "does",
    "should", "please", "i'd", "i'm", "need", "want",
    // A problem's statement: "Given an array…, return…", "Suppose that…", "Let f(x) = …".
    "given", "suppose", "assume", "consider", "let",
];

/// Verbs that rewrite a given text: beside a target language ("Rewrite this email in French,
/// keeping it formal: …") they ask for a translation, and their weight goes to it.
pub const REWRITE_VERBS: &[&str] = &["rewrite", "rephrase", "reword", "paraphrase"];

/// Asks for a short answer: a weak model answers these as well as a strong one.
#[rustfmt::skip]
pub const SHORT_ANSWER: &[&str] = &[
    "in one word", "one word", "in one sentence", "one sentence", "briefly", "keep it short",
    "short answer", "yes or no", "true or false", "just the answer", "only the answer",
    "in a few words", "one-line", "one line",
];

/// Numbered statements a multiple-choice question judges together ("Statement 1 | … Statement
/// 2 | …" with options "True, True", "True, False"…).
#[rustfmt::skip]
pub const NUMBERED_STATEMENTS: &[&str] = &[
    "statement 1", "statement 2", "statement 3", "scenario 1", "scenario 2", "scenario 3",
];

/// Words that order the steps of a request.
#[rustfmt::skip]
pub const STEP_MARKERS: &[&str] = &[
    "first", "second", "third", "then", "next", "finally", "afterwards",
    "after that", "step", "steps", "lastly", "additionally", "also",
];

/// Frequent English words that other languages do not share: a text with a few of them has an
/// English ask, so foreign text in it is material to translate or explain; a text without them,
/// all in another language, is someone writing in their own language ("为什么天空是蓝色的？").
#[rustfmt::skip]
pub const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "what", "does", "this", "that", "with", "please", "mean", "means", "you", "your",
    "and", "which", "how", "could", "would", "these", "from", "into", "say", "word", "sentence",
];

/// Short, frequent function words of other languages written in Latin script; a prompt dense
/// in them is not English even with no accented letter.
#[rustfmt::skip]
pub const FOREIGN_FUNCTION_WORDS: &[&str] = &[
    // Words of three letters or more: two-letter ones ("el", "le") occur inside too many
    // English words, and each such occurrence costs a check.
    // Spanish
    "los", "las", "del", "que", "por", "para", "una", "pero", "como", "muy", "está", "estoy",
    "hola", "gracias", "tengo", "puedes",
    // French
    "les", "des", "est", "une", "avec", "pour", "dans", "sur", "pas", "vous", "nous", "qui",
    "suis", "elle", "sont", "cette", "mais", "très", "merci", "bonjour",
    // German
    "der", "das", "und", "ist", "nicht", "mit", "ein", "eine", "ich", "sie", "auf", "für", "wie",
    "bitte", "danke", "sehr",
    // Italian / Portuguese
    "della", "sono", "che", "não", "uma", "com", "mais", "ciao", "grazie", "obrigado",
];
