//! One request without a session (`Supervisor/queuesummary`, which uContact answers 401 without a token), sent
//! the way every request is (same proxy, same trusted CAs), read three ways: is it the Integra API or some HTML
//! page (`http`), how did TLS go (`tls`), and how far is the server's `Date` from this computer's clock (`clock`).

use std::time::Instant;

use chrono::{DateTime, Utc};
use reqwest::header::{CONTENT_TYPE, DATE, LOCATION};
use rustls::CertificateError;
use url::Url;

use super::{certificate, Check, Hints, Status};
use crate::client::{Auth, Client};
use crate::error::{tls_failure, Error};

/// Warn when the certificate expires within this many days.
const EXPIRY_WARNING_DAYS: i64 = 14;
/// Clock differences: fine up to this many seconds, a warning up to the second, a failure beyond.
const CLOCK_FINE_SECS: i64 = 30;
const CLOCK_WARN_SECS: i64 = 300;

const ENDPOINT: &str = "Supervisor/queuesummary";

pub(super) struct Found {
    pub http: Check,
    pub tls: Check,
    pub clock: Check,
    /// Set when the proxy refused: the proxy check's new detail.
    pub proxy_failure: Option<String>,
}

fn skip(name: &'static str, why: &str) -> Check {
    Check::new(name, Status::Skip, why)
}

pub(super) async fn probe(client: &Client, root: &Url, hints: &Hints) -> Found {
    let https = root.scheme() == "https";
    let request = match client.request(ENDPOINT, Auth::Nothing).body("").build() {
        Ok(request) => request,
        Err(e) => {
            return Found {
                http: Check::new("http", Status::Fail, e.to_string()),
                tls: skip("tls", "skipped"),
                clock: skip("clock", "skipped"),
                proxy_failure: None,
            }
        }
    };
    let url = request.url().clone();
    let sent = Utc::now();
    let started = Instant::now();
    let response = match client.http().execute(request).await {
        Ok(response) => response,
        Err(err) => return unanswered(client, &url, err, https, hints),
    };
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let (date, content_type, location) = (header(DATE), header(CONTENT_TYPE), header(LOCATION));
    let leaf = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate().map(<[u8]>::to_vec));
    let body = response.text().await.unwrap_or_default();
    let tls = if https {
        verified(leaf.as_deref(), client.extra_root_certificates() > 0, root)
    } else {
        skip(
            "tls",
            "not used (http://): passwords travel unencrypted; use https:// if the server offers it",
        )
    };
    // The server stamped its Date somewhere between sending and receiving: compare with the middle.
    let local = sent + chrono::Duration::from_std(elapsed / 2).unwrap_or_default();
    let mut found = Found {
        http: answer(
            status,
            content_type.as_deref(),
            location.as_deref(),
            &body,
            &url,
        ),
        tls,
        clock: clock(date.as_deref(), local),
        proxy_failure: None,
    };
    if status == 407 {
        if let Error::Proxy { proxy, problem, .. } = client.proxy_refusal(ENDPOINT, &url) {
            found.proxy_failure = Some(format!("{proxy} {problem}"));
            found.http = skip("http", "skipped: the proxy refused the request");
        }
    }
    found
}

/// No answer: the proxy's refusal, a TLS failure, or the connection.
fn unanswered(
    client: &Client,
    url: &Url,
    err: reqwest::Error,
    https: bool,
    hints: &Hints,
) -> Found {
    let tls_problem = tls_failure(&err);
    let mapped = client.network_error(ENDPOINT, url, err);
    let mut found = Found {
        http: skip("http", "skipped: no answer"),
        tls: if https {
            skip("tls", "skipped: no answer")
        } else {
            skip("tls", "not used (http://)")
        },
        clock: skip("clock", "skipped: no answer"),
        proxy_failure: None,
    };
    if let Error::Proxy { proxy, problem, .. } = &mapped {
        found.proxy_failure = Some(format!("{proxy} {problem}"));
    } else if let Some(tls) = tls_problem {
        found.tls = refused_certificate(&tls, url, hints);
    } else {
        found.http = Check::new("http", Status::Fail, mapped.to_string())
            .fix("the server accepted the connection but did not answer: check that the URL points at uContact");
    }
    found
}

fn refused_certificate(err: &rustls::Error, url: &Url, hints: &Hints) -> Check {
    let host = url.host_str().unwrap_or_default();
    let (detail, fix) = match err {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => (
            "the certificate is signed by an unknown CA".to_string(),
            format!("{} (for a private CA, ask IT for its certificate)", hints.ca_certificate),
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => (
            "the server's certificate has expired".to_string(),
            "whoever runs the server must renew it; check this computer's date too".to_string(),
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
        ) => (
            "the server's certificate is not valid yet".to_string(),
            "this computer's clock is probably wrong: set it to update automatically".to_string(),
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => (
            format!("the certificate is not issued for {host}"),
            "use the host name the certificate was issued for in the server URL".to_string(),
        ),
        rustls::Error::InvalidCertificate(other) => (
            format!("the certificate was refused ({other:?})"),
            "whoever runs the server must install a valid certificate".to_string(),
        ),
        rustls::Error::InvalidMessage(_) => (
            format!("the TLS handshake failed ({err}): the server does not seem to speak TLS on this port"),
            "if the server answers plain HTTP there, use http://, or the port of its https service".to_string(),
        ),
        other => (
            format!("the TLS handshake failed ({other})"),
            "the server may only offer outdated TLS versions or ciphers: ask whoever runs it".to_string(),
        ),
    };
    Check::new("tls", Status::Fail, detail).fix(fix)
}

fn verified(leaf: Option<&[u8]>, extra_ca: bool, root: &Url) -> Check {
    let trust = if extra_ca {
        "the system's CAs and the configured CA certificate"
    } else {
        "the system's CAs"
    };
    let host = root.host_str().unwrap_or_default();
    let Some(not_after) = leaf.and_then(certificate::not_after) else {
        return Check::new(
            "tls",
            Status::Pass,
            format!("verified for {host} against {trust}"),
        );
    };
    let days = (not_after - Utc::now()).num_days();
    let until = not_after.format("%Y-%m-%d");
    if days < EXPIRY_WARNING_DAYS {
        Check::new(
            "tls",
            Status::Warn,
            format!("verified for {host} against {trust}, but the certificate expires in {days} days ({until})"),
        )
        .fix(format!("whoever runs the server must renew its certificate before {until}"))
    } else {
        Check::new(
            "tls",
            Status::Pass,
            format!("verified for {host} against {trust}; valid until {until} ({days} days)"),
        )
    }
}

fn answer(
    status: u16,
    content_type: Option<&str>,
    location: Option<&str>,
    body: &str,
    url: &Url,
) -> Check {
    let trimmed = body.trim_start();
    let html = content_type.is_some_and(|c| c.contains("html")) || trimmed.starts_with('<');
    let fix_url = "check the server URL: it must be the root of the uContact server (e.g. \
                   https://acme.ucontactcloud.com), not a web page, a portal or a proxy's login page";
    match status {
        300..=399 => Check::new(
            "http",
            Status::Fail,
            format!(
                "the server redirects (HTTP {status}) to {}",
                location.unwrap_or("?")
            ),
        )
        .fix(
            "use the address it redirects to as the server URL (often https:// instead of http://)",
        ),
        404 => Check::new(
            "http",
            Status::Fail,
            format!("no Integra API at {url} (HTTP 404)"),
        )
        .fix(fix_url),
        _ if html => {
            let title = trimmed
                .split_once("<title>")
                .and_then(|(_, t)| t.split_once("</title>"))
                .map(|(t, _)| format!(", titled {:?}", t.trim()))
                .unwrap_or_default();
            Check::new(
                "http",
                Status::Fail,
                format!("the server answered an HTML page (HTTP {status}{title}), not uContact's Integra API"),
            )
            .fix(fix_url)
        }
        401 | 200..=299 => Check::new(
            "http",
            Status::Pass,
            format!(
                "uContact's Integra API answered (HTTP {status} to a request without a session)"
            ),
        ),
        500..=599 => Check::new(
            "http",
            Status::Fail,
            format!("the server answered HTTP {status}"),
        )
        .fix("uContact or its application server has a problem: ask its administrator"),
        _ => Check::new(
            "http",
            Status::Fail,
            format!("unexpected answer HTTP {status}: {:.120}", trimmed),
        )
        .fix(fix_url),
    }
}

fn clock(date: Option<&str>, local: DateTime<Utc>) -> Check {
    let Some(server) = date.and_then(|d| DateTime::parse_from_rfc2822(d).ok()) else {
        return skip("clock", "the server sent no Date header to compare with");
    };
    // A Date has whole seconds, cut down: the server's clock read half a second later on average.
    let millis = (server.with_timezone(&Utc) + chrono::Duration::milliseconds(500) - local)
        .num_milliseconds();
    let skew = (millis as f64 / 1000.0).round() as i64;
    let size = skew.abs();
    let amount = if size >= 3600 {
        format!("{} h {} min", size / 3600, size % 3600 / 60)
    } else if size >= 60 {
        format!("{} min {} s", size / 60, size % 60)
    } else {
        format!("{size} s")
    };
    let direction = if skew > 0 { "behind" } else { "ahead of" };
    let fix = "set this computer's clock to update automatically (Linux: timedatectl set-ntp true; Windows: \
               Settings → Time & language → Sync now; macOS: Date & Time → Set automatically)";
    if size <= CLOCK_FINE_SECS {
        Check::new(
            "clock",
            Status::Pass,
            format!("within {amount} of the server's clock"),
        )
    } else if size <= CLOCK_WARN_SECS {
        Check::new(
            "clock",
            Status::Warn,
            format!("this computer's clock is {amount} {direction} the server's"),
        )
        .fix(fix)
    } else {
        Check::new(
            "clock",
            Status::Fail,
            format!(
                "this computer's clock is {amount} {direction} the server's: schedules and call times will be off"
            ),
        )
        .fix(fix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_differences_are_told_in_words() {
        // Whole seconds, as a Date header has them.
        let now = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap();
        let date = |offset: i64| (now + chrono::Duration::seconds(offset)).to_rfc2822();
        assert_eq!(clock(Some(&date(3)), now).status, Status::Pass);
        let warn = clock(Some(&date(-120)), now);
        assert_eq!(warn.status, Status::Warn);
        assert!(
            warn.detail.contains("2 min 0 s ahead of the server's"),
            "{}",
            warn.detail
        );
        let fail = clock(Some(&date(7200)), now);
        assert_eq!(fail.status, Status::Fail);
        assert!(fail.detail.contains("2 h 0 min behind"), "{}", fail.detail);
        assert_eq!(clock(None, now).status, Status::Skip);
    }

    #[test]
    fn html_pages_redirects_and_the_api_are_told_apart() {
        let url = Url::parse("https://pbx/Integra/resources/Supervisor/queuesummary").unwrap();
        assert_eq!(
            answer(401, Some("text/plain"), None, "", &url).status,
            Status::Pass
        );
        let page = answer(
            200,
            Some("text/html"),
            None,
            "<html><title>Welcome to nginx</title>",
            &url,
        );
        assert_eq!(page.status, Status::Fail);
        assert!(
            page.detail.contains("\"Welcome to nginx\""),
            "{}",
            page.detail
        );
        let moved = answer(301, None, Some("https://pbx/"), "", &url);
        assert!(moved.detail.contains("https://pbx/"), "{}", moved.detail);
        assert_eq!(answer(404, None, None, "", &url).status, Status::Fail);
    }
}
