//! Token counts. The decision uses a fast approximation for every provider; an exact OpenAI
//! count (tiktoken) is available for callers that can afford a BPE pass.

/// OpenAI's chat format adds about this many tokens around each message.
pub const PER_MESSAGE_OVERHEAD: u32 = 4;
/// …and primes the reply with this many.
pub const PER_REPLY_OVERHEAD: u32 = 3;

/// Approximate tokens: one per 4 bytes of ASCII text (the usual rate for English and code under
/// the BPE tokenizers of OpenAI, Anthropic and Google) plus one per non-ASCII character (CJK,
/// Cyrillic, accented letters: BPE vocabularies split these far more finely). It errs high for
/// accented Latin text, which is the safe side when checking a context window.
pub fn approx_tokens(text: &str) -> u32 {
    // One pass the compiler vectorises; a UTF-8 lead byte (0b11xx_xxxx) starts every non-ASCII
    // character.
    let (ascii, non_ascii_chars) = text.as_bytes().iter().fold((0usize, 0usize), |(a, n), &b| {
        (a + usize::from(b < 0x80), n + usize::from(b >= 0xC0))
    });
    let total = ascii.div_ceil(4) + non_ascii_chars;
    u32::try_from(total).unwrap_or(u32::MAX)
}

/// Exact tokens under `o200k_base`, the encoding of gpt-4o, gpt-4.1, gpt-5 and the o-series.
pub fn openai_tokens(text: &str) -> u32 {
    let bpe = tiktoken_rs::o200k_base_singleton();
    u32::try_from(bpe.encode_ordinary(text).len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximation_counts_ascii_by_four_and_other_scripts_by_char() {
        assert_eq!(approx_tokens(""), 0);
        assert_eq!(approx_tokens("abcd"), 1);
        assert_eq!(approx_tokens("abcde"), 2);
        assert_eq!(approx_tokens("日本語"), 3);
    }

    #[test]
    fn approximation_is_near_tiktoken_for_english() {
        let text = "The quick brown fox jumps over the lazy dog. ".repeat(20);
        let exact = openai_tokens(&text) as f64;
        let approx = approx_tokens(&text) as f64;
        assert!((approx / exact - 1.0).abs() < 0.35, "{approx} vs {exact}");
    }
}
