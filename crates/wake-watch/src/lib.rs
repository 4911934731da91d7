//! Sleep/resume and network changes, detected without OS-specific hooks, so the app never needs "restart it to fix
//! it" (peers' most common complaint: the phone or the session dies quietly after a laptop lid or a Wi-Fi switch).
//!
//! - **Resume**: the monotonic clock stops while the machine sleeps and the wall clock does not. When, between two
//!   looks, the wall clock moved much further than the monotonic one, the machine slept in between. (A wall clock
//!   set back or forward by hand looks the same; treating that as a resume only costs a session check.)
//! - **Network change**: the set of the machine's interface addresses changed (cable, Wi-Fi, VPN, DHCP renewal).
//!
//! The shell looks every few seconds and, on either, checks the session, registers the global hotkeys again and
//! sends what waits in the outbox. The detector itself is pure, so tests feed it times and address sets.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime};

/// What happened since the last look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// The machine slept about this long.
    Resumed {
        /// Time spent asleep, as the clocks tell it.
        slept: Duration,
    },
    /// The interface addresses changed.
    NetworkChanged {
        /// Addresses that appeared.
        added: Vec<IpAddr>,
        /// Addresses that went away.
        removed: Vec<IpAddr>,
    },
}

/// Compares each look with the previous one.
#[derive(Debug)]
pub struct WakeWatch {
    threshold: Duration,
    last: Option<(SystemTime, Instant, BTreeSet<IpAddr>)>,
}

impl WakeWatch {
    /// A sleep shorter than `threshold` goes unnoticed (the look interval plus scheduling noise must stay below it).
    pub fn new(threshold: Duration) -> Self {
        Self {
            threshold,
            last: None,
        }
    }

    /// One look: the clocks now and the addresses now. The first look only sets the baseline.
    pub fn observe(
        &mut self,
        wall: SystemTime,
        mono: Instant,
        addrs: BTreeSet<IpAddr>,
    ) -> Vec<Wake> {
        let mut seen = Vec::new();
        if let Some((last_wall, last_mono, last_addrs)) = &self.last {
            let wall_gap = wall.duration_since(*last_wall).unwrap_or_default();
            let mono_gap = mono.saturating_duration_since(*last_mono);
            let slept = wall_gap.saturating_sub(mono_gap);
            if slept >= self.threshold {
                seen.push(Wake::Resumed { slept });
            }
            if *last_addrs != addrs {
                seen.push(Wake::NetworkChanged {
                    added: addrs.difference(last_addrs).copied().collect(),
                    removed: last_addrs.difference(&addrs).copied().collect(),
                });
            }
        }
        self.last = Some((wall, mono, addrs));
        seen
    }
}

/// The machine's interface addresses now (loopback included: tests change it; a real change elsewhere shows too).
pub fn interface_addresses() -> BTreeSet<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|list| list.into_iter().map(|i| i.ip()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(list: &[&str]) -> BTreeSet<IpAddr> {
        list.iter().map(|a| a.parse().unwrap()).collect()
    }

    #[test]
    fn a_wall_clock_jump_beyond_the_monotonic_one_is_a_resume() {
        let mut watch = WakeWatch::new(Duration::from_secs(20));
        let (wall, mono) = (
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000),
            Instant::now(),
        );
        let net = addrs(&["127.0.0.1", "192.0.2.10"]);
        assert!(
            watch.observe(wall, mono, net.clone()).is_empty(),
            "first look"
        );
        let step = Duration::from_secs(5);
        assert!(
            watch
                .observe(wall + step, mono + step, net.clone())
                .is_empty(),
            "a normal tick"
        );
        // Lid closed for 40 minutes: the monotonic clock moved 5 s, the wall clock 40 min + 5 s.
        let slept = Duration::from_secs(2400);
        assert_eq!(
            watch.observe(wall + step * 2 + slept, mono + step * 2, net),
            [Wake::Resumed { slept }]
        );
    }

    #[test]
    fn a_late_tick_or_a_short_nap_is_not_a_resume() {
        let mut watch = WakeWatch::new(Duration::from_secs(20));
        let (wall, mono) = (
            SystemTime::UNIX_EPOCH + Duration::from_secs(50),
            Instant::now(),
        );
        let net = addrs(&["127.0.0.1"]);
        watch.observe(wall, mono, net.clone());
        // A busy machine ticks 30 s late, but both clocks agree.
        let late = Duration::from_secs(30);
        assert!(watch
            .observe(wall + late, mono + late, net.clone())
            .is_empty());
        // 10 s of sleep is below the threshold.
        let nap = Duration::from_secs(10);
        assert!(watch
            .observe(wall + late * 2 + nap, mono + late * 2, net)
            .is_empty());
    }

    #[test]
    fn addresses_that_come_and_go_are_a_network_change() {
        let mut watch = WakeWatch::new(Duration::from_secs(20));
        let (wall, mono) = (SystemTime::UNIX_EPOCH, Instant::now());
        watch.observe(wall, mono, addrs(&["127.0.0.1", "192.0.2.10"]));
        let seen = watch.observe(wall, mono, addrs(&["127.0.0.1", "198.51.100.7"]));
        assert_eq!(
            seen,
            [Wake::NetworkChanged {
                added: vec!["198.51.100.7".parse().unwrap()],
                removed: vec!["192.0.2.10".parse().unwrap()],
            }]
        );
        assert!(watch
            .observe(wall, mono, addrs(&["127.0.0.1", "198.51.100.7"]))
            .is_empty());
    }

    #[test]
    fn this_machine_has_at_least_a_loopback_address() {
        assert!(interface_addresses().iter().any(IpAddr::is_loopback));
    }
}
