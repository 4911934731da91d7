//! The `integra` binary run as a process against integra-sim on loopback: what an admin or a script sees (stdout,
//! stderr, exit code) and what the server received (journal and state). Commands sign in with `--password-stdin`
//! (the scripted mode), so no keychain or D-Bus session is needed; only `keychain.rs` uses the real keychain, and
//! only when the CI sets one up.

mod calls;
mod dialers;
mod doctor;
mod doctor_tls;
mod failures;
mod kamailio;
mod keychain;
mod lists;
mod reports;
mod support;
