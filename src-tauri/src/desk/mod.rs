//! The call desk from the window: the call itself (dial, hang up, tag, dispose, the dial draft), the CTI card and
//! respool editing, the dialer's records, and the outbox. Each file holds the commands of one part; the desk is
//! `agent::desk`'s, reached through the signed-in session in [`crate::state::AppState`].

pub mod call;
pub mod cti;
pub mod dialer;
pub mod outbox;
