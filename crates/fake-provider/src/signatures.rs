//! Gemini's thought signatures as the fake makes and checks them. Every call the fake makes
//! carries a signature (as Gemini 3's calls do), bound to the call: its name and arguments.
//! Gemini 3 refuses a request whose current turn (the model turns since the last user turn
//! with text of its own) has a step whose first `functionCall` part comes back without its
//! signature, or with one it did not give; the signatures Gemini documents for calls it did
//! not make are accepted. The fake does the same, for every model, so a test fails when a
//! signature is lost on the way.
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::Value;

/// What Gemini accepts in place of a signature, for a call another model made.
pub const FOREIGN: &[&str] = &[
    "skip_thought_signature_validator",
    "context_engineering_is_the_way_to_go",
];

/// The signature of a call of `name` with `args`: base64, as Gemini's (bytes in JSON).
pub fn of(name: &str, args: &Value) -> String {
    let mut text = String::from(name);
    text.push('\0');
    canonical(args, &mut text);
    // FNV-1a: the same call always gets the same signature, another call another one.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut bytes = b"fake-thought:".to_vec();
    bytes.extend_from_slice(&hash.to_be_bytes());
    STANDARD.encode(bytes)
}

/// JSON with object keys sorted, so the arguments read the same however a client ordered them.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Gemini's 400 for the current turn's calls, if a step's first call lacks its signature.
pub fn check(contents: &[Value]) -> Result<(), String> {
    let asks = |c: &Value| {
        c["role"] == "user"
            && c["parts"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p.get("functionResponse").is_none()))
    };
    let start = contents.iter().rposition(asks).unwrap_or(0);
    for (i, c) in contents.iter().enumerate().skip(start) {
        if c["role"] != "model" {
            continue;
        }
        let parts = c["parts"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let Some((j, first)) = parts
            .iter()
            .enumerate()
            .find(|(_, p)| p.get("functionCall").is_some())
        else {
            continue;
        };
        let call = &first["functionCall"];
        let name = call["name"].as_str().unwrap_or_default();
        match first["thoughtSignature"].as_str() {
            None => {
                return Err(format!(
                    "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{name}` , position {}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.",
                    i + 1
                ))
            }
            Some(s) if FOREIGN.contains(&s) => {}
            Some(s) if s == of(name, &call["args"]) => {}
            Some(_) => {
                return Err(format!(
                    "Corrupted thought signature in contents[{i}].parts[{j}]."
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_current_turn_s_calls_need_their_signatures() {
        let args = json!({"query": "Oslo", "days": 2});
        let signed = of("get_weather", &args);
        // Bound to the call, not to how its arguments were ordered.
        assert_eq!(
            signed,
            of("get_weather", &json!({"days": 2, "query": "Oslo"}))
        );
        assert_ne!(signed, of("get_weather", &json!({"query": "Lima"})));
        let turn = |signature: Option<&str>| {
            let mut call = json!({"functionCall": {"name": "get_weather", "args": args}});
            if let Some(s) = signature {
                call["thoughtSignature"] = json!(s);
            }
            vec![
                json!({"role": "user", "parts": [{"text": "Weather?"}]}),
                json!({"role": "model", "parts": [call]}),
                json!({"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {}}}]}),
            ]
        };
        assert_eq!(check(&turn(Some(&signed))), Ok(()));
        assert_eq!(check(&turn(Some(FOREIGN[0]))), Ok(()));
        let missing = check(&turn(None)).unwrap_err();
        assert!(missing.contains("missing a thought_signature"), "{missing}");
        assert!(
            missing.contains("`default_api:get_weather` , position 2"),
            "{missing}"
        );
        let forged = check(&turn(Some("c2lnbmF0dXJl"))).unwrap_err();
        assert!(forged.contains("Corrupted"), "{forged}");
        // A later question begins a new turn: the earlier calls are not checked.
        let mut later = turn(None);
        later.push(json!({"role": "model", "parts": [{"text": "4C"}]}));
        later.push(json!({"role": "user", "parts": [{"text": "And tomorrow?"}]}));
        assert_eq!(check(&later), Ok(()));
    }
}
