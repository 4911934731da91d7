//! The wrap-up time limit: the rules ([`rules`]: which limit a campaign has, the countdown a wrap-up starts, how
//! far "+30 s" may extend it, the disposition filed when it runs out) and the clock that applies them ([`clock`]).
//!
//! The wrap-up clock: when a call of a campaign with a time limit enters wrap-up, a countdown starts (kept on disk,
//! sealed: it holds the number and what the agent typed); "+30 s" extends it within the settings' limit; at zero the
//! campaign's timeout code is filed through the desk, so through the outbox, with a comment that says it was
//! automatic and keeps the agent's note. A restart does not skip it: the saved countdown is filed at its deadline
//! straight into the outbox, even though the desk no longer holds the call.

mod clock;
pub mod rules;
mod store;

pub use clock::{ClockEvent, WrapUpClock};
pub use rules::{CampaignLimit, Countdown, WrapUpLimits};
pub use store::FILE_NAME;
