//! One connection's life: the registration over it, the server's requests, and the call (one at a time: a second
//! INVITE while a call is up is answered 486 Busy Here — an agent takes one call at a time, and uContact's queues
//! do not offer a busy agent another).

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rsipstack::sip::{Request, Response, SipMessage};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::call::{Call, CallEvent, EndedBy, Phase};
use crate::media::{MediaCall, MediaError, MediaEvent};
use crate::message;
use crate::redact;
use crate::registration::{Outcome, Registrar};
use crate::user_agent::{Backoff, Command, Context, PhoneState, UNREGISTER_WAIT};
use crate::wire::SipSocket;

mod calls;
mod line;

use crate::PhoneError;
pub(crate) use line::Line;

/// RFC 3261's Timer F: a request with no final answer by then has failed (and Timer H for an ACK).
const ANSWER_TIME: Duration = Duration::from_secs(32);
/// A WebSocket ping this often; a connection silent for twice this long is taken as dropped (sleep, network change).
const PING_EVERY: Duration = Duration::from_secs(25);

/// How a connection ended.
pub(crate) enum End {
    Stopped(tokio::sync::oneshot::Sender<()>),
    /// Try again by itself after a backoff.
    Retry(PhoneError),
    /// Wait for someone to change something.
    Stop(PhoneError),
}

pub(crate) struct Session<'a> {
    context: &'a Context,
    line: Line,
    socket: SipSocket,
    /// When to refresh the registration.
    refresh_at: Option<Instant>,
    /// The outstanding REGISTER's deadline.
    answer_by: Option<Instant>,
    last_heard: Instant,
    next_ping: Instant,
    /// Set while un-registering before a stop: the caller to tell, and the deadline.
    stopping: Option<(tokio::sync::oneshot::Sender<()>, Instant)>,
}

impl<'a> Session<'a> {
    pub(crate) fn new(context: &'a Context, socket: SipSocket, line: Line) -> Session<'a> {
        let now = Instant::now();
        Session {
            context,
            line,
            socket,
            refresh_at: None,
            answer_by: None,
            last_heard: now,
            next_ping: now + PING_EVERY,
            stopping: None,
        }
    }

    /// What the connection leaves for the next one.
    pub(crate) fn into_line(self) -> Line {
        self.line
    }

    pub(crate) async fn run(
        &mut self,
        commands: &mut mpsc::UnboundedReceiver<Command>,
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
                self.line.call_deadline,
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
                    if let Some(end) = self.on_frame(&text, backoff).await {
                        return end;
                    }
                }
                event = next_media_event(&mut self.line.call) => self.on_media(event).await,
                command = commands.recv(), if self.stopping.is_none() => match command {
                    Some(Command::Stop(done)) => {
                        self.end_call_now("the phone was turned off").await;
                        if self.send_register(0).await.is_err() {
                            return End::Stopped(done);
                        }
                        self.stopping = Some((done, Instant::now() + UNREGISTER_WAIT));
                    }
                    Some(command) => self.on_command(command).await,
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

    async fn on_frame(&mut self, text: &str, backoff: &mut Backoff) -> Option<End> {
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
                self.on_request(request).await;
                None
            }
            SipMessage::Response(response) => match message::cseq(&response) {
                Some((_, method)) if method == "REGISTER" => {
                    self.on_register_answer(&response, backoff).await
                }
                Some((number, method)) if method == "INVITE" => {
                    self.on_reinvite_answer(number, &response).await;
                    None
                }
                _ => None,
            },
        }
    }

    async fn on_register_answer(
        &mut self,
        response: &Response,
        backoff: &mut Backoff,
    ) -> Option<End> {
        match self.line.registrar.on_response(response) {
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
                tracing::info!(user = %self.context.account.user, ?expires, "phone registered");
                self.context
                    .state
                    .send_replace(PhoneState::Registered { expires });
                None
            }
            Outcome::Unregistered => self.stopping.take().map(|(done, _)| End::Stopped(done)),
            Outcome::Failed(e) => Some(self.unless_stopping(e, End::Stop)),
            Outcome::Retry(e) => Some(self.unless_stopping(e, End::Retry)),
        }
    }

    /// A failure while un-registering still ends in the stop the caller asked for.
    fn unless_stopping(&mut self, error: PhoneError, end: fn(PhoneError) -> End) -> End {
        match self.stopping.take() {
            Some((done, _)) => End::Stopped(done),
            None => end(error),
        }
    }

    async fn on_request(&mut self, request: Request) {
        let method = request.method.to_string().to_ascii_uppercase();
        let ours = self.line.call.as_ref().is_some_and(|c| c.owns(&request));
        match method.as_str() {
            "INVITE" if ours => self.on_reinvite(request).await,
            "INVITE" => self.on_invite(request).await,
            "ACK" if ours => {
                if let Some(call) = self
                    .line
                    .call
                    .as_mut()
                    .filter(|c| c.phase == Phase::Answered)
                {
                    call.phase = Phase::Confirmed;
                    self.line.call_deadline = None;
                }
            }
            "ACK" => {}
            "BYE" if ours => {
                let _ = self
                    .send(message::response(&request, 200, "OK", None, &[]))
                    .await;
                let by = if self.line.agent_hung_up {
                    EndedBy::Agent
                } else {
                    EndedBy::Remote
                };
                self.finish_call(by, "").await;
            }
            "CANCEL" if ours => {
                let _ = self
                    .send(message::response(&request, 200, "OK", None, &[]))
                    .await;
                if let Some(call) = self
                    .line
                    .call
                    .as_ref()
                    .filter(|c| c.phase == Phase::Ringing)
                {
                    let terminated = call.answer_invite(
                        487,
                        "Request Terminated",
                        &self.line.registrar.contact_uri(),
                        None,
                    );
                    let _ = self.send(terminated).await;
                    self.finish_call(EndedBy::Remote, "the caller hung up before the answer")
                        .await;
                }
            }
            "OPTIONS" | "INFO" if method == "OPTIONS" || ours => {
                let extra = [
                    format!("Allow: {}", message::ALLOW),
                    "Accept: application/sdp".into(),
                ];
                let _ = self
                    .send(message::response(
                        &request,
                        200,
                        "OK",
                        Some(&message::token(10)),
                        &extra,
                    ))
                    .await;
            }
            "BYE" | "CANCEL" | "INFO" => {
                let answer = message::response(
                    &request,
                    481,
                    "Call/Transaction Does Not Exist",
                    Some(&message::token(10)),
                    &[],
                );
                let _ = self.send(answer).await;
            }
            _ => {
                let allow = [format!("Allow: {}", message::ALLOW)];
                let answer = message::response(
                    &request,
                    405,
                    "Method Not Allowed",
                    Some(&message::token(10)),
                    &allow,
                );
                let _ = self.send(answer).await;
            }
        }
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
        if self.line.call_deadline.is_some_and(|at| at <= now) {
            // No ACK for our 200, or no BYE from the server after HungupPhone: end it ourselves.
            self.line.call_deadline = None;
            self.end_call_now("").await;
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
        let expires = u32::try_from(self.context.account.expires.as_secs()).unwrap_or(3600);
        self.send_register(expires).await
    }

    async fn send_register(&mut self, expires: u32) -> Result<(), PhoneError> {
        let text = self.line.registrar.request(expires);
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

    /// The connection dropped. A call whose media still flows keeps going (its audio does not cross the
    /// WebSocket); the new connection's registration brings the signalling back.
    fn dropped(&mut self, detail: String) -> End {
        self.unless_stopping(PhoneError::Dropped { detail }, End::Retry)
    }
}

/// The call's next media event; pending forever when there is no call with media.
async fn next_media_event(call: &mut Option<Call>) -> Option<MediaEvent> {
    match call.as_mut().and_then(|c| c.media.as_mut()) {
        Some(media) => media.events.recv().await,
        None => std::future::pending().await,
    }
}
