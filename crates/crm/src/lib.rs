//! The CRM beside the call. When a call starts, the app opens the customer's record in the CRM (the screen pop,
//! from URL templates in the settings), and runs the commands IT configured (hooks, from the machine policy) at
//! the call's moments. This crate is the pure part of both: the shell translates the call desk's events into
//! [`CrmEvent`]s and calls it; it opens no browser and reads no settings file itself.
//!
//! - [`fields`]: what the CRM may learn about a call ([`CallFields`]) and each [`Field`] a template can ask for.
//! - [`event`]: the moments ([`Moment`]) and the event the CRM side receives ([`CrmEvent`]), with its JSON.
//! - [`template`]: screen-pop URL templates, checked once and rendered with every value percent-encoded.
//! - [`screen_pop`]: `[screen_pop]` settings, which template is for a call and when it opens, and the
//!   [`PopLedger`] that keeps a re-sent event from opening a second tab.
//! - [`hooks`] and [`hook_runner`]: IT's `[[hooks]]`, checked, and run without a shell with a timeout.

pub mod event;
pub mod fields;
pub mod hook_runner;
pub mod hooks;
pub mod screen_pop;
pub mod template;

#[cfg(test)]
mod event_tests;
#[cfg(test)]
mod fields_tests;
#[cfg(all(test, unix))]
mod hook_runner_tests;
#[cfg(test)]
mod hooks_tests;
#[cfg(test)]
mod screen_pop_tests;
#[cfg(test)]
mod template_tests;

pub use event::{CrmEvent, Moment, UnknownMoment};
pub use fields::{CallFields, Direction, Field};
pub use hook_runner::{run, HookOutcome};
pub use hooks::{HookError, HookProblem, HookSpec};
pub use screen_pop::{PopLedger, PopTemplate, PopWhen, ScreenPopProblem, ScreenPopSettings};
pub use template::{TemplateError, UrlTemplate};
