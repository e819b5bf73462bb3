//! Circuit breakers: after repeated failures a model, or a whole provider, is skipped for a
//! cool-down, so a dead one costs one quick skip instead of a round of timeouts and retries.
//! A model's own failures (5xx, overload, rate limit, a stalled or broken stream) open the
//! model's circuit, so its provider's other models stay in use; failed connections and refused
//! keys open the provider's circuit, since every model there would fail the same way.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::plan::Target;
use crate::providers::{ErrorKind, ProviderError};

pub struct Breakers {
    threshold: u32,
    cooldown: Duration,
    /// By [`Scope::key`].
    circuits: Mutex<HashMap<String, Circuit>>,
}

#[derive(Default)]
struct Circuit {
    failures: u32,
    open_until: Option<Instant>,
}

/// What a failure says is unwell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Model,
    Provider,
}

impl Scope {
    /// The scope a failure counts against; None for failures that say nothing about health
    /// (a bad request, an unknown model, a prompt too long, a limit the engine enforced).
    pub fn of(error: &ProviderError) -> Option<Self> {
        match error {
            ProviderError::Status { kind, .. } | ProviderError::Stream { kind, .. } => match kind {
                ErrorKind::RateLimited | ErrorKind::Overloaded | ErrorKind::Server => {
                    Some(Self::Model)
                }
                ErrorKind::Auth => Some(Self::Provider),
                ErrorKind::ContextLength | ErrorKind::NotFound | ErrorKind::BadRequest => None,
            },
            ProviderError::Connect(_) | ProviderError::Transport(_) => Some(Self::Provider),
            ProviderError::Timeout(_) | ProviderError::Malformed(_) | ProviderError::Truncated => {
                Some(Self::Model)
            }
            ProviderError::Refused { .. } | ProviderError::Stopped => None,
        }
    }

    fn key(self, target: &Target) -> String {
        match self {
            Self::Provider => target.provider.id.clone(),
            // The NUL cannot occur in either id, so no model key equals a provider key.
            Self::Model => format!("{}\0{}", target.provider.id, target.model.id),
        }
    }

    /// How the skip names what was unwell.
    fn name(self, target: &Target) -> String {
        match self {
            Self::Provider => target.provider.name.clone(),
            Self::Model => format!("{} on {}", target.model.id, target.provider.name),
        }
    }
}

impl Breakers {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown,
            circuits: Mutex::default(),
        }
    }

    /// How long the target stays skipped and who is unwell (its provider, or the model), or
    /// None when calls may go through. Once the cool-down has passed a circuit is half-open:
    /// calls go through, and the first failure opens it again.
    pub fn open_for(&self, target: &Target, now: Instant) -> Option<(Duration, String)> {
        [Scope::Provider, Scope::Model]
            .into_iter()
            .find_map(|scope| {
                self.open(&scope.key(target), now)
                    .map(|wait| (wait, scope.name(target)))
            })
    }

    fn open(&self, key: &str, now: Instant) -> Option<Duration> {
        let circuits = self.circuits.lock().unwrap();
        let until = circuits.get(key)?.open_until?;
        (until > now).then(|| until - now)
    }

    /// An answer closes both the model's circuit and its provider's.
    pub fn success(&self, target: &Target) {
        let mut circuits = self.circuits.lock().unwrap();
        circuits.remove(&Scope::Provider.key(target));
        circuits.remove(&Scope::Model.key(target));
    }

    /// Counts `error` against the circuit it concerns, if any.
    pub fn failure(&self, target: &Target, error: &ProviderError, now: Instant) {
        if let Some(scope) = Scope::of(error) {
            self.fail(scope.key(target), now);
        }
    }

    fn fail(&self, key: String, now: Instant) {
        let mut circuits = self.circuits.lock().unwrap();
        let circuit = circuits.entry(key).or_default();
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
        b.fail("p".into(), t0);
        b.fail("p".into(), t0);
        assert_eq!(b.open("p", t0), None);
        b.fail("p".into(), t0);
        assert_eq!(b.open("p", t0), Some(Duration::from_secs(30)));
        assert_eq!(b.open("other", t0), None);
        let later = t0 + Duration::from_secs(31);
        assert_eq!(b.open("p", later), None, "half-open after the cool-down");
        b.fail("p".into(), later);
        assert_eq!(
            b.open("p", later),
            Some(Duration::from_secs(30)),
            "one failed trial reopens it"
        );
    }

    #[test]
    fn model_failures_and_provider_failures_count_apart() {
        let server = ProviderError::from_status(500, "", None);
        let refused = ProviderError::from_status(401, "", None);
        assert_eq!(Scope::of(&server), Some(Scope::Model));
        assert_eq!(Scope::of(&refused), Some(Scope::Provider));
        assert_eq!(
            Scope::of(&ProviderError::Connect("x".into())),
            Some(Scope::Provider)
        );
        assert_eq!(Scope::of(&ProviderError::from_status(400, "", None)), None);
    }
}
