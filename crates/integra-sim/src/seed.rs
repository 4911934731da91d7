//! Seed data: agents, API users, campaigns, the dispositions table and recordings. The built-in data set is in
//! `demo.rs`; `integra-sim --seed FILE.json` loads the same shape.

use serde::{Deserialize, Serialize};

/// An agent who can sign in with AgentLogin.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSeed {
    /// User name.
    pub agent: String,
    /// Password.
    pub password: String,
    /// Extension (callerid of the SIP peer).
    pub extension: String,
    /// Dialplan context.
    #[serde(default = "default_context")]
    pub context: String,
    /// Display name.
    #[serde(default)]
    pub fullname: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
}

// Passwords stay out of Debug output, even test ones, so a log of a seed never shows one.
impl std::fmt::Debug for AgentSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentSeed")
            .field("agent", &self.agent)
            .field("password", &"<redacted>")
            .field("extension", &self.extension)
            .field("context", &self.context)
            .field("fullname", &self.fullname)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ApiUserSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiUserSeed")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

fn default_context() -> String {
    "agentes".into()
}

/// A supervisor/API user for getUserToken.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiUserSeed {
    /// User name.
    pub user: String,
    /// Password.
    pub password: String,
}

/// A campaign (queue).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignSeed {
    /// Name, ending in `->` or `<-`.
    pub name: String,
    /// DIDs, `:`-joined.
    #[serde(default)]
    pub did: String,
    /// Distribution strategy.
    #[serde(default = "default_strategy")]
    pub strategy: String,
    /// Wrap-up seconds.
    #[serde(default)]
    pub wrapup: i64,
}

fn default_strategy() -> String {
    "leastrecent".into()
}

/// A row of the `dispositions` table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DispositionSeed {
    /// Campaign.
    pub campaign: String,
    /// Level 1.
    pub value1: String,
    /// Level 2.
    #[serde(default)]
    pub value2: String,
    /// Level 3.
    #[serde(default)]
    pub value3: String,
}

/// Where a recording's file is served.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FileLocation {
    /// `/records/<guid>.mp3`
    Root,
    /// `/records/YYYYMMDD/<guid>.mp3`
    Dated,
    /// `/records/YYYYMMDD/<guid>.gsm` only, until Supervisor/convert makes the mp3.
    GsmOnly,
}

/// A recorded call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingSeed {
    /// Call id.
    pub guid: String,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub calldate: String,
    /// Agent.
    pub agent: String,
    /// Campaign.
    pub campaign: String,
    /// Calling number.
    pub source: String,
    /// Called number.
    pub destination: String,
    /// Seconds.
    pub duration: i64,
    /// Where the file is.
    pub location: FileLocation,
}

/// Everything the simulator starts with.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Agents.
    #[serde(default)]
    pub agents: Vec<AgentSeed>,
    /// API users.
    #[serde(default)]
    pub api_users: Vec<ApiUserSeed>,
    /// Campaigns.
    #[serde(default)]
    pub campaigns: Vec<CampaignSeed>,
    /// Dispositions table.
    #[serde(default)]
    pub dispositions: Vec<DispositionSeed>,
    /// Recordings.
    #[serde(default)]
    pub recordings: Vec<RecordingSeed>,
}

impl Seed {
    /// Reads a seed file's JSON.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}
