//! The dial path of the desk task: placing the call (the answer arrives on its own channel so the desk keeps
//! answering meanwhile), what the answer does to the call view, and the wrap-up of a dial that failed.

use integra::{AgentCall, Campaign};

use super::task::{dial_error, Desk, Dialed};
use super::{check, CallState, CallView, DeskEvent, Intent, NoticeKind, Reply};
use agent_error::{AgentError, ErrorCode, Phrase, Result};

impl Desk {
    pub(super) fn dial(
        &mut self,
        number: String,
        campaign: Option<String>,
        reply: Reply<CallView>,
    ) {
        let prepared =
            check(self.view.state, Intent::Dial, self.options.require_wrap_up).and_then(|()| {
                let number = phone_number::normalize(&number)?;
                let identity = &self.session.identity;
                let campaign = campaign
                    .filter(|c| !c.trim().is_empty())
                    .unwrap_or_else(|| identity.outqueue.clone());
                if campaign.trim().is_empty() {
                    return Err(AgentError::phrased(
                        ErrorCode::InvalidInput,
                        Phrase::new("error.call.campaign"),
                        "pick the campaign to call in",
                    ));
                }
                Ok(AgentCall {
                    callerid: identity.callerid.clone(),
                    agent: identity.agent.clone(),
                    phone: identity.extension.clone(),
                    tech: identity.tech.clone(),
                    context: identity.context.clone(),
                    outqueue: Campaign::new(campaign),
                    destination: number.as_str().to_string(),
                })
            });
        let request = match prepared {
            Ok(request) => request,
            Err(err) => {
                let _ = reply.send(Err(err));
                return;
            }
        };
        // Dialing is shown before the server answers: the agent's phone is about to ring.
        self.view = CallView {
            state: CallState::Dialing,
            number: Some(request.destination.clone()),
            campaign: Some(request.outqueue.to_string()),
            direction: Some(bridge::CallDirection::Outbound),
            started_at: Some(self.now_ms()),
            pending_outbox: self.view.pending_outbox,
            ..CallView::default()
        };
        self.publish();
        self.dialing = Some(reply);
        let (session, secrets, done, events) = (
            self.session.clone(),
            self.secrets.clone(),
            self.dialed.clone(),
            self.events.clone(),
        );
        let call = async move {
            let mut result = session.client.agent_call(&request).await;
            if matches!(result, Err(integra::Error::Unauthorized { .. })) {
                // A 401 means the server did not act on the request: renewing and sending once more is safe.
                match session.renew(&*secrets).await {
                    Ok(()) => result = session.client.agent_call(&request).await,
                    // The saved password no longer works: the window asks for the new one, as on a hang-up.
                    Err(err) => {
                        let _ = events.send(DeskEvent::Notice {
                            kind: NoticeKind::SignInLost,
                            text: err.to_string(),
                            phrase: None,
                        });
                    }
                }
            }
            let _ = done
                .send(Dialed {
                    result: result.map_err(dial_error),
                })
                .await;
        };
        // Its own span (UCAC_LOG=debug): the client's request and answer, timed, on the dial path.
        tokio::spawn(tracing::Instrument::instrument(
            call,
            tracing::debug_span!("agent_call"),
        ));
    }

    pub(super) fn finish_dial(&mut self, done: Dialed) {
        let reply = self.dialing.take();
        let result = match done.result {
            Ok(guid) => {
                self.reached(None);
                self.view.state = CallState::InCall;
                self.view.guid = Some(guid.to_string());
                self.view.started_at = Some(self.now_ms());
                self.view.last_error = None;
                self.own_call_cti(&guid);
                let number = self.view.number.clone().unwrap_or_default();
                self.notice_phrased(
                    NoticeKind::CallPlaced,
                    format!("Calling {number} — GUID {guid}"),
                    Phrase::new("notify.call_placed_body")
                        .with("number", number.as_str())
                        .with("guid", guid.to_string()),
                );
                Ok(self.view.clone())
            }
            Err(err) => {
                // A `0` or a refusal is an answer; only a request that did not get through turns the light.
                let unreachable = matches!(
                    err.code(),
                    ErrorCode::ServerUnreachable | ErrorCode::ServerError
                );
                self.reached(unreachable.then(|| (err.code(), err.to_string())));
                self.view = if self.options.wrap_up_failed_dials {
                    self.failed_attempt(&err)
                } else {
                    CallView {
                        pending_outbox: self.view.pending_outbox,
                        last_error: Some(err.to_ipc()),
                        ..CallView::default()
                    }
                };
                Err(err)
            }
        };
        self.publish();
        if let Some(reply) = reply {
            let _ = reply.send(result);
        }
    }

    /// The wrap-up of a dial that failed: what happened to the attempt can be filed (a wrong number, no line) like
    /// a call's outcome. The server gave no GUID, so the attempt gets its own id, in the GUID's format.
    pub(super) fn failed_attempt(&self, err: &AgentError) -> CallView {
        let now = self.now_ms();
        CallView {
            state: CallState::WrapUp,
            number: self.view.number.clone(),
            campaign: self.view.campaign.clone(),
            guid: Some(uuid::Uuid::new_v4().to_string()),
            started_at: self.view.started_at,
            ended_at: Some(now),
            pending_outbox: self.view.pending_outbox,
            last_error: Some(err.to_ipc()),
            failed_attempt: true,
            ..CallView::default()
        }
    }

    pub(super) fn discard_attempt(&mut self) -> Result<CallView> {
        if self.view.state != CallState::WrapUp || !self.view.failed_attempt {
            return Err(AgentError::phrased(
                ErrorCode::NoCall,
                Phrase::new("error.call.attempt_only"),
                "only the wrap-up of a dial that failed can be left without a disposition",
            ));
        }
        self.view = CallView {
            pending_outbox: self.view.pending_outbox,
            ..CallView::default()
        };
        self.publish();
        Ok(self.view.clone())
    }
}
