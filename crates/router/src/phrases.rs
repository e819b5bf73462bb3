//! Whole-word, case-insensitive phrase matching over one Aho-Corasick automaton, so the time to
//! scan a prompt is linear in its length whatever the number of phrases.
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Bytes that continue a word. Non-ASCII bytes count as word bytes so "café" is not "caf".
fn is_word_byte(b: u8) -> bool {
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
    /// Builds a matcher over `phrases` (trimmed; case is ignored). Blank phrases are skipped so
    /// they can never match everywhere; hits report the phrase's index in `phrases`.
    pub fn new<I, S>(phrases: I) -> Result<Self, String>
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
            texts.push(p.to_string());
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .map_err(|e| e.to_string())?;
        Ok(PhraseMatcher {
            automaton,
            patterns,
        })
    }

    /// Calls `hit` with the index of every whole-word occurrence, overlapping ones included.
    pub fn for_each(&self, text: &str, mut hit: impl FnMut(usize)) {
        let bytes = text.as_bytes();
        for m in self.automaton.find_overlapping_iter(text) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            if pattern.is_whole_word(bytes, m.start(), m.end()) {
                hit(pattern.index);
            }
        }
    }

    /// The index of the first phrase that occurs as a whole word, if any.
    pub fn first(&self, text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        self.automaton.find_overlapping_iter(text).find_map(|m| {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(phrases: &[&str], text: &str) -> Vec<usize> {
        let m = PhraseMatcher::new(phrases).unwrap();
        let mut v = Vec::new();
        m.for_each(text, |i| v.push(i));
        v
    }

    #[test]
    fn matches_whole_words_and_phrases_ignoring_case() {
        assert_eq!(hits(&["api"], "a rapid API call"), vec![0]);
        assert_eq!(hits(&["format"], "information"), Vec::<usize>::new());
        assert_eq!(hits(&["convert to"], "Convert to JSON"), vec![0]);
        assert_eq!(hits(&["equation", "class"], "equations and classes"), vec![0, 1]);
        assert_eq!(hits(&["c++"], "write c++ code"), vec![0]);
        assert_eq!(hits(&["translate"], "an English translator"), Vec::<usize>::new());
    }

    #[test]
    fn overlapping_phrases_all_count_and_blank_ones_never_match() {
        assert_eq!(hits(&["how many", "many"], "how many"), vec![0, 1]);
        assert_eq!(hits(&["  ", "x"], "a x b"), vec![1]);
        let m = PhraseMatcher::new(["zeta", "beta"]).unwrap();
        assert_eq!(m.first("alpha beta"), Some(1));
        assert_eq!(m.first("alphabet"), None);
    }
}
