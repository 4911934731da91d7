//! The phone's failures in the agent's language: each `phone::PhoneError` as a phrase of the word tables
//! (`error.phone.*`), with the English words beside it, and the error code the window acts on.

use agent_error::{AgentError, ErrorCode, Phrase};
use phone::PhoneError;

/// `error` worded by key.
pub fn phone_error(error: PhoneError) -> AgentError {
    let message = error.to_string();
    let (code, phrase) = match &error {
        PhoneError::WrongPassword { user, code } => (
            ErrorCode::WrongCredentials,
            Phrase::new("error.phone.wrong_password")
                .with("user", user)
                .with("code", code.to_string()),
        ),
        PhoneError::Refused { user, code, reason } => (
            ErrorCode::ServerRejected,
            Phrase::new("error.phone.refused")
                .with("user", user)
                .with("code", code.to_string())
                .with("reason", reason),
        ),
        PhoneError::Unreachable { address, detail } => (
            ErrorCode::ServerUnreachable,
            Phrase::new("error.phone.unreachable")
                .with("address", address)
                .with("detail", detail),
        ),
        PhoneError::NotSecure { address } => (
            ErrorCode::InvalidSettings,
            Phrase::new("error.phone.not_secure").with("address", address),
        ),
        PhoneError::Tls { address, detail } => (
            ErrorCode::InvalidSettings,
            Phrase::new("error.phone.tls")
                .with("address", address)
                .with("detail", detail),
        ),
        PhoneError::NotSip { address, detail } => (
            ErrorCode::InvalidSettings,
            Phrase::new("error.phone.not_sip")
                .with("address", address)
                .with("detail", detail),
        ),
        PhoneError::NoAnswer { method, secs } => (
            ErrorCode::ServerUnreachable,
            Phrase::new("error.phone.no_answer")
                .with("method", method)
                .with("secs", secs.to_string()),
        ),
        PhoneError::Dropped { detail } => (
            ErrorCode::ServerUnreachable,
            Phrase::new("error.phone.dropped").with("detail", detail),
        ),
        PhoneError::Proxy { proxy, detail } => (
            ErrorCode::ServerUnreachable,
            Phrase::new("error.phone.proxy")
                .with("proxy", proxy)
                .with("detail", detail),
        ),
        PhoneError::Invalid { name, detail } => (
            ErrorCode::InvalidSettings,
            Phrase::new("error.phone.invalid")
                .with("name", *name)
                .with("detail", detail),
        ),
        _ => (
            ErrorCode::ServerError,
            Phrase::new("error.phone.other").with("detail", &message),
        ),
    };
    AgentError::phrased(code, phrase, message)
}
