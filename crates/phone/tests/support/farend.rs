//! The far end no one here wrote: aiortc driven over SIP-over-WebSocket by tests/phone/farend/farend.py, playing
//! uContact's Asterisk (it INVITEs the agent's peer through kamailio). Commands go in as JSON lines; its events
//! come out as JSON lines and are waited for by name with a deadline.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Kamailio;

/// A running far end; dropping it kills it.
pub struct FarEnd {
    child: Child,
    stdin: ChildStdin,
    events: mpsc::Receiver<Value>,
    /// Every event seen, in order.
    pub seen: Vec<Value>,
}

fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::var_os("FAREND_PYTHON")
        .map(PathBuf::from)
        .unwrap_or(root.join(".venv/bin/python"))
}

impl FarEnd {
    /// Starts the far end as `asterisk` on `kamailio`, registered, with `args` added.
    pub fn start(kamailio: &Kamailio, args: &[&str]) -> FarEnd {
        let script = super::rig_dir().join("farend/farend.py");
        let mut child = Command::new(python())
            .arg(script)
            .args(["--wss", &kamailio.wss, "--ca"])
            .arg(kamailio.ca_path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the venv's python runs farend.py (scripts/setup-debian.sh installs aiortc)");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Ok(event) = serde_json::from_str::<Value>(&line) {
                    if sender.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        let mut far = FarEnd {
            child,
            stdin,
            events,
            seen: Vec::new(),
        };
        far.wait("registered", Duration::from_secs(15));
        far
    }

    /// Sends a command.
    pub fn send(&mut self, command: Value) {
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next event called `name` (earlier ones of other names are kept in `seen`); panics after `within`.
    pub fn wait(&mut self, name: &str, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    self.seen.push(event.clone());
                    if event["event"] == name {
                        return event;
                    }
                }
                Err(_) => panic!("the far end never said {name}; it said {:#?}", self.seen),
            }
        }
    }
}

impl Drop for FarEnd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
