//! What the text looks like, apart from its words: code, stack traces, math notation, the
//! script it is written in, questions and enumerated steps. One pass over the bytes, which
//! reads each line as it reaches the line's end.
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::material::material_span;
use crate::phrases::is_word_byte;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    pub code_fences: u32,
    pub stack_trace: Option<&'static str>,
    pub source_lines: u32,
    /// Operators between numbers or single-letter variables, LaTeX commands, math symbols.
    pub math_marks: u32,
    /// Of the math marks, the percent signs after a number ("20%"): a unit more than an
    /// operator, notation only beside another quantity ("15% of 80").
    pub percent_signs: u32,
    /// Numbers, years left out.
    pub numbers: u32,
    /// Years as dates write them ("in 2008", "the 2019 model", "between 1914 and 1918"): a
    /// date, not a quantity to compute with.
    pub years: u32,
    /// Comparisons whose comparative was already used in the text ("Anna is taller than Ben.
    /// Ben is taller than Carl."): a chain of one relation, as order puzzles give.
    pub repeated_comparisons: u32,
    /// Ages ("a 40-year-old", "aged 4, 7 and 10", "my 2 year old", "her 60th birthday"): a
    /// fact about someone, not a quantity to compute with.
    pub ages: u32,
    pub questions: u32,
    /// Enumerated items: "1.", "2)", "b)", bullets at the start of a line.
    pub enumerated: u32,
    /// Lettered options ("a)", "(B)") after the first question mark: a multiple-choice question.
    pub options_after_question: u32,
    pub words: u32,
    /// The non-Latin script most of the letters are in, when most are.
    pub other_script: Option<&'static str>,
    /// Lines that declare a function or method in a common language (`def f(xs: list[int]) ->
    /// int:`, `fn f(`, `function f(`, `func f(`, `public static int f(`, `int main(`).
    pub signatures: u32,
    /// Docstring delimiters (`"""`, `'''`, `/**`) and doctest prompts (`>>> f(3)`).
    pub docstrings: u32,
    /// Headings of a programming problem's statement: `Input`, `Output`, `Input Format`,
    /// `Sample Input 1`, `Constraints`, `Example 1:`.
    pub io_sections: u32,
    /// Bounds on a variable as programming problems state them: `1 ≤ n ≤ 10^5`,
    /// `0 <= nums[i] <= 10^9`, `1 <= k <= 1e5`.
    pub constraints: u32,
    /// Indented lines under a line that opens a block (ends with `:` or `{`).
    pub indented_lines: u32,
    /// Lettered options anywhere: "a) ", "(B) ", or "C. " at the start of a line.
    pub letter_options: u32,
    /// Bytes from the first lettered option to the end of the last one's line: the options of
    /// a multiple-choice question, which bound its answer rather than measure it.
    pub option_bytes: u32,
    /// Those options whose text holds a number ("A. 12 m/s"): options that are numbers ask for
    /// an answer to compute, not to recognise.
    pub numeric_options: u32,
    /// Words of ten letters or more.
    pub long_words: u32,
    /// "NOT", "EXCEPT", "LEAST", "FALSE" written in capitals, as exam questions turn a question
    /// around.
    pub negations: u32,
    /// Lines numbered with Roman numerals ("I.", "II)", "III."): statements to combine.
    pub roman_items: u32,
    /// Sentences: runs of text ended by `.`, `?` or `!` followed by a space or a line end.
    pub sentences: u32,
    /// The byte range of the material handed over with the ask (see [`material_span`]).
    pub material: Option<(usize, usize)>,
    /// Numbers inside that material.
    pub material_numbers: u32,
    /// Tokens written the way code writes names, in prose as in code: `snake_case`,
    /// `camelCase`, `obj.method(` and `name()`, file names such as `app.py`, `--flags` and
    /// inline `backtick` spans.
    pub code_tokens: u32,
    /// Figures drawn in Asymptote (`[asy] … [/asy]`), as competition math problems draw them.
    pub math_figures: u32,
}

/// File extensions that mark a word as a file name (`app.py`, `config.yaml`).
const CODE_EXTENSIONS: &[&[u8]] = &[
    b"py", b"js", b"ts", b"tsx", b"jsx", b"rs", b"go", b"java", b"cpp", b"hpp", b"cs", b"json",
    b"yaml", b"yml", b"toml", b"csv", b"sql", b"sh", b"html", b"css", b"php", b"rb", b"kt", b"xml",
    b"ipynb", b"exe", b"dll", b"jar", b"gz", b"tsv", b"lock", b"cfg", b"ini", b"vue",
];

/// Whether the word `bytes[start..end]` is written as code names things (see
/// [`Shape::code_tokens`]).
fn is_code_token(bytes: &[u8], start: usize, end: usize) -> bool {
    let next = bytes.get(end).copied();
    let prev = start.checked_sub(1).map(|j| bytes[j]);
    let word = &bytes[start..end];
    // snake_case
    if next == Some(b'_') && bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) {
        return true;
    }
    // obj.method( and name()
    if next == Some(b'(') && (prev == Some(b'.') || bytes.get(end + 1) == Some(&b')')) {
        return true;
    }
    // camelCase: a lowercase start, then a capital; one lowercase letter before it is a
    // product's name ("iPhone", "eBay", "iCloud"), not an identifier.
    if word.len() >= 4
        && word[0].is_ascii_lowercase()
        && word[1..].iter().any(u8::is_ascii_uppercase)
        && !(word[1].is_ascii_uppercase() && word[2..].iter().all(u8::is_ascii_lowercase))
    {
        return true;
    }
    // app.py: an extension after a dot inside a word.
    prev == Some(b'.')
        && start >= 2
        && bytes[start - 2].is_ascii_alphanumeric()
        && !next.is_some_and(|n| n.is_ascii_alphanumeric())
        && CODE_EXTENSIONS.contains(&word)
}

const STACK_MARKERS: &[&str] = &[
    "Traceback (most recent call last)",
    "panicked at",
    "Exception in thread",
    "NullPointerException",
    "Segmentation fault",
    "core dumped",
    "TypeError:",
    "ValueError:",
    "KeyError:",
    "IndexError:",
    "AttributeError:",
    "SyntaxError:",
    "ReferenceError:",
    "error[E0",
    "undefined reference to",
    "Uncaught ",
];

/// LaTeX commands, checked only where a backslash occurs.
const LATEX_MARKERS: &[&str] = &[
    "\\frac", "\\sqrt", "\\int", "\\sum", "\\prod", "\\cdot", "\\times", "\\le", "\\ge", "\\neq",
    "\\pi", "\\theta", "\\alpha", "\\beta", "\\begin{", "\\left", "\\binom", "\\infty", "\\mathbb",
    "\\lfloor", "\\pmod",
];

/// Stack-trace markers: distinctive literals, so the automaton's SIMD prefilter rarely stops.
fn stack_markers() -> &'static AhoCorasick {
    static MARKERS: OnceLock<AhoCorasick> = OnceLock::new();
    MARKERS.get_or_init(|| {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(STACK_MARKERS)
            .expect("the marker list is plain literals")
    })
}

/// Starts of lines that read as source code in the common languages.
const CODE_LINE_STARTS: &[&str] = &[
    "def ",
    "class ",
    "import ",
    "#include",
    "fn ",
    "pub fn",
    "function ",
    "return ",
    "return;",
    "public ",
    "private ",
    "protected ",
    "static ",
    "const ",
    "let ",
    "var ",
    "if (",
    "for (",
    "while (",
    "} else",
    "elif ",
    "else:",
    "try:",
    "except",
    "print(",
    "console.",
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "<div",
    "<html",
    "<!DOCTYPE",
    "<script",
    "package ",
    "using ",
    "func ",
    "int ",
    "void ",
    "#!/",
    "//",
    "/*",
];

/// The first bytes of [`CODE_LINE_STARTS`].
const CODE_LINE_FIRST: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < CODE_LINE_STARTS.len() {
        t[CODE_LINE_STARTS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    t
};

fn is_code_line(line: &str) -> bool {
    let t = line.trim_ascii();
    if t.len() < 2 {
        return false;
    }
    // Most prose lines start with a capital or a letter no code start begins with: check the
    // first byte against a table before comparing whole prefixes.
    let first = t.as_bytes()[0];
    if CODE_LINE_FIRST[usize::from(first)]
        && CODE_LINE_STARTS
            .iter()
            .any(|s| s.as_bytes()[0] == first && t.starts_with(s))
    {
        return true;
    }
    if t.starts_with("from ") && t.contains(" import ") {
        return true;
    }
    // Python's block openers are lowercase keywords ending with a colon; prose that starts
    // with "For" or "If" is capitalised.
    if t.ends_with(':')
        && [
            "for ", "if ", "while ", "with ", "else", "try", "async ", "match ", "case ",
        ]
        .iter()
        .any(|k| t.starts_with(k))
    {
        return true;
    }
    if t.starts_with(">>> ") {
        return true;
    }
    let last = t.as_bytes()[t.len() - 1];
    // Prose rarely ends a line with these; C-family code nearly always does.
    matches!(last, b';' | b'{' | b'}') || t.ends_with("):")
}

/// Type names that can start a C-family function declaration.
const DECL_TYPES: &[&str] = &[
    "public ",
    "private ",
    "protected ",
    "static ",
    "int ",
    "void ",
    "long ",
    "double ",
    "float ",
    "bool ",
    "boolean ",
    "char ",
    "string ",
    "String ",
    "auto ",
    "vector<",
    "List<",
    "std::",
    "unsigned ",
    "size_t ",
    "template",
    "override ",
    "internal ",
];

/// Whether a line declares a function or method: a keyword of one of the common languages, or
/// a C-family return type, then a name and an opening parenthesis.
fn is_signature(t: &str) -> bool {
    let Some(paren) = memchr::memchr(b'(', t.as_bytes()) else {
        return false;
    };
    let head = &t[..paren];
    // The name right before the parenthesis: a signature has one, a call in prose rarely.
    let named = head
        .bytes()
        .next_back()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'>');
    if !named {
        return false;
    }
    for kw in [
        "def ",
        "async def ",
        "fn ",
        "pub fn ",
        "pub(crate) fn ",
        "async fn ",
        "function ",
        "async function ",
        "func ",
        "fun ",
        "export function ",
        "export default function ",
        "sub ",
        "proc ",
    ] {
        if head.starts_with(kw) && !head[kw.len()..].contains(' ') {
            return true;
        }
    }
    let ends_like_decl = t.ends_with('{')
        || t.ends_with(')')
        || t.ends_with(");")
        || t.ends_with(':')
        || t.contains("->");
    ends_like_decl
        && DECL_TYPES.iter().any(|p| head.starts_with(p))
        // A declaration's head is a few tokens: a type, modifiers, a name.
        && head.split_ascii_whitespace().count() <= 5
        && !head.contains(['.', ','])
}

/// Headings of a programming problem's statement, compared case-insensitively on the trimmed
/// line with a trailing colon and a sample number removed.
const IO_HEADINGS: &[&str] = &[
    "input",
    "output",
    "input format",
    "output format",
    "input specification",
    "output specification",
    "sample input",
    "sample output",
    "example input",
    "example output",
    "constraints",
    "example",
    "examples",
    "explanation",
    "note",
    "sample",
    "test cases",
];

/// Whether `t` starts as a judge's statement starts a paragraph about its input or output when
/// it has no headings: "The first line contains n…", "Each of the next m lines…", "For each
/// test case…", "Print a single integer — the answer." Compared word by word, so a line that
/// merely starts with "The" costs a few comparisons.
fn is_io_sentence(t: &str) -> bool {
    let mut words = t.split(' ');
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return false;
    };
    let third = words.next().unwrap_or("");
    match (first, second) {
        ("The", "first" | "second" | "next" | "only" | "last") => third.starts_with("line"),
        ("The", "input") => third == "consists",
        ("Each", "of") => third == "the" && words.next() == Some("next"),
        ("Each", "test") => third.starts_with("case"),
        ("For", "each") => third == "test" && words.next().is_some_and(|w| w.starts_with("case")),
        ("Print" | "Output", "one") => true,
        ("Print" | "Output", "a") => third == "single",
        ("Print" | "Output", "the") => third.starts_with("answer"),
        _ => false,
    }
}

fn is_io_heading(t: &str) -> bool {
    if matches!(t.as_bytes().first(), Some(b'T' | b'E' | b'F' | b'P' | b'O')) && is_io_sentence(t) {
        return true;
    }
    if t.len() > 24 {
        // "Input: nums = [1,2,3]" is a LeetCode example line: a heading with its value.
        let lower = t.as_bytes();
        return (lower.starts_with(b"Input:") || lower.starts_with(b"Output:")) && t.len() < 200;
    }
    let t = t.trim_end_matches(':').trim_end();
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '#');
    !t.is_empty() && IO_HEADINGS.iter().any(|h| t.eq_ignore_ascii_case(h))
}

/// `1 ≤ n ≤ 10^5`: two bounds around a term on one line, with a power of ten or a large number
/// as one of them — how programming problems state their limits (a math problem's inequality
/// rarely bounds a variable by 10^5).
fn is_constraint(t: &str) -> bool {
    let bounds = t.matches('≤').count() + t.matches("<=").count() + t.matches('<').count()
        - t.matches("<=").count();
    if bounds < 2 {
        return false;
    }
    // A labelled line ("Constraints: 1 <= m, n <= 300") whatever its numbers.
    t.contains("onstraint")
        || t.contains("10^")
        || t.contains("10⁵")
        || t.contains("10⁹")
        || t.contains("10**")
        || t.contains("1e5")
        || t.contains("1e9")
        || t.contains("1e6")
        || t.contains("10 ^")
        || t.contains("000")
        || t.contains(".length")
        || t.contains("len(")
}

/// ASCII letters, as a table: the letter runs of a prompt are scanned byte by byte.
const LETTER: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphabetic();
        b += 1;
    }
    t
};

/// How many ASCII letters `bytes` starts with. Eight bytes are tested at a time, without a
/// branch per byte: most words end within the first eight.
fn letter_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut run = 0;
    while let Some(chunk) = bytes.get(run..run + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Per byte: lowercased, seven bits (a byte of 0x80 or more is no letter anyway).
        let v = (x | (0x20 * ONES)) & (0x7F * ONES);
        let from_a = v + 0x1F * ONES; // high bit set when v >= 'a' (0x61)
        let past_z = v + 0x05 * ONES; // high bit set when v > 'z' (0x7A)
        let letters = from_a & !past_z & !x & (0x80 * ONES);
        let others = !letters & (0x80 * ONES);
        if others != 0 {
            return run + others.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    run + bytes[run..]
        .iter()
        .position(|&c| !LETTER[usize::from(c)])
        .unwrap_or(bytes.len() - run)
}

fn is_letter(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

/// Whether the byte at `i` can stand beside a math operator: a digit, a bracket or bar, or a
/// letter standing alone (a variable like `x`, or the `z` of `4z`), not one inside a word.
fn is_math_operand(bytes: &[u8], i: usize) -> bool {
    let b = bytes[i];
    if b.is_ascii_digit() || matches!(b, b'(' | b')' | b'|' | b'{' | b'}' | b'\\') {
        return true;
    }
    if !is_letter(b) {
        return false;
    }
    let before = i.checked_sub(1).map(|j| bytes[j]);
    let after = bytes.get(i + 1).copied();
    !before.is_some_and(is_letter) && !after.is_some_and(is_letter)
}

/// The nearest byte left of `i` (skipping one space) and right of it.
fn neighbours(bytes: &[u8], i: usize) -> (Option<usize>, Option<usize>) {
    let left = match i.checked_sub(1) {
        Some(j) if bytes[j] == b' ' => j.checked_sub(1),
        other => other,
    };
    let right = match bytes.get(i + 1) {
        Some(b' ') => Some(i + 2).filter(|&j| j < bytes.len()),
        Some(_) => Some(i + 1),
        None => None,
    };
    (left, right)
}

fn script_of(c: char) -> Option<&'static str> {
    Some(match c as u32 {
        0x0370..=0x03FF => "Greek",
        0x0400..=0x04FF => "Cyrillic",
        0x0590..=0x05FF => "Hebrew",
        0x0600..=0x06FF => "Arabic",
        0x0900..=0x097F => "Devanagari",
        0x0E00..=0x0E7F => "Thai",
        0x3040..=0x30FF => "Japanese kana",
        0x3400..=0x4DBF | 0x4E00..=0x9FFF => "CJK",
        0xAC00..=0xD7AF => "Hangul",
        _ => return None,
    })
}

const MATH_SYMBOLS: &[char] = &[
    '√', '∫', '∑', 'π', '≤', '≥', '≠', '∞', '±', '×', '÷', '∈', '∀', '∃', '∂', '∆', 'θ', '²', '³',
];

pub fn shape_of(text: &str) -> Shape {
    let bytes = text.as_bytes();
    let mut s = Shape {
        material: material_span(text),
        ..Shape::default()
    };
    let (material_start, material_end) = s.material.unwrap_or((usize::MAX, usize::MAX));

    if let Some(m) = stack_markers().find(text) {
        s.stack_trace = Some(STACK_MARKERS[m.pattern().as_usize()]);
    }

    let mut line_start = true;
    let mut line_begin = 0;
    // The MARKS bits of the bytes seen in the current line.
    let mut line_marks = 0u8;
    let mut lines = Lines::default();
    let mut prev_question = false;
    // Where the first and the last lettered option start.
    let mut options: Option<(usize, usize)> = None;
    // An option's label was read on this line and no number after it yet.
    let mut option_open = false;
    // The last number read was a year: "and 2010" and "to 2010" after it are years too.
    let mut last_was_year = false;
    // The last number read was an age: "7 and 10" after "aged 4," are ages too.
    let mut last_was_age = false;
    // Where the last word began and how long it was, and the comparatives used before "than".
    let mut last_word = (0usize, 0usize);
    let mut word_before = (0usize, 0usize);
    let mut comparatives: [&[u8]; 4] = [&[]; 4];
    let mut compared = 0usize;
    let mut ascii_letters = 0u32;
    let mut script_counts: [(Option<&'static str>, u32); 4] = [(None, 0); 4];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b >= 0x80 {
            line_marks |= MARKS[usize::from(b)];
            // Decode only non-ASCII characters; the text is valid UTF-8, so `i` is a boundary.
            let c = text[i..].chars().next().unwrap_or(' ');
            if MATH_SYMBOLS.contains(&c) {
                s.math_marks += 1;
            } else if let Some(script) = script_of(c) {
                tally(&mut script_counts, script);
            }
            i += c.len_utf8();
            line_start = false;
            prev_question = false;
            continue;
        }
        if b == b' ' {
            // The commonest byte after letters: nothing to count.
            prev_question = false;
            i += 1;
            continue;
        }
        let prev = i.checked_sub(1).map(|j| bytes[j]);
        let starts_word = !prev.is_some_and(is_word_byte);
        line_marks |= MARKS[usize::from(b)];
        match b {
            b'?' if !prev_question => s.questions += 1,
            b'0'..=b'9' if starts_word && is_year(bytes, i, last_was_year) => {
                s.years += 1;
                last_was_year = true;
                last_was_age = false;
            }
            b'0'..=b'9' if starts_word && is_age(bytes, i, last_was_age) => {
                s.ages += 1;
                last_was_age = true;
                last_was_year = false;
            }
            b'0'..=b'9' if starts_word => {
                s.numbers += 1;
                last_was_year = false;
                last_was_age = false;
                // The first number after an option's label makes it an option that is a number.
                if option_open {
                    s.numeric_options += 1;
                    option_open = false;
                }
                s.material_numbers += u32::from(i >= material_start && i < material_end);
                if line_start || prev == Some(b' ') {
                    count_enumerator(bytes, i, &mut s);
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                if starts_word {
                    s.words += 1;
                    let dotted = line_start
                        // Up to ten options (J); "I. " is left out, as it more often numbers
                        // a statement in Roman numerals.
                        && matches!(b, b'A'..=b'H' | b'J')
                        && bytes.get(i + 1) == Some(&b'.')
                        && bytes.get(i + 2) == Some(&b' ');
                    if dotted {
                        s.letter_options += 1;
                        options.get_or_insert((i, i)).1 = i;
                        option_open = true;
                    }
                    if (line_start || matches!(prev, Some(b' ' | b'(')))
                        && is_letter_enumerator(bytes, i)
                    {
                        s.letter_options += 1;
                        options.get_or_insert((i, i)).1 = i;
                        option_open = true;
                        s.enumerated += 1;
                        if s.questions > 0 {
                            s.options_after_question += 1;
                        }
                    }
                }
                // Letters are most of any prompt: take the rest of the word in one step.
                let run = letter_run(&bytes[i..]);
                ascii_letters =
                    ascii_letters.saturating_add(u32::try_from(run).unwrap_or(u32::MAX));
                if starts_word && is_code_token(bytes, i, i + run) {
                    s.code_tokens += 1;
                }
                if starts_word {
                    if run == 4 && bytes[i..i + 4].eq_ignore_ascii_case(b"than") {
                        let (start, len) = last_word;
                        let (before, before_len) = word_before;
                        let word = &bytes[start..start + len];
                        // "taller than", or "more apples than": the relation is the comparative.
                        let word = if is_comparative(word) {
                            Some(word)
                        } else {
                            let quantifier = &bytes[before..before + before_len];
                            (before + before_len + 1 == start
                                && QUANTIFIERS
                                    .iter()
                                    .any(|w| quantifier.eq_ignore_ascii_case(w)))
                            .then_some(quantifier)
                        };
                        if let Some(word) = word.filter(|_| start + len + 1 == i) {
                            let known = comparatives[..compared.min(4)]
                                .iter()
                                .any(|c| c.eq_ignore_ascii_case(word));
                            if known {
                                s.repeated_comparisons += 1;
                            } else if compared < 4 {
                                comparatives[compared] = word;
                                compared += 1;
                            }
                        }
                    }
                    word_before = last_word;
                    last_word = (i, run);
                    if run >= 10 {
                        s.long_words += 1;
                    } else if (3..=6).contains(&run)
                        && matches!(
                            &bytes[i..i + run],
                            b"NOT" | b"EXCEPT" | b"LEAST" | b"FALSE" | b"NEVER"
                        )
                    {
                        s.negations += 1;
                    }
                }
                line_start = false;
                prev_question = false;
                i += run;
                continue;
            }
            b'^' => s.math_marks += u32::from(i > 0 && is_math_operand(bytes, i - 1)),
            b'\\' => {
                let rest = &bytes[i..];
                s.math_marks +=
                    u32::from(LATEX_MARKERS.iter().any(|m| rest.starts_with(m.as_bytes())));
            }
            b'$' => s.math_marks += u32::from(bytes.get(i + 1) == Some(&b'$')),
            b'%' => {
                let percent = u32::from(prev.is_some_and(|p| p.is_ascii_digit()));
                s.math_marks += percent;
                s.percent_signs += percent;
            }
            // A factorial: "100! have", "(n!)", "5!/3!"; an exclamation after a number ("We won
            // 3-0! Great") is followed by a capital or nothing.
            b'!' if prev.is_some_and(|p| p.is_ascii_digit())
                || (prev == Some(b'n') && i >= 2 && !bytes[i - 2].is_ascii_alphanumeric()) =>
            {
                let factorial = match bytes.get(i + 1..i + 3) {
                    Some([b' ', next]) => next.is_ascii_lowercase() || b"=+-*/<>".contains(next),
                    Some([next, _]) => b")+-*/=,.?".contains(next),
                    _ => bytes.get(i + 1).is_some_and(|n| b")?".contains(n)),
                };
                s.math_marks += u32::from(factorial);
            }
            b'=' | b'+' | b'-' | b'*' | b'/' | b'<' | b'>' => {
                let (l, r) = neighbours(bytes, i);
                if l.is_some_and(|l| is_math_operand(bytes, l))
                    && r.is_some_and(|r| is_math_operand(bytes, r) || bytes[r] == b'-')
                    && !(b == b'-' && is_range_or_score(bytes, i))
                {
                    s.math_marks += 1;
                }
                if line_start && matches!(b, b'-' | b'*') && bytes.get(i + 1) == Some(&b' ') {
                    s.enumerated += 1;
                }
                // A command-line flag: `--verbose` after a space.
                if b == b'-'
                    && prev == Some(b' ')
                    && bytes.get(i + 1) == Some(&b'-')
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_lowercase)
                {
                    s.code_tokens += 1;
                }
            }
            // An inline code span's opening backtick (not a fence's).
            b'`' if prev != Some(b'`')
                && bytes.get(i + 1).is_some_and(|&n| n != b'`' && n != b'\n')
                && !line_start =>
            {
                s.code_tokens += 1;
            }
            _ => {}
        }
        if matches!(b, b'.' | b'?' | b'!')
            && prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == b')' || p == b'"')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
        {
            s.sentences += 1;
        }
        prev_question = b == b'?';
        if b == b'\n' {
            line_start = true;
            option_open = false;
            // The line just ended, without its "\r\n" or "\n", as `str::lines` gives it.
            let line = &text[line_begin..i];
            lines.read(line.strip_suffix('\r').unwrap_or(line), line_marks, &mut s);
            line_begin = i + 1;
            line_marks = 0;
        } else if !(line_start && (b == b' ' || b == b'\t')) {
            line_start = false;
        }
        i += 1;
    }

    if line_begin < bytes.len() {
        lines.read(&text[line_begin..], line_marks, &mut s);
    }
    if lines.frames >= 2 {
        s.stack_trace.get_or_insert("stack frames");
    }
    if let Some((first, last)) = options {
        let end = memchr::memchr(b'\n', &bytes[last..]).map_or(bytes.len(), |n| last + n);
        s.option_bytes = u32::try_from(end - first).unwrap_or(u32::MAX);
    }

    let (script, count) = script_counts
        .iter()
        .copied()
        .max_by_key(|&(_, n)| n)
        .unwrap_or((None, 0));
    if count >= 3 && count >= ascii_letters / 2 {
        s.other_script = script;
    }
    s
}

/// Bytes the line checks look for: quotes (docstrings), `<` and the lead byte of `≤` (U+2264,
/// E2 89 A4) (constraints), `(` (signatures), `[` (figures).
const QUOTE: u8 = 1;
const BOUND: u8 = 2;
const PAREN: u8 = 4;
const BRACKET: u8 = 8;
const MARKS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = QUOTE;
    t[b'\'' as usize] = QUOTE;
    t[b'<' as usize] = BOUND;
    t[0xE2] = BOUND;
    t[b'(' as usize] = PAREN;
    t[b'[' as usize] = BRACKET;
    t
};

/// The checks made line by line, as the byte loop of [`shape_of`] reaches each line's end.
#[derive(Default)]
struct Lines {
    /// Lines of a Java or JavaScript stack trace ("    at Foo.bar(Foo.java:12)").
    frames: u32,
    /// The indentation of the line that opened the current block, while in one.
    block: Option<usize>,
    /// Inside an `[asy]` figure: its drawing commands end in `;` but are not the ask's code.
    figure: bool,
}

impl Lines {
    /// Reads `line`, whose bytes include those `marks` flags.
    fn read(&mut self, line: &str, marks: u8, s: &mut Shape) {
        let t = line.trim_ascii_start();
        let indent = line.len() - t.len();
        if t.is_empty() {
            return;
        }
        if self.figure || (t.starts_with("[asy]") && marks & BRACKET != 0) {
            if !self.figure {
                s.math_figures += 1;
            }
            self.figure = !t.trim_ascii_end().ends_with("[/asy]");
            return;
        }
        if let Some(open) = self.block {
            if indent > open {
                s.indented_lines += 1;
            } else {
                self.block = None;
            }
        }
        let t_end = t.trim_ascii_end();
        if t_end.ends_with(':') || t_end.ends_with('{') {
            self.block = Some(indent);
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            s.code_fences += 1;
            return;
        }
        // The bytes the checks below need, noted by the byte loop, so a line of prose costs
        // little.
        let quote = marks & QUOTE != 0;
        let bound = marks & BOUND != 0;
        let paren = marks & PAREN != 0;
        if (quote && (t.contains("\"\"\"") || t.contains("'''")))
            || t.starts_with("/**")
            || t.starts_with(">>> ")
        {
            s.docstrings += 1;
        }
        if t.starts_with('I')
            && [
                "I. ", "II. ", "III. ", "IV. ", "I) ", "II) ", "III) ", "IV) ",
            ]
            .iter()
            .any(|r| t.starts_with(r))
        {
            s.roman_items += 1;
        }
        let signature = paren && is_signature(t_end);
        if signature {
            s.signatures += 1;
        }
        if is_io_heading(t_end) {
            s.io_sections += 1;
        }
        if bound && is_constraint(t_end) {
            s.constraints += 1;
        }
        if indent > 0 && t.starts_with("at ") && t.contains(['(', ':']) {
            // "    at Foo.bar(Foo.java:12)": a frame of a Java or JavaScript stack trace.
            self.frames += 1;
        } else if signature || is_code_line(line) {
            s.source_lines += 1;
        }
    }
}

fn tally(counts: &mut [(Option<&'static str>, u32); 4], script: &'static str) {
    if let Some(slot) = counts.iter_mut().find(|(s, _)| *s == Some(script)) {
        slot.1 += 1;
    } else if let Some(slot) = counts.iter_mut().min_by_key(|(_, n)| *n) {
        *slot = (Some(script), 1);
    }
}

/// "1. " or "12) " counts as an enumerated item.
/// Whether the number starting at `i` is a year as dates write it: four digits from 1800 to
/// 2099, whole ("2008", not "2008.5", "2,008", "2008%" or "$2008"), after a word that leads
/// a date ("in 2008", "the 2019 model", "since 1990") or an opening parenthesis; after "and",
/// "to", "or" or a dash only when the number before was a year ("between 1914 and 1918", not
/// "from 1500 to 1900 units").
fn is_year(bytes: &[u8], i: usize, after_year: bool) -> bool {
    const LEADS: [&[u8]; 17] = [
        b"in", b"since", b"from", b"until", b"till", b"by", b"between", b"of", b"the", b"a", b"an",
        b"early", b"late", b"before", b"after", b"during", b"around",
    ];
    const CHAINS: [&[u8]; 3] = [b"and", b"to", b"or"];
    let Some(digits) = bytes.get(i..i + 4) else {
        return false;
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let value = digits
        .iter()
        .fold(0u32, |v, &d| v * 10 + u32::from(d - b'0'));
    if !(1800..=2099).contains(&value) {
        return false;
    }
    match bytes.get(i + 4..) {
        Some([b'0'..=b'9' | b'%' | b':', ..]) => return false,
        Some([b'.' | b',', b'0'..=b'9', ..]) => return false,
        _ => {}
    }
    let before = &bytes[..i];
    if after_year && (before.ends_with(b"-") || before.ends_with("\u{2013}".as_bytes())) {
        return true;
    }
    let Some(word) = word_before(bytes, i) else {
        return before.last() == Some(&b'(');
    };
    let listed = |list: &[&[u8]]| list.iter().any(|l| word.eq_ignore_ascii_case(l));
    listed(&LEADS) || (after_year && listed(&CHAINS))
}

/// Comparatives that can also stand before a noun ("more apples than").
const QUANTIFIERS: [&[u8]; 3] = [b"more", b"less", b"fewer"];

/// "taller", "older", "more", "better": a word that can stand before "than".
fn is_comparative(word: &[u8]) -> bool {
    (word.len() >= 4 && word[word.len() - 2..].eq_ignore_ascii_case(b"er"))
        || QUANTIFIERS
            .iter()
            .chain(&[&b"better"[..], b"worse"])
            .any(|w| word.eq_ignore_ascii_case(w))
}

/// The word just before `i`, past one space ("in" of "in 2008"), or None when a space does
/// not come first.
fn word_before(bytes: &[u8], i: usize) -> Option<&[u8]> {
    let rest = bytes[..i].strip_suffix(b" ")?;
    let start = rest
        .iter()
        .rposition(|&b| !b.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    Some(&rest[start..])
}

/// Whether the number starting at `i` is an age: "40-year-old", "2 year old", "3 months old",
/// "60th birthday", after "aged"/"age"/"ages", or chained to an age just read ("aged 4, 7
/// and 10").
fn is_age(bytes: &[u8], i: usize, after_age: bool) -> bool {
    const AFTER: [&[u8]; 8] = [
        b"-year-old",
        b"-years-old",
        b" year old",
        b" years old",
        b"-month-old",
        b" months old",
        b"-week-old",
        b"-yr-old",
    ];
    const LEADS: [&[u8]; 3] = [b"aged", b"age", b"ages"];
    const CHAINS: [&[u8]; 4] = [b", ", b" and ", b" to ", b"-"];
    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 3 {
        return false;
    }
    let rest = &bytes[i + digits..];
    let lower_starts =
        |s: &[u8], with: &[u8]| s.len() >= with.len() && s[..with.len()].eq_ignore_ascii_case(with);
    if AFTER.iter().any(|a| lower_starts(rest, a)) {
        return true;
    }
    // An ordinal birthday: "60th birthday", "her 1st birthday".
    if rest.len() >= 2
        && (lower_starts(&rest[2..], b" birthday") || lower_starts(&rest[2..], b"-birthday"))
        && matches!(&rest[..2], b"st" | b"nd" | b"rd" | b"th")
    {
        return true;
    }
    let led =
        word_before(bytes, i).is_some_and(|w| LEADS.iter().any(|l| w.eq_ignore_ascii_case(l)));
    led || (after_age && CHAINS.iter().any(|c| bytes[..i].ends_with(c)))
}

/// Whether the `-` at `i`, between two numbers with no space, joins a range, a score, a date
/// or a phone number rather than subtracting: a word follows the second number ("5-10
/// minutes", "lost 3-1 last night", "ages 3-5 years"), or three numbers or more are joined
/// ("2024-01-03", "1-800-555-0199").
fn is_range_or_score(bytes: &[u8], i: usize) -> bool {
    let joined =
        i > 0 && bytes[i - 1].is_ascii_digit() && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
    if !joined {
        return false;
    }
    let digits = bytes[i + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let after = &bytes[i + 1 + digits..];
    let left = bytes[..i]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let chained_before = matches!(bytes[..i - left], [.., d, b'-'] if d.is_ascii_digit());
    matches!(after, [b' ', next, ..] if next.is_ascii_alphabetic())
        || matches!(after, [b'-', next, ..] if next.is_ascii_digit())
        || chained_before
}

fn count_enumerator(bytes: &[u8], i: usize, s: &mut Shape) {
    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits <= 2
        && matches!(bytes.get(i + digits), Some(b'.' | b')'))
        && matches!(bytes.get(i + digits + 1), Some(b' ' | b'\n'))
    {
        s.enumerated += 1;
    }
}

/// "a) " as an enumerated item.
fn is_letter_enumerator(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1) == Some(&b')') && matches!(bytes.get(i + 2), Some(b' ' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_code_fences_source_and_stack_traces() {
        let s = shape_of(
            "Fix this:\n```\ndef f(x):\n    return x;\n```\nTraceback (most recent call last):",
        );
        assert_eq!(s.code_fences, 2);
        assert!(s.source_lines >= 2);
        assert_eq!(s.stack_trace, Some("Traceback (most recent call last)"));
        assert_eq!(
            shape_of("Just a sentence; with a semicolon inside.").source_lines,
            0
        );
    }

    #[test]
    fn counts_names_written_as_code_but_not_prose() {
        let s = shape_of(
            "Why does get_session() fail in app.py when I call df.groupby(key) with --verbose and `useState`?",
        );
        // get_session, get_session(), app.py, df.groupby(, --verbose, the backtick, useState.
        assert!(s.code_tokens >= 6, "{}", s.code_tokens);
        let prose = "E.g. the U.S. economy grew 3.5% in 2023, i.e. faster than Europe (see p. 4).";
        assert_eq!(shape_of(prose).code_tokens, 0);
        // Products named with one lowercase letter first are not identifiers (one-letter
        // prefixes such as "xValue" read the same way, and are left out with them).
        assert_eq!(
            shape_of("Which iPhone or iPad syncs with iCloud and eBay?").code_tokens,
            0
        );
        assert_eq!(
            shape_of("Set userId and maxRetryCount first.").code_tokens,
            2
        );
    }

    #[test]
    fn counts_math_notation_but_not_hyphenated_words() {
        assert!(shape_of("x+y = 4z, x*y = 4z^2").math_marks >= 4);
        assert!(shape_of("Find $\\frac{1}{2} + \\sqrt{3}$").math_marks >= 3);
        assert_eq!(shape_of("a well-known e-mail and/or fax").math_marks, 0);
        for line in [
            "The first line contains n.",
            "The only line of input has two integers.",
            "Each of the next m lines contains an edge.",
            "Each test case consists of one line.",
            "For each test case, print the answer.",
            "For each test cases print YES or NO.",
            "The input consists of several blocks.",
            "Print a single integer — the answer.",
            "Output one number.",
            "Print the answer modulo 998244353.",
        ] {
            assert!(is_io_sentence(line), "{line}");
        }
        for line in [
            "The first time I saw it",
            "Print this page",
            "For each of us",
            "The line",
        ] {
            assert!(!is_io_sentence(line), "{line}");
        }
        for text in [
            "",
            "a",
            "word",
            "eightchr",
            "ninechars!",
            "Mixed CASE",
            "abc@[`{z",
            "zé",
            "AZaz09_",
        ] {
            let want = text.bytes().take_while(u8::is_ascii_alphabetic).count();
            assert_eq!(letter_run(text.as_bytes()), want, "{text}");
        }
        for b in 0..=255u8 {
            let text = [b'a', b'b', b'c', b'd', b'e', b'f', b'g', b, b'x', b'y'];
            let want = 7 + usize::from(b.is_ascii_alphabetic()) * 3;
            assert_eq!(letter_run(&text), want, "byte {b:#x}");
            assert_eq!(
                letter_run(&[b]),
                usize::from(b.is_ascii_alphabetic()),
                "byte {b:#x}"
            );
        }
        assert_eq!(
            shape_of("How many trailing zeros does 100! have?").math_marks,
            1
        );
        assert_eq!(shape_of("Is (n!) even? 5!/3! = 20").math_marks, 3);
        assert_eq!(shape_of("We won 3-0! Great game. Call 911!").math_marks, 1);
    }

    #[test]
    fn years_are_dates_not_quantities() {
        let s = shape_of("How did the 2008 crisis affect prices in 2009 and 2010 (and in 1990)?");
        assert_eq!((s.years, s.numbers), (4, 0));
        let s = shape_of("It ran in 2008-2010; prices rose from 1500 to 1900 units.");
        assert_eq!((s.years, s.numbers), (2, 2));
        // Sums, shares, times, parts of larger numbers and ranges of quantities stay numbers.
        for text in [
            "It cost $2000.",
            "A rise of 2010% is absurd.",
            "We met at 1830:45.",
            "About 2,000 people and 2000.5 litres.",
            "From 1500 to 1900 units.",
            "He ran 2000 metres.",
        ] {
            let s = shape_of(text);
            assert_eq!(s.years, 0, "{text}");
            assert!(s.numbers >= 1, "{text}");
        }
    }

    #[test]
    fn ages_are_facts_not_quantities() {
        for (text, ages, numbers) in [
            ("I have 3 kids aged 4, 7 and 10. What can we play?", 3, 1),
            ("Is 7 hours of sleep enough for a 40-year-old?", 1, 1),
            ("My 2 year old and my 5-Month-Old both wake at 5am.", 2, 1),
            ("A gift for my dad's 60th birthday, under 50 dollars.", 1, 1),
            ("Kids of ages 3-5 and a dog aged 11.", 3, 0),
            // Not ages: a count of years, a time span, an average age to compute.
            ("He worked 20 years at 3 firms.", 0, 2),
            (
                "In 3 years Tom will be twice as old as Ann, who is 12.",
                0,
                2,
            ),
            ("The 7th page of 40.", 0, 2),
        ] {
            let s = shape_of(text);
            assert_eq!((s.ages, s.numbers), (ages, numbers), "{text}");
        }
    }

    #[test]
    fn counts_chains_of_one_comparison() {
        for (text, repeated) in [
            (
                "Anna is taller than Ben. Ben is taller than Carl. Is Carl taller than Anna?",
                2,
            ),
            (
                "Tom has more apples than Ann and Ann has more pears than Bob.",
                1,
            ),
            ("Is Python faster than Java, and is Java safer than C++?", 0),
            ("She is taller, than I thought, and taller than him.", 0),
        ] {
            assert_eq!(shape_of(text).repeated_comparisons, repeated, "{text}");
        }
    }

    #[test]
    fn ranges_and_scores_are_not_subtractions() {
        for text in [
            "My team lost 3-1 last night.",
            "Sleep 7-8 hours a night.",
            "Call 555-1234 today.",
            "Signed up 2024-01-03, renewed 2025-01-03.",
            "Call 1-800-555-0199.",
        ] {
            assert_eq!(shape_of(text).math_marks, 0, "{text}");
        }
        for text in [
            "What is 17-9?",
            "Compute 150-45.",
            "Solve 3x-2=7",
            "12 - 7 apples",
        ] {
            assert!(shape_of(text).math_marks >= 1, "{text}");
        }
    }

    #[test]
    fn measures_the_options_of_a_multiple_choice_question() {
        let options = "A. red\nB) green\n(C) blue\nD. a colour no one has named yet";
        let text = format!("Which colour is a primary colour of light?\n{options}\nAnswer:");
        let s = shape_of(&text);
        assert_eq!(s.letter_options, 4);
        assert_eq!(s.option_bytes as usize, options.len());
        assert_eq!(shape_of("No options here.").option_bytes, 0);
        assert_eq!(s.numeric_options, 0);
        let numbers = "A. 12 m/s\nB. 24 m/s\nC. 36 m/s\nD. It cannot be known";
        let s = shape_of(&format!("How fast does it fall after 2 s?\n{numbers}"));
        assert_eq!(s.numeric_options, 3);
        // Options on one line count one by one.
        let inline = shape_of("What is 6 x 7? (A) 42 (B) 36 (C) forty (D) 48");
        assert_eq!((inline.letter_options, inline.numeric_options), (4, 3));
    }

    #[test]
    fn counts_questions_enumerations_words_and_scripts() {
        let s = shape_of("What? Why?? 1. first 2) second\n- third\na) fourth");
        assert_eq!(s.options_after_question, 1);
        assert_eq!(s.questions, 2);
        assert_eq!(s.enumerated, 4);
        assert_eq!(shape_of("two words").words, 2);
        assert_eq!(shape_of("Привет, как дела?").other_script, Some("Cyrillic"));
        assert!(shape_of("日本語で説明してください").other_script.is_some());
        assert_eq!(shape_of("Hello there, café").other_script, None);
    }
}
