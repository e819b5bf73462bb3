//! Token counts. The decision uses a fast approximation for every provider; an exact OpenAI
//! count (tiktoken) is available for callers that can afford a BPE pass.

mod o200k;

/// OpenAI's chat format adds about this many tokens around each message.
pub const PER_MESSAGE_OVERHEAD: u32 = 4;
/// …and primes the reply with this many.
pub const PER_REPLY_OVERHEAD: u32 = 3;
/// What one image is counted as in an estimate: about what OpenAI (765 for a 1024×1024 image
/// at high detail) and Anthropic (width × height / 750, about 1,400 at that size) bill for a
/// typical picture. The bill itself is the provider's count.
pub const PER_IMAGE: u32 = 1_000;

/// Approximate tokens: one per 4 bytes of ASCII text (the usual rate for English and code under
/// the BPE tokenizers of OpenAI, Anthropic and Google) plus one per non-ASCII character (CJK,
/// Cyrillic, accented letters: BPE vocabularies split these far more finely). It errs high for
/// accented Latin text, which is the safe side when checking a context window.
pub fn approx_tokens(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let (non_ascii_bytes, non_ascii_chars) = high_bytes(bytes);
    let ascii = bytes.len() - non_ascii_bytes;
    let total = ascii.div_ceil(4) + non_ascii_chars;
    u32::try_from(total).unwrap_or(u32::MAX)
}

/// Counts the bytes with the high bit set (non-ASCII) and those with the two high bits set
/// (UTF-8 lead bytes, one per non-ASCII character), eight bytes at a time.
fn high_bytes(bytes: &[u8]) -> (usize, usize) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let (mut high, mut lead) = (0usize, 0usize);
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().expect("chunks of eight"));
        high += (w & HIGH).count_ones() as usize;
        // `w << 1` moves each byte's bit 6 under its bit 7; the mask drops bits shifted across
        // byte boundaries.
        lead += (w & (w << 1) & HIGH).count_ones() as usize;
    }
    for &b in chunks.remainder() {
        high += usize::from(b >= 0x80);
        lead += usize::from(b >= 0xC0);
    }
    (high, lead)
}

/// Exact tokens under `o200k_base`, the encoding of gpt-4o, gpt-4.1, gpt-5 and the o-series.
pub fn openai_tokens(text: &str) -> u32 {
    u32::try_from(o200k::o200k_base().encode_ordinary(text).len()).unwrap_or(u32::MAX)
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
        // Past one eight-byte chunk, mixed scripts: 9 ASCII bytes and 4 characters.
        assert_eq!(approx_tokens("abc日本語def€ghi"), 3 + 4);
        assert_eq!(high_bytes("é日".as_bytes()), (5, 2));
    }

    #[test]
    fn approximation_is_near_tiktoken_for_english() {
        let text = "The quick brown fox jumps over the lazy dog. ".repeat(20);
        let exact = openai_tokens(&text) as f64;
        let approx = approx_tokens(&text) as f64;
        assert!((approx / exact - 1.0).abs() < 0.35, "{approx} vs {exact}");
    }
}
