//! The simulator driven over loopback HTTP with plain reqwest (not the integra client, so the two stay
//! independent), one module per area.

mod auth;
mod bases;
mod binary;
mod blacklist;
mod calls;
mod dialers;
mod faults;
mod filing;
mod journal;
mod records;
mod supervisor;
mod support;
