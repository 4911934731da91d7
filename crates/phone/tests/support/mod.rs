//! Debian's kamailio on loopback as the registrar (tests/phone/sip/kamailio.sh), with its own private CA and
//! ports, and waits on the phone's state with a deadline instead of sleeps.

#![allow(dead_code)]

pub mod coturn;
pub mod farend;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use phone::{PhoneState, SipAccount, SipPassword, TlsTrust};
use tokio::sync::watch;

/// A running kamailio; dropping it stops it.
pub struct Kamailio {
    child: Child,
    dir: tempfile::TempDir,
    pub wss: String,
    pub ws_port: u16,
    pub wrong_host_port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// tests/phone (or `PHONE_RIG_DIR`).
pub fn rig_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::var_os("PHONE_RIG_DIR")
        .map(PathBuf::from)
        .unwrap_or(root.join("tests/phone"))
}

fn script(name: &str) -> PathBuf {
    rig_dir().join("sip").join(name)
}

/// Logs of the phone on stderr, filtered by `RUST_LOG` (nothing by default).
pub fn logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

impl Kamailio {
    /// Starts kamailio with OPTIONS keepalives every `qualify_secs`; panics with the reason when it cannot.
    pub fn start(qualify_secs: u32) -> Kamailio {
        logs();
        // Short: the control socket's path must fit in a Unix socket address.
        let dir = tempfile::Builder::new()
            .prefix("kam")
            .tempdir_in("/tmp")
            .unwrap();
        let (wss_port, ws_port, wrong_host_port, udp) =
            (free_port(), free_port(), free_port(), free_port());
        let mut child = Command::new("bash")
            .arg(script("kamailio.sh"))
            .arg(dir.path())
            .env("WSS_PORT", wss_port.to_string())
            .env("WS_PORT", ws_port.to_string())
            .env("WRONG_HOST_PORT", wrong_host_port.to_string())
            .env("SIP_UDP_PORT", udp.to_string())
            .env("QUALIFY_SECS", qualify_secs.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "bash runs tests/phone/sip/kamailio.sh (scripts/setup-debian.sh installs kamailio)",
            );
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        let Some(url) = line.trim().strip_prefix("READY ") else {
            let log = std::fs::read_to_string(dir.path().join("kamailio.log")).unwrap_or_default();
            panic!("kamailio did not start (is it installed? scripts/setup-debian.sh): {line:?}\n{log}");
        };
        Kamailio {
            child,
            wss: format!("{url}/ws"),
            ws_port,
            wrong_host_port,
            dir,
        }
    }

    /// The CA's PEM file.
    pub fn ca_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The CA that signed the server's certificate, as the phone's extra trust.
    pub fn trust(&self) -> TlsTrust {
        let pem = std::fs::read(self.dir.path().join("ca.pem")).unwrap();
        TlsTrust::default().with_pem(&pem).unwrap()
    }

    /// `user`'s account with the rig's password rule (`sip-<user>`, as the simulator's AgentLogin answers).
    pub fn account(&self, user: &str) -> SipAccount {
        SipAccount::new(user, SipPassword::new(format!("sip-{user}")), &self.wss).unwrap()
    }

    /// What `kamcmd` prints for `command` (e.g. `ul.dump`).
    pub fn kamcmd(&self, args: &[&str]) -> String {
        let socket = format!("unix:{}", self.dir.path().join("kamailio.ctl").display());
        let out = Command::new("kamcmd")
            .arg("-s")
            .arg(socket)
            .args(args)
            .output()
            .expect("kamcmd runs");
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    }

    /// The registered contacts of `user`, as the registrar holds them.
    pub fn contacts_of(&self, user: &str) -> usize {
        let dump = self.kamcmd(&["ul.lookup", "location", &format!("{user}@127.0.0.1")]);
        dump.matches("Address:").count()
    }

    /// kamailio's log so far (one line per SIP message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("kamailio.log")).unwrap_or_default()
    }

    /// Closes every WebSocket connection from the server's side.
    pub fn drop_websockets(&self) {
        let status = Command::new("bash")
            .arg(script("drop-websockets.sh"))
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Kamailio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (up to `within`) until the phone's state satisfies `wanted`; panics with the last state otherwise.
pub async fn wait_for(
    state: &mut watch::Receiver<PhoneState>,
    within: Duration,
    what: &str,
    wanted: impl Fn(&PhoneState) -> bool,
) -> PhoneState {
    let found = tokio::time::timeout(within, state.wait_for(|s| wanted(s)))
        .await
        .map(|r| r.map(|s| s.clone()));
    match found {
        Ok(Ok(state)) => state,
        _ => panic!("the phone never got {what}: it is {:?}", *state.borrow()),
    }
}

/// Waits (up to `within`) until `check` holds, polling a process outside the test (kamailio).
pub async fn eventually(within: Duration, what: &str, check: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + within;
    while !check() {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Audio for calls in tests: sends a 20 ms frame of µ-law silence on a real-time clock and counts what arrives
/// (the content of the audio is checked by the tests that use real devices).
#[derive(Default)]
pub struct CountingDevices {
    /// RTP payloads received, across calls.
    pub received: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

struct CountingPort {
    received: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ticker: tokio::task::JoinHandle<()>,
}

impl phone::AudioPort for CountingPort {
    fn receive(&self, _sequence: u16, _timestamp: u32, _payload: &[u8]) {
        self.received
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    fn set_muted(&self, _muted: bool) {}
    fn set_held(&self, _held: bool) {}
}

impl Drop for CountingPort {
    fn drop(&mut self) {
        self.ticker.abort();
    }
}

impl phone::AudioDevices for CountingDevices {
    fn open(
        &self,
        _codec: phone::AudioCodec,
    ) -> Result<
        (
            Box<dyn phone::AudioPort>,
            tokio::sync::mpsc::Receiver<phone::OutgoingAudio>,
        ),
        String,
    > {
        let (frames, receiver) = tokio::sync::mpsc::channel(50);
        let ticker = tokio::spawn(async move {
            let mut clock = tokio::time::interval(Duration::from_millis(20));
            for n in 0u32.. {
                clock.tick().await;
                let frame = phone::OutgoingAudio {
                    payload_type: 0,
                    payload: vec![0xFF; 160],
                    timestamp: n * 160,
                    timestamp_increment: if n == 0 { 0 } else { 160 },
                    marker: n == 0,
                };
                if frames.send(frame).await.is_err() {
                    return;
                }
            }
        });
        Ok((
            Box::new(CountingPort {
                received: self.received.clone(),
                ticker,
            }),
            receiver,
        ))
    }
}

/// Starts `account`'s phone with [`CountingDevices`].
pub fn phone_for(account: SipAccount, trust: TlsTrust) -> phone::Phone {
    phone::Phone::start(
        account,
        trust,
        std::sync::Arc::new(CountingDevices::default()),
    )
}

/// The phone's next call event that `wanted` picks (others are skipped), within 10 s; `what` names it if it never
/// comes.
pub async fn next_call_event(
    events: &mut tokio::sync::broadcast::Receiver<phone::CallEvent>,
    what: &str,
    wanted: impl Fn(&phone::CallEvent) -> bool,
) -> phone::CallEvent {
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match events.recv().await {
                Ok(event) if wanted(&event) => return event,
                Ok(_) => {}
                Err(e) => panic!("the phone's events ended: {e}"),
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("the phone never said {what}"))
}
