//! `integra doctor` against a real HTTPS server (Python's, with a certificate `openssl` made and signed with its own
//! CA, valid for one day): without the CA the TLS check fails with the fix that names --ca-certificate; with it the
//! chain is verified and the near expiry is a warning; and the same through tinyproxy, over a CONNECT tunnel.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use integra_sim::{Tinyproxy, TinyproxyOptions};

use crate::support::run_in;

/// A private CA, a one-day certificate it signed for 127.0.0.1, and an HTTPS server with it that answers `0`.
struct TlsServer {
    process: Child,
    url: String,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

const MAKE_CERTS: &str = "set -e
ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 1 -subj '/CN=Private Test CA'
openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1
printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile server.ext";

const SERVE: &str = r#"
import http.server, ssl
class Zero(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "1"); self.end_headers(); self.wfile.write(b"0")
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Zero)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); context.load_cert_chain("server.pem", "server.key")
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

fn start(dir: &Path) -> TlsServer {
    let made = Command::new("sh")
        .args(["-c", MAKE_CERTS])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("sh and openssl are installed (scripts/setup-debian.sh)");
    assert!(made.success(), "openssl made the certificates");
    let mut process = Command::new("python3")
        .args(["-c", SERVE])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 is installed");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(process.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let port: u16 = line.trim().parse().expect("the server prints its port");
    TlsServer {
        process,
        url: format!("https://127.0.0.1:{port}"),
    }
}

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
    let server = start(dir.path());
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

    let ca = dir.path().join("ca.pem");
    let ca = ca.to_str().unwrap();
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
    assert!(tls["detail"].as_str().unwrap().starts_with("verified for 127.0.0.1"), "{tls}");
    assert!(
        proxy.log().contains("CONNECT 127.0.0.1:"),
        "{}",
        proxy.log()
    );
}
