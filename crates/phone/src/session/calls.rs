//! The call's side of a connection: the INVITE rung or answered, re-INVITEs both ways, the agent's commands (answer,
//! hang up, mute, hold, digits), the call's end and its media's events.

use super::*;

impl Session<'_> {
    pub(super) async fn on_invite(&mut self, invite: Request) {
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

    pub(super) async fn answer_call(&mut self) {
        let Some(call) = self
            .line
            .call
            .as_mut()
            .filter(|c| c.phase == Phase::Ringing)
        else {
            return;
        };
        let offer = String::from_utf8_lossy(call.invite.body()).into_owned();
        match MediaCall::answer(
            &offer,
            self.context.devices.clone(),
            &self.context.account.ice_servers,
            self.context.account.turn_credential.as_ref(),
        )
        .await
        {
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

    pub(super) async fn on_reinvite(&mut self, request: Request) {
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

    pub(super) async fn on_reinvite_answer(&mut self, number: u32, response: &Response) {
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

    pub(super) async fn on_command(&mut self, command: Command) {
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

    pub(super) async fn hold(&mut self, held: bool) {
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
    pub(super) async fn end_call_now(&mut self, reason: &str) {
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
    pub(super) async fn finish_call(&mut self, by: EndedBy, reason: &str) {
        self.line.finish_call(&self.context.events, by, reason);
    }

    pub(super) async fn on_media(&mut self, event: Option<MediaEvent>) {
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

    pub(super) fn emit(&self, event: CallEvent) {
        let _ = self.context.events.send(event);
    }
}
