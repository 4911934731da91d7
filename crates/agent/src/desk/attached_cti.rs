//! The call's CTI on the desk: CTI attached to the call (the app's own AgentCall, pasted or dropped text, a
//! paired page through the bridge), the respool editor's draft, and the dialer action a disposition leaf carries.
//!
//! A CTI with a GUID while the desk is idle is a dialer call that reached the agent: the desk takes it as the
//! current call, so tagging, hang-up and the disposition work as for a call the app placed. A CTI of the current
//! call (same GUID, or none) is added to it. CTI of another call while one is up is refused: the agent finishes
//! the call on the screen first.

use integra::{CallGuid, Campaign};
use serde::Deserialize;

use super::disposing::{call_facts, FollowUp};
use super::task::Desk;
use super::{CallState, CallView};
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use cti::{Cti, RespoolDraft};
use outbox::Job;

/// One edit in the respool editor, as the window sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RespoolEdit {
    /// The alternative at `index` becomes the main number (retries 0).
    Promote {
        /// Position in the alternatives.
        index: usize,
    },
    /// Moves an alternative one place up.
    MoveUp {
        /// Position in the alternatives.
        index: usize,
    },
    /// Moves an alternative one place down.
    MoveDown {
        /// Position in the alternatives.
        index: usize,
    },
    /// Retries of the main number.
    SetRetries {
        /// The new value.
        value: i64,
    },
    /// Ordering priority (> 1).
    SetPriority {
        /// The new value.
        value: i64,
    },
    /// Adds or changes a data pair.
    SetData {
        /// Name.
        key: String,
        /// Value.
        value: String,
    },
    /// Removes a data pair.
    RemoveData {
        /// Name.
        key: String,
    },
    /// Agent extension for progressive dialers.
    SetAgentphone {
        /// Digits or empty.
        value: String,
    },
}

impl RespoolEdit {
    fn apply(&self, draft: &mut RespoolDraft) -> Result<()> {
        match self {
            RespoolEdit::Promote { index } => draft.promote(*index),
            RespoolEdit::MoveUp { index } => draft.move_up(*index),
            RespoolEdit::MoveDown { index } => draft.move_down(*index),
            RespoolEdit::SetRetries { value } => draft.set_retries(*value),
            RespoolEdit::SetPriority { value } => draft.set_priority(*value),
            RespoolEdit::SetData { key, value } => draft.set_data(key, value),
            RespoolEdit::RemoveData { key } => draft.remove_data(key),
            RespoolEdit::SetAgentphone { value } => draft.set_agentphone(value),
        }
    }
}

impl Desk {
    /// Takes CTI for the current call, or as a dialer call that just reached the agent.
    pub(super) fn attach_cti(&mut self, cti: Cti) -> Result<CallView> {
        let guid = cti
            .portal
            .as_ref()
            .map(|p| p.guid.trim().to_string())
            .filter(|g| !g.is_empty());
        match (self.view.state, &guid) {
            (CallState::Dialing, _) => {
                return Err(AgentError::phrased(ErrorCode::CallInProgress, Phrase::new("error.cti.still_placing"), "the call is still being placed; load its CTI once it is up"))
            }
            (CallState::Idle, None) => {
                return Err(AgentError::phrased(ErrorCode::InvalidCti, Phrase::new("error.cti.no_guid"), "this CTI has no call GUID (Guid): without it the call cannot be tagged or disposed"))
            }
            (CallState::Idle, Some(guid)) => {
                let number = cti
                    .portal
                    .as_ref()
                    .map(|p| p.callerid.as_str())
                    .filter(|c| !c.trim().is_empty())
                    .or(cti.dialer.as_ref().map(|d| d.destination()))
                    .unwrap_or("");
                let number = phone_number::normalize(number)?.as_str().to_string();
                let campaign = cti
                    .portal
                    .as_ref()
                    .map(|p| p.campaign.clone())
                    .filter(|c| !c.trim().is_empty())
                    .or(cti.dialer.as_ref().map(|d| d.campaign().to_string()));
                self.view = CallView {
                    state: CallState::InCall,
                    number: Some(number),
                    campaign,
                    guid: Some(guid.clone()),
                    started_at: Some(self.now_ms()),
                    pending_outbox: self.view.pending_outbox,
                    ..CallView::default()
                };
            }
            (_, Some(guid)) if Some(guid) != self.view.guid.as_ref() => {
                return Err(AgentError::phrased(
                    ErrorCode::CallInProgress,
                    Phrase::new("error.cti.other_call").with("guid", guid.as_str()),
                    format!(
                        "this CTI is for another call (GUID {guid}); finish the current call first"
                    ),
                ))
            }
            _ => {
                // The portal's event may have left them out (the newer portal's payload has no number).
                let portal = cti.portal.as_ref();
                if self.view.number.is_none() {
                    self.view.number = portal
                        .map(|p| p.callerid.trim())
                        .filter(|c| !c.is_empty())
                        .and_then(|c| phone_number::normalize(c).ok())
                        .map(|n| n.as_str().to_string());
                }
                if self.view.campaign.is_none() {
                    self.view.campaign = portal
                        .map(|p| p.campaign.trim().to_string())
                        .filter(|c| !c.is_empty());
                }
            }
        }
        // Parts the new CTI lacks stay as they were (the app's own call knows the portal part already).
        let merged = match self.view.cti.take() {
            Some(old) => Cti {
                portal: cti.portal.or(old.portal),
                dialer: cti.dialer.or(old.dialer),
                source: cti.source,
            },
            None => cti,
        };
        self.view.cti = Some(merged);
        self.publish();
        Ok(self.view.clone())
    }

    /// The CTI of a call the app placed itself.
    pub(super) fn own_call_cti(&mut self, guid: &CallGuid) {
        let (Some(number), Some(campaign)) = (&self.view.number, &self.view.campaign) else {
            return;
        };
        if let Ok(number) = phone_number::normalize(number) {
            self.view.cti = Some(Cti::from_own_call(
                &Campaign::new(campaign.clone()),
                &number,
                guid,
            ));
        }
    }

    /// Opens the respool editor on the current call's dialer record.
    pub(super) fn open_respool(&mut self) -> Result<CallView> {
        if !matches!(self.view.state, CallState::InCall | CallState::WrapUp) {
            return Err(AgentError::phrased(
                ErrorCode::NoCall,
                Phrase::new("error.respool.no_call"),
                "there is no call whose record could be respooled",
            ));
        }
        let facts = call_facts(&self.view)?;
        let dialer = facts
            .cti
            .as_ref()
            .ok_or_else(|| {
                AgentError::phrased(
                    ErrorCode::NoDialerCti,
                    Phrase::new("error.respool.no_dialer_cti"),
                    "this call has no dialer CTI to respool",
                )
            })?
            .require_dialer("Respooling")?;
        let draft = RespoolDraft::new(dialer, [facts.number.as_str()]);
        self.open_draft(draft, self.view.guid.clone().unwrap_or_default());
        Ok(self.view.clone())
    }

    fn open_draft(&mut self, draft: RespoolDraft, guid: String) {
        self.view.respool = Some(draft.view());
        self.draft = Some((draft, guid));
        self.publish();
    }

    /// One edit; a refused edit leaves the draft as it was and says why.
    pub(super) fn edit_respool(&mut self, edit: RespoolEdit) -> Result<CallView> {
        let (draft, _) = self.draft.as_mut().ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.respool.not_open"),
                "the respool editor is not open",
            )
        })?;
        let result = edit.apply(draft);
        self.view.respool = Some(draft.view());
        self.publish();
        result.map(|()| self.view.clone())
    }

    /// Closes the editor without sending.
    pub(super) fn close_respool(&mut self) -> CallView {
        self.draft = None;
        self.view.respool = None;
        self.publish();
        self.view.clone()
    }

    /// Sends the draft through the outbox (on disk first), in order after the call's disposition.
    pub(super) async fn submit_respool(&mut self) -> Result<bool> {
        let (draft, guid) = self.draft.as_ref().ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.respool.not_open"),
                "the respool editor is not open",
            )
        })?;
        let respool = draft.submit()?;
        let guid = guid.clone();
        self.draft = None;
        self.view.respool = None;
        let delivered = self.submit_job(Job::Respool(respool), &guid).await?;
        self.publish();
        Ok(delivered)
    }

    /// A respool asked for by a paired page (the proxy's `respool` action): the record goes through the same
    /// rules as the editor's (the number just called is on the spool) and the same outbox.
    pub(super) async fn respool_record(&mut self, cti: Cti) -> Result<bool> {
        let dialer = cti.require_dialer("Respooling")?;
        let called: Vec<String> = self.view.number.iter().cloned().collect();
        let respool = RespoolDraft::new(dialer, called).submit()?;
        let guid = self.view.guid.clone().unwrap_or_default();
        let delivered = self.submit_job(Job::Respool(respool), &guid).await?;
        self.publish();
        Ok(delivered)
    }

    /// Puts a dialer action in the outbox behind `guid`'s call (or alone, without a call) and tries it once. True
    /// when the server acknowledged it; a `0` comes back as the error (the item stays for the agent).
    pub(super) async fn submit_job(&mut self, job: Job, guid: &str) -> Result<bool> {
        let submitted = if guid.is_empty() {
            self.courier.submit(job).await?
        } else {
            self.courier.submit_for_call(guid, job).await?
        };
        self.refresh_pending();
        submitted.delivery.acknowledged()
    }

    /// After the disposition is in the outbox: its dialer action goes in after it (same call, so in order), or the
    /// editor opens on the draft.
    pub(super) async fn follow_up(&mut self, follow: FollowUp, guid: &str) -> Result<()> {
        if let Some(job) = follow.job {
            self.submit_job(job, guid).await?;
        }
        if let Some(draft) = follow.draft {
            self.open_draft(draft, guid.to_string());
        }
        Ok(())
    }
}
