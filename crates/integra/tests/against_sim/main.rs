//! The client against the simulator over real loopback HTTP: each test checks the exact request the simulator
//! received (method, path, content type, Authorization, every form field, the JSON inside fields) and the typed
//! reply. One binary, one module per area.

mod auth;
mod calls;
mod campaigns;
mod dialers;
mod errors;
mod lists;
mod recordings;
mod support;
