//! What outlives one connection: the registration's identity and the call (see [`Line`]).

use super::*;

/// What outlives a connection: the registration's identity (its Call-ID and contact, so a new connection
/// refreshes the same binding) and the call, whose media does not cross the WebSocket: a call keeps going through
/// a dropped connection and can still be ended (the BYE goes over the next one).
pub(crate) struct Line {
    pub(super) registrar: Registrar,
    pub(super) call: Option<Call>,
    /// AgentCall was sent: a call before this instant is the agent's own.
    pub(super) own_call_until: Option<Instant>,
    /// The ACK of our 200 is due by then, or the call's BYE must go out then (after HungupPhone's grace).
    pub(super) call_deadline: Option<Instant>,
    /// The agent hung up (HungupPhone): the BYE that ends the call is theirs, whoever sends it.
    pub(super) agent_hung_up: bool,
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
    pub(super) fn finish_call(
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
