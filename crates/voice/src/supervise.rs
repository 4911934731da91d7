//! Keeping a device open through a call: notices a device that is gone (its error callback, or a watchdog when
//! callbacks stop coming without an error), reports it, and opens the default device again with a growing pause
//! between tries (0.25 s doubling to 4 s). Used by the call's audio thread and by the ringer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::device::Link;
use crate::error::Direction;
use crate::events::DeviceEvent;

/// First pause before reopening, and the longest.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(4);
/// A stream whose callbacks stopped for this long is treated as gone (a device can vanish without an error).
const WATCHDOG: Duration = Duration::from_secs(2);

/// An open device of kind `T` (its stream, ring and converter), or the state of getting one back.
pub(crate) enum Supervised<T> {
    Open {
        device: T,
        link: Arc<Link>,
        seen_callbacks: u64,
        progress_at: Instant,
    },
    Down {
        next_try: Instant,
        backoff: Duration,
    },
}

/// What changed in a look.
pub(crate) enum Change {
    None,
    Lost(DeviceEvent),
    Recovered(DeviceEvent),
}

impl<T> Supervised<T> {
    pub fn open(device: T, link: Arc<Link>) -> Self {
        Supervised::Open {
            device,
            link,
            seen_callbacks: 0,
            progress_at: Instant::now(),
        }
    }

    pub fn device_mut(&mut self) -> Option<&mut T> {
        match self {
            Supervised::Open { device, .. } => Some(device),
            Supervised::Down { .. } => None,
        }
    }

    pub fn link(&self) -> Option<&Arc<Link>> {
        match self {
            Supervised::Open { link, .. } => Some(link),
            Supervised::Down { .. } => None,
        }
    }

    /// Checks the device and, when it is down and its time has come, tries `reopen` (which returns the device,
    /// its link and its name).
    pub fn look(
        &mut self,
        now: Instant,
        direction: Direction,
        reopen: impl FnOnce() -> Option<(T, Arc<Link>, String)>,
    ) -> Change {
        match self {
            Supervised::Open {
                link,
                seen_callbacks,
                progress_at,
                ..
            } => {
                let callbacks = link.callbacks.load(std::sync::atomic::Ordering::Relaxed);
                if callbacks != *seen_callbacks {
                    *seen_callbacks = callbacks;
                    *progress_at = now;
                }
                let reason = if link.lost.load(std::sync::atomic::Ordering::Relaxed) {
                    link.take_reason()
                        .unwrap_or_else(|| "the audio system reported an error".to_owned())
                } else if now.duration_since(*progress_at) > WATCHDOG {
                    link.counters
                        .device_errors
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    format!("the {direction} stopped delivering audio")
                } else {
                    return Change::None;
                };
                // Dropping the device stops its stream.
                *self = Supervised::Down {
                    next_try: now + FIRST_BACKOFF,
                    backoff: FIRST_BACKOFF,
                };
                Change::Lost(DeviceEvent::Lost { direction, reason })
            }
            Supervised::Down { next_try, backoff } => {
                if now < *next_try {
                    return Change::None;
                }
                match reopen() {
                    Some((device, link, name)) => {
                        *self = Supervised::open(device, link);
                        Change::Recovered(DeviceEvent::Recovered {
                            direction,
                            device: name,
                        })
                    }
                    None => {
                        *backoff = (*backoff * 2).min(MAX_BACKOFF);
                        *next_try = now + *backoff;
                        Change::None
                    }
                }
            }
        }
    }
}
