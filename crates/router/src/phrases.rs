//! Whole-word, case-insensitive phrase matching: one Aho-Corasick DFA over every phrase, run
//! over the text in a loop of our own that lowercases each ASCII byte as it reads it, so the
//! text is not copied, and the time is linear in its length whatever the number of phrases.
//!
//! A DFA step is a load from a transition table that depends on the step before; with the
//! detector's thousand phrases the table is over a megabyte, so each step waits on the cache.
//! Long texts are therefore cut into [`LANES`] lanes walked side by side, whose loads overlap:
//! each lane reports the matches that begin in it, reading on into the next lane as far as
//! the longest phrase needs, and the matches are then put back in the order one walk finds
//! them.
use std::cell::Cell;
use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

/// Lanes walked side by side over a long text.
const LANES: usize = 4;
/// Texts shorter than this many bytes per lane are walked in one lane.
const MIN_LANE: usize = 128;

type Found = [Vec<(usize, usize, usize)>; LANES];

thread_local! {
    static FOUND: Cell<Found> = Cell::new(Default::default());
}

/// Each byte lowercased (ASCII only): one load in the walk's loop instead of a comparison and
/// an addition.
const LOWER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).to_ascii_lowercase();
        b += 1;
    }
    t
};

/// Whether `c` belongs to a script written without spaces between words: kana, CJK
/// ideographs, Hangul (Korean spaces its phrases, but its endings attach to the word).
fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}')
}

/// Bytes that continue a word: ASCII letters and digits, `_`, and any byte of a character
/// outside ASCII (so "café" is not "caf"). A table, as the walk asks it of every byte it looks
/// back over.
const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize || b >= 0x80;
        b += 1;
    }
    t
};

/// Whether `b` continues a word (see [`WORD`]).
pub fn is_word_byte(b: u8) -> bool {
    WORD[usize::from(b)]
}

#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    dfa: DFA,
    start: StateID,
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
    /// Builds a matcher over `phrases` (trimmed and lowercased). Blank phrases are skipped so
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
            // Chinese, Japanese and Korean put no space between words: their phrases match
            // anywhere.
            let spaced = |c: Option<char>| !c.is_some_and(is_unspaced_script);
            patterns.push(Pattern {
                index,
                bound_start: is_word_byte(first) && spaced(p.chars().next()),
                bound_end: is_word_byte(last) && spaced(p.chars().next_back()),
            });
            // Only ASCII is folded, as the walk folds only ASCII: a phrase that must also
            // match with a capital outside ASCII ("Übersetze") is listed in both forms.
            texts.push(p.to_ascii_lowercase());
        }
        // Without a prefilter the start state is not special, so a walk stops only at match
        // states. The walk lowercases each byte it reads: a DFA that folded case itself would
        // have a class for every capital letter, and twice the table.
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&texts)
            .map_err(|e| e.to_string())?;
        let start = dfa.start_state(Anchored::No).map_err(|e| e.to_string())?;
        Ok(PhraseMatcher {
            dfa,
            start,
            patterns,
        })
    }

    /// Calls `hit` with the index and byte offset of every whole-word occurrence, overlapping
    /// ones included, in the order they end (and, ending together, the longest first).
    pub fn for_each(&self, text: &str, mut hit: impl FnMut(usize, usize)) {
        let bytes = text.as_bytes();
        // Per lane, (end, start, pattern) in the order the lane finds them: buffers kept per
        // thread, so a decision allocates none.
        let mut found = FOUND.take();
        if bytes.len() < LANES * MIN_LANE {
            self.walk(
                bytes,
                0..bytes.len(),
                0..bytes.len(),
                self.start,
                &mut found[0],
            );
        } else {
            let width = bytes.len().div_ceil(LANES);
            let reach = self.dfa.max_pattern_len().saturating_sub(1);
            // Lane `l` owns the matches that begin in `l * width..owned[l]` and reads on to
            // `stop[l]`; all lanes step together for the first `together` bytes of their own.
            let owned: [usize; LANES] = std::array::from_fn(|l| ((l + 1) * width).min(bytes.len()));
            let stop: [usize; LANES] = std::array::from_fn(|l| (owned[l] + reach).min(bytes.len()));
            let together = (0..LANES).map(|l| stop[l] - l * width).min().unwrap_or(0);
            let mut state = [self.start; LANES];
            for j in 0..together {
                for l in 0..LANES {
                    let at = l * width + j;
                    state[l] =
                        self.dfa
                            .next_state(Anchored::No, state[l], LOWER[usize::from(bytes[at])]);
                    if self.dfa.is_special(state[l]) {
                        let own = l * width..owned[l];
                        self.matches(bytes, at + 1, state[l], own, &mut found[l]);
                    }
                }
            }
            for (l, found) in found.iter_mut().enumerate() {
                let own = l * width..owned[l];
                self.walk(bytes, l * width + together..stop[l], own, state[l], found);
            }
        }
        // The order of one walk: by end, and ending together the longest (earliest) first.
        // Each lane's matches are in that order already; only the ones a lane finds past its
        // end can come after the next lane's first ones, so an insertion sort has little to do.
        let [all, rest @ ..] = &mut found;
        for more in rest {
            all.append(more);
        }
        for k in 1..all.len() {
            let mut j = k;
            while j > 0 && all[j - 1] > all[j] {
                all.swap(j - 1, j);
                j -= 1;
            }
        }
        for &(_, start, pid) in all.iter() {
            hit(self.patterns[pid].index, start);
        }
        all.clear();
        FOUND.set(found);
    }

    /// Walks `bytes[range]` from `state`, noting the whole-word matches that begin in `own`.
    fn walk(
        &self,
        bytes: &[u8],
        range: Range<usize>,
        own: Range<usize>,
        mut state: StateID,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        for at in range {
            state = self
                .dfa
                .next_state(Anchored::No, state, LOWER[usize::from(bytes[at])]);
            if self.dfa.is_special(state) {
                self.matches(bytes, at + 1, state, own.clone(), found);
            }
        }
    }

    /// Notes the whole-word matches of match `state`, reached at `end`, that begin in `own`.
    #[inline(never)]
    fn matches(
        &self,
        bytes: &[u8],
        end: usize,
        state: StateID,
        own: Range<usize>,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        if self.dfa.is_dead(state) {
            return;
        }
        for k in 0..self.dfa.match_len(state) {
            let pid = self.dfa.match_pattern(state, k);
            let start = end - self.dfa.pattern_len(pid);
            let pattern = &self.patterns[pid.as_usize()];
            if own.contains(&start) && pattern.is_whole_word(bytes, start, end) {
                found.push((end, start, pid.as_usize()));
            }
        }
    }
}

/// Whether `before` ends with punctuation written outside ASCII: the Spanish "¿" and "¡",
/// guillemets, curly quotes, dashes. Their bytes are not ASCII, so they would otherwise read
/// as part of the word beside them.
fn ends_with_mark(before: &[u8]) -> bool {
    matches!(
        before,
        [.., 0xC2, 0xBF | 0xA1 | 0xAB | 0xBB]
            | [
                ..,
                0xE2,
                0x80,
                0x93 | 0x94 | 0x98 | 0x99 | 0x9C | 0x9D | 0x9E
            ]
    )
}

/// Whether `after` starts with such punctuation.
fn starts_with_mark(after: &[u8]) -> bool {
    matches!(
        after,
        [0xC2, 0xBB | 0xAB, ..] | [0xE2, 0x80, 0x93 | 0x94 | 0x99 | 0x9D, ..]
    )
}

impl Pattern {
    fn is_whole_word(&self, bytes: &[u8], start: usize, end: usize) -> bool {
        if self.bound_start
            && start > 0
            && is_word_byte(bytes[start - 1])
            && !ends_with_mark(&bytes[..start])
        {
            return false;
        }
        if !self.bound_end {
            return true;
        }
        let ends_word =
            |rest: &[u8]| rest.first().is_none_or(|&c| !is_word_byte(c)) || starts_with_mark(rest);
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

/// Whether the word right before `start` is a demonstrative ("these paragraphs", "this
/// email", "the following article"): the phrase then names a text handed over, not one to
/// write.
pub fn after_demonstrative(bytes: &[u8], start: usize) -> bool {
    const DEMONSTRATIVES: [&[u8]; 6] =
        [b"this", b"these", b"that", b"those", b"following", b"above"];
    // The longest demonstrative and a few spaces: looks back a bounded distance.
    let floor = start.saturating_sub(16);
    let mut end = start;
    while end > floor && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    let mut begin = end;
    while begin > floor && is_word_byte(bytes[begin - 1]) {
        begin -= 1;
    }
    let whole = begin == 0 || !is_word_byte(bytes[begin - 1]);
    whole
        && DEMONSTRATIVES
            .iter()
            .any(|d| bytes[begin..end].eq_ignore_ascii_case(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(phrases: &[&str], text: &str) -> Vec<usize> {
        let m = PhraseMatcher::new(phrases).unwrap();
        let mut v = Vec::new();
        m.for_each(text, |i, _| v.push(i));
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
        assert_eq!(hits(&["cómo se dice"], "¿Cómo se dice 'hi'?"), vec![0]);
        assert_eq!(hits(&["翻译"], "请把这句话翻译成英文"), vec![0]);
        assert_eq!(hits(&["переведи"], "Пожалуйста, переведи это"), vec![0]);
        assert_eq!(hits(&["переведи"], "допереведи"), Vec::<usize>::new());
        assert_eq!(hits(&["traduce"], "«Traduce» y “translate”"), vec![0]);
        assert_eq!(hits(&["traduce"], "retraduce"), Vec::<usize>::new());
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
    fn phrases_after_a_demonstrative() {
        let text = b"Given these paragraphs, write a paragraph. Summarize the following  article";
        assert!(after_demonstrative(text, 12)); // "paragraphs" after "these"
        assert!(!after_demonstrative(text, 32)); // "paragraph" after "write a"
        assert!(after_demonstrative(text, 68)); // "article" after "following"
        assert!(!after_demonstrative(text, 0));
    }

    proptest::proptest! {
        /// Long texts are walked in lanes: the hits, and their order, are those of the crate's
        /// own overlapping search over the whole text, lowercased.
        #[test]
        fn lanes_find_what_one_walk_finds(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "ab ", "AB ab ab ab AB ", "a", "b", " ", ".", "s", "+", "é", "\n", "-", "ab",
                ]),
                0..400,
            )
        ) {
            let text = parts.concat();
            let phrases = [
                "a", "ab", "b a", "ab ab", "ba", "a.b", "b+", "s", ".", "bé", "aa ab",
                "ab ab ab ab ab", "  ", "-a",
            ];
            let m = PhraseMatcher::new(phrases).unwrap();
            let mut got = Vec::new();
            m.for_each(&text, |i, start| got.push((i, start)));
            let kept: Vec<usize> = (0..phrases.len()).filter(|&i| !phrases[i].trim().is_empty()).collect();
            let reference = aho_corasick::AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(kept.iter().map(|&i| phrases[i]))
                .unwrap();
            let lower = text.to_ascii_lowercase();
            let want: Vec<(usize, usize)> = reference
                .find_overlapping_iter(&lower)
                .filter(|h| m.patterns[h.pattern().as_usize()].is_whole_word(lower.as_bytes(), h.start(), h.end()))
                .map(|h| (kept[h.pattern().as_usize()], h.start()))
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn overlapping_phrases_all_count_and_blank_ones_never_match() {
        assert_eq!(hits(&["how many", "many"], "how many"), vec![0, 1]);
        assert_eq!(hits(&["  ", "x"], "a x b"), vec![1]);
        assert_eq!(hits(&["zeta", "beta"], "alpha BETA"), vec![1]);
        assert_eq!(hits(&["zeta", "beta"], "alphabet"), Vec::<usize>::new());
    }
}
