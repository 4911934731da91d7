//! The agent crate's integration tests, in one binary (one link step on two cores): the call desk against the
//! simulator over loopback (calls, CTI and dialer actions, the outbox as the agent sees it, breaks, the wrap-up time limit), disposition
//! trees from the server and shared places, sign-in over TLS with
//! a private CA, the CTI decryptors against vectors made by the real tools, property tests of phone numbers and
//! settings.

// Not every test module uses every helper of the shared fixture.
#[allow(dead_code)]
mod support;

mod breaks;
mod callbacks;
mod desk;
mod desk_cti;
mod desk_outbox;
mod desk_portal;
mod history;
mod settings_properties;
mod tls;
mod tree_sources;
mod wrap_up;
