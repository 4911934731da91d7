//! `integra doctor` against a real HTTPS server (Python's, with a certificate `openssl` made and signed with its own
//! CA, valid for one day): without the CA the TLS check fails with the fix that names --ca-certificate; with it the
//! chain is verified and the near expiry is a warning; and the same through tinyproxy, over a CONNECT tunnel.

use integra_sim::{PrivateCaServer, Tinyproxy, TinyproxyOptions};

use crate::support::run_in;

fn tls_check(stdout: &str) -> serde_json::Value {
    let report: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "tls")
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_ca_is_named_with_its_fix_and_the_configured_ca_is_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let server = PrivateCaServer::start(dir.path());
    let home = tempfile::tempdir().unwrap();
    let run = run_in(
        home.path(),
        &["--server", &server.url, "--no-keychain", "--json", "doctor"],
        "",
    )
    .await;
    assert_eq!(run.code, 4, "{}\n{}", run.stdout, run.stderr);
    let tls = tls_check(&run.stdout);
    assert_eq!(tls["status"], "fail");
    assert_eq!(tls["detail"], "the certificate is signed by an unknown CA");
    assert!(
        tls["fix"]
            .as_str()
            .unwrap()
            .starts_with("pass --ca-certificate FILE"),
        "{tls}"
    );

    let ca = server.ca.to_str().unwrap();
    let trusted = [
        "--server",
        &server.url,
        "--no-keychain",
        "--ca-certificate",
        ca,
        "--json",
        "doctor",
    ];
    let run = run_in(home.path(), &trusted, "").await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let tls = tls_check(&run.stdout);
    assert_eq!(tls["status"], "warn", "a one-day certificate: {tls}");
    let detail = tls["detail"].as_str().unwrap();
    assert!(
        detail.contains("the system's CAs and the configured CA certificate"),
        "{detail}"
    );
    assert!(detail.contains("expires in 0 days"), "{detail}");

    // Through a proxy: the TLS session runs inside a CONNECT tunnel, verified end to end.
    let proxy = Tinyproxy::start(TinyproxyOptions::default()).await.unwrap();
    let proxy_url = proxy.url();
    let mut proxied = vec!["--proxy", proxy_url.as_str()];
    proxied.extend_from_slice(&trusted);
    let run = run_in(home.path(), &proxied, "").await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // (Through a tunnel reqwest does not hand out the peer certificate, so there is no expiry date to warn about.)
    let tls = tls_check(&run.stdout);
    assert!(
        tls["detail"]
            .as_str()
            .unwrap()
            .starts_with("verified for 127.0.0.1"),
        "{tls}"
    );
    assert!(
        proxy.log().contains("CONNECT 127.0.0.1:"),
        "{}",
        proxy.log()
    );
}
