//! The wrap-up time limit as pure rules: which limit a campaign has (none, or N seconds), the countdown a wrap-up
//! starts, how far "+30 s" may extend it, and the disposition filed when it runs out (the campaign's timeout code,
//! with a comment that says it was automatic and keeps whatever the agent typed).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::desk::DispositionForm;
use agent_error::{AgentError, ErrorCode, Phrase, Result};

/// One campaign's own limit (`[wrap_up_limit.campaigns."Ventas->"]`); unset fields take the general ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignLimit {
    /// Seconds; 0 turns the limit off for this campaign.
    pub seconds: Option<u32>,
    /// l1, l2, l3 filed when the time runs out.
    pub timeout_code: Option<Vec<String>>,
}

/// The wrap-up time limit settings (`[wrap_up_limit]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WrapUpLimits {
    /// Seconds for every campaign; 0 = no limit.
    pub seconds: u32,
    /// How much one "+30 s" adds.
    pub extension_seconds: u32,
    /// How many extensions one wrap-up may take.
    pub max_extensions: u32,
    /// l1, l2, l3 filed when the time runs out (codes of the campaign's tree).
    pub timeout_code: Vec<String>,
    /// Per campaign.
    pub campaigns: BTreeMap<String, CampaignLimit>,
    /// A failed dial (the server's `0`, an error) opens a wrap-up for that attempt: unset = no (back to Ready, as
    /// before), 0 = without a time limit, N = a short one of N seconds ending with the campaign's timeout code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_dial_seconds: Option<u32>,
}

impl Default for WrapUpLimits {
    fn default() -> Self {
        Self {
            seconds: 0,
            extension_seconds: 30,
            max_extensions: 2,
            timeout_code: Vec::new(),
            campaigns: BTreeMap::new(),
            failed_dial_seconds: None,
        }
    }
}

impl WrapUpLimits {
    /// The limit and timeout code for `campaign`, or none when it has no limit.
    pub fn for_campaign(&self, campaign: &str) -> Option<(u32, [String; 3])> {
        let own = self.campaigns.get(campaign);
        let seconds = own.and_then(|c| c.seconds).unwrap_or(self.seconds);
        let code = self.code_for(campaign);
        (seconds > 0 && !code[0].is_empty()).then_some((seconds, code))
    }

    /// The limit and timeout code of a failed dial's wrap-up for `campaign`: `failed_dial_seconds` with the
    /// campaign's code, or none (no limit, or failed dials open no wrap-up).
    pub fn for_failed_dial(&self, campaign: &str) -> Option<(u32, [String; 3])> {
        let seconds = self.failed_dial_seconds.filter(|s| *s > 0)?;
        let code = self.code_for(campaign);
        (!code[0].is_empty()).then_some((seconds, code))
    }

    /// The campaign's own timeout code, else the general one, as l1, l2, l3.
    fn code_for(&self, campaign: &str) -> [String; 3] {
        let code = self
            .campaigns
            .get(campaign)
            .and_then(|c| c.timeout_code.clone())
            .unwrap_or_else(|| self.timeout_code.clone());
        let mut levels = code.into_iter().map(|l| l.trim().to_string());
        [
            levels.next().unwrap_or_default(),
            levels.next().unwrap_or_default(),
            levels.next().unwrap_or_default(),
        ]
    }

    /// A limit without a timeout code could never file anything: refused with the key to fix.
    pub fn validate(&self) -> Result<()> {
        let bad = |key: String| {
            Err(AgentError::phrased(
                ErrorCode::InvalidSettings,
                Phrase::new("error.wrap_up.timeout_code").with("key", key.as_str()),
                format!("{key}: a wrap-up time limit needs a timeout_code (at least l1) to file when it runs out"),
            ))
        };
        for (name, own) in &self.campaigns {
            let seconds = own.seconds.unwrap_or(self.seconds);
            let code = own.timeout_code.as_ref().unwrap_or(&self.timeout_code);
            if seconds > 0 && code.first().is_none_or(|l| l.trim().is_empty()) {
                return bad(format!("wrap_up_limit.campaigns.{name:?}"));
            }
        }
        let general = self.seconds > 0 || self.failed_dial_seconds.is_some_and(|s| s > 0);
        if general
            && self
                .timeout_code
                .first()
                .is_none_or(|l| l.trim().is_empty())
        {
            return bad("wrap_up_limit".into());
        }
        Ok(())
    }
}

/// A running wrap-up countdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Countdown {
    /// The call in wrap-up.
    pub guid: String,
    /// Its campaign.
    pub campaign: String,
    /// The customer's number (for a disposition filed after a restart).
    pub number: String,
    /// The campaign's limit, seconds.
    pub limit_secs: u32,
    /// When it runs out, Unix milliseconds.
    pub deadline: i64,
    /// Extensions taken.
    pub extensions: u32,
    /// Extensions still allowed.
    pub extensions_left: u32,
    /// Seconds one extension adds.
    pub extension_secs: u32,
    /// l1, l2, l3 filed at zero.
    pub code: [String; 3],
}

impl Countdown {
    /// The countdown for a call that entered wrap-up at `now`, when its campaign (or, for a failed dial, the
    /// failed-dial setting) has a limit.
    pub fn begin(
        limits: &WrapUpLimits,
        call: &crate::desk::CallView,
        now: i64,
    ) -> Option<Countdown> {
        let (guid, campaign, number) = (
            call.guid.as_deref().unwrap_or_default(),
            call.campaign.as_deref().unwrap_or_default(),
            call.number.as_deref().unwrap_or_default(),
        );
        let (limit_secs, code) = if call.failed_attempt {
            limits.for_failed_dial(campaign)?
        } else {
            limits.for_campaign(campaign)?
        };
        Some(Countdown {
            guid: guid.to_string(),
            campaign: campaign.to_string(),
            number: number.to_string(),
            limit_secs,
            deadline: now + i64::from(limit_secs) * 1000,
            extensions: 0,
            extensions_left: limits.max_extensions,
            extension_secs: limits.extension_seconds,
            code,
        })
    }

    /// "+30 s": moves the deadline, while extensions are left.
    pub fn extend(&mut self) -> Result<()> {
        if self.extensions_left == 0 {
            return Err(AgentError::phrased(
                ErrorCode::InvalidInput,
                Phrase::new("error.wrap_up.no_more_time")
                    .with("taken", self.extensions.to_string()),
                format!(
                    "no more time can be added to this wrap-up ({} extensions taken)",
                    self.extensions
                ),
            ));
        }
        self.extensions += 1;
        self.extensions_left -= 1;
        self.deadline += i64::from(self.extension_secs) * 1000;
        Ok(())
    }

    /// True once the time has run out.
    pub fn expired(&self, now: i64) -> bool {
        now >= self.deadline
    }

    /// The disposition filed at zero: the timeout code, and a comment saying it was automatic followed by what the
    /// agent had typed (never lost).
    pub fn timeout_form(&self, typed: &DispositionForm) -> DispositionForm {
        let note = format!(
            "Automatic disposition: the wrap-up time ({} s) ran out.",
            self.limit_secs + self.extensions * self.extension_secs
        );
        let comment = match typed.comment.trim() {
            "" => note,
            said => format!("{note} Agent's note: {said}"),
        };
        DispositionForm {
            l1: self.code[0].clone(),
            l2: self.code[1].clone(),
            l3: self.code[2].clone(),
            d1: typed.d1.clone(),
            d2: typed.d2.clone(),
            comment,
            tag: typed.tag.clone(),
            ..DispositionForm::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> WrapUpLimits {
        let mut campaigns = BTreeMap::new();
        campaigns.insert(
            "Ventas->".to_string(),
            CampaignLimit {
                seconds: Some(60),
                timeout_code: Some(vec!["Volver a llamar".into(), "Agendar".into()]),
            },
        );
        campaigns.insert(
            "Libre->".to_string(),
            CampaignLimit {
                seconds: Some(0),
                timeout_code: None,
            },
        );
        WrapUpLimits {
            seconds: 20,
            timeout_code: vec!["No contactado".into()],
            campaigns,
            ..WrapUpLimits::default()
        }
    }

    fn call(campaign: &str, failed_attempt: bool) -> crate::desk::CallView {
        crate::desk::CallView {
            state: crate::desk::CallState::WrapUp,
            guid: Some("G1".into()),
            campaign: Some(campaign.into()),
            number: Some("099".into()),
            failed_attempt,
            ..Default::default()
        }
    }

    #[test]
    fn a_failed_dial_has_its_own_short_limit_with_the_campaign_code_or_none() {
        let mut l = limits();
        assert!(
            Countdown::begin(&l, &call("Ventas->", true), 0).is_none(),
            "failed dials open no countdown unless asked"
        );
        l.failed_dial_seconds = Some(15);
        let c = Countdown::begin(&l, &call("Ventas->", true), 1_000).unwrap();
        assert_eq!((c.limit_secs, c.deadline), (15, 16_000));
        assert_eq!(c.code[0], "Volver a llamar", "the campaign's own code");
        let c = Countdown::begin(&l, &call("Libre->", true), 0).unwrap();
        assert_eq!(
            (c.limit_secs, c.code[0].as_str()),
            (15, "No contactado"),
            "a campaign without a call limit still gets the attempt's"
        );
        l.failed_dial_seconds = Some(0);
        assert!(
            Countdown::begin(&l, &call("Ventas->", true), 0).is_none(),
            "0: no limit"
        );
        assert_eq!(
            Countdown::begin(&l, &call("Ventas->", false), 0)
                .unwrap()
                .limit_secs,
            60,
            "a placed call keeps the campaign's limit"
        );
    }

    #[test]
    fn a_failed_dial_limit_without_a_code_is_refused() {
        let l = WrapUpLimits {
            failed_dial_seconds: Some(15),
            ..WrapUpLimits::default()
        };
        assert!(l
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("wrap_up_limit:"));
        let off = WrapUpLimits {
            failed_dial_seconds: Some(0),
            ..WrapUpLimits::default()
        };
        assert!(
            off.validate().is_ok(),
            "a wrap-up without a limit needs no code"
        );
    }

    #[test]
    fn each_campaign_has_its_own_limit_or_the_general_one_or_none() {
        let l = limits();
        let (secs, code) = l.for_campaign("Ventas->").unwrap();
        assert_eq!(
            (secs, code[0].as_str(), code[1].as_str(), code[2].as_str()),
            (60, "Volver a llamar", "Agendar", "")
        );
        assert_eq!(l.for_campaign("Cobranzas->").unwrap().0, 20);
        assert_eq!(l.for_campaign("Libre->"), None, "0 turns it off");
        assert_eq!(
            WrapUpLimits::default().for_campaign("Ventas->"),
            None,
            "no limit by default"
        );
    }

    #[test]
    fn a_limit_without_a_code_to_file_is_refused_naming_the_key() {
        let mut l = limits();
        l.timeout_code.clear();
        let err = l.validate().unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSettings);
        assert!(err.to_string().starts_with("wrap_up_limit:"), "{err}");
        assert!(limits().validate().is_ok());
    }

    #[test]
    fn extensions_move_the_deadline_until_none_are_left() {
        let mut c = Countdown::begin(&limits(), &call("Ventas->", false), 1_000).unwrap();
        assert_eq!(c.deadline, 61_000);
        assert!(!c.expired(60_999) && c.expired(61_000));
        c.extend().unwrap();
        c.extend().unwrap();
        assert_eq!(c.deadline, 121_000);
        assert_eq!(c.extensions_left, 0);
        assert_eq!(c.extend().unwrap_err().code(), ErrorCode::InvalidInput);
        assert_eq!(c.deadline, 121_000);
    }

    #[test]
    fn the_timeout_disposition_says_it_was_automatic_and_keeps_what_was_typed() {
        let mut c = Countdown::begin(&limits(), &call("Ventas->", false), 0).unwrap();
        c.extend().unwrap();
        let typed = DispositionForm {
            l1: "Contactado".into(),
            comment: "  pide que lo llamen el lunes ".into(),
            d1: "x".into(),
            ..DispositionForm::default()
        };
        let form = c.timeout_form(&typed);
        assert_eq!(
            (form.l1.as_str(), form.l2.as_str()),
            ("Volver a llamar", "Agendar")
        );
        assert_eq!(
            form.comment,
            "Automatic disposition: the wrap-up time (90 s) ran out. Agent's note: pide que lo llamen el lunes"
        );
        assert_eq!(form.d1, "x");
        let bare = c.timeout_form(&DispositionForm::default());
        assert_eq!(
            bare.comment,
            "Automatic disposition: the wrap-up time (90 s) ran out."
        );
    }
}
