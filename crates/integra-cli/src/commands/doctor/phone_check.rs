//! `integra doctor`'s `phone` check: [`phone::probe`] on the phone's SIP-over-WebSocket address — the one given
//! with `--phone-server`, else the app's default derived from the server URL (`wss://<host>:8089/ws`) — trusting
//! what the command line trusts for the API (the public roots and `--ca-certificate`), through the same proxy (as
//! the app's phone goes through `[proxy]`).
//!
//! A failure at an address given with `--phone-server` fails doctor; at the derived one it is a warning, since
//! many sites have no WebRTC phone.

use clap::Args;
use integra::diagnose::Status;
use phone::{PhoneSettings, ProbeReport, StepStatus, TlsTrust};
use serde_json::{json, Value};

use crate::config::Config;
use crate::failure::Failure;

/// `integra doctor`'s own options.
#[derive(Debug, Clone, Default, Args)]
pub struct DoctorArgs {
    /// Also check the app's phone at this SIP-over-WebSocket address (wss://host:port/path): TCP, TLS, the
    /// WebSocket's sip subprotocol and a SIP OPTIONS. When it finds no SIP server, doctor fails (exit 4, or 5 when
    /// a web server that is not SIP answers). Without this flag doctor probes wss://<the server's host>:8089/ws,
    /// Asterisk's usual address and the app's default, and a failure there is only a warning. The probe trusts
    /// what --ca-certificate adds and goes through the same proxy as the API checks, as the app's phone does.
    #[arg(long, value_name = "URL", conflicts_with = "no_phone")]
    pub phone_server: Option<String>,
    /// Do not check the phone's address.
    #[arg(long)]
    pub no_phone: bool,
}

/// How the phone check came out.
#[derive(Debug)]
pub struct PhoneCheck {
    /// The address probed.
    pub address: String,
    /// Given with --phone-server (else derived from the server URL).
    pub explicit: bool,
    /// Pass, warn (derived address, nothing found) or fail (given address, nothing found).
    pub status: Status,
    /// The address, where it came from, and what is there.
    pub detail: String,
    /// What to do about it.
    pub fix: Option<String>,
    /// The probe's steps, when it ran.
    pub report: Option<ProbeReport>,
}

impl PhoneCheck {
    fn new(address: String, explicit: bool, found: bool, detail: String) -> PhoneCheck {
        let status = match (found, explicit) {
            (true, _) => Status::Pass,
            (false, true) => Status::Fail,
            (false, false) => Status::Warn,
        };
        PhoneCheck {
            address,
            explicit,
            status,
            detail,
            fix: None,
            report: None,
        }
    }

    fn source(&self) -> &'static str {
        if self.explicit {
            "given with --phone-server"
        } else {
            "derived from the server URL: Asterisk's usual port and path"
        }
    }

    /// The exit code when this check failed: 5 when a web server that is not SIP answered, else 4 (network).
    pub fn exit_code(&self) -> Option<u8> {
        if self.status != Status::Fail {
            return None;
        }
        let step = self.report.as_ref().and_then(ProbeReport::failure);
        Some(match step.map(|s| s.name) {
            Some("websocket") => 5,
            _ => 4,
        })
    }

    /// The check as `--json` prints it: the other checks' fields, plus the address, its source and the probe.
    pub fn json(&self) -> Value {
        json!({
            "name": "phone",
            "status": self.status,
            "detail": self.detail,
            "fix": self.fix,
            "address": self.address,
            "source": if self.explicit { "phone_server" } else { "derived" },
            "probe": self.report,
        })
    }

    /// The check's line, its steps under it, and the fix.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "  {:<4}  {:<8} {}",
            mark(self.status),
            "phone",
            self.detail
        )];
        for step in self.report.iter().flat_map(|r| &r.steps) {
            let status = match step.status {
                StepStatus::Pass => Status::Pass,
                StepStatus::Fail => Status::Fail,
                StepStatus::Skip => Status::Skip,
            };
            lines.push(format!(
                "{:16}{:<4}  {:<9}  {}",
                "",
                mark(status),
                step.name,
                step.detail
            ));
        }
        if let Some(fix) = &self.fix {
            lines.push(format!("{:16}fix: {fix}", ""));
        }
        lines
    }
}

/// `ok`, `WARN`, `FAIL` or `-`, as the other checks print.
pub fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "ok",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
        Status::Skip => "-",
    }
}

/// Refuses a --phone-server that cannot be a phone address, before anything is sent.
pub fn check_args(args: &DoctorArgs) -> Result<(), Failure> {
    let Some(address) = &args.phone_server else {
        return Ok(());
    };
    let settings = PhoneSettings {
        server: address.clone(),
        ..PhoneSettings::default()
    };
    settings
        .check()
        .map_err(|e| Failure::Usage(format!("--phone-server {address:?}: {e}")))
}

/// Probes the phone's address; `None` with --no-phone.
pub async fn check(args: &DoctorArgs, config: &Config) -> Option<PhoneCheck> {
    if args.no_phone {
        return None;
    }
    let (address, explicit) = match &args.phone_server {
        Some(address) => (address.trim().to_string(), true),
        None => match PhoneSettings::default().server_for(&config.server) {
            Ok(address) => (address, false),
            Err(e) => {
                let mut check = PhoneCheck::new(String::new(), false, false, e.to_string());
                check.fix = Some("pass --phone-server wss://host:port/path".into());
                return Some(check);
            }
        },
    };
    let trust = match trust(config) {
        Ok(trust) => trust,
        Err(why) => {
            let mut check = PhoneCheck::new(address, explicit, false, why);
            check.fix = Some("pass --ca-certificate with a PEM file of CA certificates".into());
            return Some(check);
        }
    };
    let report = phone::probe(&address, &trust, &config.phone_route).await;
    let mut check = PhoneCheck::new(address, explicit, report.found, String::new());
    check.detail = format!(
        "{} ({}): {}",
        check.address,
        check.source(),
        report.summary()
    );
    if let Some(failed) = report.failure() {
        check.fix = Some(fix(failed.name, explicit));
    }
    check.report = Some(report);
    Some(check)
}

/// The public roots plus `--ca-certificate` (or integra.toml's ca_certificate), as the API client trusts.
fn trust(config: &Config) -> Result<TlsTrust, String> {
    let Some(path) = &config.ca_certificate else {
        return Ok(TlsTrust::default());
    };
    let pem = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    TlsTrust::default()
        .with_pem(&pem)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// What to do when step `step` failed.
fn fix(step: &str, explicit: bool) -> String {
    match step {
        "tcp" if !explicit => "nothing answers at Asterisk's usual phone address: if this site's agents use the \
                               app's phone, ask uContact for its WSS address and pass it with --phone-server; if \
                               not, ignore this (--no-phone skips the check)"
            .into(),
        "address" => "give the address as wss://host:port/path (Asterisk's usual: wss://<host>:8089/ws)".into(),
        "tcp" => "nothing accepts connections there from this computer: check the address uContact gave for the \
                  phone (Asterisk's http.conf TLS server, usually port 8089) and that no firewall or VPN blocks it"
            .into(),
        "tls" => "use the host name the server's certificate is for in the address; for a private CA pass \
                  --ca-certificate FILE (the app: ca_certificate in settings.toml)"
            .into(),
        "websocket" => "a web server answered, but not Asterisk's SIP WebSocket: check the port (http.conf's TLS \
                        server, usually 8089) and the path (usually /ws)"
            .into(),
        _ => "the WebSocket opened but nothing answered SIP on it: check that Asterisk's WebSocket transport is \
              loaded (res_http_websocket, and transport=wss on the peer or a pjsip wss transport)"
            .into(),
    }
}
