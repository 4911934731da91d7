//! `integra doctor`: [`integra::diagnose`] with the command line's words for the fixes, one line per check (or
//! JSON), and an exit code that says what kind of thing failed; then the phone's address ([`phone_check`]).

mod phone_check;

pub use phone_check::DoctorArgs;

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
use phone_check::PhoneCheck;

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

fn render(report: &Report, phone: Option<&PhoneCheck>) -> String {
    let mut lines = vec![format!("integra doctor: {}", report.server)];
    for check in &report.checks {
        lines.push(format!(
            "  {:<4}  {:<8} {}",
            phone_check::mark(check.status),
            check.name,
            check.detail
        ));
        if let Some(fix) = &check.fix {
            lines.push(format!("{:16}fix: {fix}", ""));
        }
    }
    lines.extend(phone.iter().flat_map(|p| p.lines()));
    lines.join("\n")
}

/// Runs the checks and prints them.
pub async fn doctor(
    config: &Config,
    global: &GlobalArgs,
    args: DoctorArgs,
    out: Output,
) -> Result<(), Failure> {
    phone_check::check_args(&args)?;
    let client = config.client()?;
    let credentials = credentials(config, global, &client)?;
    let sign_in = match &credentials {
        Credentials::Password(user, password) if config.api_user => SignIn::ApiUser(user, password),
        Credentials::Password(user, password) => SignIn::Agent(user, password),
        Credentials::Session => SignIn::Session,
        Credentials::Nothing(why) => SignIn::Skip(why.clone()),
    };
    // The phone's address is probed beside the API's checks: neither waits for the other, and neither hides the
    // other's result.
    let hints = hints();
    let (report, phone) = tokio::join!(
        diagnose(&client, sign_in, &hints),
        phone_check::check(&args, config)
    );
    let phone_failed = phone.as_ref().and_then(PhoneCheck::exit_code);
    let mut checks = serde_json::to_value(&report.checks).unwrap_or_default();
    if let (Some(list), Some(phone)) = (checks.as_array_mut(), &phone) {
        list.push(phone.json());
    }
    out.show(
        &json!({ "server": report.server, "ok": report.ok() && phone_failed.is_none(), "checks": checks }),
        || render(&report, phone.as_ref()),
    );
    let mut failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.name)
        .collect();
    if phone_failed.is_some() {
        failed.push("phone");
    }
    let code = match (report.first_failure(), phone_failed) {
        (Some(first), _) => exit_code(first.name),
        (None, Some(code)) => code,
        (None, None) => return Ok(()),
    };
    Err(Failure::Checkup {
        summary: format!(
            "doctor: failed: {} (see the fixes above)",
            failed.join(", ")
        ),
        code,
    })
}
