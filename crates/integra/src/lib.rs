//! A typed async client for uContact's **Integra** REST API.
//!
//! One method per endpoint of the reference, on [`Client`]; typed requests and replies; one [`Error`] type that
//! tells a rejection (`0`), an expired session (401), an unreachable server and an unexpected reply apart.
//!
//! ```no_run
//! # async fn demo() -> integra::Result<()> {
//! use integra::{AgentCall, Campaign, Client, Password};
//! let client = Client::builder("https://acme.ucontactcloud.com").build()?;
//! let agent = client.agent_login("alice", &Password::new("secret")).await?;
//! client.set_token(Some(agent.token()));
//! let guid = client
//!     .agent_call(&AgentCall {
//!         callerid: "59821234567".into(),
//!         agent: "alice".into(),
//!         phone: agent.extension().into(),
//!         tech: "SIP".into(),
//!         context: agent.context.clone(),
//!         outqueue: Campaign::new("Ventas->"),
//!         destination: "099123456".into(),
//!     })
//!     .await?;
//! println!("calling, GUID {guid}");
//! # Ok(()) }
//! ```
//!
//! Modules by area: [`auth`], [`calls`], [`dialers`], [`base`], [`blacklist`], [`recordings`], [`campaigns`],
//! [`forms`]. The wire conventions (form encoding, the Basic token) live in `client`, the reading of answers in
//! `reply`.

pub mod auth;
pub mod base;
pub mod blacklist;
pub mod calls;
pub mod campaigns;
mod client;
pub mod datetime;
pub mod diagnose;
pub mod dialers;
mod error;
pub mod form;
pub mod forms;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod proxy;
pub mod recordings;
mod reply;
pub mod secret;
mod types;

pub use auth::{parse_user_login, parse_user_token, AgentLogoff, AgentPause, AgentRecord};
pub use base::{BaseError, BaseRow, BaseUpload, Progress};
pub use blacklist::BlackEntry;
pub use calls::{AgentCall, Disposition, TagRecord};
pub use campaigns::{
    AcdCall, AgentStatus, CampaignCounters, CampaignStatus, QueueSummary, QueueSummaryReport,
    StatusEntry, SummaryMetadata,
};
pub use chrono::NaiveDateTime;
pub use client::{Client, ClientBuilder, FORM_CONTENT_TYPE};
pub use datetime::DateTime;
pub use dialers::{CallSchedule, DialerTask, Respool};
pub use error::{Error, Result};
pub use forms::DispositionRow;
pub use proxy::{ProxyConfig, ProxyInUse, ProxyProblem, ProxySource};
pub use recordings::{AudioFormat, FetchedRecording, RecordFilter, RecordPage, Recording};
pub use secret::{Password, Secret, SipSecret, Token};
pub use types::{CallGuid, Campaign};
