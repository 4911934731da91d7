//! One module per area; `run` dispatches a parsed command line.

mod bases;
mod blacklist;
mod calls;
mod campaigns;
mod dialers;
mod recordings;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::failure::Failure;
use crate::output::Output;
use crate::session::{read_password, sign_in, Session};

/// Runs the command.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let config = Config::resolve(&cli)?;
    let out = Output { json: cli.json };
    match cli.command {
        Command::Login => {
            let password = read_password(&config, cli.password_stdin)?;
            let session = sign_in(&config, &password, false).await?;
            session.store(&config)?;
            let who = session.profile.clone();
            out.show(
                &serde_json::json!({"ok": true, "user": config.user, "agent": who}),
                || match &who {
                    Some(p) => format!(
                        "signed in as {} ({}), extension {}, context {}",
                        p.agent, p.fullname, p.extension, p.context
                    ),
                    None => format!("signed in as API user {}", config.user),
                },
            );
            Ok(())
        }
        Command::Logout => {
            let session = Session::open(&config, cli.password_stdin).await?;
            session.end(&config).await?;
            out.done("signed out; the token is forgotten");
            Ok(())
        }
        command => {
            let session = Session::open(&config, cli.password_stdin).await?;
            let result = dispatch(&session, command, out).await;
            session.finish().await;
            result
        }
    }
}

async fn dispatch(session: &Session, command: Command, out: Output) -> Result<(), Failure> {
    match command {
        Command::Call(args) => calls::call(session, args, out).await,
        Command::Hangup { phone } => calls::hangup(session, phone, out).await,
        Command::Tag { guid, text, phone } => calls::tag(session, guid, text, phone, out).await,
        Command::Dispose(args) => calls::dispose(session, args, out).await,
        Command::Respool { json_file } => dialers::respool(session, &json_file, out).await,
        Command::Schedule(args) => dialers::schedule(session, args, out).await,
        Command::Task(args) => dialers::task(session, args, out).await,
        Command::RemoveContact { campaign, number } => {
            dialers::remove_contact(session, &campaign, &number, out).await
        }
        Command::RemoveSchedule {
            campaign,
            destination,
            from,
            to,
        } => dialers::remove_schedule(session, &campaign, &destination, &from, &to, out).await,
        Command::Blacklist(cmd) => blacklist::run(session, cmd, out).await,
        Command::Bases(cmd) => bases::run(session, cmd, out).await,
        Command::Recordings(cmd) => recordings::run(session, cmd, out).await,
        Command::Campaigns(cmd) => campaigns::run(session, cmd, out).await,
        Command::Login | Command::Logout => unreachable!("handled before a session is opened"),
    }
}

/// Parses a `YYYY-MM-DD HH:MM:SS` argument.
pub(crate) fn when(field: &'static str, text: &str) -> Result<integra::NaiveDateTime, Failure> {
    Ok(integra::datetime::parse_datetime(field, text)?)
}
