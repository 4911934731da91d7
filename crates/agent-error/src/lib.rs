//! The one error type of the agent's crates (`agent`, `outbox`, `bridge`), and the `{code, message}` shape the UI
//! and the bridge's paired pages receive. It sits below them all so a code means the same wherever it is raised.
//!
//! The UI acts on `code` (a small, stable set); `message` is plain words for the agent and never contains a
//! password, token or key: it is built from our own text and from `integra` errors, which never carry secrets.

use serde::Serialize;

#[cfg(debug_assertions)]
mod english;
mod file;
mod from_integra;

pub use file::{file_error, FileOp};
pub use from_integra::integra_phrase;

/// What the UI can act on. Only codes some screen or test actually distinguishes belong here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The number typed or pasted is not a phone number.
    InvalidNumber,
    /// A call is already being dialed or is up.
    CallInProgress,
    /// The last call needs its disposition before the next dial.
    WrapUpRequired,
    /// There is no call to hang up, tag or dispose.
    NoCall,
    /// Not signed in.
    NotSignedIn,
    /// Wrong user or password.
    WrongCredentials,
    /// The server cannot be reached or did not answer in time.
    ServerUnreachable,
    /// The server answered `0`.
    ServerRejected,
    /// The server answered something unexpected (an error page, a 5xx).
    ServerError,
    /// The session expired and signing in again did not work.
    Unauthorized,
    /// The OS keychain cannot be used.
    KeychainUnavailable,
    /// A disposition tree file is invalid.
    InvalidTree,
    /// A hotkey cannot be parsed or registered.
    InvalidHotkey,
    /// A setting has an invalid value.
    InvalidSettings,
    /// The local database failed.
    Storage,
    /// Some other input is invalid.
    InvalidInput,
    /// Pasted or pushed CTI text is not a CTI object (bad JSON, bad field, too large).
    InvalidCti,
    /// The dialer action needs the call's dialer CTI (campaign, dialerbase, contact…) and there is none.
    NoDialerCti,
    /// An edit of the respool draft breaks a dialer rule (priority, retries, data, agent phone, position).
    InvalidRespool,
    /// The respool's main number is already on the spool: an alternative must be promoted first.
    SpooledDestination,
    /// There is no alternative number left to promote.
    NoAlternative,
    /// The date-time picked for a scheduled call is malformed or in the past.
    InvalidSchedule,
    /// A click-to-dial link or launch argument is not a `tel:`/`callto:` link or `--dial` request.
    InvalidLink,
    /// An encrypted CTI blob is neither base64 nor (for the raw-key scheme) hex.
    CtiNotBase64,
    /// An encrypted CTI blob does not start with `Salted__` (the CryptoJS/OpenSSL passphrase format).
    CtiNotSalted,
    /// An encrypted CTI blob is cut short: shorter than its header, empty, or not a whole number of blocks.
    CtiTruncated,
    /// The CTI passphrase, key or IV is not the one the blob was encrypted with.
    CtiWrongKey,
    /// The CTI blob decrypts to text but its padding is invalid: its end is damaged or missing.
    CtiBadPadding,
    /// The CTI key is not 16, 24 or 32 bytes, or the IV not 16 bytes (or they are neither hex nor base64).
    CtiKeySize,
    /// No CTI passphrase or key is saved in the keychain for the chosen scheme.
    CtiSecretMissing,
    /// The text is not data sealed by the app (no `v1:` prefix).
    NotSealed,
    /// Sealed data was altered or damaged: it fails authentication under the app's data key.
    SealedTampered,
    /// Sealed data was sealed with another data key (another install, or the keychain entry was replaced).
    SealedOtherKey,
    /// The data key in the keychain is damaged (not base64 of 32 bytes).
    DataKeyInvalid,
    /// The leaf's dialer action cannot be undone (a blacklist): the agent must confirm it first.
    ConfirmationRequired,
    /// The outbox item the agent acted on is gone (it was sent or discarded meanwhile).
    OutboxItemMissing,
    /// The browser bridge's port is taken by another program.
    BridgePortInUse,
    /// The browser bridge cannot start for another reason (the system refused the port, no randomness).
    BridgeUnavailable,
    /// The machine-wide policy locks this setting: it cannot be changed from the app.
    LockedSetting,
    /// The agent is on a break: a dial asks to end it first; a second break is refused.
    OnBreak,
    /// There is no break to end or cancel.
    NotOnBreak,
    /// The outbox item was not sent: an earlier item of the same call has to go first.
    BehindEarlierItem,
    /// Another program holds the hotkey's combination: the agent picks another one.
    HotkeyInUse,
    /// This desktop lets no app use global hotkeys (Wayland without X11); they work inside the window only.
    HotkeysUnavailable,
    /// The system clipboard cannot be read or written.
    ClipboardUnavailable,
    /// The window and the app disagree (a command or arguments the app does not know), or a worker of the app
    /// stopped: a bug, shown as it is.
    Internal,
    /// A window of the app (the compact bar) could not be opened or moved.
    WindowUnavailable,
    /// The default browser could not be started to open the CRM (screen pop): the call goes on without it.
    BrowserUnavailable,
    /// No screen-pop template applies to this call (Settings → CRM names the templates).
    NoScreenPop,
}

/// A failure of the agent's domain.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct AgentError {
    code: ErrorCode,
    message: String,
    phrase: Option<Phrase>,
}

/// The error as the UI receives it: `{code, message}`, and `phrase` (`{key, params}`) when its words are in the
/// tables of texts, so the window shows it in the agent's language (`ui/js/i18n.js` `errorText`); `message` is the
/// same in English, for logs, reports, the CLI and a window without the key.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IpcError {
    /// What happened, for the UI to act on.
    pub code: ErrorCode,
    /// What happened, in plain English words.
    pub message: String,
    /// The same words by key and parameters, when the tables have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phrase: Option<Phrase>,
}

impl IpcError {
    /// `{code, message}` without a phrase (words that are not ours: a server's, the OS's).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            phrase: None,
        }
    }
}

impl AgentError {
    /// An error with a code and a message in English (words not in the tables: a server's answer, an OS error, or
    /// not worded for the agent yet).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            phrase: None,
        }
    }

    /// An error worded from the tables: `phrase` is shown in the agent's language, `message` is the same in
    /// English (`ui/i18n/en.js`'s text for `phrase.key` with its parameters filled in).
    pub fn phrased(code: ErrorCode, phrase: Phrase, message: impl Into<String>) -> Self {
        let message = message.into();
        #[cfg(debug_assertions)]
        english::check(&phrase, &message);
        Self {
            code,
            message,
            phrase: Some(phrase),
        }
    }

    /// The same error under another code (an `integra` error that means something else where it is raised).
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    /// The code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The words by key, when the error has them.
    pub fn phrase(&self) -> Option<&Phrase> {
        self.phrase.as_ref()
    }

    /// The `{code, message, phrase}` for the UI.
    pub fn to_ipc(&self) -> IpcError {
        IpcError {
            code: self.code,
            message: self.message.clone(),
            phrase: self.phrase.clone(),
        }
    }

    /// Invalid input with a message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
}

impl From<AgentError> for IpcError {
    fn from(err: AgentError) -> Self {
        IpcError {
            code: err.code,
            message: err.message,
            phrase: err.phrase,
        }
    }
}

/// Words from the tables of texts (`ui/i18n/en.js`, `es.js`): a key and its parameters, so the window and the app
/// process can say them in the agent's language. Desk notices carry one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Phrase {
    /// The text's key in the tables.
    pub key: &'static str,
    /// The values of the text's `{name}`s.
    pub params: std::collections::BTreeMap<&'static str, String>,
}

impl Phrase {
    /// The text `key`, without parameters yet.
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            params: Default::default(),
        }
    }

    /// With `{name}` set to `value`.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.params.insert(name, value.into());
        self
    }
}

/// Result alias of the agent's crates.
pub type Result<T, E = AgentError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_receives_code_and_message_as_json() {
        let err = AgentError::new(
            ErrorCode::InvalidNumber,
            "letters are not allowed in a phone number: 'x'",
        );
        assert_eq!(
            serde_json::to_string(&err.to_ipc()).unwrap(),
            r#"{"code":"invalid_number","message":"letters are not allowed in a phone number: 'x'"}"#
        );
    }

    #[test]
    fn a_command_answers_the_same_shape_with_the_question_mark() {
        fn command() -> std::result::Result<(), IpcError> {
            Err(AgentError::new(
                ErrorCode::ClipboardUnavailable,
                "no clipboard",
            ))?
        }
        let json = serde_json::to_value(command().unwrap_err()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "clipboard_unavailable", "message": "no clipboard"})
        );
    }

    #[test]
    fn integra_errors_map_to_codes_the_ui_knows() {
        let rejected: AgentError = integra::Error::Rejected {
            endpoint: "Agents/AgentCall",
            body: "0".into(),
        }
        .into();
        assert_eq!(rejected.code(), ErrorCode::ServerRejected);
        let down: AgentError = integra::Error::Connect {
            endpoint: "x",
            detail: "refused".into(),
        }
        .into();
        assert_eq!(down.code(), ErrorCode::ServerUnreachable);
    }

    #[cfg(debug_assertions)]
    #[test]
    fn an_integra_error_says_in_its_phrase_what_its_message_says() {
        let errors = [
            integra::Error::Rejected {
                endpoint: "Agents/AgentCall",
                body: "0".into(),
            },
            integra::Error::Unauthorized { endpoint: "a" },
            integra::Error::NotFound { endpoint: "a" },
            integra::Error::Status {
                endpoint: "a",
                status: 502,
                body: "Bad gateway".into(),
            },
            integra::Error::UnexpectedBody {
                endpoint: "a",
                status: 200,
                body: "<html>".into(),
                expected: "JSON",
            },
            integra::Error::Decode {
                endpoint: "a",
                body: "{}".into(),
                source: serde_json::from_str::<u8>("x").unwrap_err(),
            },
            integra::Error::Timeout { endpoint: "a" },
            integra::Error::Connect {
                endpoint: "a",
                detail: "refused".into(),
            },
            integra::Error::Transport {
                endpoint: "a",
                detail: "reset".into(),
            },
            integra::Error::Proxy {
                endpoint: "a",
                proxy: "the configured proxy http://p:3128/".into(),
                problem: integra::ProxyProblem::Unreachable("refused".into()),
            },
            integra::Error::Proxy {
                endpoint: "a",
                proxy: "p".into(),
                problem: integra::ProxyProblem::AuthRequired,
            },
            integra::Error::Proxy {
                endpoint: "a",
                proxy: "p".into(),
                problem: integra::ProxyProblem::CredentialsRefused,
            },
            integra::Error::Proxy {
                endpoint: "a",
                proxy: "p".into(),
                problem: integra::ProxyProblem::TunnelRefused,
            },
            integra::Error::InvalidInput {
                field: "phone",
                reason: "empty".into(),
            },
            integra::Error::Io {
                detail: "gone".into(),
            },
        ];
        for err in errors {
            let message = err.to_string();
            let err = AgentError::from(err);
            let phrase = err.phrase().expect("every variant is worded");
            assert_eq!(english::english(phrase).as_deref(), Some(message.as_str()));
        }
    }
}
