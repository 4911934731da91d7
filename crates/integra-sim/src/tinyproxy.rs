//! A real HTTP proxy on loopback for tests: Debian's `tinyproxy` (installed by `scripts/setup-debian.sh`), started
//! with a generated configuration on a free port, optionally with Basic authentication, and stopped on drop.
//!
//! tinyproxy adds a `Via` header to what it forwards, which the simulator's journal keeps, so a test can prove a
//! request went through it; its log (every request and CONNECT) is there too.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the proxy is set up.
#[derive(Debug, Clone, Default)]
pub struct TinyproxyOptions {
    /// `BasicAuth user password`: requests without these credentials get 407.
    pub basic_auth: Option<(String, String)>,
}

/// A running tinyproxy. Dropping it stops the process and deletes its folder.
#[derive(Debug)]
pub struct Tinyproxy {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Tinyproxy {
    /// Starts tinyproxy on a free loopback port and waits until it accepts connections.
    pub async fn start(options: TinyproxyOptions) -> std::io::Result<Self> {
        let addr = free_port()?;
        let dir = std::env::temp_dir().join(format!(
            "integra-tinyproxy-{}-{}",
            std::process::id(),
            addr.port()
        ));
        std::fs::create_dir_all(&dir)?;
        let mut conf = format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 50\nAllow 127.0.0.1\n\
             LogFile \"{log}\"\nLogLevel Info\n",
            port = addr.port(),
            log = dir.join("tinyproxy.log").display(),
        );
        if let Some((user, password)) = &options.basic_auth {
            conf.push_str(&format!("BasicAuth {user} {password}\n"));
        }
        let conf_path = dir.join("tinyproxy.conf");
        std::fs::write(&conf_path, conf)?;
        // -d: stay in the foreground, so the child is the proxy and killing it stops it.
        let child = Command::new("tinyproxy")
            .arg("-d")
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("cannot start tinyproxy ({e}); scripts/setup-debian.sh installs it"),
                )
            })?;
        let mut proxy = Self { child, addr, dir };
        proxy.wait_until_listening().await?;
        Ok(proxy)
    }

    async fn wait_until_listening(&mut self) -> std::io::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if tokio::net::TcpStream::connect(self.addr).await.is_ok() {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                return Err(std::io::Error::other(format!(
                    "tinyproxy exited at start ({status}): {}",
                    self.log()
                )));
            }
            if Instant::now() > deadline {
                return Err(std::io::Error::other(
                    "tinyproxy did not listen within 10 s",
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The proxy's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// tinyproxy's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("tinyproxy.log")).unwrap_or_default()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A loopback port nothing listens on right now (bound, read, released).
pub fn free_port() -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.local_addr()
}
