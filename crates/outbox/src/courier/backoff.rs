//! When to try again: exponential backoff with jitter, and the randomness it uses, injectable (like the
//! [`crate::Clock`]) so tests decide chance instead of sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Exponential backoff: `first`, doubling per failed attempt up to `cap`, then spread by ±`jitter` (a share, 0.2 =
/// ±20%) so many agents coming back after an outage do not all knock at the same moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// Delay after the first failure.
    pub first: Duration,
    /// Longest delay before jitter.
    pub cap: Duration,
    /// Share of the delay added or taken away at random (0.0 to 1.0).
    pub jitter: f64,
}

impl Default for Backoff {
    /// 1 s doubling to 60 s, ±20%.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(1),
            cap: Duration::from_secs(60),
            jitter: 0.2,
        }
    }
}

impl Backoff {
    /// The wait after the `failures`-th failed attempt in a row (1 for the first), with `sample` in -1.0..=1.0
    /// choosing where in the jitter band it lands.
    pub fn delay(&self, failures: i64, sample: f64) -> Duration {
        let doublings = failures.saturating_sub(1).clamp(0, 30) as i32;
        let base = (self.first.as_secs_f64() * 2f64.powi(doublings)).min(self.cap.as_secs_f64());
        let spread = self.jitter.clamp(0.0, 1.0) * sample.clamp(-1.0, 1.0);
        Duration::from_secs_f64((base * (1.0 + spread)).max(0.0))
    }
}

/// Where in the jitter band the next delay lands.
pub trait Jitter: Send + Sync {
    /// A value in -1.0..=1.0.
    fn sample(&self) -> f64;
}

/// A fixed sample (tests; 0.0 gives the plain exponential delays).
#[derive(Debug, Clone, Copy, Default)]
pub struct FixedJitter(pub f64);

impl Jitter for FixedJitter {
    fn sample(&self) -> f64 {
        self.0
    }
}

/// Pseudo-random samples (splitmix64). Spreading retries needs no cryptographic randomness.
#[derive(Debug)]
pub struct RandomJitter {
    state: AtomicU64,
}

impl RandomJitter {
    /// Seeded from `seed`; the same seed gives the same samples.
    pub fn seeded(seed: u64) -> Self {
        Self {
            state: AtomicU64::new(seed),
        }
    }
}

impl Default for RandomJitter {
    /// Seeded from the time and the process, so two agents' apps do not draw the same delays.
    fn default() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Self::seeded(nanos ^ (u64::from(std::process::id()) << 32))
    }
}

impl Jitter for RandomJitter {
    fn sample(&self) -> f64 {
        let mut z = self
            .state
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // 53 random bits to a float in 0..1, then to -1..1.
        (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_from_one_second_and_stop_at_the_cap() {
        let b = Backoff::default();
        let plain: Vec<u64> = (1..=9).map(|n| b.delay(n, 0.0).as_secs()).collect();
        assert_eq!(plain, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(b.delay(10_000, 0.0), Duration::from_secs(60), "no overflow");
    }

    #[test]
    fn jitter_stays_within_twenty_percent_and_spreads() {
        let b = Backoff::default();
        assert_eq!(b.delay(1, -1.0), Duration::from_millis(800));
        assert_eq!(b.delay(7, 1.0), Duration::from_secs(72));
        let jitter = RandomJitter::seeded(7);
        let delays: Vec<Duration> = (0..1000).map(|_| b.delay(3, jitter.sample())).collect();
        assert!(delays
            .iter()
            .all(|d| (Duration::from_millis(3200)..=Duration::from_millis(4800)).contains(d)));
        let low = delays.iter().filter(|d| d.as_millis() < 4000).count();
        assert!(
            (350..650).contains(&low),
            "about half below the middle: {low}"
        );
        let distinct: std::collections::HashSet<_> = delays.iter().collect();
        assert!(distinct.len() > 900, "not the same delay for everyone");
    }
}
