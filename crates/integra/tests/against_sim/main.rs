//! The client against the simulator over real loopback HTTP. Each test checks the exact request the simulator
//! received (method, path, content type with its charset, the Authorization header, every form field and the JSON
//! inside the JSON fields) and the typed reply. One binary, one module per area.

mod auth;
mod blacklist;
mod calls;
mod campaigns;
mod dialers;
mod errors;
mod forms;
mod proxy;
mod recordings;
mod support;
mod uploads;
