//! The task behind [`super::DeskHandle`]: state transitions with their I/O.

use std::sync::Arc;

use integra::{CallGuid, NaiveDateTime, TagRecord};
use tokio::sync::{broadcast, mpsc};

use super::disposing::{plan_disposition, Filing, Sending};
use super::{
    check, CallState, CallView, Command, DeskEvent, DeskOptions, Disposed, DispositionForm, Intent,
    NoticeKind, Reply,
};
use crate::session::Session;
use agent_error::{AgentError, ErrorCode, IpcError, Phrase, Result};
use keychain::SecretStore;
use outbox::courier::{Courier, CourierEvent};
use outbox::Job;

/// AgentCall's outcome, sent back to the task by the request running beside it.
pub(super) struct Dialed {
    pub(super) result: Result<CallGuid>,
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
    pub draft: Option<(cti::RespoolDraft, String)>,
}

impl Desk {
    /// Now on the one injected clock (Unix ms), for the call's times.
    pub(super) fn now_ms(&self) -> i64 {
        self.courier.now_ms()
    }

    /// Now on the same clock in local time, as dates typed by the agent are meant.
    pub(super) fn local_now(&self) -> NaiveDateTime {
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
    pub(super) fn reached(&mut self, failure: Option<(ErrorCode, String)>) {
        let failure = failure.map(|(code, message)| IpcError::new(code, message));
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

    /// A notice whose text is someone else's words (a server's answer, an error): no phrase to translate.
    pub(super) fn notice(&self, kind: NoticeKind, text: String) {
        let _ = self.events.send(DeskEvent::Notice {
            kind,
            text,
            phrase: None,
        });
    }

    /// A notice in our own words: `text` in English, `phrase` the same from the tables of texts.
    pub(super) fn notice_phrased(&self, kind: NoticeKind, text: String, phrase: Phrase) {
        let _ = self.events.send(DeskEvent::Notice {
            kind,
            text,
            phrase: Some(phrase),
        });
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
                .map(|()| self.end_call(call_history::Ending::Customer));
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
            Command::FileLate {
                call,
                form,
                action,
                reply,
            } => {
                let _ = reply.send(self.file_late(call, form, action).await);
            }
        }
    }

    pub(super) fn end_call(&mut self, how: call_history::Ending) -> CallView {
        self.view.state = CallState::WrapUp;
        self.view.ended_at = Some(self.now_ms());
        self.fact(super::CallFact::Ended {
            guid: self.view.guid.clone().unwrap_or_default(),
            how,
        });
        let number = self.view.number.clone().unwrap_or_default();
        self.notice_phrased(
            NoticeKind::CallEnded,
            format!("Call with {number} ended"),
            Phrase::new("notify.call_ended_body").with("number", number.as_str()),
        );
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
                Ok(self.end_call(call_history::Ending::Agent))
            }
            Err(err) => Err(err.into()),
        }
    }

    async fn tag(&mut self, text: String) -> Result<CallView> {
        check(self.view.state, Intent::Tag, self.options.require_wrap_up)?;
        if text.trim().is_empty() {
            return Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.call.tag_text"),
                "type the tag text first",
            ));
        }
        let guid = self.view.guid.clone().ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::NoCall,
                Phrase::new("error.call.no_guid"),
                "the call has no GUID yet",
            )
        })?;
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
        action: Option<disposition_tree::DialerAction>,
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
        let codes = super::disposing::codes(&form);
        let plan = plan_disposition(&filing, form, action)?;
        let delivered = match self
            .send_disposition(plan.job, plan.sending, &guid, codes)
            .await
        {
            Ok(delivered) => delivered,
            Err(err) => {
                self.view.last_error = Some(err.to_ipc());
                self.publish();
                return Err(err);
            }
        };
        let number = self.view.number.clone().unwrap_or_default();
        self.notice_filed(&number, delivered);
        self.view = CallView {
            pending_outbox: 0,
            ..CallView::default()
        };
        Ok(self.after_filing(plan.follow, &plan.guid, delivered).await)
    }

    /// After a disposition of `guid` is filed: the leaf's dialer action goes in behind it (same call: the courier
    /// keeps the order). Its refusal does not undo the disposition: it waits in the outbox for the agent, and the
    /// answer says so.
    pub(super) async fn after_filing(
        &mut self,
        follow: super::disposing::FollowUp,
        guid: &str,
        delivered: bool,
    ) -> Disposed {
        let action_error = self.follow_up(follow, guid).await.err().map(|e| e.to_ipc());
        self.refresh_pending();
        self.publish();
        Disposed {
            view: self.view.clone(),
            delivered,
            action_error,
        }
    }

    /// Sends a planned disposition of the call `guid` (on disk first, inside the courier, then one try) and
    /// records the fact for the history: whether the server acknowledged it, or its refusal (it stays in the
    /// outbox for the agent).
    pub(super) async fn send_disposition(
        &mut self,
        job: Job,
        sending: Sending,
        guid: &str,
        codes: String,
    ) -> Result<bool> {
        let delivery = match sending {
            Sending::Replace(id) => self.courier.edit(id, job).await?,
            Sending::Submit => self.courier.submit(job).await?.delivery,
        };
        let acknowledged = delivery.acknowledged();
        self.fact(super::CallFact::Filed {
            guid: guid.to_string(),
            disposition: codes,
            delivered: matches!(acknowledged, Ok(true)),
            refused: acknowledged.is_err(),
        });
        if acknowledged.is_err() {
            self.refresh_pending();
        }
        acknowledged
    }

    /// Tells the agent where the disposition of `number` stands.
    pub(super) fn notice_filed(&self, number: &str, delivered: bool) {
        if delivered {
            self.notice_phrased(
                NoticeKind::DispositionSaved,
                format!("Disposition of {number} saved"),
                Phrase::new("notify.disposition_saved_body").with("number", number),
            );
        } else {
            self.notice_phrased(
                NoticeKind::DispositionWaiting,
                format!("Disposition of {number} kept on this computer; it will be sent when the server answers"),
                Phrase::new("notify.disposition_waiting_body").with("number", number),
            );
        }
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

pub(super) fn dial_error(err: integra::Error) -> AgentError {
    match err {
        integra::Error::Rejected { .. } => AgentError::phrased(
            ErrorCode::ServerRejected,
            Phrase::new("error.call.refused"),
            "the server refused the call (it answered 0): check the number and the campaign",
        ),
        other => other.into(),
    }
}
