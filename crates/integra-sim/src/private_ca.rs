//! A real HTTPS server on loopback for tests of an on-premise server with a private CA: `openssl` makes a CA and a
//! one-day certificate it signed for 127.0.0.1 and localhost, and Python's `http.server` serves it over TLS,
//! answering every POST with `0` (uContact's "no"), so a client that gets through the handshake gets an answer.
//! Both tools are installed by `scripts/setup-debian.sh`. Dropping it stops the server.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const MAKE_CERTS: &str = "set -e
ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 1 -subj '/CN=Private Test CA'
openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > server.ext
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

/// The running HTTPS server and its CA.
#[derive(Debug)]
pub struct PrivateCaServer {
    process: Child,
    /// `https://127.0.0.1:<port>`.
    pub url: String,
    /// The CA certificate (PEM) that signed the server's certificate.
    pub ca: PathBuf,
}

impl PrivateCaServer {
    /// Makes the certificates in `dir` and starts the server; panics (it is for tests) when a tool is missing.
    pub fn start(dir: &Path) -> PrivateCaServer {
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
        let stdout = process.stdout.take().expect("piped stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
            .expect("the server prints its port");
        let port: u16 = line.trim().parse().expect("the server prints its port");
        PrivateCaServer {
            process,
            url: format!("https://127.0.0.1:{port}"),
            ca: dir.join("ca.pem"),
        }
    }
}

impl Drop for PrivateCaServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
