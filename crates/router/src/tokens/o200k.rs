//! The `o200k_base` BPE table, stored compactly: every token's bytes in rank order, each after
//! one length byte (`assets/o200k_base.tokens`, 1.6 MB). tiktoken-rs embeds the same table as
//! base64 text with each rank written out (3.6 MB), in every binary that links the router; this
//! file holds the same 199,998 tokens (a test checks them rank by rank against tiktoken-rs) and
//! xz packs it to 0.8 MB in the `.deb` instead of 1.2 MB.
//!
//! Regenerate it from tiktoken-rs (after updating that crate) with
//! `UPDATE_TOKEN_TABLE=1 cargo test -p switchyard-router o200k`.

use std::sync::LazyLock;

use tiktoken_rs::{CoreBPE, Rank};

static TABLE: &[u8] = include_bytes!("../../assets/o200k_base.tokens");

/// The special tokens of `o200k_base` and their ranks (as tiktoken defines them).
const SPECIAL: [(&str, Rank); 2] = [("<|endoftext|>", 199_999), ("<|endofprompt|>", 200_018)];

/// The tokenizer, built on first use (about 0.1 s) and kept for the life of the process.
pub fn o200k_base() -> &'static CoreBPE {
    static BPE: LazyLock<CoreBPE> = LazyLock::new(|| {
        let encoder = tokens(TABLE)
            .enumerate()
            .map(|(rank, bytes)| {
                (
                    bytes.to_vec(),
                    Rank::try_from(rank).expect("fewer than 2^32 tokens"),
                )
            })
            .collect();
        let special = SPECIAL.iter().map(|&(s, r)| (s.to_owned(), r)).collect();
        CoreBPE::new(encoder, special, tiktoken_rs::O200K_BASE_PAT_STR)
            .expect("the o200k_base pattern compiles")
    });
    &BPE
}

/// The tokens of a table in rank order.
fn tokens(mut table: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let (&len, rest) = table.split_first()?;
        let (token, rest) = rest.split_at(usize::from(len));
        table = rest;
        Some(token)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tiktoken-rs's own table, as the tokens' bytes in rank order.
    fn tiktoken_tokens() -> Vec<Vec<u8>> {
        let theirs = tiktoken_rs::o200k_base_singleton();
        (0..)
            .map_while(|rank: Rank| theirs.decode_bytes(&[rank]).ok())
            .collect()
    }

    #[test]
    fn the_table_is_tiktokens_o200k_base_rank_by_rank() {
        let expected = tiktoken_tokens();
        if std::env::var_os("UPDATE_TOKEN_TABLE").is_some() {
            let mut out = Vec::new();
            for token in &expected {
                out.push(u8::try_from(token.len()).expect("tokens are at most 255 bytes"));
                out.extend_from_slice(token);
            }
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/o200k_base.tokens");
            std::fs::write(path, out).expect("write the token table");
            panic!("wrote {path}: run the tests again without UPDATE_TOKEN_TABLE");
        }
        let ours: Vec<&[u8]> = tokens(TABLE).collect();
        assert_eq!(ours.len(), 199_998);
        assert_eq!(ours.len(), expected.len());
        for (rank, (a, b)) in ours.iter().zip(&expected).enumerate() {
            assert_eq!(a, b, "token {rank} differs");
        }
        let bpe = o200k_base();
        for (special, rank) in SPECIAL {
            assert_eq!(bpe.decode_bytes(&[rank]).unwrap(), special.as_bytes());
        }
    }

    #[test]
    fn it_encodes_like_tiktoken() {
        let theirs = tiktoken_rs::o200k_base_singleton();
        for text in [
            "The quick brown fox jumps over the lazy dog.",
            "fn main() {\n    println!(\"{}\", 2 + 2);\n}\n",
            "日本語のテキストと English, émigré café, Ελληνικά, русский текст 12345.",
            "  leading spaces\r\n\ttabs and <|endoftext|> as plain text",
            "",
        ] {
            assert_eq!(
                o200k_base().encode_ordinary(text),
                theirs.encode_ordinary(text),
                "{text:?}"
            );
        }
    }
}
