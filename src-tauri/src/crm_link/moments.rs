//! The moments a CRM hears about, read off what the desk, the breaks and the phone publish: the desk tells states
//! (idle, dialing, in call, wrap-up) and facts (filed), the CRM wants moments (dialing, ringing, answered, ended,
//! wrap-up, filed, break started/ended). [`Moments`] keeps the little memory that takes — the last state, whether
//! the phone already rang for this call — and nothing else: no Tauri, so it is tested on its own.

use agent::breaks::{BreakState, BreakStatus};
use agent::desk::{CallFact, CallState, CallView};
use agent::profile::Identity;
use crm::{CallFields, CrmEvent, Direction, Moment};
use serde_json::{Map, Value};

/// What turns desk states into moments.
#[derive(Debug)]
pub struct Moments {
    agent: String,
    extension: String,
    was: CallState,
    on_break: Option<String>,
    /// The phone rang for the call now coming: its inbound `answered` is not preceded by a second `ringing`.
    phone_rang: bool,
    /// The call on the desk (or the last one, until the next starts): what `filed` and the on-demand pop name.
    current: Option<CallFields>,
    /// Counts the calls that started: names a call before its GUID is known.
    calls: u64,
}

impl Moments {
    /// For the signed-in agent.
    pub fn new(identity: &Identity) -> Self {
        Self {
            agent: identity.agent.clone(),
            extension: identity.extension.clone(),
            was: CallState::Idle,
            on_break: None,
            phone_rang: false,
            current: None,
            calls: 0,
        }
    }

    /// What names the call on the desk for the screen pop's "once per call": its GUID, else its place in the
    /// shift's calls (a dial and a phone's ring come before the GUID; the same number twice is two calls).
    pub fn call_key(&self) -> String {
        match &self.current {
            Some(call) if !call.guid.is_empty() => call.guid.clone(),
            _ => format!("call-{}", self.calls),
        }
    }

    /// The call on the desk, or the last one.
    pub fn current(&self) -> Option<&CallFields> {
        self.current.as_ref()
    }

    /// The desk's call changed: the moments it makes (none for a view that only refreshed).
    pub fn on_view(&mut self, view: &CallView) -> Vec<Moment> {
        let was = std::mem::replace(&mut self.was, view.state);
        if was == CallState::Idle && view.state != CallState::Idle && !self.phone_rang {
            self.calls += 1;
        }
        if view.state != CallState::Idle {
            self.current = Some(self.fields(view));
        }
        use CallState::*;
        match (was, view.state) {
            (Idle, Dialing) => vec![Moment::Dialing],
            (Idle | Dialing, InCall) => {
                let rang = std::mem::take(&mut self.phone_rang);
                let inbound = view.direction == Some(bridge::CallDirection::Inbound);
                if inbound && !rang {
                    // The portal assigned the call: it rings and is the agent's at once, as far as the app knows.
                    vec![Moment::Ringing, Moment::Answered]
                } else {
                    vec![Moment::Answered]
                }
            }
            (Dialing | InCall, WrapUp) => vec![Moment::Ended, Moment::WrapUp],
            (Dialing | InCall, Idle) => vec![Moment::Ended],
            (Idle, WrapUp) => vec![Moment::WrapUp],
            _ => Vec::new(),
        }
    }

    /// A fact about a call: its disposition was filed.
    pub fn on_fact(&mut self, fact: &CallFact) -> Option<CrmEvent> {
        let CallFact::Filed {
            guid, disposition, ..
        } = fact
        else {
            return None;
        };
        let call = match &self.current {
            Some(call) if call.guid == *guid => call.clone(),
            // Filed for another call (from the outbox, after a restart): only its GUID is known.
            _ => CallFields {
                guid: guid.clone(),
                ..self.blank()
            },
        };
        Some(CrmEvent {
            disposition: Some(disposition.clone()),
            ..new_event(Moment::Filed, Some(call))
        })
    }

    /// The breaks changed: a break started or ended.
    pub fn on_break(&mut self, status: &BreakStatus) -> Option<CrmEvent> {
        let now_on = status.state == BreakState::OnBreak;
        match (self.on_break.take(), now_on) {
            (None, true) => {
                self.on_break = status.motive.clone().or(Some(String::new()));
                Some(CrmEvent {
                    motive: status.motive.clone(),
                    ..new_event(Moment::BreakStarted, None)
                })
            }
            (Some(motive), false) => Some(CrmEvent {
                motive: Some(motive).filter(|m| !m.is_empty()),
                ..new_event(Moment::BreakEnded, None)
            }),
            (kept, _) => {
                self.on_break = kept;
                None
            }
        }
    }

    /// The app's phone rings with a call the agent did not place: the `ringing` moment, before the desk knows it.
    pub fn on_phone_ringing(&mut self, number: Option<&str>, guid: Option<&str>) -> CrmEvent {
        self.phone_rang = true;
        self.calls += 1;
        let call = CallFields {
            guid: guid.unwrap_or_default().to_string(),
            number: number.unwrap_or_default().to_string(),
            direction: Direction::Inbound,
            ..self.blank()
        };
        self.current = Some(call.clone());
        new_event(Moment::Ringing, Some(call))
    }

    /// The phone's ringing call ended unanswered: the next inbound call is the portal's again.
    pub fn on_phone_missed(&mut self) {
        self.phone_rang = false;
    }

    /// The event of `moment` for the call on the desk.
    pub fn event(&self, moment: Moment) -> CrmEvent {
        new_event(moment, self.current.clone())
    }

    fn blank(&self) -> CallFields {
        CallFields {
            guid: String::new(),
            number: String::new(),
            campaign: String::new(),
            direction: Direction::Outbound,
            agent: self.agent.clone(),
            extension: self.extension.clone(),
            cti: Value::Null,
        }
    }

    fn fields(&self, view: &CallView) -> CallFields {
        CallFields {
            guid: view.guid.clone().unwrap_or_default(),
            number: view.number.clone().unwrap_or_default(),
            campaign: view.campaign.clone().unwrap_or_default(),
            // A call the app placed is outbound; the portal says so for its own.
            direction: match view.direction {
                Some(bridge::CallDirection::Inbound) => Direction::Inbound,
                _ => Direction::Outbound,
            },
            cti: view.cti.as_ref().map(cti_fields).unwrap_or(Value::Null),
            ..self.blank()
        }
    }
}

/// An event of `moment` about `call`, stamped now (UTC, to the second).
pub fn new_event(moment: Moment, call: Option<CallFields>) -> CrmEvent {
    CrmEvent {
        moment,
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        call,
        disposition: None,
        motive: None,
    }
}

/// The CTI as templates name it (`{cti.contact}`, `{cti.data.customer_id}`): the portal's fields as it sent them
/// (`Guid`, `Campaign`, `Callerid`, …, and the keys this app does not know), and the dialer record's fields with
/// its data pairs as an object.
pub fn cti_fields(cti: &cti::Cti) -> Value {
    let mut out = Map::new();
    if let Some(portal) = &cti.portal {
        if let Ok(Value::Object(fields)) = serde_json::to_value(portal) {
            out.extend(fields);
        }
        out.remove("extra");
        out.extend(portal.extra.clone());
    }
    if let Some(dialer) = &cti.dialer {
        let data: Map<String, Value> = dialer
            .data()
            .iter()
            .map(|pair| (pair.key.clone(), Value::String(pair.value.clone())))
            .collect();
        out.insert("campaign".into(), dialer.campaign().into());
        out.insert("destination".into(), dialer.destination().into());
        out.insert("contact".into(), dialer.contact().into());
        out.insert("dialerbase".into(), dialer.dialerbase().into());
        out.insert("retries".into(), dialer.retries().into());
        out.insert("priority".into(), dialer.priority().into());
        out.insert("alternatives".into(), dialer.alternatives().into());
        out.insert("data".into(), Value::Object(data));
    }
    Value::Object(out)
}

#[cfg(test)]
#[path = "moments_tests.rs"]
mod tests;
