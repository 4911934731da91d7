//! The agent's working day, with no Tauri in it: identity and session, the call desk and what hangs on it (breaks,
//! the wrap-up time limit, callbacks, the local history, dialer tasks), hotkeys, links, settings and policy. The
//! desktop shell (src-tauri) adapts these to commands, events, the tray and hotkeys; tests drive them directly
//! against the simulator.
//!
//! What has a boundary of its own lives in crates below this one, and callers import them directly (this crate
//! re-exports none of them): the error vocabulary (`agent-error`), the durable outbox and its courier (`outbox`),
//! the browser bridge's HTTP server (`bridge`; its pairing token's keychain entry is [`pairing`] here), the OS
//! keychain (`keychain`), the seal of data at rest (`sealing`), phone numbers (`phone-number`), disposition trees
//! (`disposition-tree`), CTI and its blob decryptors (`cti`) and the support report (`support-report`).

pub mod breaks;
pub mod campaigns;
pub mod desk;
pub mod dialer_tasks;
pub mod filing;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod history;
pub mod pairing;
pub mod phone_words;
pub mod policy;
pub mod profile;
pub mod session;
pub mod settings;
pub mod settings_store;
pub mod sign_in;
pub mod wrap_up;
