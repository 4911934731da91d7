//! What stands between this computer and a working uContact session, checked one step at a time — the proxy in
//! effect, DNS, the TCP connection, the HTTP answer (uContact's Integra API or some HTML page), TLS (a verified
//! chain, the configured CA, the expiry date), the clock against the server's `Date`, and the sign-in — each
//! with a status and, when something is wrong, a concrete fix. `integra doctor` prints it; the app's support report
//! can include the same [`Report`].
//!
//! ```no_run
//! # async fn demo() -> integra::Result<()> {
//! use integra::diagnose::{diagnose, Hints, SignIn};
//! let client = integra::Client::builder("https://acme.ucontactcloud.com").build()?;
//! let report = diagnose(&client, SignIn::Skip("not asked".into()), &Hints::default()).await;
//! for check in &report.checks {
//!     println!("{:?} {}: {}", check.status, check.name, check.detail);
//! }
//! # Ok(()) }
//! ```

mod certificate;
mod probe;

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::secret::Password;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Fine.
    Pass,
    /// Works, but needs attention soon (a certificate about to expire, a clock a little off).
    Warn,
    /// Broken: the fix says what to do.
    Fail,
    /// Not checked (not applicable, or an earlier step failed).
    Skip,
}

/// One step of the diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `proxy`, `dns`, `tcp`, `http`, `tls`, `clock` or `sign_in`.
    pub name: &'static str,
    /// How it came out.
    pub status: Status,
    /// What was found, in words.
    pub detail: String,
    /// What to do about it (for `warn` and `fail`).
    pub fix: Option<String>,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Self {
        Self {
            name,
            status,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// Every check, in the order they ran.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The server root checked.
    pub server: String,
    /// The checks.
    pub checks: Vec<Check>,
}

impl Report {
    /// True when no check failed (warnings allowed).
    pub fn ok(&self) -> bool {
        self.first_failure().is_none()
    }

    /// The first failed check.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.status == Status::Fail)
    }

    /// The check named `name`.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// How to sign in for the `sign_in` check.
pub enum SignIn<'a> {
    /// Do not sign in; the reason is shown.
    Skip(String),
    /// AgentLogin with this agent and password (the session is ended afterwards).
    Agent(&'a str, &'a Password),
    /// getUserToken with this API user and password (the session is ended afterwards).
    ApiUser(&'a str, &'a Password),
    /// The client already holds a session token: check that the server still accepts it.
    Session,
}

/// The words of the fixes that depend on the program: a flag for the command line, a setting for the app.
#[derive(Debug, Clone)]
pub struct Hints {
    /// How to trust a private CA.
    pub ca_certificate: String,
    /// How to change the proxy setting.
    pub proxy: String,
    /// How to sign in anew.
    pub sign_in: String,
}

impl Default for Hints {
    fn default() -> Self {
        Self {
            ca_certificate:
                "add the CA's certificate (a PEM file) to the client's trusted CAs (ca_certificate)"
                    .into(),
            proxy: "change the proxy setting (system, none, or an explicit proxy)".into(),
            sign_in: "sign in again".into(),
        }
    }
}

/// How long each network step may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs every check against `client`'s server. Never fails: what goes wrong is in the report.
pub async fn diagnose(client: &Client, sign_in: SignIn<'_>, hints: &Hints) -> Report {
    let root = client.base_url().clone();
    let mut checks = Vec::new();
    let proxy = client.proxy_for(&root);
    let proxy_check = match &proxy {
        None => Check::new("proxy", Status::Pass, "none: a direct connection"),
        Some(p) => Check::new(
            "proxy",
            Status::Pass,
            format!(
                "{p}{}",
                if p.authenticates {
                    " (with a user name and password)"
                } else {
                    ""
                }
            ),
        ),
    };
    // DNS and TCP go to the proxy when there is one: the proxy resolves and connects to the server itself.
    let (host, port, whose) = match proxy.as_ref().and_then(|p| url::Url::parse(&p.url).ok()) {
        Some(p) => (
            p.host_str().unwrap_or_default().to_string(),
            p.port_or_known_default().unwrap_or(80),
            "the proxy",
        ),
        None => (
            root.host_str().unwrap_or_default().to_string(),
            root.port_or_known_default().unwrap_or(443),
            "the server",
        ),
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let dns = resolve(&host, port, whose).await;
    let addrs = dns.1;
    checks.push(proxy_check);
    checks.push(dns.0);
    let reached = if addrs.is_empty() {
        checks.push(Check::new(
            "tcp",
            Status::Skip,
            "skipped: no address to connect to",
        ));
        false
    } else {
        let tcp = connect(&addrs, &host, port, whose).await;
        let ok = tcp.status == Status::Pass;
        checks.push(tcp);
        ok
    };
    let answered = if reached {
        let found = probe::probe(client, &root, hints).await;
        if let Some(failed) = found.proxy_failure {
            checks[0] = Check::new("proxy", Status::Fail, failed).fix(hints.proxy.clone());
        }
        let answered = found.http.status == Status::Pass;
        checks.extend([found.http, found.tls, found.clock]);
        answered
    } else {
        for name in ["http", "tls", "clock"] {
            checks.push(Check::new(name, Status::Skip, "skipped: no connection"));
        }
        false
    };
    checks.push(if answered {
        sign_in_check(client, sign_in, hints).await
    } else {
        Check::new(
            "sign_in",
            Status::Skip,
            "skipped: the Integra API did not answer",
        )
    });
    Report {
        server: root.to_string(),
        checks,
    }
}

async fn resolve(host: &str, port: u16, whose: &str) -> (Check, Vec<std::net::SocketAddr>) {
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        let check = Check::new(
            "dns",
            Status::Pass,
            format!("{whose} is the address {ip}: no lookup needed"),
        );
        return (check, vec![std::net::SocketAddr::new(ip, port)]);
    }
    match tokio::time::timeout(STEP_TIMEOUT, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(found)) => {
            let addrs: Vec<_> = found.collect();
            let list: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            (
                Check::new("dns", Status::Pass, format!("{host} resolves to {}", list.join(", "))),
                addrs,
            )
        }
        Ok(Err(e)) => (
            Check::new("dns", Status::Fail, format!("cannot resolve {whose}'s name {host}: {e}")).fix(
                format!(
                    "check the spelling of {host} in the URL, and that this computer's DNS works (nslookup {host}); \
                     on a VPN, connect it first"
                ),
            ),
            Vec::new(),
        ),
        Err(_) => (
            Check::new("dns", Status::Fail, format!("looking up {host} took over 5 s"))
                .fix("this computer's DNS server does not answer: check the network or VPN"),
            Vec::new(),
        ),
    }
}

async fn connect(addrs: &[std::net::SocketAddr], host: &str, port: u16, whose: &str) -> Check {
    let mut last = String::new();
    let mut refused = false;
    for addr in addrs {
        let started = Instant::now();
        match tokio::time::timeout(STEP_TIMEOUT, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => {
                return Check::new(
                    "tcp",
                    Status::Pass,
                    format!(
                        "connected to {whose} at {addr} in {} ms",
                        started.elapsed().as_millis()
                    ),
                )
            }
            Ok(Err(e)) => {
                refused |= e.kind() == std::io::ErrorKind::ConnectionRefused;
                last = format!("{addr}: {e}");
            }
            Err(_) => last = format!("{addr}: no answer within 5 s"),
        }
    }
    let fix = if refused {
        format!(
            "nothing accepts connections on {host}:{port}: check the port in the URL (https is normally 443) and \
             that {whose} is running"
        )
    } else {
        format!("a firewall or the network drops connections to {host}:{port}: check the VPN, or ask IT to open it")
    };
    Check::new(
        "tcp",
        Status::Fail,
        format!("cannot connect to {whose} ({last})"),
    )
    .fix(fix)
}

async fn sign_in_check(client: &Client, sign_in: SignIn<'_>, hints: &Hints) -> Check {
    let name = "sign_in";
    let wrong = |user: &str| {
        Check::new(
            name,
            Status::Fail,
            format!("wrong user or password for {user}"),
        )
        .fix(format!(
            "check the user name and password; {}",
            hints.sign_in
        ))
    };
    let other =
        |err: Error| Check::new(name, Status::Fail, err.to_string()).fix(hints.sign_in.clone());
    match sign_in {
        SignIn::Skip(reason) => Check::new(name, Status::Skip, reason),
        SignIn::Agent(user, password) => match client.agent_login(user, password).await {
            Ok(record) => {
                let _ = client.end_session(user, &record.token()).await;
                Check::new(
                    name,
                    Status::Pass,
                    format!("signed in as {user} (extension {})", record.extension()),
                )
            }
            Err(Error::Rejected { .. }) => wrong(user),
            Err(err) => other(err),
        },
        SignIn::ApiUser(user, password) => match client.user_token(user, password).await {
            Ok(token) => {
                let _ = client.end_session(user, &token).await;
                Check::new(
                    name,
                    Status::Pass,
                    format!("signed in as the API user {user}"),
                )
            }
            Err(Error::Rejected { .. }) => wrong(user),
            Err(err) => other(err),
        },
        SignIn::Session => match client.queue_summary().await {
            // A refusal for lack of rights still means the token was accepted.
            Ok(_) | Err(Error::Rejected { .. }) => {
                Check::new(name, Status::Pass, "the saved session is valid")
            }
            Err(Error::Unauthorized { .. }) => Check::new(
                name,
                Status::Fail,
                "the saved session expired or was ended on the server",
            )
            .fix(hints.sign_in.clone()),
            Err(err) => other(err),
        },
    }
}
