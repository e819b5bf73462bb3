//! Task detection: every task gets a score from its keywords and the text's shape, with the
//! evidence behind it; the highest score names the task.
use std::borrow::Cow;
use std::cell::Cell;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::detector::{DetectorConfig, ShapeWeights};
use crate::examples;
use crate::keywords;
use crate::phrases::{after_demonstrative, leads_clause, PhraseMatcher};
use crate::shape::{shape_of, Shape};
use crate::task::Task;
use crate::trace::counted;

/// One reason a task scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Evidence {
    /// `keyword`, `code fence`, `math notation`, `other language`, …
    // A fixed name, so borrowed: a decision makes dozens of these.
    pub signal: Cow<'static, str>,
    /// What was seen: the keyword, the script, the number of lines.
    pub detail: String,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaskScore {
    pub task: Task,
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

/// What the text holds, as the complexity factors and rule conditions read it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Features {
    pub has_code: bool,
    pub code_fences: u32,
    pub source_lines: u32,
    pub stack_trace: bool,
    pub math_marks: u32,
    pub numbers: u32,
    pub questions: u32,
    /// Distinct steps: enumerated items, or ordering words ("first", "then", "finally").
    pub steps: u32,
    pub words: u32,
    /// The language or script the text is in, when it is not English.
    pub other_language: Option<String>,
    pub asks_json: bool,
    /// Machine-readable shapes asked for: json, yaml, csv, table…
    pub structured_output: Vec<String>,
    pub domain_terms: Vec<String>,
    /// `#tags` written in the message, lowercased, without the `#`.
    pub tags: Vec<String>,
    /// Words asking for a justified answer: "prove", "explain why", "step by step", "compare"…
    pub reasoning_asks: Vec<String>,
    /// Distinct requirement words: "must", "without", "at most", "exactly", "each"…
    pub requirements: u32,
    /// The prompt asks for a short answer ("in one word", "yes or no", "briefly").
    pub short_answer: bool,
    /// Words of ten letters or more: a proxy for technical vocabulary.
    pub long_words: u32,
    /// Distinct quantities written as words ("twice", "three", "a dozen", "percent").
    pub number_words: u32,
    /// Lettered options after a question: a multiple-choice question.
    pub options: u32,
    /// A multiple-choice question turned around ("which is NOT", "EXCEPT") or with numbered
    /// statements to combine ("I only", "I and III").
    pub tricky_choice: bool,
    /// A multiple-choice question whose options are numbers, at least half of them: the answer
    /// is computed, then picked.
    pub numeric_options: bool,
    /// Signs of a programming task beyond code lines: signatures, docstrings, problem headings,
    /// limits like `1 ≤ n ≤ 10^5`.
    pub code_structure: u32,
    /// Bytes of material handed over with the ask (a text to classify, an article to
    /// summarize, data or code to work on); 0 when the prompt is all ask.
    pub material_bytes: u32,
    /// Bytes of a multiple-choice question's lettered options (0 with fewer than three).
    pub option_bytes: u32,
    /// Bytes of the solved examples before a few-shot prompt's question (0 for any other
    /// prompt): the task and the features are the question's.
    pub example_bytes: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaskDetection {
    pub task: Task,
    /// Set when a `#task` tag in the message chose the task.
    pub forced_by_tag: Option<String>,
    /// Every task, highest score first.
    pub scores: Vec<TaskScore>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Task(Task, f64),
    Domain,
    Structured,
    Step,
    Foreign,
    TargetLanguage,
    ReasoningAsk,
    Requirement,
    ShortAnswer,
    NumberWord,
    /// "Statement 1", "Scenario 2": a choice that judges two statements at once.
    Statement,
    /// Counts for math only beside quantities (`keywords::QUANTITY_WORDS`).
    Quantity,
    /// Asks for a quantity (`keywords::QUANTITY_ASKS`).
    QuantityAsk,
    /// Asks for advice on the asker's own situation (`keywords::ADVICE_ASKS`).
    Advice,
    /// Asks what the asker needs or can do (`keywords::NEED_ASKS`): advice unless a quantity
    /// is asked for.
    Need,
    /// A code keyword naming a language or tool (`keywords::CODE_NAMES`).
    CodeName,
    /// Words of a text that computes with ages (`keywords::AGE_WORDS`).
    AgeWord,
}

/// The detector's lists compiled into one automaton.
#[derive(Debug, Clone)]
pub struct Detector {
    matcher: PhraseMatcher,
    phrases: Vec<String>,
    kinds: Vec<Vec<Kind>>,
    /// Per phrase: a foreign function word (counted at every occurrence), and a clear ask (a
    /// task keyword the lead boost applies to). Precomputed: they are read on every hit.
    foreign: Vec<bool>,
    asks: Vec<bool>,
    /// `keywords::ENGLISH_FUNCTION_WORDS`, for texts in another language.
    english: PhraseMatcher,
    /// Per phrase: it names an operation on a given text (convert, extract, summarize,
    /// classify, translate), which after "How do I" is the asker's own chore, not the ask.
    operations: Vec<bool>,
    /// Per phrase: a writing keyword ("paragraph", "email", "article"), which after "this" or
    /// "these" names the text handed over rather than one to write.
    names_text: Vec<bool>,
    /// Per phrase: it opens with a question word ("how does", "what are", "why").
    interrogative: Vec<bool>,
    shape: ShapeWeights,
    default_task: Task,
    lead_boost: f64,
    material_share: f64,
    pub honor_tags: bool,
}

thread_local! {
    static SEEN: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// The lowest keyword weight the lead boost applies to.
/// How much of the system prompt's task scores count beside the user's message.
pub const SYSTEM_PROMPT_WEIGHT: f64 = 0.5;

const MIN_BOOSTED_WEIGHT: f64 = 1.0;

/// The most the material's keywords add to one task: they tell its topic, and a long text on
/// one topic (a job advert full of programming terms) must not outvote the ask.
const MATERIAL_CAP: f64 = 1.5;

/// The least score keywords alone must reach to name a task in a text without numbers; below
/// it the default task answers. One weak word ("series", "express") is a topic, not an ask:
/// "Think of some series I would enjoy" is not math. Evidence from the text's shape (notation,
/// code) counts at any score, and so does a weak word beside two numbers or more: "Jack has 8
/// pens and gives away 3. How many are left?" is math.
const MIN_KEYWORD_EVIDENCE: f64 = 1.0;

/// `weight`, within what the material's keywords may still add to a task (`used` so far),
/// which it then adds to `used`.
fn material_weight(used: &mut f64, weight: f64) -> f64 {
    let weight = weight.min(MATERIAL_CAP - *used).max(0.0);
    *used += weight;
    weight
}

/// Whether `score` rests on a few weak keywords only, in a text with fewer than two numbers,
/// in digits or in words (see [`MIN_KEYWORD_EVIDENCE`]): one number is a fact ("Polly, a
/// 51-year-old, … a series of ads"), a word problem gives at least two.
fn topic_only(score: &TaskScore, quantities: u32) -> bool {
    quantities < 2
        && score.score < MIN_KEYWORD_EVIDENCE
        && score
            .evidence
            .iter()
            .all(|e| e.signal.starts_with("keyword"))
}

/// The language a text written for completion asks for: its last line names a language and
/// ends in a colon, under a line that gives the source in another one ("English: The weather is
/// lovely.\nSpanish:"), the format of translation prompts for base models and benchmarks.
#[inline(never)]
fn completion_target(text: &str) -> Option<&'static str> {
    let body = text.trim_end().strip_suffix(':')?;
    let (before, last) = body.rsplit_once('\n')?;
    let language = |label: &str| {
        let label = label.trim();
        keywords::LANGUAGES
            .iter()
            .find(|l| label.eq_ignore_ascii_case(l))
            .copied()
    };
    let target = language(last)?;
    let source = before
        .lines()
        .filter_map(|line| language(line.split_once(':')?.0))
        .next_back()?;
    (source != target).then_some(target)
}

/// Whether the text asks how many of one unit make another ("How many seconds are in a week?",
/// "how many cups in a gallon", "how many bytes in one megabyte"): a conversion to compute,
/// though it gives no number.
#[inline(never)]
fn unit_conversion(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let is_unit = |w: &str| keywords::UNITS.contains(&w);
    memchr::memmem::find_iter(lower.as_bytes(), b"how many ").any(|at| {
        let mut words = keywords::words(&lower[at + 9..]).take(6);
        if !words.next().is_some_and(is_unit) {
            return false;
        }
        let rest: Vec<&str> = words.collect();
        // "how many cups (are) (there) in a gallon"
        let skip = rest
            .iter()
            .take_while(|w| matches!(**w, "are" | "is" | "there"))
            .count();
        let rest = &rest[skip..];
        match rest {
            ["in" | "per", article, unit, ..] if matches!(*article, "a" | "an" | "one") => {
                is_unit(unit)
            }
            ["in" | "per", unit, ..] => is_unit(unit),
            _ => false,
        }
    })
}

/// The language a question ending in one asks for, without a closing mark ("how to say cheers
/// in japanese"): as "in Japanese?" does. Not English: "answer in english" names the reply's
/// language.
#[inline(never)]
fn trailing_target(text: &str) -> Option<&'static str> {
    let body = text.trim_end().trim_end_matches(['.', '!', '?']);
    let (before, last) = body.rsplit_once(char::is_whitespace)?;
    let before = before.trim_end().as_bytes();
    if before.len() < 3 || !before[before.len() - 3..].eq_ignore_ascii_case(b" in") {
        return None;
    }
    keywords::LANGUAGES
        .iter()
        .find(|l| **l != "english" && last.eq_ignore_ascii_case(l))
        .copied()
}

/// "Rewrite this paragraph in German: …": beside a target language, a rewrite verb's weight
/// (`keywords::REWRITE_VERBS`) goes from the task it counted for to translation.
#[inline(never)]
fn rewrite_is_translation(scores: &mut [TaskScore], language: &str) {
    let mut moved = 0.0;
    for s in scores.iter_mut() {
        if s.task == Task::Translation {
            continue;
        }
        let mut here = 0.0;
        s.evidence.retain(|e| {
            let rewrite = keywords::REWRITE_VERBS.contains(&e.detail.as_ref());
            if rewrite {
                here += e.weight;
            }
            !rewrite
        });
        s.score -= here;
        moved += here;
    }
    if moved > 0.0 {
        let t = &mut scores[Task::Translation.index()];
        t.score += moved;
        t.evidence.push(Evidence {
            signal: "a rewrite into another language".into(),
            detail: language.to_string(),
            weight: moved,
        });
    }
}

/// Whether the phrase at `start` follows "How do I", "how to" and the like: "How do I convert a
/// Word file to PDF?" asks how to do a chore, not for the chore done on a text given.
fn after_how_to(bytes: &[u8], start: usize) -> bool {
    const OPENERS: [&[u8]; 7] = [
        b"how do i ",
        b"how do you ",
        b"how to ",
        b"how can i ",
        b"how should i ",
        b"how would i ",
        b"how does one ",
    ];
    ends_with_any(&bytes[start.saturating_sub(16)..start], &OPENERS)
}

/// Whether `text` ends with one of `endings`, ASCII case ignored.
fn ends_with_any(text: &[u8], endings: &[&[u8]]) -> bool {
    endings
        .iter()
        .any(|e| text.len() >= e.len() && text[text.len() - e.len()..].eq_ignore_ascii_case(e))
}

/// Whether the phrase at `start` is what a question for a quantity counts, right after "how
/// many" or "how much" or one word later: "How many poems did she write?" counts poems, it
/// does not ask for one.
fn after_quantity_ask(bytes: &[u8], start: usize) -> bool {
    const ASKS: [&[u8]; 2] = [b"how many", b"how much"];
    let before = bytes[start.saturating_sub(32)..start].trim_ascii_end();
    let ends_with_ask = |b: &[u8]| ends_with_any(b, &ASKS);
    if ends_with_ask(before) {
        return true;
    }
    // One word between: "how many new songs", "how much blue paint".
    let word = before
        .iter()
        .rev()
        .take_while(|&&b| b.is_ascii_alphabetic())
        .count();
    word > 0 && ends_with_ask(before[..before.len() - word].trim_ascii_end())
}

/// What the keyword pass learned about the ask, for the shape's scoring.
struct Ask<'a> {
    /// The language a translation is asked into ("into French", "Spanish:").
    target_language: Option<&'a str>,
    /// The code keywords of the ask, at their own weight: "write a function", "python".
    code_words: f64,
    /// At least two quantities, in digits or in words, to compute with.
    quantities: bool,
    /// A question asks for one of the quantities given ("how many", "how much").
    quantity_ask: bool,
    /// Asks how many of one unit make another ("How many seconds are in a week?").
    unit_conversion: bool,
    /// The text opens with a request other than a computation: its numbers are constraints.
    constraints: bool,
    /// Quantities written as words found only in the material ("sixteen days apart").
    material_number_words: u32,
    /// The ask itself, outside any material, is about math: a math keyword ("calculate",
    /// "the average") or a measuring word ("total", "amount", "per hour").
    math_words: bool,
    /// Asks for advice on the asker's own situation: its numbers are facts about the asker.
    advice: bool,
    /// A few English words other languages do not share: an English ask.
    english: bool,
}

/// Whether the text opens with an imperative asking for something other than a computation
/// ("Create…", "Help me plan…"; see [`keywords::REQUEST_OPENERS`]).
#[inline(never)]
fn opens_with_request(text: &str) -> bool {
    // A short lead-in before the request: "From this receipt, list…", "Using the table below,
    // write…", "In Python, implement…".
    const LEAD_INS: &[&str] = &["from", "using", "based", "in", "for", "with", "according"];
    let request = |word: &str| keywords::is_listed(word, keywords::REQUEST_OPENERS);
    let Some(first) = keywords::words(text).next() else {
        return false;
    };
    if request(first) {
        return true;
    }
    let head = &text.as_bytes()[..text.len().min(80)];
    keywords::is_listed(first, LEAD_INS)
        && memchr::memchr2(b',', b'\n', head).is_some_and(|c| {
            head[c] == b',' && keywords::words(&text[c + 1..]).next().is_some_and(request)
        })
}

/// Tags kept per message; more are ignored so a hostile prompt cannot grow the trace.
const MAX_TAGS: usize = 16;

impl Detector {
    pub fn new(config: &DetectorConfig) -> Result<Self, String> {
        let mut phrases: Vec<String> = Vec::new();
        let mut kinds: Vec<Vec<Kind>> = Vec::new();
        let mut add_one = |p: String, kind: Kind| match phrases.iter().position(|q| *q == p) {
            Some(i) => kinds[i].push(kind),
            None => {
                phrases.push(p);
                kinds.push(vec![kind]);
            }
        };
        // The matcher folds only ASCII letters, so a phrase that starts with another letter is
        // also looked for capitalised, as at the start of a sentence ("Übersetze ins …").
        let mut add = |phrase: &str, kind: Kind| {
            let p = phrase.trim().to_lowercase();
            let Some(first) = p.chars().next() else {
                return;
            };
            if !first.is_ascii() && !first.is_uppercase() {
                let capital: String = first.to_uppercase().chain(p.chars().skip(1)).collect();
                if capital != p {
                    add_one(capital, kind);
                }
            }
            add_one(p, kind);
        };
        for list in &config.tasks {
            for (phrase, &weight) in &list.keywords {
                add(phrase, Kind::Task(list.task, weight));
            }
        }
        for term in &config.domain_terms {
            add(term, Kind::Domain);
        }
        for word in keywords::STRUCTURED_OUTPUT {
            add(word, Kind::Structured);
        }
        for word in keywords::STEP_MARKERS {
            add(word, Kind::Step);
        }
        for word in keywords::REASONING_ASKS {
            add(word, Kind::ReasoningAsk);
        }
        for word in keywords::REQUIREMENTS {
            add(word, Kind::Requirement);
        }
        for word in keywords::SHORT_ANSWER {
            add(word, Kind::ShortAnswer);
        }
        for word in keywords::NUMBERED_STATEMENTS {
            add(word, Kind::Statement);
        }
        for word in keywords::NUMBER_WORDS {
            add(word, Kind::NumberWord);
        }
        for word in keywords::QUANTITY_WORDS {
            add(word, Kind::Quantity);
        }
        for word in keywords::QUANTITY_ASKS {
            add(word, Kind::QuantityAsk);
        }
        for word in keywords::ADVICE_ASKS {
            add(word, Kind::Advice);
        }
        for word in keywords::NEED_ASKS {
            add(word, Kind::Need);
        }
        for word in keywords::CODE_NAMES {
            add(word, Kind::CodeName);
        }
        for word in keywords::AGE_WORDS {
            add(word, Kind::AgeWord);
        }
        for word in keywords::FOREIGN_FUNCTION_WORDS {
            add(word, Kind::Foreign);
        }
        // "into French", "What is 'thank you' in Korean?" (a question ending in a language asks
        // for words in it), "Render this in Italian: …" (the text to put in it follows),
        // "Give me the Japanese for…", "the Italian word for…".
        for language in keywords::LANGUAGES {
            for form in [
                "into {}",
                "to {}",
                "from {}",
                "in {}?",
                "in {}:",
                "the {} for",
                "{} word for",
                "the {} version of",
                "a {} version of",
            ] {
                add(&form.replace("{}", language), Kind::TargetLanguage);
            }
            // "Say 'I love this city' in Turkish.", "Rewrite this in French, keeping it
            // formal: …". Not for English: "Please answer in English." asks for the reply's
            // language, as non-English speakers often write.
            if *language != "english" {
                for form in ["in {}.", "in {},"] {
                    add(&form.replace("{}", language), Kind::TargetLanguage);
                }
            }
        }
        for speakers in keywords::SPEAKERS {
            for form in ["how do {} say", "how would {} say", "how does {} say"] {
                add(&form.replace("{}", speakers), Kind::TargetLanguage);
            }
        }
        let matcher = PhraseMatcher::new(&phrases)?;
        let foreign = kinds.iter().map(|k| k.contains(&Kind::Foreign)).collect();
        // Only clear asks are boosted: weak openers ("what is", "how many") lead questions of
        // every kind.
        let asks = kinds
            .iter()
            .map(|k| {
                k.iter()
                    .any(|k| matches!(k, Kind::Task(_, w) if *w >= MIN_BOOSTED_WEIGHT))
            })
            .collect();
        let operations = kinds
            .iter()
            .map(|k| {
                k.iter().any(|k| {
                    matches!(
                        k,
                        Kind::Task(
                            Task::Formatting
                                | Task::Extraction
                                | Task::Classification
                                | Task::Summarization
                                | Task::Translation,
                            _
                        )
                    )
                })
            })
            .collect();
        let names_text = kinds
            .iter()
            .map(|k| k.iter().any(|k| matches!(k, Kind::Task(Task::Writing, _))))
            .collect();
        let interrogative = phrases
            .iter()
            .map(|p| {
                keywords::words(p).next().is_some_and(|w| {
                    keywords::is_listed(w, &["how", "what", "why", "which", "who", "where", "when"])
                })
            })
            .collect();
        Ok(Detector {
            english: PhraseMatcher::new(keywords::ENGLISH_FUNCTION_WORDS)?,
            matcher,
            phrases,
            kinds,
            foreign,
            asks,
            operations,
            names_text,
            interrogative,
            shape: config.shape.clone(),
            default_task: config.default_task,
            lead_boost: config.lead_boost,
            material_share: config.material_share,
            honor_tags: config.honor_tags,
        })
    }

    /// Whether `text` has a few English words other languages do not share: an English ask
    /// around text in another language. Read only for such texts, so the common words are not
    /// in the main matcher, where every "the" and "and" of every prompt would be a hit.
    fn has_english_ask(&self, text: &str) -> bool {
        let mut seen = 0u64;
        self.english.for_each(text, |i, _| seen |= 1 << (i % 64));
        seen.count_ones() >= 2
    }

    /// Adds what `system` (the conversation's system prompt) says about the task to `tasks`, at
    /// [`SYSTEM_PROMPT_WEIGHT`] of its scores: "You are a translator" leans toward translation,
    /// but the user's own ask decides. A `#task` tag still wins.
    pub fn absorb_system(&self, tasks: &mut TaskDetection, system: &str) {
        if tasks.forced_by_tag.is_some() {
            return;
        }
        let (read, _) = self.detect(system);
        let mut any = false;
        for s in read.scores.into_iter().filter(|s| s.score > 0.0) {
            if let Some(t) = tasks.scores.iter_mut().find(|t| t.task == s.task) {
                let weight = s.score * SYSTEM_PROMPT_WEIGHT;
                t.score += weight;
                t.evidence
                    .push(evidence("system prompt", s.task.as_str(), weight));
                any = true;
            }
        }
        if !any {
            return;
        }
        tasks.scores.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.task.tie_rank().cmp(&b.task.tie_rank()))
        });
        if tasks.scores[0].score > 0.0 {
            tasks.task = tasks.scores[0].task;
        }
    }

    /// Scores every task for `text` and reads its features.
    /// Detects the task of `text` and measures it. A few-shot prompt (solved examples, then
    /// a question) is read from its question on: the examples show the format.
    pub fn detect(&self, text: &str) -> (TaskDetection, Features) {
        match examples::question_start(text) {
            Some(start) => {
                let (detection, mut features) = self.detect_text(&text[start..]);
                features.example_bytes = u32::try_from(start).unwrap_or(u32::MAX);
                (detection, features)
            }
            None => self.detect_text(text),
        }
    }

    fn detect_text(&self, text: &str) -> (TaskDetection, Features) {
        let mut shape = shape_of(text);
        let mut scores: Vec<TaskScore> = Task::ALL
            .into_iter()
            .map(|task| TaskScore {
                task,
                score: 0.0,
                evidence: Vec::new(),
            })
            .collect();
        let mut features = Features {
            code_fences: shape.code_fences,
            source_lines: shape.source_lines,
            stack_trace: shape.stack_trace.is_some(),
            math_marks: shape.math_marks,
            numbers: shape.numbers,
            questions: shape.questions,
            words: shape.words,
            long_words: shape.long_words,
            options: shape.letter_options,
            numeric_options: shape.letter_options >= 3
                && shape.numeric_options * 2 >= shape.letter_options,
            tricky_choice: shape.letter_options >= 3
                && (shape.negations > 0 || shape.roman_items >= 2),
            code_structure: shape.signatures
                + shape.docstrings
                + shape.io_sections
                + shape.constraints,
            material_bytes: shape
                .material
                .map_or(0, |(s, e)| u32::try_from(e - s).unwrap_or(u32::MAX)),
            option_bytes: if shape.letter_options >= 3 {
                shape.option_bytes
            } else {
                0
            },
            ..Features::default()
        };

        // Per phrase: 0 unseen, 1 seen only in the material, 2 seen, 3 seen
        // leading a clause. Each distinct phrase counts once, at its best position. The table
        // is kept per thread (all zeros between calls), so a decision allocates none.
        let mut seen = SEEN.take();
        seen.resize(self.phrases.len(), 0);
        let mut hits: Vec<usize> = Vec::with_capacity(64);
        let mut foreign_words = 0u32;
        let bytes = text.as_bytes();
        let (material_start, material_end) = shape.material.unwrap_or((usize::MAX, usize::MAX));
        // A text that opens with a request ("Write a descriptive essay about…") has its ask
        // there: the questions after it say what the answer should cover ("What makes it
        // special to you?"), and their question words do not lead.
        let opens_request = opens_with_request(text);
        let request_end = if opens_request {
            bytes
                .iter()
                .position(|&b| matches!(b, b'.' | b'?' | b'!' | b'\n'))
                .unwrap_or(bytes.len())
        } else {
            usize::MAX
        };
        self.matcher.for_each(text, |i, start| {
            if self.foreign[i] {
                foreign_words += 1;
            }
            // "How do I convert…": the asker's chore, not an operation asked of us.
            if self.operations[i] && after_how_to(bytes, start) {
                return;
            }
            if seen[i] == 3 {
                return;
            }
            if seen[i] == 0 {
                hits.push(i);
            }
            let here = if start >= material_start && start < material_end {
                1
            } else if self.asks[i]
                && leads_clause(bytes, start)
                && !after_quantity_ask(bytes, start)
                && !(self.names_text[i] && after_demonstrative(bytes, start))
                && !(self.interrogative[i] && start > request_end)
            {
                3
            } else {
                2
            };
            seen[i] = seen[i].max(here);
        });
        let mut step_words = 0u32;
        let mut statements = 0u32;
        let mut target_language: Option<usize> = None;
        // What the material's keywords have added to each task so far (capped).
        let mut from_material = [0.0f64; Task::ALL.len()];
        // The code keywords of the ask, at their own weight: "write a function", "python".
        let mut code_words = 0.0f64;
        let mut math_words = false;
        // Whether the text has quantities to compute with, in digits or in words: a word
        // problem has at least two. One number is a fact about the asker ("Is 8 hours of sleep
        // enough?", "My battery drains 20% overnight").
        features.number_words = hits
            .iter()
            .filter(|&&i| self.kinds[i].contains(&Kind::NumberWord))
            .count() as u32;
        let material_number_words = hits
            .iter()
            .filter(|&&i| seen[i] == 1 && self.kinds[i].contains(&Kind::NumberWord))
            .count() as u32;
        // Quantities given and a question for one, outside any material: a word problem,
        // whose story's words (songs, letters, poems) name its topic, not a task. Unless the
        // asker wants advice on their own situation ("how much should we budget?").
        let asked = |kind: Kind| {
            hits.iter()
                .any(|&i| seen[i] >= 2 && self.kinds[i].contains(&kind))
        };
        // A text about ages ("years older", "as old as", "the sum of their ages") computes
        // with them: its ages are quantities like any other number.
        if shape.ages > 0 && hits.iter().any(|&i| self.kinds[i].contains(&Kind::AgeWord)) {
            shape.numbers += shape.ages;
            features.numbers += shape.ages;
            shape.ages = 0;
        }
        let how_many = asked(Kind::QuantityAsk);
        let advice = asked(Kind::Advice) || (asked(Kind::Need) && !how_many);
        // Years are dates, not quantities, unless the question asks for a quantity ("How old
        // was she in 2010 if she was born in 1985?").
        let counted = shape.numbers + features.number_words;
        let quantities = counted >= 2 || (how_many && counted + shape.years + shape.ages >= 2);
        let quantity_ask = quantities && how_many && !advice;
        if quantity_ask {
            // Asked for a quantity, the years and ages given are its operands too.
            features.numbers += shape.years + shape.ages;
        }
        // A text that opens by asking for something else ("Create a meal plan for four on 150
        // dollars a week", "Help me plan a trip… we have 5,000 dollars") gives its numbers as
        // constraints: its measuring words do not make it math, unless it asks for a quantity.
        let constraints = !quantity_ask && opens_request;
        // In an ask for advice ("should I", "is it worth", not "how can I") with no other sign
        // of programming, a language or tool named is
        // the topic ("Should I learn React or Vue?"); beside code or a programming word it is
        // not ("how should I compare floats in JavaScript when 0.1 + 0.2 prints…").
        let names_topic = asked(Kind::Advice)
            && shape.code_tokens == 0
            && shape.code_fences == 0
            && !hits.iter().any(|&i| {
                seen[i] >= 2
                    && self.kinds[i]
                        .iter()
                        .any(|k| matches!(k, Kind::Task(Task::Code, _)))
                    && !self.kinds[i].contains(&Kind::CodeName)
            });
        for &i in &hits {
            for kind in &self.kinds[i] {
                match *kind {
                    // Measuring words ("how many", "per day") make a word problem only beside
                    // quantities, and not in an ask for advice about the asker's own numbers;
                    // in the material they measure its content ("375 miles south").
                    Kind::Task(Task::Math, _)
                        if (!quantities || advice || constraints || seen[i] == 1)
                            && self.kinds[i].contains(&Kind::Quantity) => {}
                    Kind::Task(task, weight) => {
                        let base = weight;
                        let (signal, weight) = match seen[i] {
                            // Together at most what the material's keywords may add.
                            _ if names_topic
                                && task == Task::Code
                                && self.kinds[i].contains(&Kind::CodeName) =>
                            {
                                let used = &mut from_material[task.index()];
                                let weight = material_weight(used, weight * self.material_share);
                                ("a name in an ask for advice", weight)
                            }
                            3 => ("keyword leading a clause", weight * self.lead_boost),
                            1 => {
                                let used = &mut from_material[task.index()];
                                let weight = material_weight(used, weight * self.material_share);
                                ("keyword in the material", weight)
                            }
                            _ if quantity_ask && !matches!(task, Task::Math | Task::Code) => (
                                "keyword in a word problem's story",
                                weight * self.material_share,
                            ),
                            _ => ("keyword", weight),
                        };
                        if weight == 0.0 {
                            continue;
                        }
                        if task == Task::Code && seen[i] != 1 && weight >= base {
                            code_words += base;
                        }
                        math_words |= task == Task::Math && seen[i] != 1;
                        let s = &mut scores[task.index()];
                        s.score += weight;
                        s.evidence.push(evidence(signal, &self.phrases[i], weight));
                    }
                    Kind::Domain => features.domain_terms.push(self.phrases[i].clone()),
                    Kind::Structured => features.structured_output.push(self.phrases[i].clone()),
                    Kind::Step => step_words += 1,
                    Kind::TargetLanguage => {
                        target_language.get_or_insert(i);
                    }
                    Kind::ReasoningAsk => features.reasoning_asks.push(self.phrases[i].clone()),
                    Kind::Requirement => features.requirements += 1,
                    Kind::ShortAnswer => features.short_answer = true,
                    Kind::Statement => statements += 1,
                    Kind::Quantity => math_words |= seen[i] != 1,
                    Kind::NumberWord
                    | Kind::Foreign
                    | Kind::QuantityAsk
                    | Kind::Advice
                    | Kind::Need
                    | Kind::CodeName
                    | Kind::AgeWord => {}
                }
            }
        }
        for &i in &hits {
            seen[i] = 0;
        }
        SEEN.set(seen);
        features.asks_json = features.structured_output.iter().any(|s| s == "json");
        features.steps = shape.enumerated.max(step_words);
        // Options that judge two numbered statements together ("True, False") are as tricky
        // as a turned-around question: both must be right.
        features.tricky_choice |= statements >= 2 && shape.letter_options >= 3;
        features.other_language = shape.other_script.map(str::to_string).or_else(|| {
            // A Latin-script text dense in another language's function words.
            (foreign_words >= 3 && foreign_words * 6 >= shape.words)
                .then(|| "a Latin-script language other than English".to_string())
        });
        features.has_code =
            shape.code_fences > 0 || shape.stack_trace.is_some() || shape.source_lines > 0;
        features.tags = hash_tags(text);

        let target_language = target_language
            .map(|i| self.phrases[i].as_str())
            .or_else(|| completion_target(text))
            .or_else(|| trailing_target(text));
        let ask = Ask {
            target_language,
            code_words,
            quantities,
            quantity_ask,
            unit_conversion: !quantity_ask && how_many && unit_conversion(text),
            constraints,
            material_number_words,
            math_words,
            advice,
            english: features.other_language.is_some() && self.has_english_ask(text),
        };
        self.score_shape(&shape, &features, &ask, &mut scores);
        if let Some(language) = ask.target_language {
            rewrite_is_translation(&mut scores, language);
        }
        let tagged = if self.honor_tags {
            features
                .tags
                .iter()
                .find_map(|t| t.parse::<Task>().ok().map(|task| (task, t)))
        } else {
            None
        };
        // On equal scores, the task with more of its evidence in the ask itself wins: a
        // keyword of the material tells its topic ("website" in an article about Twitter), the
        // ask what to do with it ("List the founders… in a comma separated format").
        let from_ask = |s: &TaskScore| s.score - from_material[s.task.index()];
        scores.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| from_ask(b).total_cmp(&from_ask(a)))
                .then_with(|| a.task.tie_rank().cmp(&b.task.tie_rank()))
        });
        // A task whose score is only a weak topic word gives way to the next task with real
        // evidence (a question, the ask's own keywords), and to the default without one.
        let numbers = shape.numbers + features.number_words;
        let (task, forced_by_tag) = match tagged {
            Some((task, tag)) => (task, Some(format!("#{tag}"))),
            None => scores
                .iter()
                .find(|s| s.score > 0.0 && !topic_only(s, numbers))
                .map_or((self.default_task, None), |s| (s.task, None)),
        };
        let detection = TaskDetection {
            task,
            forced_by_tag,
            scores,
        };
        (detection, features)
    }

    fn score_shape(
        &self,
        shape: &Shape,
        features: &Features,
        ask: &Ask<'_>,
        scores: &mut [TaskScore],
    ) {
        let w = &self.shape;
        let mut add = |task: Task, signal: &'static str, detail: String, weight: f64| {
            if weight > 0.0 {
                let s = &mut scores[task.index()];
                s.score += weight;
                s.evidence.push(Evidence {
                    signal: Cow::Borrowed(signal),
                    detail,
                    weight,
                });
            }
        };
        // What the text's structure alone says about code: signatures, docstrings, a problem
        // statement's headings and limits, indented blocks. Tallied so math can be discounted.
        let mut code_shape = 0.0;
        let mut add_code = |signal: &'static str, detail: String, weight: f64| {
            code_shape += weight;
            add(Task::Code, signal, detail, weight);
        };
        if shape.signatures > 0 {
            let detail = counted(shape.signatures, " function signatures");
            add_code("function signature", detail, w.signature);
        }
        if shape.docstrings > 0 {
            let detail = counted(shape.docstrings, " docstring or doctest lines");
            add_code("docstring", detail, w.docstring);
        }
        if shape.io_sections > 0 {
            let share = f64::from(shape.io_sections.min(3)) / 3.0;
            let detail = counted(shape.io_sections, " input/output or constraint headings");
            add_code("problem statement format", detail, w.io_format * share);
        }
        if shape.constraints > 0 {
            let detail = counted(shape.constraints, " lines of bounds like 1 ≤ n ≤ 10^5");
            add_code("constraints", detail, w.constraints);
        }
        if shape.indented_lines > 0 {
            let share = f64::from(shape.indented_lines.min(4)) / 4.0;
            let detail = counted(shape.indented_lines, " indented lines under a block opener");
            add_code("indented block", detail, w.indented_block * share);
        }
        if shape.code_fences > 0 {
            code_shape += w.code_fence;
        }
        if shape.source_lines > 0 {
            code_shape += w.source_code * f64::from(shape.source_lines.min(4)) / 4.0;
        }
        // A programming task about numbers is code: when the structure says so, or the ask
        // names the programming plainly ("write a function", "in Python", "implement"), math's
        // words and numbers name the program's topic.
        let programming = if code_shape >= w.code_shape_threshold {
            Some("the text is shaped like a programming task")
        } else if ask.code_words >= w.code_words_threshold {
            Some("the ask is about programming")
        } else {
            None
        };
        let math_share = if programming.is_some() {
            w.math_beside_code
        } else {
            1.0
        };
        if shape.code_tokens > 0 {
            let share = f64::from(shape.code_tokens.min(4)) / 4.0;
            let detail = counted(shape.code_tokens, " names written as code writes them");
            add(Task::Code, "code-like names", detail, w.code_tokens * share);
        }
        if shape.code_fences > 0 {
            add(
                Task::Code,
                "code fence",
                counted(shape.code_fences, " fence lines"),
                w.code_fence,
            );
        }
        if let Some(marker) = shape.stack_trace {
            add(Task::Code, "stack trace", marker.into(), w.stack_trace);
        }
        if shape.source_lines > 0 {
            let share = f64::from(shape.source_lines.min(4)) / 4.0;
            let detail = counted(shape.source_lines, " lines of source code");
            add(Task::Code, "source code", detail, w.source_code * share);
        }
        if shape.math_figures > 0 {
            let detail = counted(shape.math_figures, " figures drawn in Asymptote");
            add(Task::Math, "math figure", detail, w.math_notation);
        }
        // The material's numbers and notation (the figures of a study, dates and sums in a
        // plot summary) count at the material's share when the ask is about math ("Compute
        // the total of this receipt:"), else not at all: they are the material's content.
        let material_share = if ask.math_words || ask.quantity_ask {
            self.material_share
        } else {
            0.0
        };
        let marks = if ask.quantities {
            shape.math_marks
        } else {
            shape.math_marks - shape.percent_signs
        };
        if marks > 0 {
            // Four marks are full evidence, and so is a short question that is mostly its
            // expression ("What is 17 * 23?").
            let density = 2.0 * f64::from(marks) / f64::from(shape.words.max(1));
            let share = (f64::from(marks.min(4)) / 4.0 + density).min(1.0);
            // Notation sits among the numbers: when the numbers are the material's (a date and
            // a price in an email, quantities in a recipe, the statistics of a study), so is
            // the notation ("05/12", "2 x 5 oz", "p < 0.05"), and it counts as they do.
            let in_material = if shape.numbers == 0 {
                0.0
            } else {
                f64::from(shape.material_numbers) / f64::from(shape.numbers)
            };
            let material = 1.0 - in_material * (1.0 - material_share);
            let detail = counted(marks, " operators, symbols or LaTeX commands");
            let weight = w.math_notation * share * material;
            add(Task::Math, "math notation", detail, weight);
        }
        // Numbers in the material handed over (prices in a review, dates in an email) count as
        // above, and at most as much as six numbers at that share: "Who wins the auction?"
        // after a plot summary full of dates and sums is a question about the story.
        // Quantities written as words ("three times as old", "twice") count as digits do.
        let in_material = shape.material_numbers + ask.material_number_words;
        let numbers = f64::from(shape.numbers + features.number_words - in_material)
            + f64::from(in_material.min(6)) * material_share;
        // The constraints of a request ("a two-week trip for two on 5,000 dollars", "List 10
        // countries with over 100 million people") do not count: a request that computes says
        // so with a math word ("the sum of", "prime").
        if numbers >= 3.0 && !ask.advice && !ask.constraints {
            let share = numbers.min(6.0) / 6.0;
            let detail = format!(
                "{} numbers, {} of them in the material, and {} number words",
                shape.numbers, shape.material_numbers, features.number_words
            );
            add(Task::Math, "numbers", detail, w.numbers * share);
        }
        // Quantities given and a question asking for one: a word problem, whatever its story
        // is about.
        if ask.quantity_ask {
            add(
                Task::Math,
                "word problem",
                "asks how many or how much of the quantities given".into(),
                w.word_problem * math_share,
            );
        }
        if ask.unit_conversion {
            add(
                Task::Math,
                "unit conversion",
                "asks how many of one unit make another".into(),
                w.word_problem * math_share,
            );
        }
        if shape.options_after_question >= 3 {
            let detail = counted(
                shape.options_after_question,
                " lettered options after a question",
            );
            add(
                Task::Reasoning,
                "multiple choice",
                detail,
                w.multiple_choice,
            );
        }
        // (Options that each compare the same way are a choice's wording, not a chain.)
        if shape.repeated_comparisons > 0 && shape.numbers == 0 && shape.letter_options < 3 {
            let share = f64::from(shape.repeated_comparisons.min(2)) / 2.0;
            let detail = counted(
                shape.repeated_comparisons,
                " comparisons repeating one relation",
            );
            add(
                Task::Reasoning,
                "comparison chain",
                detail,
                w.comparison_chain * share,
            );
        }
        if shape.questions > 0 {
            add(
                Task::Analysis,
                "question",
                counted(shape.questions, " questions"),
                w.question,
            );
        }
        // Another language asks for translation beside an English ask ("What does 我们明天见
        // mean?"); a text all in that language is someone writing in it.
        if let Some(language) = features.other_language.as_ref().filter(|_| ask.english) {
            add(
                Task::Translation,
                "other language",
                language.clone(),
                w.other_language,
            );
        }
        if let Some(language) = ask.target_language {
            add(
                Task::Translation,
                "target language",
                language.to_string(),
                w.target_language,
            );
        }
        if let Some(first) = features.structured_output.first() {
            for task in [Task::Formatting, Task::Extraction] {
                add(
                    task,
                    "structured output",
                    first.clone(),
                    w.structured_output,
                );
            }
        }
        if math_share < 1.0 {
            // Math's whole score (its keywords, notation and numbers) is scaled down, and the
            // evidence says by how much.
            let s = &mut scores[Task::Math.index()];
            let cut = s.score * (1.0 - math_share);
            if cut > 0.0 {
                s.score -= cut;
                s.evidence.push(Evidence {
                    signal: Cow::Borrowed("programming task"),
                    detail: format!(
                        "math words scaled by {math_share}: {}",
                        programming.unwrap_or_default()
                    ),
                    weight: -cut,
                });
            }
        }
    }
}

fn evidence(signal: &'static str, detail: &str, weight: f64) -> Evidence {
    Evidence {
        signal: Cow::Borrowed(signal),
        detail: detail.into(),
        weight,
    }
}

/// Words written as `#word` at the start of the text or after whitespace ("#include" counts
/// too; it simply matches no task).
fn hash_tags(text: &str) -> Vec<String> {
    prefixed_words(text, b'#')
        .take(MAX_TAGS)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// `@name` mentions: a model named by the user.
pub fn mentions(text: &str) -> impl Iterator<Item = &str> {
    prefixed_words(text, b'@')
}

fn prefixed_words(text: &str, prefix: u8) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    // The memchr crate's search reads 32 bytes a step (std's `match_indices` reads 8).
    memchr::memchr_iter(prefix, bytes).filter_map(move |i| {
        if i > 0 && !bytes[i - 1].is_ascii_whitespace() {
            return None;
        }
        let rest = &text[i + 1..];
        let len = rest
            .bytes()
            .take_while(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':' | b'/')
            })
            .count();
        // A sentence's final period is not part of the name.
        let name = rest[..len].trim_end_matches('.');
        (!name.is_empty()).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measuring_words_without_quantities_to_compute_are_not_math() {
        for prompt in [
            "How many calories should an average adult eat per day?",
            "How old is the universe, and how do we know?",
            "Is 8 hours of sleep really necessary?",
            "My phone battery drains 20% overnight. Is that normal?",
            "How much does it cost to ship a parcel to Canada?",
        ] {
            let (d, _) = detect(prompt);
            assert_ne!(d.task, Task::Math, "{prompt}: {:?}", &d.scores[..2]);
        }
        // With quantities to compute with, the same words make a word problem.
        for prompt in [
            "A cyclist rides at 18 km per hour for 2.5 hours. How many km does she ride?",
            "What is 15% of 80?",
            "Three friends share twelve apples equally. How many does each get?",
            "How many trailing zeros does 100! have?",
            "How many positive divisors does 150 have?",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Math, "{prompt}: {:?}", &d.scores[..2]);
        }
    }

    #[test]
    fn word_problems_in_number_words_and_idioms_of_ages_and_rates_are_math() {
        for prompt in [
            "Omar is four times as old as his niece. In twenty years he will be twice as old as she. What are their ages?",
            "Two pumps empty a pool in 9 hours. At the same rate, in what time would 3 pumps empty it?",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Math, "{prompt}: {:?}", &d.scores[..2]);
        }
    }

    #[test]
    fn positions_a_puzzle_constrains_and_figures_of_geometry_name_their_tasks() {
        let (d, _) = detect(
            "Four friends sit in a row. Kim sits next to Lea, Max is left of Kim, and Noor is at one end. Who sits second from the left?",
        );
        assert_eq!(d.task, Task::Reasoning, "{:?}", &d.scores[..2]);
        let (d, _) = detect("What is the sum of the interior angles of a hexagon?");
        assert_eq!(d.task, Task::Math, "{:?}", &d.scores[..2]);
    }

    #[test]
    fn a_short_question_that_is_mostly_its_expression_is_math() {
        for prompt in [
            "What is 17 * 23?",
            "What's 2^10 - 1?",
            "Q: What is 144 / 12?",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Math, "{prompt}: {:?}", &d.scores[..2]);
        }
    }

    #[test]
    fn a_few_shot_prompt_is_read_from_its_question() {
        let prompt = "Q: Translate 'cat' into French.\nA: chat\n\n\
            Q: Translate 'dog' into French.\nA: chien\n\n\
            Q: A train travels 60 km in 45 minutes. How many km does it travel in 3 hours?\nA:";
        let (d, f) = detect(prompt);
        assert_eq!(d.task, Task::Math, "{:?}", &d.scores[..2]);
        let question = prompt.find("Q: A train").unwrap();
        assert_eq!(f.example_bytes as usize, question);
        assert_eq!(f.numbers, 3, "the question's numbers only");
    }

    #[test]
    fn a_question_for_a_quantity_beside_quantities_is_a_word_problem_whatever_its_story() {
        // Stories about songs, letters, poems or groups use words other tasks own; the
        // question for a quantity of the ones given makes them arithmetic.
        for prompt in [
            "Mia wrote 12 poems last month and 9 this month. How many poems did she write in all?",
            "A choir has 24 sopranos and 18 altos. If they stand in equal rows with no one left over, what is the greatest number of rows they can form?",
            "Leo sent seventeen letters on Monday and thirteen on Friday. What is the difference between the number of letters he sent on those days?",
            "A recipe needs 3 eggs per cake. How many eggs do 14 cakes need?",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Math, "{prompt}: {:?}", &d.scores[..2]);
            let word_problem = d.scores[0].evidence.iter().any(|e| e.signal == "word problem");
            assert!(word_problem, "{prompt}: {:?}", d.scores[0]);
        }
        // A question for a quantity without quantities given asks for a fact; beside the
        // asker's own numbers and an ask for advice, for a judgement.
        for prompt in [
            "How many songs did the Beatles release?",
            "What is the difference between a poem and a song?",
            "My cat is 3 years old and weighs 5 kg. How much wet food should I give her?",
            "I earn 3,200 a month and spend 1,400 on rent and 300 on food. Is that reasonable?",
            "We have 2 teenagers and a 9 year old. How many chores a week is reasonable?",
        ] {
            let (d, _) = detect(prompt);
            assert_ne!(d.task, Task::Math, "{prompt}: {:?}", &d.scores[..2]);
        }
    }

    #[test]
    fn a_version_in_a_language_and_how_to_say_in_chinese_ask_for_translation() {
        for prompt in [
            "Can you give me the Spanish version of this notice: the pool closes at noon.",
            "\"good luck\" 用日语怎么说？",
            "\"see you soon\"は日本語で何と言いますか？",
            "How would a German say 'it's not my cup of tea'?",
            "Write 'the museum opens at nine' in Greek.",
            "Put this notice into European Portuguese: the lift is out of order.",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Translation, "{prompt}: {:?}", &d.scores[..2]);
        }
        // "How to persuade him" is not "how to say".
        let (d, _) = detect("我该怎么说服我的老板给我加薪？");
        assert_ne!(d.task, Task::Translation, "{:?}", &d.scores[..2]);
    }

    #[test]
    fn a_completion_prompt_ending_in_a_language_asks_for_translation() {
        for prompt in [
            "English: The weather is lovely today.\nSpanish:",
            "German: Wo ist der Bahnhof?\nEnglish:",
            "Translate.\nFrench: Il pleut depuis ce matin.\nItalian:\n",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Translation, "{prompt}: {:?}", &d.scores[..2]);
        }
        assert_eq!(completion_target("Spanish: hola\nSpanish:"), None);
        assert_eq!(completion_target("Name: Ana\nAge:"), None);
    }

    #[test]
    fn ages_scores_needs_and_names_are_read_for_what_they_are() {
        use Task::{Analysis, Code, Math, Reasoning};
        // (prompt, a task, whether the prompt is read as that task)
        let cases: [(&str, Task, bool); 24] = [
            // Ages are facts about people, a score or a range joins two numbers: not math.
            ("My two boys are aged 6 and 9 and my daughter is 12. What films can we watch together?", Math, false),
            ("Is 8 hours of screen time a day normal for a 15-year-old?", Math, false),
            ("Our club won 4-2 on Sunday. Write a short note thanking the volunteers.", Math, false),
            ("I sleep 6-7 hours and wake up tired. Why might that be?", Math, false),
            ("Do I need a visa to spend 10 days in Vietnam with a 3-month-old?", Math, false),
            // What the asker needs or can do, asked as a quantity, is a computation.
            ("A cake for 6 uses 250 g of butter and 3 eggs. How much butter do I need for 15?", Math, true),
            ("Tiles are 30 cm by 30 cm and my floor is 4 m by 3 m. How many tiles do I need?", Math, true),
            ("If I drive 300 miles at 50 mph, how many hours do I need?", Math, true),
            ("My son is 8 and I am 4 times his age. In how many years will I be twice as old as him?", Math, true),
            ("What is 365-127?", Math, true),
            // Ages in a text about ages are its quantities.
            ("Tom is 3 times as old as his 12-year-old sister. How old will Tom be in 5 years?", Math, true),
            ("Find Ria's present age if her 44-year-old mother is 5 years more than three times her age.", Math, true),
            // A request after a short lead-in gives its numbers as constraints.
            ("From this receipt, list the item names and prices: Milk 2.49, Bread 3.10, Eggs (12) 4.25, Total 9.84", Math, false),
            ("How do I see what is using port 3000 on my server?", Code, true),
            // A weak topic word gives way to a question's evidence, not to the default.
            ("What year did the war end, and what were the main reasons it ended?", Analysis, true),
            // One relation repeated along a chain, without numbers, is an order puzzle; two
            // different comparisons, or comparisons with numbers, are not.
            ("Mia runs faster than Leo. Leo runs faster than Zoe. Does Zoe run faster than Mia?", Reasoning, true),
            ("The red box is heavier than the blue one, and the blue one is heavier than the green one. Which is lightest?", Reasoning, true),
            ("Sam has more stamps than Ida, and Ida has more stamps than Raj. Who has the fewest?", Reasoning, true),
            ("Is tea healthier than coffee, and is coffee cheaper than juice?", Reasoning, false),
            ("Sam has 5 more stamps than Ida, and Ida has 3 more stamps than Raj, who has 10. How many does Sam have?", Math, true),
            // A language named in an ask for advice is its topic; in a programming question not.
            ("Should I learn Kotlin or Swift first?", Code, false),
            ("How should I compare floats in JavaScript when 0.1 + 0.2 prints 0.30000000000000004?", Code, true),
            ("Should I use `useEffect` or `useMemo` in React for this?", Code, true),
            ("How can I narrow a union type in TypeScript?", Code, true),
        ];
        for (prompt, task, is) in cases {
            let (d, _) = detect(prompt);
            assert_eq!(d.task == task, is, "{prompt}: {:?}", &d.scores[..2]);
        }
    }

    fn detect(text: &str) -> (TaskDetection, Features) {
        Detector::new(&DetectorConfig::default())
            .unwrap()
            .detect(text)
    }

    #[test]
    fn scores_every_task_with_evidence() {
        let (d, _) = detect("Write a Python function to debug this code");
        assert_eq!(d.task, Task::Code);
        assert_eq!(d.scores.len(), Task::ALL.len());
        let code = d.scores.iter().find(|s| s.task == Task::Code).unwrap();
        assert!(code.evidence.iter().any(|e| e.detail == "python"));
        let writing = d.scores.iter().find(|s| s.task == Task::Writing).unwrap();
        assert!(
            writing.score > 0.0,
            "every task keeps its score, not only the first keyword match"
        );
    }

    #[test]
    fn reads_shape_not_only_keywords() {
        assert_eq!(
            detect("x+y = 4z, x*y = 4z^2, express x-y in z").0.task,
            Task::Math
        );
        assert_eq!(
            detect("```\nfn main() {\n  let x = 1;\n}\n```\nwhy?")
                .0
                .task,
            Task::Code
        );
        // Text in another language is material to translate beside an English ask; all in
        // that language, it is someone writing in it.
        assert_eq!(
            detect("What does this mean? Bonjour, comment allez-vous? Je suis très content.")
                .0
                .task,
            Task::Translation
        );
        for chat in [
            "Bonjour, comment allez-vous? Je suis très content.",
            "Quels sont les avantages du télétravail pour les entreprises ?",
            "为什么天空是蓝色的？",
            "東京でおすすめのラーメン屋はどこですか？",
            "Как приготовить борщ?",
        ] {
            assert_ne!(detect(chat).0.task, Task::Translation, "{chat}");
        }
        for ask in [
            "请把这句话翻译成英文：我们明天早上九点见面。",
            "この文を英語に翻訳してください：今日はとても暑いです。",
            "Переведи на английский: Я не знаю, где он живёт.",
        ] {
            assert_eq!(detect(ask).0.task, Task::Translation, "{ask}");
        }
        assert_eq!(
            detect("Please put this into German: good morning").0.task,
            Task::Translation
        );
        assert_eq!(detect("What's 15% of 80?").0.task, Task::Math);
        let syllogism =
            "If all bloops are razzies and all razzies are lazzies, are all bloops lazzies?";
        assert_eq!(detect(syllogism).0.task, Task::Reasoning);
        // An explicit role-play framing outweighs the role's topic.
        assert_eq!(
            detect("Act as a math teacher and explain equations.")
                .0
                .task,
            Task::Writing
        );
        // "Write" leads many coding asks; the coding phrase outweighs it.
        assert_eq!(
            detect("Write a function to merge two sorted lists.").0.task,
            Task::Code
        );
        let (_, f) = detect("Return the result as JSON.");
        assert!(f.asks_json);
    }

    #[test]
    fn whole_words_only_and_default_when_nothing_scores() {
        // "information" holds "format", "brief" is weak: neither makes this formatting.
        let (d, _) = detect("zzz qqq");
        assert_eq!(d.task, Task::Writing);
        assert!(d.scores.iter().all(|s| s.score == 0.0));
        assert_ne!(detect("Some information").0.task, Task::Formatting);
    }

    #[test]
    fn tags_force_the_task_and_mentions_are_read() {
        let (d, f) = detect("#math please write a poem");
        assert_eq!(d.task, Task::Math);
        assert_eq!(d.forced_by_tag.as_deref(), Some("#math"));
        assert_eq!(f.tags, vec!["math"]);
        assert_eq!(
            mentions("ask @gpt-4o. not a@b.c").collect::<Vec<_>>(),
            vec!["gpt-4o"]
        );
    }
}

/// Detection of prompts composed for these tests (not taken from any benchmark), by kind,
/// including the kinds that used to fail: programming tasks about numbers read as math, and
/// role-play read as analysis.
#[cfg(test)]
mod generalizes {
    use super::*;

    fn task(text: &str) -> Task {
        Detector::new(&DetectorConfig::default())
            .unwrap()
            .detect(text)
            .0
            .task
    }

    fn all(expected: Task, prompts: &[&str]) {
        let wrong: Vec<(&str, Task)> = prompts
            .iter()
            .map(|p| (*p, task(p)))
            .filter(|(_, t)| *t != expected)
            .collect();
        assert!(wrong.is_empty(), "expected {expected}: {wrong:#?}");
    }

    #[test]
    fn a_judge_statement_without_headings_is_code() {
        all(
            Task::Code,
            &[
                "Petya has an array of n integers and wants the longest segment whose sum is even.\n\nThe first line contains one integer n (1 ≤ n ≤ 100). The second line contains n integers a_i (0 ≤ a_i ≤ 1000).\n\nPrint a single integer — the length of the segment.",
                "Find the number of pairs of equal numbers in a list.\nThe first line contains t, the number of test cases. Each test case consists of a number n and n numbers.\nFor each test case, output the answer.",
            ],
        );
    }

    #[test]
    fn competition_problems_with_a_figure_are_math() {
        all(
            Task::Math,
            &[
                "In the diagram, $AB$ is a line segment. What is the value of $x$?\n\n[asy]\ndraw((0,0)--(10,0),black+linewidth(1));\ndraw((4,0)--(9,7),black+linewidth(1));\nlabel(\"$A$\",(0,0),W);\nlabel(\"$x^\\circ$\",(4.75,2.25));\n[/asy]",
                "Triangle $ABC$ has vertices $A(0,0)$, $B(6,0)$ and $C(2,5)$. What is its area?\n[asy]\nunitsize(0.5cm);\npair A=(0,0), B=(6,0), C=(2,5);\ndraw(A--B--C--cycle);\n[/asy]",
                "The graph of $y=f(x)$ is shown below. What is $f(f(2))$?\n\n[asy]\nimport graph; size(7cm);\nreal f(real x) {return x^2-2;}\ndraw(graph(f,-2,2));\n[/asy]",
            ],
        );
        // Asymptote asked about as code stays code.
        assert_eq!(
            task("Write an Asymptote function that draws a regular hexagon:\n```\nvoid hexagon(real r) {\n  draw(polygon(6));\n}\n```"),
            Task::Code
        );
    }

    #[test]
    fn data_named_as_the_source_asks_for_extraction_and_unit_conversions_are_math() {
        all(
            Task::Extraction,
            &[
                "From this JSON, which products cost more than 10?\n[{\"name\": \"pen\", \"price\": 2}, {\"name\": \"lamp\", \"price\": 25}]",
                "List the names of the speakers from this text: Ana opened, Bo replied, then Cy closed.",
            ],
        );
        all(
            Task::Math,
            &[
                "Convert 72 degrees Fahrenheit to Celsius.",
                "What is 300 K converted to Fahrenheit?",
            ],
        );
    }

    #[test]
    fn how_to_do_a_chore_is_a_question_not_the_operation() {
        for prompt in [
            "How do I convert a Word document to PDF on a Mac?",
            "How do I extract juice without a juicer?",
            "How to format a USB drive for both Windows and Mac?",
            "How do you translate a recipe's cups into grams?",
        ] {
            let (d, _) = detect(prompt);
            assert!(
                matches!(d.task, Task::Analysis | Task::Writing),
                "{prompt}: {:?}",
                &d.scores[..2]
            );
        }
        assert_eq!(
            task("How do I translate 'good night' into Japanese?"),
            Task::Translation
        );
        assert_eq!(
            task("How do I extract the year from a date string in Python?"),
            Task::Code
        );
        assert_eq!(
            task("Convert this to JSON: name Ana, age 31"),
            Task::Formatting
        );
    }

    #[test]
    fn text_to_put_in_a_language_is_translation() {
        all(
            Task::Translation,
            &[
                "Render this paragraph in Italian: Our hotel is a short walk from the old town.",
                "Please put the following in Portuguese: the meeting starts at nine.",
                "How do the Japanese say 'enjoy your meal' before eating?",
            ],
        );
        assert_eq!(
            task("Write a haiku about the sea, then say why you chose its images."),
            Task::Writing
        );
    }

    #[test]
    fn how_do_you_say_asked_in_another_language_is_translation() {
        all(
            Task::Translation,
            &[
                "¿Cómo se dice 'see you tomorrow' en alemán?",
                "Comment dit-on « I am hungry » en espagnol ?",
                "Wie sagt man 'Feierabend' auf Englisch?",
            ],
        );
    }

    #[test]
    fn function_stubs_about_numbers_are_code() {
        all(
            Task::Code,
            &[
                "def total_weight(items: list[int], limit: int) -> int:\n    \"\"\"Return the sum of the weights that do not exceed limit.\n    >>> total_weight([3, 9, 4], 5)\n    7\n    \"\"\"",
                "from typing import List\n\n\ndef running_max(numbers: List[int]) -> List[int]:\n    \"\"\" For each position, the largest integer seen so far.\n    >>> running_max([1, 3, 2, 5])\n    [1, 3, 3, 5]\n    \"\"\"\n",
                "def is_perfect_square(n):\n    '''Given a non-negative integer n, return True if n is a perfect square.\n    is_perfect_square(16) == True\n    is_perfect_square(15) == False\n    '''",
                "def mean_absolute_deviation(xs: list[float]) -> float:\n    \"\"\"Mean absolute deviation of xs around its mean: average of |x - mean|.\"\"\"",
                "/**\n * Returns the count of numbers in arr divisible by both 3 and 5.\n */\nfunction countFizzBuzz(arr) {",
                "fn sum_of_squares(n: u64) -> u64 {\n    // 1^2 + 2^2 + ... + n^2\n}",
                "func Fibonacci(n int) int {\n\t// return the n-th Fibonacci number, F(0) = 0\n}",
                "public static long factorial(int n) {\n    // n! for 0 <= n <= 20\n}",
                "int gcd(int a, int b) {\n  /* greatest common divisor of a and b */\n}",
            ],
        );
    }

    #[test]
    fn programming_problem_statements_are_code() {
        all(
            Task::Code,
            &[
                "Alice has n coins with values a_1..a_n. She wants to split them into two piles whose sums differ as little as possible. Find the smallest difference.\n\nInput\nThe first line contains n (1 ≤ n ≤ 100). The second line contains n integers (1 ≤ a_i ≤ 1000).\n\nOutput\nPrint the smallest difference.",
                "You are given an array of n integers. For each query l r, output the sum of the elements from l to r.\nConstraints\n1 <= n, q <= 10^5\n|a_i| <= 10^9\nSample Input\n3 1\n1 2 3\n1 2\nSample Output\n3",
                "Given an integer array nums, return the length of the longest strictly increasing subsequence.\n\nExample 1:\nInput: nums = [10,9,2,5,3,7,101,18]\nOutput: 4\n\nConstraints:\n1 <= nums.length <= 2500",
                "There are T test cases. Each gives two integers a and b (1 ≤ a, b ≤ 10^18). Print a mod b for each.",
                "Write a program that reads an integer n and prints the number of primes less than or equal to n.",
                "Write a function that returns the median of three numbers without sorting them.",
                "Implement a function to compute the number of trailing zeros of n factorial in O(log n).",
                // No structure at all: the ask names the programming, the numbers are its topic.
                "In Python, compute the probability that the sum of two dice is at least 9 by listing every outcome.",
                "Write a JavaScript function returning the average of the prime numbers below 1000.",
            ],
        );
    }

    #[test]
    fn code_asks_in_prose_are_code() {
        all(
            Task::Code,
            &[
                "Port this to Rust please:\n\ndef add(a, b):\n    return a + b",
                "Translate this JavaScript into Python: const xs = [1, 2, 3].map(x => x * 2);",
                "Write a regular expression for US ZIP codes like 12345 or 12345-6789.",
                "Why does my loop `for i in range(10): print(i)` print 0 to 9 and not 1 to 10?",
            ],
        );
    }

    #[test]
    fn math_word_problems_and_notation_stay_math() {
        all(
            Task::Math,
            &[
                "Ravi buys 3 notebooks at $2.40 each and a pen for $1.15. He pays with $10. How much change does he get?",
                "A garden is 12 m long and 7 m wide. A path 1 m wide runs around it. What is the area of the path?",
                "Priya is 3 times as old as her son. In 12 years she will be twice as old as him. How old is Priya now?",
                "A cyclist rides 45 km in 2.5 hours. At the same speed, how long will it take to ride 63 km?",
                "Out of 40 students, 60% passed the test. How many students failed?",
                // Two quantities only, but with units.
                "A rectangular rug covers 24 square feet and is 6 feet long. What is its other side?",
                "Solve the system 2x + y = 7 and x - y = 2.",
                "Compute $\\sum_{k=1}^{10} k^2$.",
                "What is the probability of drawing two aces from a shuffled deck without replacement?",
            ],
        );
    }

    #[test]
    fn role_play_and_creative_prompts_are_writing() {
        all(
            Task::Writing,
            &[
                "Pretend you are a ship's doctor in 1850 and describe your morning rounds.",
                "Act as a travel agent and convince me to visit Lisbon in winter.",
                "Imagine you are a dragon guarding a library. Why do you hate fire?",
                "You are a detective interviewing a nervous witness. What do you ask first?",
                "I want you to act as a stand-up comedian and tell me a joke about taxes.",
                "Speak as Cleopatra and tell us what you think of modern Egypt.",
                "Write a bedtime story about a turtle who wants to fly.",
            ],
        );
    }

    #[test]
    fn questions_about_programming_tools_are_code() {
        all(
            Task::Code,
            &[
                "How do I drop rows with missing values from a pandas DataFrame?",
                "What is the best way to scrape a page that loads its content with JavaScript, without selenium?",
                "My nginx config returns 502 for the /api route. What should I check?",
                "Give me cron syntax to run a job every weekday at 7 pm.",
                "How can I make a sticky header with Tailwind in Next.js?",
                "Explain how to set up GitHub Actions to run pytest on every pull request.",
                // No tool named, but names written as code: the question is about a program.
                "Why is user_id None after I call load_profile() in handlers.go?",
            ],
        );
    }

    #[test]
    fn yes_no_and_label_asks_about_a_given_text_are_classification() {
        all(
            Task::Classification,
            &[
                "Decide whether the following review is sarcastic.\n\nOh great, the battery lasted a whole 40 minutes. Worth every one of the 300 dollars.",
                "Tell me if this message is spam or not.\n\nCongratulations! You won 2 tickets, call 555-0100 before 5 pm.",
                "Is the tweet below offensive or not?\n\nI can't believe people still wait 3 hours in line for this place.",
                "Which genre does this film belong to?\n\nTwo detectives chase a killer through 1970s Rome.",
            ],
        );
    }

    #[test]
    fn material_after_the_ask_counts_less_than_the_ask() {
        // Prices and dates in the handed-over text do not make a summary a math problem.
        all(
            Task::Summarization,
            &[
                "Summarize the email below in two sentences.\n\nHi team, the Q3 budget is $12,400, down 8% from Q2. We spent $3,100 on travel, $5,250 on tools and $4,050 on contractors. The review is on 14 October at 10:30.",
            ],
        );
        // A job advert full of programming terms is still writing.
        all(
            Task::Writing,
            &[
                "Write a short, friendly job advert from these notes.\n\nRole: data engineer. Stack: Python, SQL, PySpark, AWS, Airflow, dbt, Docker, Kubernetes, pytest, CI/CD. Remote, 4 days a week.",
            ],
        );
        // The ask's own subject still counts in full.
        all(
            Task::Math,
            &[
                "Solve this math word problem:\nA shop sells pens at 3 for $2. How much do 18 pens cost?",
            ],
        );
    }

    #[test]
    fn translation_prompts_are_translation() {
        all(
            Task::Translation,
            &[
                "Translate into French: the library opens at nine on weekdays.",
                "Please translate this sentence to German: I forgot my umbrella at the office.",
                "How do you say 'thank you very much' in Korean?",
                "Translate from Italian: Domani andiamo al mare con i bambini.",
                "Traduisez en anglais s'il vous plaît: nous sommes très contents de vous voir.",
                // The ask in the text's own language, capitalised outside ASCII too.
                "Traduce al inglés: Mañana tenemos una reunión a las diez.",
                "Übersetze ins Englische: Wir fahren morgen mit dem Zug nach Berlin.",
                "Vertaal naar het Engels: De winkel is op zondag gesloten.",
                // A question that ends in a language; a language's word for something.
                "What's 'good morning' in Japanese?",
                "Give me the Korean for 'see you tomorrow', with its pronunciation.",
                "What is the Italian word for 'window'?",
            ],
        );
    }

    #[test]
    fn options_that_judge_two_numbered_statements_are_a_tricky_choice() {
        let pair = "Statement 1 | A bounded monotone sequence converges. Statement 2 | Every continuous function on (0, 1) is bounded.\nA. True, True\nB. False, False\nC. True, False\nD. False, True";
        assert!(detect(pair).1.tricky_choice);
        let scenarios = "Which of these does the narrator get wrong? Scenario 1 | I returned the lost wallet. Scenario 2 | I read my sister's diary.\nA. Wrong, Wrong\nB. Wrong, Not wrong\nC. Not wrong, Wrong\nD. Not wrong, Not wrong";
        assert!(detect(scenarios).1.tricky_choice);
        // One statement, or two without options, is not.
        let one = "Statement 1 | Water boils at 100 °C at sea level.\nA. True\nB. False\nC. Only at night";
        assert!(!detect(one).1.tricky_choice);
        assert!(
            !detect("Compare statement 1 and statement 2 of the press release.")
                .1
                .tricky_choice
        );
    }

    #[test]
    fn programming_exercises_about_numbers_are_code() {
        all(
            Task::Code,
            &[
                "Given an integer n, return how many of the numbers from 1 to n contain the digit 7. Example: n = 20 -> 2.",
                "Count the connected regions of 'X' cells on a board. Constraints: 1 <= rows, cols <= 500.",
                "Compute the number of derangements of n elements modulo 10^9 + 7 for n up to 10^6. Write efficient code.",
            ],
        );
        // Evaluating an expression is math; evaluating a text is not.
        assert_eq!(detect("Evaluate 3^100 mod 7.").0.task, Task::Math);
        assert_ne!(
            detect("Evaluate this essay for clarity and argument.")
                .0
                .task,
            Task::Math
        );
    }

    #[test]
    fn advice_about_ones_own_numbers_is_not_math() {
        for prompt in [
            "I have 2 kids, a 60 m² flat and a budget of 400 euros. Any tips for making the living room feel bigger?",
            "I run 3 times a week, 5 km each time, at 38 years old. Should I add strength training?",
            "We have 4 guests, 2 of them vegetarian, and 90 minutes. What can I cook?",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Analysis, "{prompt}: {:?}", &d.scores[..2]);
        }
        // A computation about the same things stays math.
        assert_eq!(
            detect("I run 3 times a week, 5 km each time. How many km do I run in 12 weeks?")
                .0
                .task,
            Task::Math
        );
    }

    fn detect(text: &str) -> (TaskDetection, Features) {
        Detector::new(&DetectorConfig::default())
            .unwrap()
            .detect(text)
    }

    #[test]
    fn one_weak_topic_word_names_no_task() {
        // "series" and "express" are math words, but alone they are the topic of another ask.
        for prompt in [
            "Think of some series or movies that would be enjoyable for someone who liked the given series.\n\nSquid Game",
            "Give me a phrase that I can use to express I am very happy.",
        ] {
            let (d, _) = detect(prompt);
            assert_eq!(d.task, Task::Writing, "{prompt}: {:?}", d.scores[0]);
        }
        // A weak word beside numbers still counts.
        assert_eq!(
            detect("Jack has 8 pens and gives away 3. How many are left?")
                .0
                .task,
            Task::Math
        );
        // Shape evidence counts at any score.
        assert_eq!(detect("What's 15% of 80?").0.task, Task::Math);
    }

    #[test]
    fn notation_among_the_materials_numbers_counts_at_its_share() {
        let notation = |d: &TaskDetection| {
            d.scores
                .iter()
                .flat_map(|s| &s.evidence)
                .find(|e| e.signal == "math notation")
                .map_or(0.0, |e| e.weight)
        };
        // Dates, times and prices in an email to classify are its content, not math.
        let email = "Tell me if the following email is a promotion email.\n\nSubject: A $3.50 transaction was made on your account\nContent:\nThe transaction exceeded $0.00.\nAmount: $3.50\nDate\n05/12/2021\nTime\n03:29 PM ET";
        let (d, _) = detect(email);
        assert_eq!(d.task, Task::Classification, "{:?}", &d.scores[..2]);
        assert_eq!(notation(&d), 0.0);
        // Asked about math, the material's notation counts at its share, and in the ask itself
        // in full.
        let receipt = detect(
            "Calculate what I owe in total.\n\nSoup $3.50 x 2\nBread 05/12 $1.25\nTea $2.00 - 10%",
        )
        .0;
        assert_eq!(receipt.task, Task::Math, "{:?}", &receipt.scores[..2]);
        let ask = detect("Compute 05/12 + 3*7 - 2^5 and 8/4.").0;
        assert!(notation(&ask) > notation(&receipt) && notation(&receipt) > 0.0);
    }

    #[test]
    fn the_figures_of_a_passage_before_a_question_are_not_math() {
        // A plot summary or a study's abstract pasted before a question about it: its dates,
        // sums and statistics are its content.
        let story = "In 1912 the liner sets out from Southampton with 2,224 people aboard. Four days later, at 11:40 pm, it strikes an iceberg about 375 miles south of Newfoundland; the lookouts had seen it barely 37 seconds before. The ship sinks in 2 hours and 40 minutes, and 1,500 of its passengers and crew are lost. Rose, 17, survives on a floating panel and is picked up by the Carpathia at 4:10 am, while Jack, 20, dies in the 28 °F water.\n\nWho gives Rose the drawing?";
        let (d, _) = detect(story);
        assert_ne!(d.task, Task::Math, "{:?}", &d.scores[..2]);
        let math = |d: &TaskDetection| {
            d.scores
                .iter()
                .find(|s| s.task == Task::Math)
                .unwrap()
                .score
        };
        assert!(math(&d) < 1.0, "{:?}", &d.scores[..2]);
        // The same passage with a question about its figures is math.
        let (d, _) = detect(&story.replace(
            "Who gives Rose the drawing?",
            "How many hours passed between leaving Southampton and the sinking?",
        ));
        assert_eq!(d.task, Task::Math, "{:?}", &d.scores[..2]);
    }

    #[test]
    fn returns_in_prose_and_the_most_likely_are_not_code_or_math() {
        // "Returns" of a fund or of goods is not a function's return value.
        let (d, _) = detect("Our fund's returns were 4% in 2021, 7% in 2022 and -2% in 2023. What was the average annual return?");
        assert_eq!(d.task, Task::Math, "{:?}", &d.scores[..2]);
        let (d, _) = detect("The shop takes returns for 30 days with a receipt, or 14 days without one. Can I return a gift I got 20 days ago?");
        assert_ne!(d.task, Task::Code, "{:?}", &d.scores[..2]);
        // "What is the most likely…" asks for a judgement, not a quantity.
        let (d, _) = detect("My 2 year old car battery is flat every morning after 8 hours parked. What is the most likely cause?");
        assert_ne!(d.task, Task::Math, "{:?}", &d.scores[..2]);
        // Number words in a passage count as its digits do.
        let passage = "Sixteen days apart in nineteen seventy-seven, two probes left Florida for the outer planets. The second flew past four of them in twelve years and is now more than twenty billion kilometres away, its seven instruments down to four, its power falling by four watts a year, and its signal taking almost a day to reach the three dishes that still listen for it.";
        let (d, _) = detect(&format!(
            "{passage}\n\nWhich planets did the second probe visit?"
        ));
        assert_ne!(d.task, Task::Math, "{:?}", &d.scores[..2]);
    }

    #[test]
    fn a_request_gives_its_numbers_as_constraints() {
        // Opening with a request other than a computation, the numbers and measuring words are
        // the request's constraints.
        for text in [
            "Draft a packing list for 3 adults and 2 kids camping 4 nights in the Alps in June, at most 20 kilograms each.",
            "Suggest a 5-day workout routine for someone who has 45 minutes a day and 2 dumbbells of 10 kg.",
        ] {
            let (d, _) = detect(text);
            assert_ne!(d.task, Task::Math, "{text}: {:?}", &d.scores[..2]);
        }
        // A question for a quantity stays a word problem, and a computation stays math.
        for text in [
            "Plan a party for 12 guests: each eats 3 slices and a pizza has 8. How many pizzas must I order?",
            "Convert 26.2 miles to kilometres and 72 °F to Celsius.",
            "Evaluate 3^4 - 2 * 17 + 5.",
        ] {
            let (d, _) = detect(text);
            assert_eq!(d.task, Task::Math, "{text}: {:?}", &d.scores[..2]);
        }
    }

    #[test]
    fn a_conversion_between_units_is_math_and_a_trailing_language_a_target() {
        for text in [
            "how many minutes in a day",
            "How many ounces are in a pound?",
            "How many megabytes are there in one gigabyte?",
        ] {
            assert!(unit_conversion(text), "{text}");
            assert_eq!(detect(text).0.task, Task::Math, "{text}");
        }
        // Facts measured in units, not conversions.
        for text in [
            "How many hours of sleep does a teenager need?",
            "How many days until Christmas?",
            "How many years did the Hundred Years' War last?",
        ] {
            assert!(!unit_conversion(text), "{text}");
        }
        assert_eq!(
            trailing_target("how to say good luck in korean"),
            Some("korean")
        );
        assert_eq!(
            trailing_target("what is 'window' in German!"),
            Some("german")
        );
        assert_eq!(trailing_target("please answer in english"), None);
        assert_eq!(trailing_target("I grew up in Spain"), None);
        assert_eq!(
            detect("how do i say happy birthday in italian").0.task,
            Task::Translation
        );
    }

    #[test]
    fn a_rewrite_into_another_language_is_translation() {
        for text in [
            "Rewrite this note in Dutch: The plumber comes on Tuesday between two and four.",
            "Please rephrase the paragraph below into Spanish, more politely.\n\nSend me the invoice today.",
        ] {
            let (d, _) = detect(text);
            assert_eq!(d.task, Task::Translation, "{text}: {:?}", &d.scores[..2]);
        }
        // Without a language, a rewrite is writing.
        let (d, _) = detect("Rewrite this note to sound friendlier: The plumber comes on Tuesday.");
        assert_eq!(d.task, Task::Writing, "{:?}", &d.scores[..2]);
    }

    #[test]
    fn quantities_written_as_words_are_counted() {
        let (_, f) = detect("Mia is twice as old as Leo. In five years she will be three times his age plus a dozen.");
        assert_eq!(f.number_words, 4);
        let (_, f) = detect("Write one short poem about the sea.");
        assert_eq!(f.number_words, 0);
    }

    #[test]
    fn questions_about_a_passage_handed_over_ask_for_what_it_says() {
        // Written for this test in the form of instruction datasets: the question, then the
        // passage, whose dates, sums and citation marks are its content.
        let passage = "The Harbour Line opened in 1911 with four stations.[1] It carried 2,300 passengers a day by 1925 and was extended twice, in 1934 and 1952.\n\nThe line closed in 1989 after a fire at its depot.[2] Two of its stations were rebuilt as a museum, which opened in 1996 and drew 41,000 visitors in its first year.[3]";
        all(
            Task::Extraction,
            &[
                &format!("From the passage provided, when did the Harbour Line close?\n\n{passage}"),
                &format!("Given a reference text about the Harbour Line, when did it open and why did it close?\n\n{passage}"),
                &format!("List the years the line was extended from the above passage, separated by commas.\n\n{passage}"),
            ],
        );
        // Not a word problem: the numbers are the passage's.
        let t = task(&format!("What is the Harbour Line\n\n{passage}"));
        assert!(t != Task::Math, "{t}");
    }

    #[test]
    fn sorting_items_between_named_kinds_is_classification() {
        all(
            Task::Classification,
            &[
                "Identify which vehicle is powered by wind or by an engine: ketch, tugboat, schooner",
                "Identify which of these is a mammal or a reptile: gecko, otter, iguana",
            ],
        );
    }

    #[test]
    fn one_number_and_a_weak_word_are_not_math() {
        let t = task("Tom, a 44-year-old teacher, has watched a series of videos about running. What habits would help him start?");
        assert!(t != Task::Math, "{t}");
        // Two numbers and the same weak word still are.
        assert_eq!(
            task("Find the sum of the series 3 + 6 + 12 up to 8 terms."),
            Task::Math
        );
    }

    #[test]
    fn questions_after_an_opening_request_shape_it() {
        // The request leads; the questions after it say what the answer should cover.
        all(
            Task::Writing,
            &[
                "Write a short essay about the town where you grew up. What made it feel like home? How does it look now, and what has changed?",
                "Draft a welcome email for new volunteers. What should they bring on the first day? How does the sign-up work?",
            ],
        );
        // A question asked first is still the ask.
        assert_eq!(
            task("How does a heat pump work? Write it for a ten-year-old."),
            Task::Analysis
        );
    }

    #[test]
    fn hypothetical_roles_are_role_play() {
        all(
            Task::Writing,
            &[
                "If you were a lighthouse keeper in 1900, what would a stormy night be like? How would you solve the problem of a broken lamp?",
                "Consider yourself a tour guide in Rome. Your name is Marco. Greet the group and tell them about the first stop.",
            ],
        );
    }

    #[test]
    fn constraint_puzzles_told_as_stories_are_reasoning() {
        all(
            Task::Reasoning,
            &[
                "Three neighbours each keep a different pet: a cat, a parrot and a tortoise. Here are some clues: Ivy does not keep the cat. The parrot's owner lives between Ivy and Jon. Who keeps the tortoise?",
                "Four runners finish a race. Each runner has a different shirt colour. Mei finished before the runner in green but after Tom. Who finished last?",
            ],
        );
    }

    #[test]
    fn years_and_a_requests_constraints_are_not_a_computation() {
        for prompt in [
            "How did the 2008 financial crisis change the housing market in 2009 and 2010?",
            "Is a 2019 laptop with 16 GB of memory still fine for photo editing in 2026?",
            "List 12 rivers longer than 3000 km in 5 continents.",
        ] {
            let t = task(prompt);
            assert!(t != Task::Math, "{prompt}: {t}");
        }
        // Asked for a quantity, years still count: "How old…" is arithmetic on them.
        assert_eq!(
            task("Ana was born in 1985 and her brother in 1991. How many years older is Ana?"),
            Task::Math
        );
    }
}
