//! Debian's kamailio over WSS on loopback (tests/phone/sip/kamailio.sh, the phone rig's registrar), for the
//! doctor's phone check: the same few lines as crates/phone/tests/support, without the phone's helpers.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running kamailio; dropping it stops it.
pub struct Kamailio {
    child: Child,
    dir: tempfile::TempDir,
    /// `wss://127.0.0.1:<port>/ws`.
    pub wss: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Kamailio {
    /// Starts kamailio; panics with the reason when it cannot (scripts/setup-debian.sh installs it).
    pub fn start() -> Kamailio {
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/phone/sip/kamailio.sh");
        // Short: the control socket's path must fit in a Unix socket address.
        let dir = tempfile::Builder::new()
            .prefix("kam")
            .tempdir_in("/tmp")
            .unwrap();
        let mut child = Command::new("bash")
            .arg(script)
            .arg(dir.path())
            .env("WSS_PORT", free_port().to_string())
            .env("WS_PORT", free_port().to_string())
            .env("WRONG_HOST_PORT", free_port().to_string())
            .env("SIP_UDP_PORT", free_port().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bash runs tests/phone/sip/kamailio.sh");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Some(url) = line.trim().strip_prefix("READY ") else {
            let log = std::fs::read_to_string(dir.path().join("kamailio.log")).unwrap_or_default();
            panic!("kamailio did not start (is it installed? scripts/setup-debian.sh): {line:?}\n{log}");
        };
        Kamailio {
            child,
            wss: format!("{url}/ws"),
            dir,
        }
    }

    /// The private CA that signed kamailio's certificate (PEM).
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// kamailio's log so far (one line per SIP message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("kamailio.log")).unwrap_or_default()
    }
}

impl Drop for Kamailio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
