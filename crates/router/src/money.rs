//! Money as integers, so sums and comparisons of prices and costs are exact. Files and the UI
//! see plain dollars (`2.5` per million tokens, `0.000123` for a request).
use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A price in micro-dollars per million tokens: `$2.50 / Mtok` is `2_500_000`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PerMtok(pub u64);

/// The highest price accepted from a file: far above any model sold, low enough that no cost
/// computed from it can overflow.
const MAX_USD_PER_MTOK: f64 = 1_000_000.0;

impl PerMtok {
    /// From dollars per million tokens; `None` for a negative, non-finite or absurd price.
    pub fn from_usd(usd: f64) -> Option<Self> {
        (usd.is_finite() && (0.0..=MAX_USD_PER_MTOK).contains(&usd))
            .then(|| PerMtok((usd * 1e6).round() as u64))
    }

    /// From dollars per single token, LiteLLM's unit.
    pub fn from_usd_per_token(usd: f64) -> Option<Self> {
        Self::from_usd(usd * 1e6)
    }

    pub fn usd(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// The cost of `tokens` at this price.
    pub fn cost(self, tokens: u32) -> Usd {
        // micro-dollars per 1e6 tokens × tokens = pico-dollars; nano-dollars are 1000 of those.
        let pico = u128::from(self.0) * u128::from(tokens);
        Usd(u64::try_from((pico + 500) / 1000).unwrap_or(u64::MAX))
    }
}

impl Serialize for PerMtok {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.usd())
    }
}

impl<'de> Deserialize<'de> for PerMtok {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let usd = f64::deserialize(d)?;
        PerMtok::from_usd(usd).ok_or_else(|| {
            de::Error::custom(format!(
                "price {usd} is not a dollar amount per million tokens between 0 and {MAX_USD_PER_MTOK}"
            ))
        })
    }
}

/// An amount in nano-dollars (a request to a small model can cost well under a micro-dollar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usd(pub u64);

impl Usd {
    pub fn dollars(self) -> f64 {
        self.0 as f64 / 1e9
    }

    pub fn saturating_add(self, other: Usd) -> Usd {
        Usd(self.0.saturating_add(other.0))
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${:.6}", self.dollars())
    }
}

impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.dollars())
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let usd = f64::deserialize(d)?;
        if usd.is_finite() && usd >= 0.0 {
            Ok(Usd((usd * 1e9).round() as u64))
        } else {
            Err(de::Error::custom(format!("{usd} is not a dollar amount")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_exact_micro_dollars() {
        assert_eq!(PerMtok::from_usd(2.5), Some(PerMtok(2_500_000)));
        assert_eq!(PerMtok::from_usd(0.075), Some(PerMtok(75_000)));
        assert_eq!(
            PerMtok::from_usd_per_token(2.5e-6),
            Some(PerMtok(2_500_000))
        );
        assert_eq!(PerMtok::from_usd(-1.0), None);
        assert_eq!(PerMtok::from_usd(f64::NAN), None);
    }

    #[test]
    fn cost_of_tokens_in_nano_dollars() {
        // 1,000 tokens at $2.50/Mtok = $0.0025.
        assert_eq!(PerMtok(2_500_000).cost(1000), Usd(2_500_000));
        // 3 tokens at $0.10/Mtok = $0.0000003, kept rather than rounded to zero.
        assert_eq!(PerMtok(100_000).cost(3), Usd(300));
        assert_eq!(PerMtok(u64::MAX).cost(u32::MAX), Usd(u64::MAX));
        assert_eq!(Usd(2_500_000).to_string(), "$0.002500");
    }
}
