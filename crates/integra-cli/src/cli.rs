//! The command line: global options and one subcommand per task.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The uContact Integra API from the command line.
///
/// Sign in once with `integra login` (the token is kept in the OS keychain), or pass `--password-stdin` to any
/// command to sign in just for it (for scripts; the session is ended afterwards). Passwords are never taken from a
/// flag, so they never show in `ps`.
#[derive(Debug, Parser)]
#[command(name = "integra", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// uContact server root, e.g. https://acme.ucontactcloud.com [env: INTEGRA_SERVER]
    #[arg(long, global = true)]
    pub server: Option<String>,
    /// User name (agent, or API user with --api-user) [env: INTEGRA_USER]
    #[arg(long, global = true)]
    pub user: Option<String>,
    /// Sign in as an API (supervisor) user with getUserToken instead of AgentLogin.
    #[arg(long, global = true)]
    pub api_user: bool,
    /// Read the password from standard input and sign in for this command only (nothing is stored).
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Machine-readable JSON on standard output.
    #[arg(long, global = true)]
    pub json: bool,
    /// Request timeout in seconds.
    #[arg(long, global = true)]
    pub timeout: Option<u64>,
    /// Configuration file (default: <config dir>/ucontact-agent-companion/integra.toml).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in and keep the session token in the OS keychain.
    Login,
    /// End the session (AgentLogoff for agents, then EndSession) and forget the token.
    Logout,
    /// Two-step call: the agent's phone rings first, then the destination.
    Call(CallArgs),
    /// Hang up the call on the agent's phone.
    Hangup {
        /// Agent extension (default: from the signed-in agent).
        #[arg(long)]
        phone: Option<String>,
    },
    /// Tag a call's recording.
    Tag {
        /// Call GUID.
        #[arg(long)]
        guid: String,
        /// Tag text.
        #[arg(long)]
        text: String,
        /// Destination phone of the call.
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// File a call's disposition (DispositionCall).
    Dispose(DisposeArgs),
    /// Put a dialer record back on the spool (Respool), from a JSON file of the Respool object.
    Respool {
        /// File with the callspool JSON object.
        #[arg(long)]
        json_file: PathBuf,
    },
    /// Schedule a dialer call (ScheduleDialerCall).
    Schedule(ScheduleArgs),
    /// Insert a dialer task (DialerTask).
    Task(TaskArgs),
    /// Remove a contact's number from a dialer (RemoveContact).
    RemoveContact {
        /// Campaign.
        #[arg(long)]
        campaign: String,
        /// Number.
        #[arg(long)]
        number: String,
    },
    /// Remove scheduled calls to a number in a date range (RemoveScheduleDialerCall).
    RemoveSchedule {
        /// Campaign.
        #[arg(long)]
        campaign: String,
        /// Number.
        #[arg(long)]
        destination: String,
        /// Start, "YYYY-MM-DD HH:MM:SS".
        #[arg(long)]
        from: String,
        /// End, "YYYY-MM-DD HH:MM:SS".
        #[arg(long)]
        to: String,
    },
    /// Do-not-call registry.
    #[command(subcommand)]
    Blacklist(BlacklistCommand),
    /// Dialer bases.
    #[command(subcommand)]
    Bases(BasesCommand),
    /// Call recordings.
    #[command(subcommand)]
    Recordings(RecordingsCommand),
    /// Campaign figures.
    #[command(subcommand)]
    Campaigns(CampaignsCommand),
}

/// `integra call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// Number to call.
    pub number: String,
    /// Outbound campaign, e.g. "Ventas->".
    #[arg(long)]
    pub campaign: String,
    /// Caller id (the campaign's DID).
    #[arg(long, default_value = "")]
    pub callerid: String,
    /// Agent user name (default: the signed-in agent).
    #[arg(long)]
    pub agent: Option<String>,
    /// Agent extension (default: the signed-in agent's).
    #[arg(long)]
    pub phone: Option<String>,
    /// Dialplan context (default: the signed-in agent's).
    #[arg(long)]
    pub context: Option<String>,
    /// Technology.
    #[arg(long, default_value = "SIP")]
    pub tech: String,
}

/// `integra dispose`.
#[derive(Debug, Args)]
pub struct DisposeArgs {
    /// Campaign.
    #[arg(long)]
    pub campaign: String,
    /// Call GUID.
    #[arg(long)]
    pub guid: String,
    /// Customer number.
    #[arg(long)]
    pub callerid: String,
    /// Level 1.
    #[arg(long)]
    pub l1: String,
    /// Level 2.
    #[arg(long, default_value = "")]
    pub l2: String,
    /// Level 3.
    #[arg(long, default_value = "")]
    pub l3: String,
    /// Extra data 1.
    #[arg(long, default_value = "")]
    pub d1: String,
    /// Extra data 2.
    #[arg(long, default_value = "")]
    pub d2: String,
    /// Comment.
    #[arg(long, default_value = "")]
    pub comment: String,
    /// Call again at "YYYY-MM-DD HH:MM:SS".
    #[arg(long)]
    pub schedule: Option<String>,
    /// Dialer to reschedule in.
    #[arg(long)]
    pub reschedule_campaign: Option<String>,
    /// Recording tag (the server uses l1|l2|l3 when empty).
    #[arg(long, default_value = "")]
    pub tag: String,
    /// Agent (default: the signed-in user).
    #[arg(long)]
    pub agent: Option<String>,
}

/// `integra schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Dialer campaign.
    #[arg(long)]
    pub campaign: String,
    /// Number.
    #[arg(long)]
    pub destination: String,
    /// When, "YYYY-MM-DD HH:MM:SS".
    #[arg(long)]
    pub at: String,
    /// Alternatives, ":"-separated.
    #[arg(long, default_value = "")]
    pub alternatives: String,
    /// Agent extension (progressive dialers).
    #[arg(long, default_value = "")]
    pub agentphone: String,
    /// Data, "k=v:k=v".
    #[arg(long, default_value = "")]
    pub data: String,
}

/// The four DialerTask modes of the reference.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TaskMode {
    /// Goes out now.
    PriorityNow,
    /// Manual click-to-call.
    ClickToCall,
    /// Scheduled at --at.
    AnyTime,
    /// Owned by --agent.
    Owned,
}

/// `integra task`.
#[derive(Debug, Args)]
pub struct TaskArgs {
    /// Mode.
    #[arg(long, value_enum)]
    pub mode: TaskMode,
    /// Campaign.
    #[arg(long)]
    pub campaign: String,
    /// Number.
    #[arg(long)]
    pub destination: String,
    /// When (any-time mode), "YYYY-MM-DD HH:MM:SS".
    #[arg(long)]
    pub at: Option<String>,
    /// Owner (owned mode): user name or extension.
    #[arg(long)]
    pub agent: Option<String>,
    /// Alternatives, ":"-separated.
    #[arg(long, default_value = "")]
    pub alternatives: String,
    /// Data, "k=v:k=v".
    #[arg(long, default_value = "")]
    pub data: String,
}

/// `integra blacklist …`.
#[derive(Debug, Subcommand)]
pub enum BlacklistCommand {
    /// Add one number.
    Add(BlackArgs),
    /// Remove one number.
    Delete(BlackArgs),
    /// Add every row of a CSV (header: phone,campaign,username,company,job_title,name,expire_date,direction).
    AddBulk {
        /// CSV file.
        #[arg(long)]
        csv: PathBuf,
    },
    /// Remove every row of a CSV.
    DeleteBulk {
        /// CSV file.
        #[arg(long)]
        csv: PathBuf,
    },
}

/// One blacklist entry.
#[derive(Debug, Args)]
pub struct BlackArgs {
    /// Number.
    #[arg(long)]
    pub phone: String,
    /// Campaign, or * for all.
    #[arg(long, default_value = "*")]
    pub campaign: String,
    /// Customer name.
    #[arg(long)]
    pub name: Option<String>,
    /// Expiry date, YYYY-MM-DD.
    #[arg(long)]
    pub expire_date: Option<String>,
}

/// `integra bases …`.
#[derive(Debug, Subcommand)]
pub enum BasesCommand {
    /// Upload a base file (campaign;number;k=v:k=v;alt:alt;priority;agentphone per line).
    Upload {
        /// Dialer campaign.
        #[arg(long)]
        campaign: String,
        /// The file.
        #[arg(long)]
        file: PathBuf,
        /// uContact timezone name (uses uploadbasewithtimezone).
        #[arg(long)]
        timezone: Option<String>,
    },
}

/// `integra recordings …`.
#[derive(Debug, Subcommand)]
pub enum RecordingsCommand {
    /// Search recordings.
    Search {
        /// From, "YYYY-MM-DD HH:MM:SS".
        #[arg(long)]
        from: String,
        /// To, "YYYY-MM-DD HH:MM:SS".
        #[arg(long)]
        to: String,
        /// Agent.
        #[arg(long, default_value = "")]
        agent: String,
        /// Campaign.
        #[arg(long, default_value = "")]
        campaign: String,
        /// Destination number.
        #[arg(long, default_value = "")]
        destination: String,
        /// Page size.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Read every page, not only the first.
        #[arg(long)]
        all: bool,
    },
    /// Download a recording (mp3, else gsm) to a file.
    Fetch {
        /// Call GUID.
        guid: String,
        /// Call date, "YYYY-MM-DD HH:MM:SS" (picks the date folder).
        #[arg(long)]
        date: String,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Convert a GSM recording to mp3 on the server.
    Convert {
        /// Call GUID.
        guid: String,
        /// Call date, "YYYY-MM-DD HH:MM:SS".
        #[arg(long)]
        date: String,
    },
}

/// `integra campaigns …`.
#[derive(Debug, Subcommand)]
pub enum CampaignsCommand {
    /// Every queue's summary.
    Summary,
    /// Detailed status of one campaign, or all.
    Status {
        /// Campaign (default: all).
        #[arg(long)]
        queue: Option<String>,
    },
}
