//! How long to wait before retrying: exponential with jitter, never shorter than `Retry-After`.
use std::time::Duration;

/// The wait after failed attempt number `attempt` (1-based). `unit` is a random number in
/// [0, 1): half the exponential step is fixed and half is jitter, so clients that failed
/// together do not retry together, and no wait collapses to zero.
pub fn delay(
    attempt: u32,
    base: Duration,
    max: Duration,
    retry_after: Option<Duration>,
    unit: f64,
) -> Duration {
    let step = base
        .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
        .min(max);
    let jittered = step / 2 + step.mul_f64(unit.clamp(0.0, 1.0) / 2.0);
    jittered.max(retry_after.unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn doubles_per_attempt_within_the_jitter_band_and_caps() {
        for (attempt, step) in [(1, 100), (2, 200), (3, 400), (10, 1000)] {
            let low = delay(attempt, 100 * MS, 1000 * MS, None, 0.0);
            let high = delay(attempt, 100 * MS, 1000 * MS, None, 0.999_999);
            assert_eq!(low, step / 2 * MS, "attempt {attempt}");
            assert!(
                high < step * MS && high > low,
                "attempt {attempt}: {high:?}"
            );
        }
    }

    #[test]
    fn retry_after_is_a_floor() {
        assert_eq!(
            delay(1, 100 * MS, 1000 * MS, Some(3000 * MS), 0.5),
            3000 * MS
        );
        assert_eq!(delay(3, 100 * MS, 1000 * MS, Some(MS), 0.0), 200 * MS);
    }
}
