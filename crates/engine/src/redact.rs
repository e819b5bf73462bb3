//! Keeps a call's secrets out of every message made from what a provider sent back: an error
//! body, an in-stream error or a malformed frame can echo the request headers, key included,
//! and those messages reach hop records, stored messages, `--json` and stderr.
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;
use zeroize::Zeroizing;

use crate::secrets::Secret;

/// What a secret is replaced with, followed by its last four characters when it is long enough.
const MASK: &str = "••••";
/// Shorter secrets are masked whole: their last four characters would be much of them.
const SHOW_TAIL_FROM: usize = 12;
/// A stream that ends inside what could be a secret: from this many characters on, the
/// piece is masked.
const HELD_MASK_FROM: usize = 8;
/// Authorization schemes whose token, not the whole value, is the secret.
const SCHEMES: [&str; 3] = ["Bearer ", "Basic ", "Token "];

/// The secrets of one endpoint: its API key and every header value marked sensitive.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Longest first, so that a secret containing another is replaced whole.
    secrets: Arc<Vec<Zeroizing<String>>>,
}

impl Redactor {
    pub fn new(key: Option<&Secret>, headers: &HeaderMap) -> Self {
        let mut secrets: Vec<Zeroizing<String>> = Vec::new();
        let mut add = |s: &str| {
            let s = s.trim();
            if !s.is_empty() && !secrets.iter().any(|k| k.as_str() == s) {
                secrets.push(Zeroizing::new(s.to_string()));
            }
        };
        if let Some(key) = key {
            add(key.expose());
        }
        for value in headers.values().filter(|v| v.is_sensitive()) {
            let value = String::from_utf8_lossy(value.as_bytes());
            let token = SCHEMES
                .iter()
                .find_map(|scheme| value.strip_prefix(scheme))
                .unwrap_or(&value);
            add(token);
        }
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self {
            secrets: Arc::new(secrets),
        }
    }

    /// `text` with every secret replaced by [`mask`] of it.
    pub fn redact(&self, text: &str) -> String {
        self.redact_cow(text).into_owned()
    }

    /// [`Self::redact`], borrowing `text` when it holds no secret (the usual case).
    pub fn redact_cow<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in self.secrets.iter() {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), &mask(secret)));
            }
        }
        out
    }

    /// Where the longest end of `text` that could be the start of a secret begins (`text.len()`
    /// when none could): a stream's text is held back from there until the next piece says
    /// whether a secret was being sent.
    pub fn unsafe_tail(&self, text: &str) -> usize {
        let mut from = text.len();
        for secret in self.secrets.iter() {
            let Some(&first) = secret.as_bytes().first() else {
                continue;
            };
            let window = text.len().saturating_sub(secret.len() - 1);
            let starts = text.as_bytes()[window..from.max(window)]
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == first)
                .map(|(i, _)| window + i);
            for start in starts {
                if text.is_char_boundary(start) && secret.starts_with(&text[start..]) {
                    from = from.min(start);
                    break;
                }
            }
        }
        from
    }

    /// What a piece of text held back at the end of a stream becomes: the start of a secret
    /// long enough to say much about it is masked, a short one (`sk-`) is only text.
    pub fn cut_secret(&self, held: &str) -> String {
        if held.chars().count() >= HELD_MASK_FROM {
            MASK.to_string()
        } else {
            held.to_string()
        }
    }
}

/// `••••` and the last four characters (the way key lists show a key), or `••••` alone for a
/// short secret.
pub fn mask(secret: &str) -> String {
    let count = secret.chars().count();
    if count < SHOW_TAIL_FROM {
        return MASK.to_string();
    }
    let tail: String = secret.chars().skip(count - 4).collect();
    format!("{MASK}{tail}")
}

/// Never prints a secret, only how many there are.
impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_key_and_sensitive_headers_are_masked_and_nothing_else() {
        let key = Secret::new("sk-live-0123456789abcdef").unwrap();
        let mut headers = HeaderMap::new();
        let mut auth = HeaderValue::from_static("Bearer sk-live-0123456789abcdef");
        auth.set_sensitive(true);
        headers.insert("authorization", auth);
        let mut custom = HeaderValue::from_static("tok-9876543210zyxw");
        custom.set_sensitive(true);
        headers.insert("x-custom-token", custom);
        headers.insert("x-plain", HeaderValue::from_static("plain-value-visible"));
        let r = Redactor::new(Some(&key), &headers);
        let text = "authorization: Bearer sk-live-0123456789abcdef; x-custom-token: \
                    tok-9876543210zyxw; x-plain: plain-value-visible";
        let out = r.redact(text);
        assert_eq!(
            out,
            "authorization: Bearer ••••cdef; x-custom-token: ••••zyxw; x-plain: plain-value-visible"
        );
        assert!(!format!("{r:?}").contains("0123"));
    }

    #[test]
    fn short_secrets_are_masked_whole() {
        assert_eq!(mask("abc12345"), "••••");
        assert_eq!(mask("AIza-cli-secret-value-Q1w2"), "••••Q1w2");
    }
}
