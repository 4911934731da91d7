//! The campaigns an agent dials in: the ones every picker offers and the one a dial uses when none is picked.
//! Decided here, once, for the window, the dial hotkey, click-to-dial links and the bridge; the window shows what
//! this says instead of deciding again.

use serde::Serialize;

use crate::profile::Identity;
use crate::settings::Settings;

/// What the pickers offer and the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Campaigns {
    /// Every campaign to offer, in the settings' order, then the identity's campaign and the default when the
    /// list lacks them; no duplicates, no blanks.
    pub offered: Vec<String>,
    /// The campaign a dial uses when none is picked: the settings' default, else the identity's campaign, else
    /// the first listed ([`Settings::campaign_or_default`]). `None` when there is none at all.
    pub default: Option<String>,
}

impl Campaigns {
    /// The campaigns of these settings for this agent (`None` before the sign-in).
    pub fn new(settings: &Settings, identity: Option<&Identity>) -> Self {
        let outqueue = identity.map(|i| i.outqueue.as_str()).unwrap_or("");
        let default = settings.campaign_or_default(None, outqueue);
        let mut offered: Vec<String> = Vec::new();
        let listed = settings.campaigns.iter().map(String::as_str);
        for campaign in listed.chain([outqueue]).chain(default.as_deref()) {
            let campaign = campaign.trim();
            if !campaign.is_empty() && !offered.iter().any(|c| c == campaign) {
                offered.push(campaign.to_string());
            }
        }
        Self { offered, default }
    }

    /// The campaign to dial in: `picked` when the agent picked one, else the default.
    pub fn pick(&self, picked: Option<&str>) -> Option<String> {
        match picked.map(str::trim) {
            Some(picked) if !picked.is_empty() => Some(picked.to_string()),
            _ => self.default.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(outqueue: &str) -> Identity {
        Identity {
            outqueue: outqueue.into(),
            ..Identity::default()
        }
    }

    #[test]
    fn the_settings_default_wins_then_the_identity_then_the_first_listed() {
        let mut settings = Settings {
            campaigns: vec!["Ventas->".into(), "Cobranzas->".into()],
            default_campaign: "Cobranzas->".into(),
            ..Settings::default()
        };
        let with = |s: &Settings, q| Campaigns::new(s, Some(&identity(q)));
        assert_eq!(
            with(&settings, "Otra->").default.as_deref(),
            Some("Cobranzas->")
        );
        settings.default_campaign.clear();
        assert_eq!(with(&settings, "Otra->").default.as_deref(), Some("Otra->"));
        assert_eq!(with(&settings, "").default.as_deref(), Some("Ventas->"));
        assert_eq!(
            Campaigns::new(&settings, None).default.as_deref(),
            Some("Ventas->")
        );
        assert_eq!(
            Campaigns::new(&Settings::default(), None),
            Campaigns::default()
        );
    }

    #[test]
    fn every_picker_offers_the_list_the_identitys_campaign_and_the_default_once() {
        let settings = Settings {
            campaigns: vec!["Ventas->".into(), " ".into(), "Ventas->".into()],
            default_campaign: "Soporte->".into(),
            ..Settings::default()
        };
        let campaigns = Campaigns::new(&settings, Some(&identity("Cobranzas->")));
        assert_eq!(campaigns.offered, ["Ventas->", "Cobranzas->", "Soporte->"]);
    }

    #[test]
    fn a_picked_campaign_is_used_and_a_blank_one_means_the_default() {
        let settings = Settings {
            campaigns: vec!["Ventas->".into()],
            ..Settings::default()
        };
        let campaigns = Campaigns::new(&settings, None);
        assert_eq!(
            campaigns.pick(Some(" Cobranzas-> ")).as_deref(),
            Some("Cobranzas->")
        );
        assert_eq!(campaigns.pick(Some("  ")).as_deref(), Some("Ventas->"));
        assert_eq!(campaigns.pick(None).as_deref(), Some("Ventas->"));
    }
}
