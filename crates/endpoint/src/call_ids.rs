//! The tool call ids the endpoint hands to clients. A client keeps only a call's id, and sends
//! it back with the call (in the assistant turn) and with its result; Gemini needs the call's
//! thought signature back with the call (Gemini 3 refuses its own call without it). So the id
//! carries the signature: `<call id>__ts_<the signature's bytes, base64url>`. Stateless: nothing
//! is kept, a restart loses nothing, and any number of endpoints read each other's ids. Only
//! characters every format's ids take (Anthropic's tool_use ids: `^[a-zA-Z0-9_-]+$`). Reading
//! an id gives the call id and the signature apart, so a provider is only ever sent the call id
//! (OpenAI refuses ids over 40 characters); an id without the mark reads as itself.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

const MARK: &str = "__ts_";

/// The id to hand out for call `id` with `signature`.
pub fn encode(id: &str, signature: Option<&str>) -> String {
    match signature.filter(|s| !s.is_empty()) {
        // An id that already holds the mark would read back wrong: it goes out as it is (its
        // call is then sent back with the signature Gemini documents for calls it did not make).
        Some(signature) if !id.contains(MARK) => {
            format!("{id}{MARK}{}", URL_SAFE_NO_PAD.encode(signature))
        }
        _ => id.to_string(),
    }
}

/// The call id and the signature an id handed out carries.
pub fn decode(id: &str) -> (String, Option<String>) {
    let Some((call, encoded)) = id.split_once(MARK) else {
        return (id.to_string(), None);
    };
    match URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
    {
        Some(signature) if !call.is_empty() && !signature.is_empty() => {
            (call.to_string(), Some(signature))
        }
        _ => (id.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_rides_in_the_id_and_comes_back_whole() {
        let signature = "CiQB0e2Kb+/x9vYz==";
        let id = encode("call_3f2a", Some(signature));
        assert!(id.starts_with("call_3f2a__ts_"), "{id}");
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            "{id} is a valid Anthropic tool_use id"
        );
        assert_eq!(decode(&id), ("call_3f2a".into(), Some(signature.into())));
    }

    #[test]
    fn ids_without_a_signature_read_as_themselves() {
        assert_eq!(encode("toolu_01", None), "toolu_01");
        assert_eq!(encode("toolu_01", Some("")), "toolu_01");
        assert_eq!(decode("toolu_01"), ("toolu_01".into(), None));
        // A mark followed by something that is not a signature is part of the id.
        assert_eq!(decode("a__ts_***"), ("a__ts_***".into(), None));
        assert_eq!(decode("__ts_c2ln"), ("__ts_c2ln".into(), None));
        // An id that holds the mark already goes out without the signature.
        assert_eq!(encode("x__ts_y", Some("sig")), "x__ts_y");
    }
}
