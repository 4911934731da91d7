//! TLS to an on-premise server with a private CA, against a real HTTPS server (Python's, with a certificate that
//! `openssl` made and signed with its own CA) on loopback:
//! without the CA the certificate is refused (there is no switch to accept it); with the CA file from the settings
//! the handshake goes through.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use agent::profile::IdentityOverrides;
use agent::secrets::MemoryStore;
use agent::session::Session;
use agent::ErrorCode;
use integra::Password;

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl is installed (scripts/setup-debian.sh)");
    assert!(status.success(), "openssl {args:?}");
}

/// A private CA, a server certificate it signed for 127.0.0.1, and an HTTPS server using it.
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

fn start(dir: &Path) -> TlsServer {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        dir,
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "1",
                "-subj",
                "/CN=Private Test CA",
            ],
        ]
        .concat(),
    );
    openssl(
        dir,
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "1",
            "-extfile",
            "server.ext",
        ],
    );
    // An HTTPS server with that certificate that answers every POST with `0` (uContact's "no").
    let script = r#"
import http.server, ssl, sys
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
    let mut process = Command::new("python3")
        .args(["-c", script])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 is installed (scripts/setup-debian.sh)");
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

async fn sign_in(url: &str, ca: Option<&Path>) -> agent::AgentError {
    Session::sign_in_trusting(
        url,
        ca,
        &agent::proxy::ProxySettings::default(),
        "alice",
        &Password::new("alice-pw"),
        &IdentityOverrides::default(),
        &MemoryStore::default(),
    )
    .await
    .expect_err("the server answers 0")
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());

    let refused = sign_in(&server.url, None).await;
    assert_eq!(refused.code(), ErrorCode::ServerUnreachable, "{refused}");
    assert!(
        refused.to_string().to_lowercase().contains("certificate"),
        "the agent is told it is the certificate: {refused}"
    );

    // With the CA the handshake passes and the request reaches the server, which says no.
    let through = sign_in(&server.url, Some(&dir.path().join("ca.pem"))).await;
    assert_eq!(through.code(), ErrorCode::WrongCredentials, "{through}");

    let missing = sign_in(&server.url, Some(&dir.path().join("nope.pem"))).await;
    assert_eq!(missing.code(), ErrorCode::InvalidSettings);
    assert!(missing.to_string().contains("nope.pem"), "{missing}");
}
