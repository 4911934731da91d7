//! The running phone: one task that connects, registers, keeps the registration fresh, answers the server's
//! requests, rings and carries calls, and reconnects with backoff. The shell holds a [`Phone`], watches its
//! [`PhoneState`] and listens to its [`CallEvent`]s.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, oneshot, watch};

use crate::call::CallEvent;
use crate::session::{End, Line, Session};
use crate::{wire, AudioDevices, PhoneError, SipAccount, TlsTrust};

/// What the agent's header shows of the phone.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PhoneState {
    /// Opening the connection or waiting for the registrar's answer.
    Connecting,
    /// Registered: calls reach the app.
    Registered {
        /// The server's grant (refreshed before it ends).
        expires: Duration,
    },
    /// Not registered.
    NotConnected {
        /// Why.
        reason: PhoneError,
        /// When the phone tries again by itself; `None` when someone must change something first (the password,
        /// the address, the certificate).
        retry_in: Option<Duration>,
    },
    /// Stopped (signed out, phone turned off, quitting).
    Stopped,
}

pub(crate) enum Command {
    Stop(oneshot::Sender<()>),
    Reconnect,
    /// AgentCall was sent: the next call within this time is the agent's own and is answered without a key.
    ExpectOwnCall(Duration),
    Answer,
    HangUp,
    /// HungupPhone was sent: wait this long for the server's BYE, then send one.
    EndAfter(Duration),
    Mute(bool),
    Hold(bool),
    Digits(String),
}

/// The phone of one signed-in agent; clones drive the same phone. Dropping every clone stops the task without
/// un-registering; call [`Phone::stop`].
#[derive(Clone)]
pub struct Phone {
    commands: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<PhoneState>,
    events: broadcast::Sender<CallEvent>,
}

impl Phone {
    /// Starts registering `account` in the background (on the current tokio runtime); calls get their audio from
    /// `devices`.
    pub fn start(account: SipAccount, trust: TlsTrust, devices: Arc<dyn AudioDevices>) -> Phone {
        let (commands, receiver) = mpsc::unbounded_channel();
        let (state_sender, state) = watch::channel(PhoneState::Connecting);
        let (events, _) = broadcast::channel(64);
        let context = Context {
            account,
            trust,
            devices,
            state: state_sender,
            events: events.clone(),
        };
        tokio::spawn(run(context, receiver));
        Phone {
            commands,
            state,
            events,
        }
    }

    /// The phone's state, to watch.
    pub fn state(&self) -> watch::Receiver<PhoneState> {
        self.state.clone()
    }

    /// The calls' events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<CallEvent> {
        self.events.subscribe()
    }

    /// Tries again now (after the agent changed a setting, or when they ask to).
    pub fn reconnect(&self) {
        self.send(Command::Reconnect);
    }

    /// Tells the phone that AgentCall was just sent: the call that rings within `window` is the agent's own dial
    /// (the server rings the agent's peer first), answered without a key.
    pub fn expect_own_call(&self, window: Duration) {
        self.send(Command::ExpectOwnCall(window));
    }

    /// Answers the ringing call.
    pub fn answer(&self) {
        self.send(Command::Answer);
    }

    /// Rejects the ringing call (486), or ends the call now (BYE).
    pub fn hang_up(&self) {
        self.send(Command::HangUp);
    }

    /// HungupPhone was sent: the server's BYE ends the call; without one within `grace`, the phone sends its own.
    pub fn end_after(&self, grace: Duration) {
        self.send(Command::EndAfter(grace));
    }

    /// Mutes the microphone (the far end hears silence) or unmutes it.
    pub fn mute(&self, muted: bool) {
        self.send(Command::Mute(muted));
    }

    /// Puts the call on hold (re-INVITE `sendonly`) or resumes it.
    pub fn hold(&self, held: bool) {
        self.send(Command::Hold(held));
    }

    /// Sends keypad digits (RFC 4733), e.g. to an IVR.
    pub fn digits(&self, digits: &str) {
        self.send(Command::Digits(digits.to_string()));
    }

    /// Un-registers (waiting up to [`UNREGISTER_WAIT`] for the server) and closes the connection.
    pub async fn stop(self) {
        let (done, wait) = oneshot::channel();
        if self.commands.send(Command::Stop(done)).is_ok() {
            let _ = wait.await;
        }
    }

    fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }
}

/// How long quitting waits for the server to take the un-registration.
pub const UNREGISTER_WAIT: Duration = Duration::from_secs(2);

/// What the phone's task holds for every connection.
pub(crate) struct Context {
    pub account: SipAccount,
    pub trust: TlsTrust,
    pub devices: Arc<dyn AudioDevices>,
    pub state: watch::Sender<PhoneState>,
    pub events: broadcast::Sender<CallEvent>,
}

async fn run(context: Context, mut commands: mpsc::UnboundedReceiver<Command>) {
    let mut backoff = Backoff::default();
    let mut line = Line::new(&context.account);
    loop {
        context.state.send_replace(PhoneState::Connecting);
        let connected = tokio::select! {
            connected = wire::connect(&context.account.server, &context.trust, &context.account.proxy) => Some(connected),
            command = commands.recv() => match command {
                Some(Command::Stop(done)) => {
                    context.state.send_replace(PhoneState::Stopped);
                    let _ = done.send(());
                    return;
                }
                Some(command) => {
                    line.offline(command, &context.events);
                    None
                }
                None => return,
            },
        };
        let end = match connected {
            None => continue,
            Some(Ok(socket)) => {
                let mut session = Session::new(&context, socket, line);
                let end = session.run(&mut commands, &mut backoff).await;
                line = session.into_line();
                end
            }
            Some(Err(e)) if e.is_transient() => End::Retry(e),
            Some(Err(e)) => End::Stop(e),
        };
        let (reason, wait) = match end {
            End::Stopped(done) => {
                context.state.send_replace(PhoneState::Stopped);
                let _ = done.send(());
                return;
            }
            End::Retry(reason) => (reason, Some(backoff.next())),
            End::Stop(reason) => (reason, None),
        };
        tracing::info!(%reason, retry_in = ?wait, "phone not connected");
        context.state.send_replace(PhoneState::NotConnected {
            reason,
            retry_in: wait,
        });
        let sleep = async {
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                () = &mut sleep => break,
                event = line.next_media() => line.offline_media(event, &context.events),
                command = commands.recv() => match command {
                    Some(Command::Stop(done)) => {
                        context.state.send_replace(PhoneState::Stopped);
                        let _ = done.send(());
                        return;
                    }
                    Some(Command::Reconnect) => {
                        backoff = Backoff::default();
                        break;
                    }
                    Some(command) => line.offline(command, &context.events),
                    None => return,
                },
            }
        }
    }
}

/// 1 s, 2 s, 4 s … up to 60 s, with up to a fifth added at random so hundreds of desks that lost the same server
/// do not come back in the same second.
#[derive(Default)]
pub(crate) struct Backoff {
    failures: u32,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let base = Duration::from_secs(1 << self.failures.min(6)).min(Duration::from_secs(60));
        self.failures += 1;
        let mut byte = [0u8; 1];
        let _ = getrandom::fill(&mut byte);
        base + base.mul_f64(f64::from(byte[0]) / 255.0 / 5.0)
    }
}
