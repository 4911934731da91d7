//! The running phone: one task that connects, registers, keeps the registration fresh, answers the server's
//! requests and reconnects with backoff. The shell holds a [`Phone`] and watches its [`PhoneState`].

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rsipstack::sip::{Request, SipMessage};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::message;
use crate::redact;
use crate::registration::{Outcome, Registrar};
use crate::wire::{self, SipSocket};
use crate::{PhoneError, SipAccount, TlsTrust};

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

enum Command {
    Stop(oneshot::Sender<()>),
    Reconnect,
}

/// The phone of one signed-in agent. Dropping it stops the task without un-registering; call [`Phone::stop`].
pub struct Phone {
    commands: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<PhoneState>,
}

impl Phone {
    /// Starts registering `account` in the background (on the current tokio runtime).
    pub fn start(account: SipAccount, trust: TlsTrust) -> Phone {
        let (commands, receiver) = mpsc::unbounded_channel();
        let (state_sender, state) = watch::channel(PhoneState::Connecting);
        tokio::spawn(run(account, trust, receiver, state_sender));
        Phone { commands, state }
    }

    /// The phone's state, to watch.
    pub fn state(&self) -> watch::Receiver<PhoneState> {
        self.state.clone()
    }

    /// Tries again now (after the agent changed a setting, or when they ask to).
    pub fn reconnect(&self) {
        let _ = self.commands.send(Command::Reconnect);
    }

    /// Un-registers (waiting up to [`UNREGISTER_WAIT`] for the server) and closes the connection.
    pub async fn stop(self) {
        let (done, wait) = oneshot::channel();
        if self.commands.send(Command::Stop(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

/// How long quitting waits for the server to take the un-registration.
pub const UNREGISTER_WAIT: Duration = Duration::from_secs(2);
/// RFC 3261's Timer F: a request with no final answer by then has failed.
const ANSWER_TIME: Duration = Duration::from_secs(32);
/// A WebSocket ping this often; a connection silent for twice this long is taken as dropped (sleep, network change).
const PING_EVERY: Duration = Duration::from_secs(25);

/// How a connection ended.
enum End {
    Stopped(oneshot::Sender<()>),
    /// Try again by itself after a backoff.
    Retry(PhoneError),
    /// Wait for someone to change something.
    Stop(PhoneError),
}

async fn run(
    account: SipAccount,
    trust: TlsTrust,
    mut commands: mpsc::UnboundedReceiver<Command>,
    state: watch::Sender<PhoneState>,
) {
    let mut backoff = Backoff::default();
    loop {
        state.send_replace(PhoneState::Connecting);
        let end = tokio::select! {
            connected = wire::connect(&account.server, &trust) => match connected {
                Ok(socket) => Session::new(account.clone(), socket).run(&mut commands, &state, &mut backoff).await,
                Err(e) if e.is_transient() => End::Retry(e),
                Err(e) => End::Stop(e),
            },
            command = commands.recv() => match command {
                Some(Command::Stop(done)) => End::Stopped(done),
                Some(Command::Reconnect) => continue,
                None => return,
            },
        };
        let (reason, wait) = match end {
            End::Stopped(done) => {
                state.send_replace(PhoneState::Stopped);
                let _ = done.send(());
                return;
            }
            End::Retry(reason) => (reason, Some(backoff.next())),
            End::Stop(reason) => (reason, None),
        };
        tracing::info!(%reason, retry_in = ?wait, "phone not connected");
        state.send_replace(PhoneState::NotConnected {
            reason,
            retry_in: wait,
        });
        let sleep = async {
            match wait {
                Some(wait) => tokio::time::sleep(wait).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = sleep => {}
            command = commands.recv() => match command {
                Some(Command::Stop(done)) => {
                    state.send_replace(PhoneState::Stopped);
                    let _ = done.send(());
                    return;
                }
                Some(Command::Reconnect) => backoff = Backoff::default(),
                None => return,
            },
        }
    }
}

/// 1 s, 2 s, 4 s … up to 60 s, with up to a fifth added at random so hundreds of desks that lost the same server
/// do not come back in the same second.
#[derive(Default)]
struct Backoff {
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

/// One connection's life.
struct Session {
    registrar: Registrar,
    account: SipAccount,
    socket: SipSocket,
    /// When to refresh the registration (or, before the first answer, nothing).
    refresh_at: Option<Instant>,
    /// The outstanding REGISTER's deadline.
    answer_by: Option<Instant>,
    last_heard: Instant,
    next_ping: Instant,
    /// Set while un-registering before a stop: the caller to tell, and the deadline.
    stopping: Option<(oneshot::Sender<()>, Instant)>,
}

impl Session {
    fn new(account: SipAccount, socket: SipSocket) -> Session {
        let now = Instant::now();
        Session {
            registrar: Registrar::new(account.clone()),
            account,
            socket,
            refresh_at: None,
            answer_by: None,
            last_heard: now,
            next_ping: now + PING_EVERY,
            stopping: None,
        }
    }

    async fn run(
        mut self,
        commands: &mut mpsc::UnboundedReceiver<Command>,
        state: &watch::Sender<PhoneState>,
        backoff: &mut Backoff,
    ) -> End {
        if let Err(e) = self.register().await {
            return End::Retry(e);
        }
        loop {
            let deadline = [
                self.refresh_at,
                self.answer_by,
                Some(self.next_ping),
                self.stopping.as_ref().map(|s| s.1),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.next_ping);
            tokio::select! {
                frame = self.socket.next() => {
                    self.last_heard = Instant::now();
                    let text = match frame {
                        Some(Ok(Message::Text(text))) => text.to_string(),
                        Some(Ok(Message::Binary(bytes))) => String::from_utf8_lossy(&bytes).into_owned(),
                        Some(Ok(Message::Close(_))) | None => return self.dropped("the server closed the connection".into()),
                        Some(Ok(_)) => continue,
                        Some(Err(e)) => return self.dropped(e.to_string()),
                    };
                    if let Some(end) = self.on_frame(&text, state, backoff).await {
                        return end;
                    }
                }
                command = commands.recv(), if self.stopping.is_none() => match command {
                    Some(Command::Stop(done)) => {
                        if self.registrar_idle_send(0).await.is_err() {
                            return End::Stopped(done);
                        }
                        self.stopping = Some((done, Instant::now() + UNREGISTER_WAIT));
                    }
                    Some(Command::Reconnect) => {}
                    None => return End::Retry(PhoneError::Dropped { detail: "the app is closing".into() }),
                },
                () = tokio::time::sleep_until(deadline) => {
                    if let Some(end) = self.on_timer().await {
                        return end;
                    }
                }
            }
        }
    }

    async fn on_frame(
        &mut self,
        text: &str,
        state: &watch::Sender<PhoneState>,
        backoff: &mut Backoff,
    ) -> Option<End> {
        tracing::debug!(message = %redact::for_log(text), "phone received");
        let message = match message::parse(text) {
            Ok(message) => message,
            Err(why) => {
                tracing::warn!(first_line = %redact::first_line(text), %why, "phone dropped a malformed SIP message");
                return None;
            }
        };
        match message {
            SipMessage::Request(request) => {
                self.on_request(&request).await;
                None
            }
            SipMessage::Response(response) => match self.registrar.on_response(&response) {
                Outcome::Ignored => None,
                Outcome::Send(text) => match self.send(text).await {
                    Ok(()) => {
                        self.answer_by = Some(Instant::now() + ANSWER_TIME);
                        None
                    }
                    Err(e) => Some(End::Retry(e)),
                },
                Outcome::Registered { expires } => {
                    self.answer_by = None;
                    *backoff = Backoff::default();
                    let refresh = (expires * 4 / 5).max(Duration::from_secs(1));
                    self.refresh_at = Some(Instant::now() + refresh);
                    tracing::info!(user = %self.account.user, ?expires, "phone registered");
                    state.send_replace(PhoneState::Registered { expires });
                    None
                }
                Outcome::Unregistered => self.stopping.take().map(|(done, _)| End::Stopped(done)),
                Outcome::Failed(e) => Some(self.unless_stopping(e, End::Stop)),
                Outcome::Retry(e) => Some(self.unless_stopping(e, End::Retry)),
            },
        }
    }

    /// A failure while un-registering still ends in the stop the caller asked for.
    fn unless_stopping(&mut self, error: PhoneError, end: fn(PhoneError) -> End) -> End {
        match self.stopping.take() {
            Some((done, _)) => End::Stopped(done),
            None => end(error),
        }
    }

    async fn on_request(&mut self, request: &Request) {
        let method = request.method.to_string().to_ascii_uppercase();
        let tag = message::token(10);
        let answer = match method.as_str() {
            "OPTIONS" => message::response(
                request,
                200,
                "OK",
                Some(&tag),
                &[
                    format!("Allow: {}", message::ALLOW),
                    "Accept: application/sdp".into(),
                ],
            ),
            "ACK" => return,
            "BYE" | "CANCEL" | "INFO" => message::response(
                request,
                481,
                "Call/Transaction Does Not Exist",
                Some(&tag),
                &[],
            ),
            // Calls are answered from the next step of the phone on; until then the server tries elsewhere.
            "INVITE" => message::response(request, 480, "Temporarily Unavailable", Some(&tag), &[]),
            _ => message::response(
                request,
                405,
                "Method Not Allowed",
                Some(&tag),
                &[format!("Allow: {}", message::ALLOW)],
            ),
        };
        let _ = self.send(answer).await;
    }

    async fn on_timer(&mut self) -> Option<End> {
        let now = Instant::now();
        if let Some((_, by)) = &self.stopping {
            if *by <= now {
                // The server did not take the un-registration in time: close anyway; it expires on its own.
                let (done, _) = self.stopping.take()?;
                return Some(End::Stopped(done));
            }
        }
        if self.answer_by.is_some_and(|by| by <= now) {
            return Some(End::Retry(PhoneError::NoAnswer {
                method: "REGISTER".into(),
                secs: ANSWER_TIME.as_secs(),
            }));
        }
        if self.refresh_at.is_some_and(|at| at <= now) {
            self.refresh_at = None;
            if let Err(e) = self.register().await {
                return Some(End::Retry(e));
            }
        }
        if self.next_ping <= now {
            if now.duration_since(self.last_heard) > PING_EVERY * 2 {
                return Some(self.dropped("the server stopped answering".into()));
            }
            self.next_ping = now + PING_EVERY;
            if let Err(e) = self.socket.send(Message::Ping(Vec::new().into())).await {
                return Some(self.dropped(e.to_string()));
            }
        }
        None
    }

    async fn register(&mut self) -> Result<(), PhoneError> {
        let expires = u32::try_from(self.account.expires.as_secs()).unwrap_or(3600);
        self.registrar_idle_send(expires).await
    }

    async fn registrar_idle_send(&mut self, expires: u32) -> Result<(), PhoneError> {
        let text = self.registrar.request(expires);
        self.answer_by = Some(Instant::now() + ANSWER_TIME);
        self.send(text).await
    }

    async fn send(&mut self, text: String) -> Result<(), PhoneError> {
        tracing::debug!(message = %redact::for_log(&text), "phone sent");
        self.socket
            .send(Message::Text(text.into()))
            .await
            .map_err(|e| PhoneError::Dropped {
                detail: e.to_string(),
            })
    }

    fn dropped(&mut self, detail: String) -> End {
        self.unless_stopping(PhoneError::Dropped { detail }, End::Retry)
    }
}
