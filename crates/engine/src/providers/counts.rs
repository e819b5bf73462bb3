//! Token counts read as a provider wrote them, whatever that was: a count that does not fit
//! (`1e15`, `-1`, `12.5`, `"12"`) must not make the whole reply unreadable. It is clamped into
//! range and left for the usage check to judge (an impossible count is flagged and priced from
//! the estimate), so the answer that came with it is kept.
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A count: a whole number as it is, a negative one as 0, a fraction rounded down, a larger
/// one as `u32::MAX`, a number written as text read as the number; anything else is none.
fn count(value: &Value) -> Option<u32> {
    let clamp = |f: f64| {
        if f.is_nan() {
            None
        } else {
            Some(f.clamp(0.0, f64::from(u32::MAX)) as u32)
        }
    };
    match value {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Some(u32::try_from(u).unwrap_or(u32::MAX)),
            (None, Some(_)) => Some(0),
            _ => n.as_f64().and_then(clamp),
        },
        Value::String(s) => s.trim().parse::<f64>().ok().and_then(clamp),
        _ => None,
    }
}

/// For a `u32` field: a count, or 0.
pub fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(count(&Value::deserialize(d)?).unwrap_or(0))
}

/// For an `Option<u32>` field: a count, or none.
pub fn lenient_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Ok(count(&Value::deserialize(d)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn odd_counts_are_clamped_not_refused() {
        for (value, want) in [
            (json!(12), Some(12)),
            (json!(1_000_000_000_000_000u64), Some(u32::MAX)),
            (json!(-1), Some(0)),
            (json!(12.9), Some(12)),
            (json!(1e300), Some(u32::MAX)),
            (json!("42"), Some(42)),
            (json!("lots"), None),
            (json!(null), None),
            (json!([1]), None),
        ] {
            assert_eq!(count(&value), want, "{value}");
        }
    }
}
