//! Calls the app did not place, as the portal reports them through the bridge: a call rang (inbound, or a dialer
//! call reaching the agent), ended, or was disposed in the portal.
//!
//! There is no "answered" event in either vocabulary, so a ringing call is taken as in call at once, with its
//! direction; its end moves the desk to wrap-up by itself ("Customer hung up" stays as the fallback when the
//! page is not there). A disposition filed in the portal is not filed again: the desk leaves wrap-up without
//! filing, and a disposition of that call still waiting in the outbox is dropped (with a notice that says so),
//! so the server never gets two.

use ::bridge::{CallDirection, PortalEvent, PortalEventKind};

use super::task::Desk;
use super::{CallState, CallView, NoticeKind};
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use cti::{Cti, CtiSource, PortalCti};

impl Desk {
    /// Applies one portal event to the desk; a refusal leaves the desk as it was and says why.
    pub(super) async fn portal_event(&mut self, event: PortalEvent) -> Result<CallView> {
        match event.kind {
            PortalEventKind::Ringing => self.portal_ringing(event),
            PortalEventKind::Finished => self.portal_finished(event),
            PortalEventKind::Disposed => self.portal_disposed(event).await,
        }
    }

    fn is_current(&self, guid: &Option<String>) -> bool {
        guid.is_none() || *guid == self.view.guid
    }

    fn portal_ringing(&mut self, event: PortalEvent) -> Result<CallView> {
        let guid = event.guid.clone().unwrap_or_default();
        let state = self.view.state;
        // A call the app's phone answered with no GUID in its INVITE: the portal's event for it names it.
        let unnamed = self.view.guid.as_deref().is_none_or(str::is_empty);
        if matches!(state, CallState::InCall | CallState::WrapUp) && unnamed && !guid.is_empty() {
            self.view.guid = Some(guid.clone());
            if let Some(portal) = self.view.cti.as_mut().and_then(|c| c.portal.as_mut()) {
                portal.guid = guid;
            }
            self.fill_in(&event);
            self.publish();
            return Ok(self.view.clone());
        }
        if matches!(state, CallState::InCall | CallState::WrapUp)
            && self.view.guid.as_deref() == Some(&guid)
        {
            // The same call told twice (both vocabularies, or the CTI came first): fill in what was missing.
            self.fill_in(&event);
            self.publish();
            return Ok(self.view.clone());
        }
        match state {
            CallState::Dialing => {
                return Err(AgentError::new(
                    ErrorCode::CallInProgress,
                    format!("the app is placing a call; the portal's call {guid} is not on the desk"),
                ))
            }
            CallState::InCall => {
                return Err(AgentError::new(
                    ErrorCode::CallInProgress,
                    format!(
                        "call {} is on the desk; finish it before the portal's call {guid}",
                        self.view.guid.as_deref().unwrap_or("")
                    ),
                ))
            }
            CallState::WrapUp if self.options.require_wrap_up => {
                return Err(AgentError::new(
                    ErrorCode::WrapUpRequired,
                    format!("file the disposition of the last call first; the portal's call {guid} is not on the desk"),
                ))
            }
            CallState::Idle | CallState::WrapUp => {}
        }
        let number = event.number.as_deref().map(number_text);
        let direction = event
            .direction
            .or_else(|| implied_direction(event.campaign.as_deref()));
        self.draft = None;
        self.view = CallView {
            state: CallState::InCall,
            number: number.clone(),
            campaign: event.campaign.clone(),
            guid: Some(guid.clone()),
            direction,
            started_at: Some(self.now_ms()),
            pending_outbox: self.view.pending_outbox,
            cti: Some(Cti {
                portal: Some(PortalCti {
                    guid: guid.clone(),
                    campaign: event.campaign.clone().unwrap_or_default(),
                    callerid: number.clone().unwrap_or_default(),
                    ..PortalCti::default()
                }),
                dialer: None,
                source: CtiSource::Bridge,
            }),
            ..CallView::default()
        };
        let who = number.unwrap_or_else(|| "an unknown number".into());
        let campaign = event.campaign.unwrap_or_else(|| "no campaign".into());
        let (text, key) = match direction {
            Some(CallDirection::Outbound) => (
                format!("Call to {who} — {campaign} — GUID {guid}"),
                "notify.ringing_outbound_body",
            ),
            _ => (
                format!("Incoming call from {who} — {campaign} — GUID {guid}"),
                "notify.ringing_inbound_body",
            ),
        };
        let phrase = Phrase::new(key)
            .with("number", who)
            .with("campaign", campaign)
            .with("guid", guid.to_string());
        // After the view: the window words the notice from the call it already shows.
        self.publish();
        self.notice_phrased(NoticeKind::CallRinging, text, phrase);
        Ok(self.view.clone())
    }

    /// What a second report of the current call adds (a number or campaign the first one lacked).
    fn fill_in(&mut self, event: &PortalEvent) {
        if self.view.number.is_none() {
            self.view.number = event.number.as_deref().map(number_text);
        }
        if self.view.campaign.is_none() {
            self.view.campaign = event.campaign.clone();
        }
        if self.view.direction.is_none() {
            self.view.direction = event.direction;
        }
    }

    fn portal_finished(&mut self, event: PortalEvent) -> Result<CallView> {
        let named = event.guid.as_deref().unwrap_or("");
        match self.view.state {
            CallState::Idle => Err(AgentError::new(
                ErrorCode::NoCall,
                format!("the portal says call {named} ended, but no call is on the desk"),
            )),
            CallState::Dialing => Err(AgentError::new(
                ErrorCode::CallInProgress,
                "the app is still placing its call; the portal's end of call was not applied",
            )),
            _ if !self.is_current(&event.guid) => Err(self.not_on_desk(named, "ended")),
            CallState::InCall => Ok(self.end_call(call_history::Ending::Customer)),
            // The agent ended it first (hang-up, "Customer hung up"): nothing more to do.
            CallState::WrapUp => Ok(self.view.clone()),
        }
    }

    async fn portal_disposed(&mut self, event: PortalEvent) -> Result<CallView> {
        let on_desk = matches!(self.view.state, CallState::InCall | CallState::WrapUp);
        if self.view.state == CallState::Dialing && event.guid.is_none() {
            return Err(AgentError::new(
                ErrorCode::CallInProgress,
                "the app is still placing its call; the portal's disposition names no call",
            ));
        }
        if on_desk && self.is_current(&event.guid) {
            let guid = self.view.guid.clone().unwrap_or_default();
            let number = self.view.number.clone().unwrap_or_default();
            let dropped = self.drop_waiting_disposition(&guid).await?;
            // The history shows it filed (by the portal), not left without a disposition.
            self.fact(super::CallFact::Filed {
                guid: guid.clone(),
                disposition: "filed in the portal".into(),
                delivered: true,
                refused: false,
            });
            self.draft = None;
            self.view = CallView {
                pending_outbox: self.view.pending_outbox,
                ..CallView::default()
            };
            self.refresh_pending();
            self.publish();
            let text =
                format!("Call with {number} was disposed in the portal; nothing is filed again");
            if dropped {
                self.notice_phrased(
                    NoticeKind::WaitingDispositionDropped,
                    format!("{text}; the disposition of call {guid} waiting on this computer was dropped"),
                    Phrase::new("notify.dropped_on_desk_body")
                        .with("number", number.as_str())
                        .with("guid", guid.as_str()),
                );
            } else {
                let phrase =
                    Phrase::new("notify.disposed_in_portal_body").with("number", number.as_str());
                self.notice_phrased(NoticeKind::DisposedInPortal, text, phrase);
            }
            return Ok(self.view.clone());
        }
        // A call the desk has left already: only a disposition of it still waiting here matters.
        let Some(guid) = event.guid else {
            return Err(AgentError::new(
                ErrorCode::NoCall,
                format!("{} names no call and no call is on the desk", event.name),
            ));
        };
        if self.drop_waiting_disposition(&guid).await? {
            self.refresh_pending();
            self.publish();
            self.notice_phrased(
                NoticeKind::WaitingDispositionDropped,
                format!("Call {guid} was disposed in the portal; its disposition waiting on this computer was dropped"),
                Phrase::new("notify.dropped_later_body").with("guid", guid.as_str()),
            );
        }
        Ok(self.view.clone())
    }

    /// Drops the disposition of `guid` still waiting in the outbox (pending or refused); true when one was.
    /// One that went out meanwhile cannot be called back: that is logged, not an error.
    async fn drop_waiting_disposition(&mut self, guid: &str) -> Result<bool> {
        if guid.is_empty() {
            return Ok(false);
        }
        let waiting = self
            .courier
            .items()?
            .into_iter()
            .filter(|item| item.kind == "disposition" && item.call_guid == guid);
        let mut dropped = false;
        for item in waiting {
            match self.courier.discard(item.id).await {
                Ok(()) => dropped = true,
                Err(err) => {
                    tracing::info!(%err, guid, "the waiting disposition went out before the portal's")
                }
            }
        }
        Ok(dropped)
    }

    fn not_on_desk(&self, guid: &str, what: &str) -> AgentError {
        AgentError::new(
            ErrorCode::NoCall,
            format!(
                "the portal says call {guid} {what}, but the call on the desk is {}",
                self.view.guid.as_deref().unwrap_or("another one")
            ),
        )
    }
}

/// The number as the desk shows and files it: normalized when it is a phone number, else as the portal sent it
/// (an inbound caller ID may be "anonymous" or carry a prefix the dial rules do not take).
fn number_text(raw: &str) -> String {
    phone_number::normalize(raw).map_or_else(|_| raw.trim().to_string(), |n| n.as_str().to_string())
}

/// uContact names outbound campaigns with a trailing `->` (`Ventas->`) and inbound ones with `<-` (`Soporte<-`),
/// as in the reference's examples: the direction when the event does not say. (Inferred, not documented.)
fn implied_direction(campaign: Option<&str>) -> Option<CallDirection> {
    let campaign = campaign?.trim_end();
    if campaign.ends_with("->") {
        Some(CallDirection::Outbound)
    } else if campaign.ends_with("<-") {
        Some(CallDirection::Inbound)
    } else {
        None
    }
}
