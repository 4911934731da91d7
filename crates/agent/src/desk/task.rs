//! The task behind [`super::DeskHandle`]: state transitions with their I/O.

use std::sync::Arc;

use integra::{AgentCall, CallGuid, Campaign, NaiveDateTime, TagRecord};
use tokio::sync::{broadcast, mpsc};

use super::disposing::{plan_disposition, Filing, Sending};
use super::{
    check, CallState, CallView, Command, DeskEvent, DeskOptions, Disposed, DispositionForm, Intent,
    NoticeKind, Reply,
};
use crate::courier::{Courier, CourierEvent};
use crate::error::{AgentError, ErrorCode, IpcError, Result};
use crate::outbox::Job;
use crate::phone;
use crate::secrets::SecretStore;
use crate::session::Session;

/// AgentCall's outcome, sent back to the task by the request running beside it.
pub(super) struct Dialed {
    result: Result<CallGuid>,
}

pub(super) struct Desk {
    pub session: Session,
    pub secrets: Arc<dyn SecretStore>,
    pub options: DeskOptions,
    pub view: CallView,
    pub events: broadcast::Sender<DeskEvent>,
    pub dialing: Option<Reply<CallView>>,
    pub dialed: mpsc::Sender<Dialed>,
    /// The outbox's one sender, and the desk's only way to the outbox: its first try of an item goes through it
    /// too. Its clock is the desk's.
    pub courier: Courier,
    /// The respool editor's draft and the GUID of the call it belongs to.
    pub draft: Option<(crate::cti::RespoolDraft, String)>,
}

impl Desk {
    /// Now on the one injected clock (Unix ms), for the call's times.
    pub(super) fn now_ms(&self) -> i64 {
        self.courier.now_ms()
    }

    /// Now on the same clock in local time, as dates typed by the agent are meant.
    fn local_now(&self) -> NaiveDateTime {
        chrono::DateTime::from_timestamp_millis(self.now_ms())
            .unwrap_or_default()
            .with_timezone(&chrono::Local)
            .naive_local()
    }

    pub async fn run(
        mut self,
        mut inbox: mpsc::Receiver<Command>,
        mut dial_results: mpsc::Receiver<Dialed>,
        mut sent: broadcast::Receiver<CourierEvent>,
    ) {
        loop {
            tokio::select! {
                command = inbox.recv() => match command {
                    Some(command) => self.handle(command).await,
                    None => break,
                },
                Some(done) = dial_results.recv() => self.finish_dial(done),
                event = sent.recv() => match event {
                    Ok(CourierEvent::Changed(_)) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        self.outbox_changed()
                    }
                    Ok(CourierEvent::SignInLost(text)) => self.notice(NoticeKind::SignInLost, text),
                    Ok(CourierEvent::Reached(failure)) => self.reached(failure),
                    Err(broadcast::error::RecvError::Closed) => {}
                },
            }
        }
    }

    /// Tells the connection light whether the last request reached the server.
    fn reached(&mut self, failure: Option<(ErrorCode, String)>) {
        let failure = failure.map(|(code, message)| IpcError { code, message });
        let _ = self.events.send(DeskEvent::Connection { failure });
    }

    /// Publishes the outbox counts (and the view that carries the total) after the courier changed them.
    fn outbox_changed(&mut self) {
        let Ok(counts) = self.courier.counts() else {
            return;
        };
        let _ = self.events.send(DeskEvent::Outbox {
            pending: counts.pending,
            rejected: counts.rejected,
        });
        if self.view.pending_outbox != counts.total() {
            self.view.pending_outbox = counts.total();
            self.publish();
        }
    }

    pub(super) fn publish(&self) {
        let _ = self.events.send(DeskEvent::State {
            view: Box::new(self.view.clone()),
        });
    }

    pub(super) fn fact(&self, fact: super::CallFact) {
        let _ = self.events.send(DeskEvent::Fact { fact });
    }

    pub(super) fn notice(&self, kind: NoticeKind, text: String) {
        let _ = self.events.send(DeskEvent::Notice { kind, text });
    }

    pub(super) fn refresh_pending(&mut self) {
        self.view.pending_outbox = self.courier.count().unwrap_or(self.view.pending_outbox);
    }

    async fn handle(&mut self, command: Command) {
        match command {
            Command::Dial {
                number,
                campaign,
                reply,
            } => self.dial(number, campaign, reply),
            Command::HangUp { reply } => {
                let result = self.hang_up().await;
                let _ = reply.send(result);
            }
            Command::CustomerHungUp { reply } => {
                let result = check(
                    self.view.state,
                    Intent::CustomerHungUp,
                    self.options.require_wrap_up,
                )
                .map(|()| self.end_call(super::Ending::Customer));
                let _ = reply.send(result);
            }
            Command::Tag { text, reply } => {
                let result = self.tag(text).await;
                let _ = reply.send(result);
            }
            Command::Dispose {
                form,
                action,
                reply,
            } => {
                let result = self.dispose(form, action).await;
                let _ = reply.send(result);
            }
            Command::AttachCti { cti, reply } => {
                let _ = reply.send(self.attach_cti(cti));
            }
            Command::OpenRespool { reply } => {
                let _ = reply.send(self.open_respool());
            }
            Command::EditRespool { edit, reply } => {
                let _ = reply.send(self.edit_respool(edit));
            }
            Command::SubmitRespool { reply } => {
                let result = self.submit_respool().await;
                let _ = reply.send(result);
            }
            Command::RespoolRecord { cti, reply } => {
                let result = self.respool_record(cti).await;
                let _ = reply.send(result);
            }
            Command::CloseRespool { reply } => {
                let _ = reply.send(Ok(self.close_respool()));
            }
            Command::Portal { event, reply } => {
                let result = self.portal_event(event).await;
                let _ = reply.send(result);
            }
            Command::Snapshot { reply } => {
                let _ = reply.send(self.view.clone());
            }
            Command::RequireWrapUp(required) => self.options.require_wrap_up = required,
            Command::WrapUpFailedDials(on) => self.options.wrap_up_failed_dials = on,
            Command::DiscardAttempt { reply } => {
                let _ = reply.send(self.discard_attempt());
            }
            Command::SetIdentity(identity) => self.session.identity = identity,
        }
    }

    fn dial(&mut self, number: String, campaign: Option<String>, reply: Reply<CallView>) {
        let prepared =
            check(self.view.state, Intent::Dial, self.options.require_wrap_up).and_then(|()| {
                let number = phone::normalize(&number)?;
                let identity = &self.session.identity;
                let campaign = campaign
                    .filter(|c| !c.trim().is_empty())
                    .unwrap_or_else(|| identity.outqueue.clone());
                if campaign.trim().is_empty() {
                    return Err(AgentError::invalid("pick the campaign to call in"));
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
            direction: Some(crate::bridge::CallDirection::Outbound),
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

    fn finish_dial(&mut self, done: Dialed) {
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
                self.notice(
                    NoticeKind::CallPlaced,
                    format!("Calling {number} — GUID {guid}"),
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
    fn failed_attempt(&self, err: &AgentError) -> CallView {
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

    fn discard_attempt(&mut self) -> Result<CallView> {
        if self.view.state != CallState::WrapUp || !self.view.failed_attempt {
            return Err(AgentError::new(
                ErrorCode::NoCall,
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

    pub(super) fn end_call(&mut self, how: super::Ending) -> CallView {
        self.view.state = CallState::WrapUp;
        self.view.ended_at = Some(self.now_ms());
        self.fact(super::CallFact::Ended {
            guid: self.view.guid.clone().unwrap_or_default(),
            how,
        });
        let number = self.view.number.clone().unwrap_or_default();
        self.notice(NoticeKind::CallEnded, format!("Call with {number} ended"));
        self.publish();
        self.view.clone()
    }

    async fn hang_up(&mut self) -> Result<CallView> {
        check(
            self.view.state,
            Intent::HangUp,
            self.options.require_wrap_up,
        )?;
        let extension = self.session.identity.extension.clone();
        let mut result = self.session.client.hangup(&extension).await;
        if matches!(result, Err(integra::Error::Unauthorized { .. })) && self.renew().await {
            result = self.session.client.hangup(&extension).await;
        }
        match result {
            // "0": the server has no live call on the extension; the customer most likely hung up already.
            Ok(()) | Err(integra::Error::Rejected { .. }) => {
                Ok(self.end_call(super::Ending::Agent))
            }
            Err(err) => Err(err.into()),
        }
    }

    async fn tag(&mut self, text: String) -> Result<CallView> {
        check(self.view.state, Intent::Tag, self.options.require_wrap_up)?;
        if text.trim().is_empty() {
            return Err(AgentError::invalid("type the tag text first"));
        }
        let guid = self
            .view
            .guid
            .clone()
            .ok_or_else(|| AgentError::new(ErrorCode::NoCall, "the call has no GUID yet"))?;
        let job = Job::Tag(TagRecord {
            phone: self.view.number.clone().unwrap_or_default(),
            guid: CallGuid::new(guid),
            data: text.trim().into(),
        });
        self.courier.submit(job).await?;
        self.fact(super::CallFact::Tagged {
            guid: self.view.guid.clone().unwrap_or_default(),
            text: text.trim().to_string(),
        });
        self.refresh_pending();
        self.publish();
        Ok(self.view.clone())
    }

    /// Files the disposition as [`plan_disposition`] decides, then carries the plan out: on disk first (inside the
    /// courier's submit), then one try through the courier, never beside it.
    async fn dispose(
        &mut self,
        form: DispositionForm,
        action: Option<crate::tree::DialerAction>,
    ) -> Result<Disposed> {
        let guid = self.view.guid.clone().unwrap_or_default();
        let refused = self.courier.refused_disposition(&guid)?;
        let filing = Filing {
            view: &self.view,
            agent: &self.session.identity.agent,
            require_wrap_up: self.options.require_wrap_up,
            refused,
            now: self.local_now(),
        };
        let codes = [&form.l1, &form.l2, &form.l3]
            .into_iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" / ");
        let plan = plan_disposition(&filing, form, action)?;
        let delivery = match plan.sending {
            Sending::Replace(id) => self.courier.edit(id, plan.job).await?,
            Sending::Submit => self.courier.submit(plan.job).await?.delivery,
        };
        let filed = |delivered, refused| super::CallFact::Filed {
            guid: guid.clone(),
            disposition: codes.clone(),
            delivered,
            refused,
        };
        let delivered = match delivery.acknowledged() {
            Ok(delivered) => {
                self.fact(filed(delivered, false));
                delivered
            }
            Err(err) => {
                self.fact(filed(false, true));
                self.refresh_pending();
                self.view.last_error = Some(err.to_ipc());
                self.publish();
                return Err(err);
            }
        };
        let number = self.view.number.clone().unwrap_or_default();
        if delivered {
            self.notice(
                NoticeKind::DispositionSaved,
                format!("Disposition of {number} saved"),
            );
        } else {
            self.notice(NoticeKind::DispositionWaiting, format!("Disposition of {number} kept on this computer; it will be sent when the server answers"));
        }
        self.view = CallView {
            pending_outbox: 0,
            ..CallView::default()
        };
        // The leaf's dialer action goes in behind the disposition (same call: the courier keeps the order). Its
        // refusal does not undo the disposition: it waits in the outbox for the agent, and the answer says so.
        let action_error = self
            .follow_up(plan.follow, &plan.guid)
            .await
            .err()
            .map(|e| e.to_ipc());
        self.refresh_pending();
        self.publish();
        Ok(Disposed {
            view: self.view.clone(),
            delivered,
            action_error,
        })
    }

    async fn renew(&self) -> bool {
        match self.session.renew(&*self.secrets).await {
            Ok(()) => true,
            Err(err) => {
                self.notice(NoticeKind::SignInLost, err.to_string());
                false
            }
        }
    }
}

fn dial_error(err: integra::Error) -> AgentError {
    match err {
        integra::Error::Rejected { .. } => AgentError::new(
            ErrorCode::ServerRejected,
            "the server refused the call (it answered 0): check the number and the campaign",
        ),
        other => other.into(),
    }
}
