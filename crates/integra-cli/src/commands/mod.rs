//! One module per area; [`run`] resolves the settings, opens the session and dispatches the parsed command.

pub mod auth;
pub mod bases;
pub mod blacklist;
pub mod calls;
pub mod campaigns;
pub mod dialers;
pub mod doctor;
pub mod recordings;

use integra::NaiveDateTime;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::failure::Failure;
use crate::output::Output;
use crate::session::Session;

/// Runs the command line.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let config = Config::resolve(&cli.global)?;
    let out = Output {
        json: cli.global.json,
    };
    let result = match cli.command {
        Command::Login(args) => auth::login(&config, &cli.global, args, out).await,
        Command::Logout(args) => auth::logout(&config, &cli.global, args, out).await,
        Command::Doctor(args) => doctor::doctor(&config, &cli.global, args, out).await,
        command => run_in_session(&config, &cli.global, command, out).await,
    };
    result.map_err(|failure| failure.at_server(&config.server))
}

async fn run_in_session(
    config: &Config,
    global: &crate::cli::GlobalArgs,
    command: Command,
    out: Output,
) -> Result<(), Failure> {
    let mut session = Session::open(config, global).await?;
    let mut result = dispatch(&session, command.clone(), out).await;
    // A 401 means the server did nothing, so sending the command again after signing in anew is safe, even a call.
    if result.as_ref().err().is_some_and(Failure::is_unauthorized) && session.renew().await? {
        result = dispatch(&session, command, out).await;
    }
    let reached = !result.as_ref().err().is_some_and(Failure::is_network);
    session.finish(reached).await;
    result
}

async fn dispatch(session: &Session, command: Command, out: Output) -> Result<(), Failure> {
    match command {
        Command::Call(args) => calls::call(session, args, out).await,
        Command::Hangup(args) => calls::hangup(session, args, out).await,
        Command::Tag(args) => calls::tag(session, args, out).await,
        Command::Dispose(args) => calls::dispose(session, args, out).await,
        Command::Respool(args) => dialers::respool(session, args, out).await,
        Command::Schedule(args) => dialers::schedule(session, args, out).await,
        Command::Task(args) => dialers::task(session, args, out).await,
        Command::RemoveContact(args) => dialers::remove_contact(session, args, out).await,
        Command::RemoveSchedule(args) => dialers::remove_schedule(session, args, out).await,
        Command::Blacklist(cmd) => blacklist::run(session, cmd, out).await,
        Command::Bases(cmd) => bases::run(session, cmd, out).await,
        Command::Recordings(cmd) => recordings::run(session, cmd, out).await,
        Command::Campaigns(cmd) => campaigns::run(session, cmd, out).await,
        Command::Login(_) | Command::Logout(_) | Command::Doctor(_) => {
            unreachable!("login, logout and doctor manage the session themselves")
        }
    }
}

/// Parses a `YYYY-MM-DD HH:MM:SS` flag, naming it in the error.
pub(crate) fn when(flag: &'static str, text: &str) -> Result<NaiveDateTime, Failure> {
    Ok(integra::datetime::parse_datetime_as(flag, text)?)
}
