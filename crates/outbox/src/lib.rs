//! The durable outbox and its courier. What the agent submitted (dispositions, tags, respools, schedules,
//! blacklist entries) is written to a SQLite file before it is sent, and leaves it only when the server
//! acknowledges it; the [`courier`] is the file's one sender, and the one way in for everyone else (the call desk,
//! the shell's outbox list). A crash, a kill or a network drop between "submit" and "acknowledged" loses nothing.
//!
//! This crate touches SQLite and the Integra client, nothing else: payloads are sealed by whatever
//! [`PayloadSeal`] the app plugs in (its AES-256-GCM sealer), and signing in again after a 401 is asked of a
//! [`courier::SignIn`] (the agent's session). Time comes from one injected [`Clock`].

mod clock;
pub mod courier;
mod durable;
mod job;
mod schema;
mod seal;
mod store;
mod view;

pub use clock::{Clock, ManualClock, SystemClock};
pub use durable::{open_durable, CACHE_KIB};
pub use job::{Job, BREAKS_LINE};
pub use seal::{PayloadSeal, TestSeal};
pub use store::{ItemState, Line, Outbox, Stored};
pub use view::{views, OutboxCounts, OutboxItemView, ViewState};

#[cfg(test)]
mod store_tests;
