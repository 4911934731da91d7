//! The screen pop: which template opens the customer's record for a call, and at which moment. Settings come from
//! `settings.toml` (or the policy file, which may lock them):
//!
//! ```toml
//! [[screen_pop.templates]]
//! url = "https://crm.example/search?phone={number}&call={guid}"   # the default: any campaign, any direction
//!
//! [[screen_pop.templates]]
//! url = "https://crm.example/customers/{cti.data.customer_id}"
//! campaign = "Ventas"        # only this campaign (empty or absent: any)
//! direction = "outbound"     # only this direction (absent: any)
//! when = "dial"              # ring, answer (the default), dial or on_demand
//! ```
//!
//! The most specific template wins, then its `when` decides whether this moment opens it. A [`PopLedger`] keeps a
//! re-sent event from opening a second tab; opening on demand (the agent's button) bypasses it on purpose.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::event::Moment;
use crate::fields::{CallFields, Direction};
use crate::template::UrlTemplate;

/// The `[screen_pop]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreenPopSettings {
    /// The templates, in order; among equally specific matches the first wins.
    pub templates: Vec<PopTemplate>,
}

/// One `[[screen_pop.templates]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopTemplate {
    /// The URL to open (checked when the settings load).
    pub url: UrlTemplate,
    /// The campaign it is for; empty: any.
    #[serde(default)]
    pub campaign: String,
    /// The direction it is for; `None`: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// When it opens by itself.
    #[serde(default)]
    pub when: PopWhen,
}

/// When a template opens without the agent asking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PopWhen {
    /// When an inbound call rings.
    Ring,
    /// When the call is answered (the default: no tab for calls the agent never takes).
    #[default]
    Answer,
    /// When an outbound call starts dialing.
    Dial,
    /// Only when the agent asks.
    OnDemand,
}

impl PopWhen {
    /// Whether this moment of a call in `direction` opens the template by itself.
    pub fn fires_on(self, moment: Moment, direction: Direction) -> bool {
        match self {
            PopWhen::Ring => moment == Moment::Ringing && direction == Direction::Inbound,
            PopWhen::Dial => moment == Moment::Dialing && direction == Direction::Outbound,
            PopWhen::Answer => moment == Moment::Answered,
            PopWhen::OnDemand => false,
        }
    }
}

impl PopTemplate {
    /// Whether the template is for this campaign and direction.
    fn matches(&self, campaign: &str, direction: Direction) -> bool {
        (self.campaign.is_empty() || self.campaign == campaign)
            && self.direction.is_none_or(|d| d == direction)
    }

    /// Campaign and direction: 3; campaign: 2; direction: 1; neither (the default): 0.
    fn specificity(&self) -> u8 {
        2 * u8::from(!self.campaign.is_empty()) + u8::from(self.direction.is_some())
    }

    fn selector(&self) -> String {
        let campaign = match self.campaign.as_str() {
            "" => "any campaign".to_string(),
            c => format!("campaign {c:?}"),
        };
        let direction = self.direction.map_or("any direction", Direction::name);
        format!("{campaign}, {direction}")
    }
}

/// Something in `[screen_pop]` that cannot work as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenPopProblem {
    /// Same campaign and direction as an earlier template: the earlier one always wins.
    #[error("screen_pop.templates[{index}] is never used: templates[{earlier}] is also for {selector} and comes first")]
    Shadowed {
        /// The unused template.
        index: usize,
        /// The one that wins.
        earlier: usize,
        /// Its campaign and direction, in words.
        selector: String,
    },
    /// `when = "ring"` for outbound calls, or `when = "dial"` for inbound ones.
    #[error("screen_pop.templates[{index}] never opens by itself: when = {when:?} does not happen on {direction} calls")]
    NeverFires {
        /// The template.
        index: usize,
        /// `ring` or `dial`.
        when: &'static str,
        /// The template's direction.
        direction: Direction,
    },
    /// A campaign with spaces around it, which no campaign name has.
    #[error("screen_pop.templates[{index}].campaign {campaign:?} has spaces around it")]
    CampaignSpaces {
        /// The template.
        index: usize,
        /// The campaign as written.
        campaign: String,
    },
}

impl ScreenPopSettings {
    /// The template for a call in `campaign` going `direction`: the most specific match (campaign and direction,
    /// then campaign, then direction, then a template with neither), the first in the list among equals.
    pub fn template_for(&self, campaign: &str, direction: Direction) -> Option<&PopTemplate> {
        let mut best: Option<&PopTemplate> = None;
        for template in self
            .templates
            .iter()
            .filter(|t| t.matches(campaign, direction))
        {
            if best.is_none_or(|b| template.specificity() > b.specificity()) {
                best = Some(template);
            }
        }
        best
    }

    /// The URL to open by itself at `moment` for `call`, if its template fires then. Ask the [`PopLedger`] before
    /// opening it.
    pub fn automatic(&self, moment: Moment, call: &CallFields) -> Option<Url> {
        let template = self.template_for(&call.campaign, call.direction)?;
        template
            .when
            .fires_on(moment, call.direction)
            .then(|| template.url.render(call))
    }

    /// The URL the agent's "Open in CRM" opens for `call`, whatever the template's `when`. It bypasses the
    /// [`PopLedger`]: the agent asked, so it opens every time.
    pub fn on_demand(&self, call: &CallFields) -> Option<Url> {
        Some(
            self.template_for(&call.campaign, call.direction)?
                .url
                .render(call),
        )
    }

    /// Every problem, in the templates' order. Two templates for the same campaign and direction (two defaults
    /// included) are a problem: the second is never used, which is almost surely not what was meant.
    pub fn validate(&self) -> Result<(), Vec<ScreenPopProblem>> {
        let mut problems = Vec::new();
        for (index, template) in self.templates.iter().enumerate() {
            if template.campaign.trim() != template.campaign {
                problems.push(ScreenPopProblem::CampaignSpaces {
                    index,
                    campaign: template.campaign.clone(),
                });
            }
            let earlier = self.templates[..index]
                .iter()
                .position(|t| t.campaign == template.campaign && t.direction == template.direction);
            if let Some(earlier) = earlier {
                problems.push(ScreenPopProblem::Shadowed {
                    index,
                    earlier,
                    selector: template.selector(),
                });
            }
            let never = match (template.when, template.direction) {
                (PopWhen::Ring, Some(direction @ Direction::Outbound)) => Some(("ring", direction)),
                (PopWhen::Dial, Some(direction @ Direction::Inbound)) => Some(("dial", direction)),
                _ => None,
            };
            if let Some((when, direction)) = never {
                problems.push(ScreenPopProblem::NeverFires {
                    index,
                    when,
                    direction,
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// The calls that already had their automatic pop, so a re-sent event (a reconnect, the bridge and the desk both
/// reporting a ring) does not open a second tab. Bounded: it remembers the last [`PopLedger::DEFAULT_CAPACITY`]
/// calls (or the capacity given), forgetting the oldest first. On-demand opening does not consult it.
#[derive(Debug, Clone)]
pub struct PopLedger {
    seen: VecDeque<String>,
    capacity: usize,
}

impl Default for PopLedger {
    fn default() -> Self {
        PopLedger::with_capacity(PopLedger::DEFAULT_CAPACITY)
    }
}

impl PopLedger {
    /// How many calls the default ledger remembers: far more than an agent takes between two re-sent events.
    pub const DEFAULT_CAPACITY: usize = 64;

    /// A ledger that remembers the last `capacity` calls (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        PopLedger {
            seen: VecDeque::with_capacity(capacity),
            capacity,
        }
    }

    /// True the first time `call_key` is seen (then remembered): the pop may open. `call_key` is the call's GUID,
    /// or a key the caller gives a call whose GUID is not known yet; the same call must keep the same key. An
    /// empty key identifies nothing: it is always a first time and is not remembered.
    pub fn first_time(&mut self, call_key: &str) -> bool {
        if call_key.is_empty() {
            return true;
        }
        if self.seen.iter().any(|k| k == call_key) {
            return false;
        }
        if self.seen.len() == self.capacity {
            self.seen.pop_front();
        }
        self.seen.push_back(call_key.to_string());
        true
    }
}
