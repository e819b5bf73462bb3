//! Whole-word, case-insensitive phrase matching over one Aho-Corasick automaton, so the time to
//! scan a prompt is linear in its length whatever the number of phrases.
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Text with its ASCII letters lowercased: what the matchers search. Folding once per request
/// and matching case-sensitively is about twice as fast as a case-insensitive automaton, and
/// byte offsets stay those of the original text.
pub struct Folded(String);

impl Folded {
    pub fn new(text: &str) -> Self {
        Folded(text.to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Bytes that continue a word. Non-ASCII bytes count as word bytes so "café" is not "caf".
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    automaton: AhoCorasick,
    /// For each automaton pattern: the caller's index of the phrase, and whether the phrase
    /// begins / ends with a word byte and so needs a boundary there ("c++" needs none at its end).
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    index: usize,
    bound_start: bool,
    bound_end: bool,
}

impl PhraseMatcher {
    /// Builds a matcher over a long list of `phrases` (trimmed and lowercased), such as the
    /// detector's: a full DFA without a prefilter, since with hundreds of phrases a prefilter
    /// would stop at nearly every byte. Blank phrases are skipped so they can never match
    /// everywhere; hits report the phrase's index in `phrases`.
    pub fn new<I, S>(phrases: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self::build(phrases, true)
    }

    /// Builds a matcher over a few phrases, such as a rule's keywords: the automaton the crate
    /// picks, with its SIMD prefilter, which skips most of a prompt.
    pub fn few<I, S>(phrases: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self::build(phrases, false)
    }

    fn build<I, S>(phrases: I, many: bool) -> Result<Self, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut texts = Vec::new();
        let mut patterns = Vec::new();
        for (index, phrase) in phrases.into_iter().enumerate() {
            let p = phrase.as_ref().trim();
            let (Some(&first), Some(&last)) = (p.as_bytes().first(), p.as_bytes().last()) else {
                continue;
            };
            patterns.push(Pattern {
                index,
                bound_start: is_word_byte(first),
                bound_end: is_word_byte(last),
            });
            texts.push(p.to_lowercase());
        }
        let mut builder = AhoCorasickBuilder::new();
        if many {
            builder.kind(Some(AhoCorasickKind::DFA)).prefilter(false);
        }
        let automaton = builder
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .map_err(|e| e.to_string())?;
        Ok(PhraseMatcher {
            automaton,
            patterns,
        })
    }

    /// Calls `hit` with the index and byte offset of every whole-word occurrence, overlapping
    /// ones included.
    pub fn for_each(&self, text: &Folded, mut hit: impl FnMut(usize, usize)) {
        let bytes = text.0.as_bytes();
        for m in self.automaton.find_overlapping_iter(text.as_str()) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            if pattern.is_whole_word(bytes, m.start(), m.end()) {
                hit(pattern.index, m.start());
            }
        }
    }

    /// The index of the first phrase that occurs as a whole word, if any.
    pub fn first(&self, text: &Folded) -> Option<usize> {
        let bytes = text.0.as_bytes();
        self.automaton
            .find_overlapping_iter(text.as_str())
            .find_map(|m| {
                let pattern = &self.patterns[m.pattern().as_usize()];
                pattern
                    .is_whole_word(bytes, m.start(), m.end())
                    .then_some(pattern.index)
            })
    }
}

impl Pattern {
    fn is_whole_word(&self, bytes: &[u8], start: usize, end: usize) -> bool {
        if self.bound_start && start > 0 && is_word_byte(bytes[start - 1]) {
            return false;
        }
        if !self.bound_end {
            return true;
        }
        let ends_word = |rest: &[u8]| rest.first().is_none_or(|&c| !is_word_byte(c));
        // A plural "s" or "es" may follow: "equations" matches "equation".
        let rest = &bytes[end..];
        ends_word(rest)
            || (matches!(rest, [b's' | b'S', ..]) && ends_word(&rest[1..]))
            || (matches!(rest, [b'e' | b'E', b's' | b'S', ..]) && ends_word(&rest[2..]))
    }
}

/// Whether the phrase at `start` leads its sentence or clause, at most two words in ("Please
/// summarize", "Could you translate"): the ask of a prompt sits there, its topic and payload
/// elsewhere. Looks back a bounded distance, so it costs the same on any prompt.
pub fn leads_clause(bytes: &[u8], start: usize) -> bool {
    const MAX_LOOKBACK: usize = 64;
    let floor = start.saturating_sub(MAX_LOOKBACK);
    let mut i = start;
    for _ in 0..=2 {
        while i > floor && matches!(bytes[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        if i == 0 {
            return true;
        }
        if i == floor {
            return false;
        }
        let c = bytes[i - 1];
        if matches!(
            c,
            b'.' | b'!' | b'?' | b':' | b';' | b',' | b'\n' | b'(' | b'"' | b'*' | b'#'
        ) {
            return true;
        }
        if !is_word_byte(c) && c != b'\'' {
            return false;
        }
        while i > floor && (is_word_byte(bytes[i - 1]) || bytes[i - 1] == b'\'') {
            i -= 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(phrases: &[&str], text: &str) -> Vec<usize> {
        let m = PhraseMatcher::new(phrases).unwrap();
        let mut v = Vec::new();
        m.for_each(&Folded::new(text), |i, _| v.push(i));
        v
    }

    #[test]
    fn matches_whole_words_and_phrases_ignoring_case() {
        assert_eq!(hits(&["api"], "a rapid API call"), vec![0]);
        assert_eq!(hits(&["format"], "information"), Vec::<usize>::new());
        assert_eq!(hits(&["convert to"], "Convert to JSON"), vec![0]);
        assert_eq!(
            hits(&["equation", "class"], "equations and classes"),
            vec![0, 1]
        );
        assert_eq!(hits(&["c++"], "write c++ code"), vec![0]);
        assert_eq!(
            hits(&["translate"], "an English translator"),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn phrases_that_lead_a_clause() {
        let text = b"Please summarize this. Then, could you translate it into a nice poem";
        assert!(leads_clause(text, 0));
        assert!(leads_clause(text, 7)); // "summarize" after "Please"
        assert!(leads_clause(text, 39)); // "translate" after "could you"
        assert!(!leads_clause(text, 64)); // "poem" deep in its clause
    }

    #[test]
    fn overlapping_phrases_all_count_and_blank_ones_never_match() {
        assert_eq!(hits(&["how many", "many"], "how many"), vec![0, 1]);
        assert_eq!(hits(&["  ", "x"], "a x b"), vec![1]);
        let m = PhraseMatcher::few(["zeta", "beta"]).unwrap();
        assert_eq!(m.first(&Folded::new("alpha BETA")), Some(1));
        assert_eq!(m.first(&Folded::new("alphabet")), None);
    }
}
