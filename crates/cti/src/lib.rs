//! CTI: what the app knows about the call on the line — the portal's part (call id, campaign, caller id, form) and,
//! for dialer calls, the dialer's record (the reference's Respool object) — plus the respool draft that edits that
//! record under the dialer's rules, and the plans for a disposition leaf's dialer action.
//!
//! # Accepted CTI text ([`Cti::parse`])
//!
//! At most [`MAX_CTI_BYTES`]; a JSON object in one of these shapes:
//!
//! - the portal object, capitalized keys:
//!   `{"Guid":"…","Screen":"FALSE","Form":"f","Campaign":"SalienteTest->","Callerid":"17410632","ParAndValues":"",
//!   "Beep":"FALSE","Answer":"FALSE"}`. `Screen`, `Answer` and `Beep` are the strings `"TRUE"`/`"FALSE"`.
//! - the dialer object, lowercase keys as in the Respool object: `{"campaign":"Ventas->","destination":"098344484",
//!   "dialerbase":"basetest","status":1,"data":"Par1=Val1:Par2=Val2","alternatives":"098124484","contact":222,
//!   "retries":0,"priority":9999,"agentphone":"1001"}`. Numbers may be JSON numbers or numeric strings; campaign,
//!   destination and dialerbase are required; a missing status is 1, missing retries/contact/priority are 0.
//! - both merged at the top level (the keys do not overlap: `Campaign` is the portal's, `campaign` the dialer's);
//! - nested: `{"portal":{…},"dialer":{…}}` (either may be missing);
//! - any of these as a JSON string (portal forms keep the CTI as a string, so a copy may be quoted once more).
//!
//! Unknown portal keys are kept in [`PortalCti::extra`]; unknown keys elsewhere are ignored. Empty segments of
//! `data` and `alternatives` (a trailing `:`) are skipped.
//!
//! # Encrypted CTI ([`crypto`], [`read_cti`])
//!
//! The portal keeps CTI encrypted in its local storage; [`crypto`] holds the decryptors of those blobs and their
//! secret's place in the keychain, and [`read_cti`] tells a blob from JSON. They live here, not in a crypto crate
//! of their own, because nothing but CTI uses them: the sealing of the app's own data at rest (AES-256-GCM, the
//! `sealing` crate) shares no code with them, only the keychain (`keychain`).

mod action;
pub mod crypto;
mod dialer;
mod draft;
mod fields;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod parse;
mod pasted;
mod portal;
mod schedule;

use serde::{Deserialize, Serialize};

pub use action::{plan, plan_schedule, BlacklistPlan, CallFacts, DialerPlan, SchedulePlan};
pub use dialer::{DataPair, DialerCti};
pub use draft::{AlternativeView, ReadOnlyFields, RespoolDraft, RespoolView};
pub use parse::MAX_CTI_BYTES;
pub use pasted::read_cti;
pub use portal::PortalCti;
pub use schedule::parse_schedule;

use agent_error::{AgentError, ErrorCode, Result};
use phone_number::PhoneNumber;

/// Where a CTI came from, shown on the CTI card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CtiSource {
    /// A call this app placed itself (AgentCall): campaign, number and GUID only.
    OwnCall,
    /// Text the agent pasted.
    Pasted,
    /// Pushed by a bridge (the portal's window proxy, a browser extension).
    Bridge,
}

/// A call's CTI: a portal part, a dialer part, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cti {
    /// The portal's part.
    pub portal: Option<PortalCti>,
    /// The dialer's record, for dialer calls.
    pub dialer: Option<DialerCti>,
    /// Where it came from.
    pub source: CtiSource,
}

impl Cti {
    /// Reads CTI text in one of the shapes of the [module doc](self).
    pub fn parse(text: &str, source: CtiSource) -> Result<Self> {
        let (portal, dialer) = parse::parse_parts(text)?;
        Ok(Self {
            portal,
            dialer,
            source,
        })
    }

    /// The CTI of a call the app placed itself: no dialer record, the portal part filled from AgentCall.
    pub fn from_own_call(
        campaign: &integra::Campaign,
        number: &PhoneNumber,
        guid: &integra::CallGuid,
    ) -> Self {
        Self {
            portal: Some(PortalCti {
                guid: guid.as_str().to_string(),
                campaign: campaign.as_str().to_string(),
                callerid: number.as_str().to_string(),
                ..PortalCti::default()
            }),
            dialer: None,
            source: CtiSource::OwnCall,
        }
    }

    /// The dialer part, or a `NoDialerCti` error naming `what` needs it (e.g. "respooling").
    pub fn require_dialer(&self, what: &str) -> Result<&DialerCti> {
        self.dialer.as_ref().ok_or_else(|| no_dialer_cti(what))
    }

    /// The dialer record as the reference's Respool object, unchanged.
    pub fn to_respool(&self) -> Result<integra::Respool> {
        Ok(self.require_dialer("respooling")?.to_respool())
    }
}

/// The `NoDialerCti` error: `what` needs a dialer record the call does not have.
pub(crate) fn no_dialer_cti(what: &str) -> AgentError {
    AgentError::new(
        ErrorCode::NoDialerCti,
        format!(
            "{what} needs the dialer's data for this call (campaign, dialer list, contact), and this call has none"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_receives_snake_case_json() {
        let text = r#"{"Guid":"g","Campaign":"C->","Callerid":"099123456","Screen":"TRUE","Answer":"FALSE",
            "campaign":"Ventas->","destination":"098344484","dialerbase":"b","data":"a=1","alternatives":"098124484",
            "contact":7,"priority":5}"#;
        let json = serde_json::to_value(Cti::parse(text, CtiSource::Pasted).unwrap()).unwrap();
        assert_eq!(json["source"], "pasted");
        assert_eq!(json["portal"]["par_and_values"], "");
        assert_eq!(json["portal"]["screen"], true);
        assert_eq!(json["dialer"]["alternatives"][0], "098124484");
        assert_eq!(json["dialer"]["data"][0]["key"], "a");
    }

    #[test]
    fn an_own_call_has_no_dialer_record() {
        let cti = Cti::from_own_call(
            &"Ventas->".into(),
            &phone_number::normalize("099 123 456").unwrap(),
            &integra::CallGuid::new("abc"),
        );
        let portal = cti.portal.as_ref().unwrap();
        assert_eq!(
            (portal.guid.as_str(), portal.callerid.as_str(), cti.source),
            ("abc", "099123456", CtiSource::OwnCall)
        );
        assert_eq!(cti.to_respool().unwrap_err().code(), ErrorCode::NoDialerCti);
    }

    #[test]
    fn the_respool_is_the_dialer_record_unchanged() {
        let text = r#"{"dialer":{"campaign":"Ventas->","destination":"098344484","dialerbase":"basetest","status":"1",
            "data":"Par1=Val1:Par2=Val2","alternatives":"098124484:099121212","contact":"222","retries":3,
            "priority":9999,"agentphone":"1001"}}"#;
        let spool = Cti::parse(text, CtiSource::Bridge)
            .unwrap()
            .to_respool()
            .unwrap();
        assert_eq!(
            spool,
            integra::Respool {
                campaign: "Ventas->".into(),
                destination: "098344484".into(),
                dialerbase: "basetest".into(),
                status: 1,
                data: "Par1=Val1:Par2=Val2".into(),
                alternatives: "098124484:099121212".into(),
                contact: 222,
                retries: 3,
                priority: 9999,
                agentphone: "1001".into(),
            }
        );
    }
}
