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
use crate::PhoneError;

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

/// What outlives a connection: the registration's identity (its Call-ID and contact, so a new connection
/// refreshes the same binding) and the call, whose media does not cross the WebSocket: a call keeps going through
/// a dropped connection and can still be ended (the BYE goes over the next one).
pub(crate) struct Line {
    registrar: Registrar,
    call: Option<Call>,
    /// AgentCall was sent: a call before this instant is the agent's own.
    own_call_until: Option<Instant>,
    /// The ACK of our 200 is due by then, or the call's BYE must go out then (after HungupPhone's grace).
    call_deadline: Option<Instant>,
    /// The agent hung up (HungupPhone): the BYE that ends the call is theirs, whoever sends it.
    agent_hung_up: bool,
}

impl Line {
    pub(crate) fn new(account: &crate::SipAccount) -> Line {
        Line {
            registrar: Registrar::new(account.clone()),
            call: None,
            own_call_until: None,
            call_deadline: None,
            agent_hung_up: false,
        }
    }

    /// Forgets the call (its media stops) and says so.
    fn finish_call(
        &mut self,
        events: &tokio::sync::broadcast::Sender<CallEvent>,
        by: EndedBy,
        reason: &str,
    ) {
        let Some(call) = self.call.take() else { return };
        self.call_deadline = None;
        let answered = call.phase != Phase::Ringing;
        tracing::info!(call = %call.id, ?by, answered, reason, "call ended");
        let _ = events.send(CallEvent::Ended {
            call: call.id,
            by,
            answered,
            caller: call.caller,
            reason: reason.to_string(),
        });
        self.agent_hung_up = false;
    }

    /// A command while there is no connection: the media still obeys (mute, digits); ending the call ends it here
    /// (the server's side ends by its own timers); answering and hold need the server and wait.
    pub(crate) fn offline(
        &mut self,
        command: Command,
        events: &tokio::sync::broadcast::Sender<CallEvent>,
    ) {
        let media = self.call.as_ref().and_then(|c| c.media.as_ref());
        match command {
            Command::Mute(muted) => media.into_iter().for_each(|m| m.mute(muted)),
            Command::Digits(digits) => media.into_iter().for_each(|m| m.digits(&digits)),
            Command::HangUp | Command::EndAfter(_) => self.finish_call(
                events,
                EndedBy::Agent,
                "ended while the phone server was not connected",
            ),
            Command::ExpectOwnCall(window) => self.own_call_until = Some(Instant::now() + window),
            Command::Answer | Command::Hold(_) => {
                tracing::info!("not connected: the call cannot be answered or held now")
            }
            Command::Stop(_) | Command::Reconnect => {}
        }
    }

    /// The call's media ended or failed while there is no connection.
    pub(crate) fn offline_media(
        &mut self,
        event: Option<MediaEvent>,
        events: &tokio::sync::broadcast::Sender<CallEvent>,
    ) {
        if matches!(event, None | Some(MediaEvent::Failed(_))) {
            self.finish_call(events, EndedBy::Agent, "the call's audio path failed");
        }
    }

    /// The call's next media event (pending forever without one), for the offline wait.
    pub(crate) async fn next_media(&mut self) -> Option<MediaEvent> {
        next_media_event(&mut self.call).await
    }
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

    async fn on_invite(&mut self, invite: Request) {
        let tag = message::token(10);
        if self.line.call.is_some() {
            let _ = self
                .send(message::response(
                    &invite,
                    486,
                    "Busy Here",
                    Some(&tag),
                    &[],
                ))
                .await;
            return;
        }
        let offer = String::from_utf8_lossy(invite.body()).into_owned();
        if !crate::media::offers_g711(&offer) {
            let reason = "Not Acceptable Here";
            let _ = self
                .send(message::response(&invite, 488, reason, Some(&tag), &[]))
                .await;
            return;
        }
        let own = self
            .line
            .own_call_until
            .take()
            .is_some_and(|until| until >= Instant::now());
        let Some(call) = Call::new(invite, own) else {
            return;
        };
        let _ = self
            .send(message::response(&call.invite, 100, "Trying", None, &[]))
            .await;
        let own = call.own;
        self.line.call = Some(call);
        self.line.agent_hung_up = false;
        if own {
            self.answer_call().await;
        } else {
            let ringing =
                self.line.call.as_ref().map(|c| {
                    c.answer_invite(180, "Ringing", &self.line.registrar.contact_uri(), None)
                });
            if let Some(ringing) = ringing {
                let _ = self.send(ringing).await;
            }
            if let Some(call) = &self.line.call {
                self.emit(CallEvent::Ringing {
                    call: call.id.clone(),
                    caller: call.caller.clone(),
                    guid: call.guid.clone(),
                });
            }
        }
    }

    async fn answer_call(&mut self) {
        let Some(call) = self
            .line
            .call
            .as_mut()
            .filter(|c| c.phase == Phase::Ringing)
        else {
            return;
        };
        let offer = String::from_utf8_lossy(call.invite.body()).into_owned();
        match MediaCall::answer(&offer, self.context.devices.clone()).await {
            Ok((media, answer)) => {
                let contact = self.line.registrar.contact_uri();
                let Some(call) = self.line.call.as_mut() else {
                    return;
                };
                let ok = call.answer_invite(200, "OK", &contact, Some(&answer));
                call.media = Some(media);
                call.phase = Phase::Answered;
                let event = CallEvent::Answered {
                    call: call.id.clone(),
                    own: call.own,
                    caller: call.caller.clone(),
                    guid: call.guid.clone(),
                };
                self.line.call_deadline = Some(Instant::now() + ANSWER_TIME);
                let _ = self.send(ok).await;
                self.emit(event);
            }
            Err(e) => {
                let (code, reason) = match e {
                    MediaError::NoCommonCodec => (488, "Not Acceptable Here"),
                    _ => (503, "Service Unavailable"),
                };
                tracing::warn!(%e, "the call could not be answered");
                let refusal =
                    call.answer_invite(code, reason, &self.line.registrar.contact_uri(), None);
                let _ = self.send(refusal).await;
                self.finish_call(EndedBy::Agent, &e.to_string()).await;
            }
        }
    }

    async fn on_reinvite(&mut self, request: Request) {
        let offer = String::from_utf8_lossy(request.body()).into_owned();
        let Some(call) = self.line.call.as_ref() else {
            return;
        };
        let Some(media) = call.media.as_ref() else {
            let busy = message::response(&request, 491, "Request Pending", None, &[]);
            let _ = self.send(busy).await;
            return;
        };
        let held = matches!(crate::media::direction(&offer), "sendonly" | "inactive");
        match media.remote_offer(offer).await {
            Ok(answer) => {
                let extra = [format!("Contact: {}", self.line.registrar.contact_uri())];
                let ok = message::dialog_response(
                    &request,
                    200,
                    "OK",
                    &call.local_tag,
                    &extra,
                    Some(&answer),
                );
                let id = call.id.clone();
                let _ = self.send(ok).await;
                self.emit(CallEvent::Hold {
                    call: id,
                    held,
                    by_agent: false,
                });
            }
            Err(e) => {
                tracing::warn!(%e, "a re-INVITE could not be taken");
                let refusal = message::response(&request, 488, "Not Acceptable Here", None, &[]);
                let _ = self.send(refusal).await;
            }
        }
    }

    async fn on_reinvite_answer(&mut self, number: u32, response: &Response) {
        let code = u16::from(response.status_code.clone());
        if code < 200 {
            return;
        }
        let (via, contact) = (
            self.line.registrar.contact_host().to_string(),
            self.line.registrar.contact_uri(),
        );
        let Some(call) = self.line.call.as_mut() else {
            return;
        };
        let Some((pending, held)) = call.reinvite.filter(|(n, _)| *n == number) else {
            return;
        };
        call.reinvite = None;
        if (200..300).contains(&code) {
            let ack = call.request("ACK", &via, &contact, Some(pending)).render();
            let answer = String::from_utf8_lossy(response.body()).into_owned();
            let applied = match &call.media {
                Some(media) => media.remote_answer(answer).await,
                None => Err(MediaError::Ended),
            };
            call.held_by_agent = held;
            let id = call.id.clone();
            let _ = self.send(ack).await;
            if let Err(e) = applied {
                tracing::warn!(%e, "the answer to our re-INVITE could not be used");
            }
            self.emit(CallEvent::Hold {
                call: id,
                held,
                by_agent: true,
            });
        } else {
            tracing::info!(code, "the server refused the hold re-INVITE");
        }
    }

    async fn on_command(&mut self, command: Command) {
        match command {
            Command::ExpectOwnCall(window) => {
                self.line.own_call_until = Some(Instant::now() + window)
            }
            Command::Answer => self.answer_call().await,
            Command::HangUp => self.end_call_now("").await,
            Command::EndAfter(grace) => {
                self.line.agent_hung_up = true;
                if self
                    .line
                    .call
                    .as_ref()
                    .is_some_and(|c| c.phase == Phase::Ringing)
                {
                    self.end_call_now("").await;
                } else if self.line.call.is_some() {
                    self.line.call_deadline = Some(Instant::now() + grace);
                }
            }
            Command::Mute(muted) => {
                if let Some(media) = self.line.call.as_ref().and_then(|c| c.media.as_ref()) {
                    media.mute(muted);
                }
            }
            Command::Hold(held) => self.hold(held).await,
            Command::Digits(digits) => {
                if let Some(media) = self.line.call.as_ref().and_then(|c| c.media.as_ref()) {
                    media.digits(&digits);
                }
            }
            Command::Stop(_) | Command::Reconnect => {}
        }
    }

    async fn hold(&mut self, held: bool) {
        let (via, contact) = (
            self.line.registrar.contact_host().to_string(),
            self.line.registrar.contact_uri(),
        );
        let Some(call) = self
            .line
            .call
            .as_mut()
            .filter(|c| c.phase == Phase::Confirmed && c.reinvite.is_none())
        else {
            return;
        };
        if call.held_by_agent == held {
            return;
        }
        let Some(media) = call.media.as_ref() else {
            return;
        };
        let offer = match media.local_offer(held).await {
            Ok(offer) => offer,
            Err(e) => {
                tracing::warn!(%e, "no offer for the hold re-INVITE");
                return;
            }
        };
        let request = call
            .request("INVITE", &via, &contact, None)
            .sdp(&offer)
            .render();
        if let Some((number, _)) = message::parse(&request).ok().and_then(|m| match m {
            SipMessage::Request(r) => message::cseq(&r),
            SipMessage::Response(_) => None,
        }) {
            call.reinvite = Some((number, held));
        }
        let _ = self.send(request).await;
    }

    /// Rejects a ringing call (486) or sends BYE for an answered one, and ends it.
    async fn end_call_now(&mut self, reason: &str) {
        let (via, contact) = (
            self.line.registrar.contact_host().to_string(),
            self.line.registrar.contact_uri(),
        );
        let Some(call) = self.line.call.as_mut() else {
            return;
        };
        let text = match call.phase {
            Phase::Ringing => call.answer_invite(486, "Busy Here", &contact, None),
            Phase::Answered | Phase::Confirmed => {
                call.request("BYE", &via, &contact, None).render()
            }
        };
        let _ = self.send(text).await;
        self.finish_call(EndedBy::Agent, reason).await;
    }

    /// Forgets the call (its media stops) and says so.
    async fn finish_call(&mut self, by: EndedBy, reason: &str) {
        self.line.finish_call(&self.context.events, by, reason);
    }

    async fn on_media(&mut self, event: Option<MediaEvent>) {
        let Some(id) = self.line.call.as_ref().map(|c| c.id.clone()) else {
            return;
        };
        match event {
            Some(MediaEvent::Connected) => self.emit(CallEvent::Connected { call: id }),
            Some(MediaEvent::Digit(digit)) => self.emit(CallEvent::Digit { call: id, digit }),
            Some(MediaEvent::Failed(reason)) => self.end_call_now(&reason).await,
            None => self.end_call_now("the call's media ended").await,
        }
    }

    fn emit(&self, event: CallEvent) {
        let _ = self.context.events.send(event);
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
