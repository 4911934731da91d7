//! The command line: global options, and one subcommand per task (their arguments live beside their code in
//! `commands/<area>.rs`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::{
    auth::{LoginArgs, LogoutArgs},
    bases::BasesCommand,
    blacklist::BlacklistCommand,
    calls::{CallArgs, DisposeArgs, HangupArgs, TagArgs},
    campaigns::CampaignsCommand,
    dialers::{RemoveContactArgs, RemoveScheduleArgs, RespoolArgs, ScheduleArgs, TaskArgs},
    doctor::DoctorArgs,
    recordings::RecordingsCommand,
};

const SESSIONS_AND_EXIT_CODES: &str = "\
Sessions:
  integra login              signs in (the password is asked on the terminal, or read from stdin with
                             --password-stdin) and keeps the session token in the OS keychain (service
                             \"ucontact-integra-cli\", one session per server); later commands reuse it.
  integra login --save       also keeps the password there, so an expired session is renewed without asking.
  integra logout             ends the session on the server (EndSession) and deletes the keychain entry.
  Scripts and CI: give any command --password-stdin (or --no-keychain): it signs in for that command only,
  never reads or writes the keychain, and ends its session when done. Passwords are never taken from a flag or
  an environment variable, so they do not show in `ps` or shell history.

Settings, lowest to highest: built-in defaults < config file (<config dir>/ucontact-agent-companion/integra.toml,
or --config; keys: server, user, api_user, timeout, ca_certificate, proxy, recordings_hosts) < INTEGRA_SERVER,
INTEGRA_USER, INTEGRA_PROXY < flags. The proxy is the system's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) unless
--proxy URL, --no-proxy, or proxy = \"URL\" | \"none\" | \"system\" says otherwise.

Exit codes:
  0  done
  1  the server rejected the request (it answered \"0\")
  2  usage or invalid input (a flag, a file, a date): the request was not sent
  3  not signed in, wrong user or password, or the session expired
  4  the server could not be reached or did not answer in time
  5  the server answered something unexpected";

/// The uContact Integra API from the command line, for contact-center admins and scripts.
#[derive(Debug, Parser)]
#[command(name = "integra", version, after_long_help = SESSIONS_AND_EXIT_CODES)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// uContact server root, e.g. https://acme.ucontactcloud.com [env: INTEGRA_SERVER]
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,
    /// User name: an agent, or an API user with --api-user [env: INTEGRA_USER]
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// Sign in as an API (supervisor) user with getUserToken instead of AgentLogin.
    #[arg(long, global = true)]
    pub api_user: bool,
    /// Print machine-readable JSON on standard output.
    #[arg(long, global = true)]
    pub json: bool,
    /// Seconds to wait for each answer of the server (default 15).
    #[arg(long, global = true, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,
    /// Configuration file (default: <config dir>/ucontact-agent-companion/integra.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read the password from the first line of standard input. On any command but `login` this also means
    /// --no-keychain.
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Do not use the OS keychain: sign in for this command only and end the session afterwards.
    #[arg(long, global = true)]
    pub no_keychain: bool,
    /// Go through this HTTP(S) proxy (http://host:port), or "system" / "none" (default: the system's, from
    /// HTTPS_PROXY, HTTP_PROXY and NO_PROXY) [env: INTEGRA_PROXY]
    #[arg(long, global = true, value_name = "URL", conflicts_with = "no_proxy")]
    pub proxy: Option<String>,
    /// Use no proxy, whatever the environment says.
    #[arg(long, global = true)]
    pub no_proxy: bool,
    /// Trust this CA certificate (PEM) as well as the system's: an on-premise server with a private CA.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_certificate: Option<PathBuf>,
}

/// Subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Sign in (AgentLogin, or getUserToken with --api-user) and keep the session in the OS keychain.
    Login(LoginArgs),
    /// End the session on the server (EndSession) and delete it from the OS keychain.
    Logout(LogoutArgs),
    /// Two-step call (AgentCall): the agent's phone rings first, then the number.
    Call(CallArgs),
    /// Hang up the call on the agent's phone (HungupPhone).
    Hangup(HangupArgs),
    /// Tag a call's recording (TagRecord).
    Tag(TagArgs),
    /// File a call's disposition (DispositionCall).
    Dispose(DisposeArgs),
    /// Put a dialer record back on the spool (Respool), from flags or a JSON file.
    Respool(RespoolArgs),
    /// Schedule a dialer call (ScheduleDialerCall).
    Schedule(ScheduleArgs),
    /// Insert a dialer task (DialerTask) in one of the four modes of the reference.
    Task(TaskArgs),
    /// Remove a number from a dialer (RemoveContact).
    RemoveContact(RemoveContactArgs),
    /// Remove the scheduled calls to a number in a date range (RemoveScheduleDialerCall).
    RemoveSchedule(RemoveScheduleArgs),
    /// The do-not-call registry (blacklist).
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
    /// Check the way to the server step by step (proxy, DNS, TCP, HTTP, TLS, clock, sign-in), each with a fix,
    /// then the app's phone: its SIP-over-WebSocket address (--phone-server, else wss://<server host>:8089/ws).
    /// Signs in with the keychain session, --password-stdin, or a prompt on a terminal; exits non-zero when a
    /// check fails (the phone's only when --phone-server was given: without it, no phone found is a warning).
    Doctor(DoctorArgs),
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
