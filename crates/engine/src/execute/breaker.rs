//! Per-provider circuit breakers: after repeated failures a provider is skipped for a cool-down,
//! so a dead provider costs one quick skip instead of a round of timeouts and retries.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

pub struct Breakers {
    threshold: u32,
    cooldown: Duration,
    circuits: Mutex<HashMap<String, Circuit>>,
}

#[derive(Default)]
struct Circuit {
    failures: u32,
    open_until: Option<Instant>,
}

impl Breakers {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown,
            circuits: Mutex::default(),
        }
    }

    /// How long the provider's circuit stays open, or None when calls may go through. Once the
    /// cool-down has passed the circuit is half-open: calls go through, and the first failure
    /// opens it again.
    pub fn open_for(&self, provider: &str, now: Instant) -> Option<Duration> {
        let circuits = self.circuits.lock().unwrap();
        let until = circuits.get(provider)?.open_until?;
        (until > now).then(|| until - now)
    }

    pub fn success(&self, provider: &str) {
        self.circuits.lock().unwrap().remove(provider);
    }

    pub fn failure(&self, provider: &str, now: Instant) {
        let mut circuits = self.circuits.lock().unwrap();
        let circuit = circuits.entry(provider.to_string()).or_default();
        let half_open = circuit.open_until.is_some();
        circuit.failures += 1;
        if half_open || circuit.failures >= self.threshold {
            circuit.open_until = Some(now + self.cooldown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_the_threshold_and_reopens_on_a_failed_trial() {
        let b = Breakers::new(3, Duration::from_secs(30));
        let t0 = Instant::now();
        b.failure("p", t0);
        b.failure("p", t0);
        assert_eq!(b.open_for("p", t0), None);
        b.failure("p", t0);
        assert_eq!(b.open_for("p", t0), Some(Duration::from_secs(30)));
        assert_eq!(b.open_for("other", t0), None);
        let later = t0 + Duration::from_secs(31);
        assert_eq!(
            b.open_for("p", later),
            None,
            "half-open after the cool-down"
        );
        b.failure("p", later);
        assert_eq!(
            b.open_for("p", later),
            Some(Duration::from_secs(30)),
            "one failed trial reopens it"
        );
    }

    #[test]
    fn a_success_closes_and_resets_the_count() {
        let b = Breakers::new(2, Duration::from_secs(30));
        let t0 = Instant::now();
        b.failure("p", t0);
        b.success("p");
        b.failure("p", t0);
        assert_eq!(b.open_for("p", t0), None);
    }
}
