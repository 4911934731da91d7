//! Debian's coturn (`turnserver`) as the STUN/TURN server no one here wrote: one per test, on a free loopback port,
//! with its own log, pid file and user database in a temporary directory (never the system service), killed at
//! drop. And [`StunNat`], a port-restricted NAT in front of it for the STUN path only, so a server on the same
//! machine sees another address than the socket's own, as a server on the internet sees an office's NAT.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::UdpSocket;

/// The long-term credentials the test server knows (`--user`), and its realm.
pub const TURN_USER: &str = "agent";
pub const TURN_PASSWORD: &str = "turn-secret";
pub const TURN_REALM: &str = "test";

/// A running coturn; dropping it stops it.
pub struct Coturn {
    child: Child,
    dir: tempfile::TempDir,
    /// Where it listens (UDP).
    pub address: SocketAddr,
}

fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Coturn {
    /// Starts coturn on 127.0.0.1; panics with the reason when it cannot (not installed, did not listen).
    pub fn start() -> Coturn {
        let dir = tempfile::Builder::new().prefix("coturn").tempdir().unwrap();
        let port = free_udp_port();
        let path = |name: &str| dir.path().join(name).display().to_string();
        let child = Command::new("turnserver")
            .args([
                "-n", // no configuration file: only these flags
                "--listening-ip=127.0.0.1",
                &format!("--listening-port={port}"),
                "--relay-ip=127.0.0.1",
                "--no-tls",
                "--no-dtls",
                "--no-cli",
                "--lt-cred-mech",
                &format!("--user={TURN_USER}:{TURN_PASSWORD}"),
                &format!("--realm={TURN_REALM}"),
                // coturn refuses relaying to 127.x unless told (the far end lives on loopback here).
                "--allow-loopback-peers",
                // -V logs each request by its handler (`handle_turn_binding`), which the tests count.
                "-V",
                "--simple-log",
                &format!("--log-file={}", path("turn.log")),
                "--no-stdout-log",
                &format!("--pidfile={}", path("turn.pid")),
                &format!("--userdb={}", path("turndb")),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("turnserver does not run ({e}): scripts/setup-debian.sh installs coturn")
            });
        let coturn = Coturn {
            child,
            dir,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let listening = format!("UDP listener opened on: 127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !coturn.log().contains(&listening) {
            assert!(
                Instant::now() < deadline,
                "coturn never listened on {port}:\n{}",
                coturn.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        coturn
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("turn.log")).unwrap_or_default()
    }

    /// How many Binding requests it has handled.
    pub fn bindings(&self) -> usize {
        self.log()
            .lines()
            .filter(|l| l.contains("handle_turn_binding") && l.ends_with(":start"))
            .count()
    }
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A NAT for STUN only: what a client sends to `address` leaves from an outside socket of its own (one per client,
/// as a NAT maps each inside address and port) towards the server, and the server's answers come back to the client.
/// Anything else that reaches an outside socket is dropped and counted: the client never sent to that sender, and
/// a port-restricted NAT lets in only answers.
pub struct StunNat {
    /// Where the clients send their requests (the "STUN server" they are configured with).
    pub address: SocketAddr,
    /// The outside sockets' addresses, by the client they stand for.
    pub mappings: Arc<std::sync::Mutex<HashMap<SocketAddr, SocketAddr>>>,
    /// Datagrams dropped at the outside sockets (from anyone but the server).
    pub dropped: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl StunNat {
    /// A NAT in front of `server`, on loopback.
    pub async fn start(server: SocketAddr) -> StunNat {
        let inside = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let address = inside.local_addr().unwrap();
        let mappings = Arc::new(std::sync::Mutex::new(HashMap::new()));
        let dropped = Arc::new(AtomicUsize::new(0));
        let (map, drops) = (mappings.clone(), dropped.clone());
        let task = tokio::spawn(async move {
            let mut outsides: HashMap<SocketAddr, Arc<UdpSocket>> = HashMap::new();
            let mut returns = tokio::task::JoinSet::new();
            let mut buffer = [0u8; 1500];
            while let Ok((n, client)) = inside.recv_from(&mut buffer).await {
                let outside = match outsides.get(&client) {
                    Some(outside) => outside.clone(),
                    None => {
                        let outside = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
                        map.lock()
                            .unwrap()
                            .insert(client, outside.local_addr().unwrap());
                        outsides.insert(client, outside.clone());
                        let (inside, drops) = (inside.clone(), drops.clone());
                        let back = outside.clone();
                        returns.spawn(async move {
                            let mut buffer = [0u8; 1500];
                            while let Ok((n, from)) = back.recv_from(&mut buffer).await {
                                if from == server {
                                    let _ = inside.send_to(&buffer[..n], client).await;
                                } else {
                                    drops.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        });
                        outside
                    }
                };
                let _ = outside.send_to(&buffer[..n], server).await;
            }
        });
        StunNat {
            address,
            mappings,
            dropped,
            task,
        }
    }
}

impl Drop for StunNat {
    fn drop(&mut self) {
        // The JoinSet of return paths is dropped with the task, which aborts them.
        self.task.abort();
    }
}
