//! `integra doctor`: [`integra::diagnose`] with the command line's words for the fixes, one line per check (or
//! JSON), and an exit code that says what kind of thing failed.

use std::io::IsTerminal;

use integra::diagnose::{diagnose, Hints, Report, SignIn, Status};
use integra::Password;
use serde_json::json;

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::failure::Failure;
use crate::keychain;
use crate::output::Output;
use crate::session::{password_from_prompt, password_from_stdin, Session};

fn hints() -> Hints {
    Hints {
        ca_certificate: "pass --ca-certificate FILE or set ca_certificate = \"FILE\" in integra.toml (the app: \
                         ca_certificate in settings.toml)"
            .into(),
        proxy: "check --proxy URL / INTEGRA_PROXY / proxy in integra.toml, or HTTPS_PROXY and NO_PROXY for the \
                system's; --no-proxy goes direct"
            .into(),
        sign_in: "run `integra login`, or pass --password-stdin".into(),
    }
}

/// What to sign in with: the password on stdin, the keychain's session, a prompt on a terminal, or nothing.
enum Credentials {
    Password(String, Password),
    Session,
    Nothing(String),
}

fn credentials(
    config: &Config,
    global: &GlobalArgs,
    client: &integra::Client,
) -> Result<Credentials, Failure> {
    let server = client.base_url().to_string();
    if global.password_stdin {
        let user = config.require_user()?.to_string();
        return Ok(Credentials::Password(user, password_from_stdin()?));
    }
    if !Session::is_scripted(global) {
        match keychain::load(&server) {
            Ok(Some(stored)) if config.user.as_deref().is_none_or(|u| u == stored.user) => {
                client.set_token(Some(stored.token));
                return Ok(Credentials::Session);
            }
            Ok(_) => {}
            Err(e) if config.user.is_none() => {
                return Ok(Credentials::Nothing(format!(
                    "skipped: the keychain cannot be used ({e}); pass --user NAME --password-stdin"
                )))
            }
            Err(_) => {}
        }
    }
    match config.user.as_deref() {
        Some(user) if std::io::stdin().is_terminal() => Ok(Credentials::Password(
            user.to_string(),
            password_from_prompt(user, &server)?,
        )),
        _ => Ok(Credentials::Nothing(
            "skipped: not signed in (run `integra login`, or pass --user NAME --password-stdin)"
                .into(),
        )),
    }
}

/// The exit code for a failed check: the same kinds as every other command.
fn exit_code(name: &str) -> u8 {
    match name {
        "sign_in" => 3,
        "http" | "clock" => 5,
        _ => 4,
    }
}

fn render(report: &Report) -> String {
    let mut lines = vec![format!("integra doctor: {}", report.server)];
    for check in &report.checks {
        let mark = match check.status {
            Status::Pass => "ok",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
            Status::Skip => "-",
        };
        lines.push(format!("  {mark:<4}  {:<8} {}", check.name, check.detail));
        if let Some(fix) = &check.fix {
            lines.push(format!("{:16}fix: {fix}", ""));
        }
    }
    lines.join("\n")
}

/// Runs the checks and prints them.
pub async fn doctor(config: &Config, global: &GlobalArgs, out: Output) -> Result<(), Failure> {
    let client = config.client()?;
    let credentials = credentials(config, global, &client)?;
    let sign_in = match &credentials {
        Credentials::Password(user, password) if config.api_user => SignIn::ApiUser(user, password),
        Credentials::Password(user, password) => SignIn::Agent(user, password),
        Credentials::Session => SignIn::Session,
        Credentials::Nothing(why) => SignIn::Skip(why.clone()),
    };
    let report = diagnose(&client, sign_in, &hints()).await;
    out.show(
        &json!({ "server": report.server, "ok": report.ok(), "checks": report.checks }),
        || render(&report),
    );
    match report.first_failure() {
        None => Ok(()),
        Some(first) => {
            let failed: Vec<&str> = report
                .checks
                .iter()
                .filter(|c| c.status == Status::Fail)
                .map(|c| c.name)
                .collect();
            Err(Failure::Checkup {
                summary: format!(
                    "doctor: failed: {} (see the fixes above)",
                    failed.join(", ")
                ),
                code: exit_code(first.name),
            })
        }
    }
}
