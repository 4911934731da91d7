//! Filing a disposition late: a call of the day that ended without one (a wrap-up left when the app was closed,
//! a required wrap-up switched off, a call the portal ended) is filed from the Today screen, after the fact. It
//! goes out exactly like a wrap-up's disposition (the same plan, on disk first, the same courier, the same
//! history fact), only for a call that is no longer on the desk, so the desk's own call is never touched.

use super::disposing::{plan_disposition, Filing};
use super::task::Desk;
use super::{CallState, CallView, Disposed, DispositionForm};
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use disposition_tree::DialerAction;

/// The call a late disposition is for, as the history holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastCall {
    /// Its GUID (the disposition's `guid`).
    pub guid: String,
    /// The number dialed (the disposition's `callerid`).
    pub number: String,
    /// Its campaign.
    pub campaign: String,
}

impl PastCall {
    /// The call as a wrap-up would hold it, for the filing rules.
    fn as_wrap_up(&self) -> CallView {
        CallView {
            state: CallState::WrapUp,
            number: Some(self.number.clone()),
            campaign: Some(self.campaign.clone()),
            guid: Some(self.guid.clone()),
            ..CallView::default()
        }
    }
}

impl Desk {
    /// Files `form` for `call`, which ended earlier and is not the desk's call. A RESPOOL leaf is refused (its
    /// editor works on the call on the desk, with its CTI); SCHEDULE and BLACKLIST leaves follow like at wrap-up.
    pub(super) async fn file_late(
        &mut self,
        call: PastCall,
        form: DispositionForm,
        action: Option<DialerAction>,
    ) -> Result<Disposed> {
        if call.guid.trim().is_empty() {
            return Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.late.no_guid"),
                "this call has no GUID (the dial failed): there is nothing to file it against",
            ));
        }
        if self.view.guid.as_deref() == Some(call.guid.as_str())
            && self.view.state != CallState::Idle
        {
            return Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.late.on_desk"),
                "this call is still on the desk: file it in its wrap-up",
            ));
        }
        if action == Some(DialerAction::Respool) {
            return Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.late.respool"),
                "a RESPOOL code edits the dialer record of the call on the desk: pick another code, or respool \
                 the record from the Dialer screen",
            ));
        }
        let view = call.as_wrap_up();
        let filing = Filing {
            view: &view,
            agent: &self.session.identity.agent,
            require_wrap_up: false,
            refused: self.courier.refused_disposition(&call.guid)?,
            now: self.local_now(),
        };
        let codes = super::disposing::codes(&form);
        let plan = plan_disposition(&filing, form, action)?;
        let sent = self
            .send_disposition(plan.job, plan.sending, &call.guid, codes)
            .await;
        let delivered = match sent {
            Ok(delivered) => delivered,
            Err(err) => {
                self.publish();
                return Err(err);
            }
        };
        self.notice_filed(&call.number, delivered);
        Ok(self.after_filing(plan.follow, &plan.guid, delivered).await)
    }
}
