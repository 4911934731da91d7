//! Campaign information: Supervisor/queuesummary and Supervisor/campaignstatus.
//!
//! campaignstatus answers one JSON object keyed by name whose values are of several kinds (campaigns, agents, ACD
//! calls). Only the campaign object is documented; agents and calls are recognised by their keys and keep every
//! field, and anything unrecognised is kept as raw JSON rather than failing the whole answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::client::{Auth, Client};
use crate::error::Result;
use crate::form::Form;
use crate::types::{lenient_i64, lenient_string, Campaign};

/// One queue of queuesummary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueSummary {
    /// Queue (campaign) name.
    pub queue: String,
    /// Agents logged in.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub logged_in: i64,
    /// Agents available.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub available: i64,
    /// Callers waiting.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub callers: i64,
    /// Average hold time, seconds.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub hold_time: i64,
    /// Average talk time, seconds.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub talk_time: i64,
    /// Longest hold, seconds.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub longest_hold_time: i64,
    /// When the server took the figures.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub date_received: String,
}

/// The documented campaign object of campaignstatus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCounters {
    /// Campaign name.
    pub campaign: String,
    /// Agents available.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub availables: i64,
    /// Agents not available.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub notavailables: i64,
    /// Agents paused.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub paused: i64,
    /// Agents busy.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub busy: i64,
    /// Agents busy and paused.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub busypaused: i64,
    /// Agents in the campaign.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub totalagents: i64,
    /// Agents logged in.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub logged: i64,
    /// Agents in wrap-up.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub onwrapup: i64,
    /// Completed calls.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub completed: i64,
    /// Abandoned calls.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub abandoned: i64,
    /// Talk time as the server formats it (`00:00:00-0`).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub talked: String,
    /// Hold time as the server formats it.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub hold: String,
    /// Abandon level.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub abandonedlevel: String,
    /// Calls in total.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub totalcalls: i64,
    /// Calls waiting in ACD.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub acd: i64,
    /// Service level.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub servicelevel: String,
    /// Second service level.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub servicelevel2: String,
    /// Distribution strategy.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub strategy: String,
    /// Service level threshold.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub slevelthreshold: String,
    /// Wrap-up seconds.
    #[serde(default, deserialize_with = "lenient_i64::deserialize")]
    pub wrapup: i64,
}

/// One value of campaignstatus.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatusEntry {
    /// A campaign's counters.
    Campaign(Box<CampaignCounters>),
    /// An agent (undocumented shape; recognised by an `agent`/`membername` key).
    Agent {
        /// The agent's name.
        agent: String,
        /// Every field as sent.
        fields: serde_json::Map<String, serde_json::Value>,
    },
    /// A call waiting in ACD (undocumented; recognised by `callerid` together with `wait` or `position`).
    AcdCall {
        /// The caller's number.
        callerid: String,
        /// Every field as sent.
        fields: serde_json::Map<String, serde_json::Value>,
    },
    /// Anything else, kept as sent.
    Other(serde_json::Value),
}

impl StatusEntry {
    fn classify(value: serde_json::Value) -> Self {
        let Some(object) = value.as_object() else {
            return StatusEntry::Other(value);
        };
        let text = |key: &str| {
            object.get(key).map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
        };
        if object.contains_key("campaign") && object.contains_key("availables") {
            if let Ok(counters) = serde_json::from_value(value.clone()) {
                return StatusEntry::Campaign(Box::new(counters));
            }
        }
        if let Some(agent) = text("agent").or_else(|| text("membername")) {
            return StatusEntry::Agent {
                agent,
                fields: object.clone(),
            };
        }
        if let (Some(callerid), true) = (
            text("callerid"),
            object.contains_key("wait") || object.contains_key("position"),
        ) {
            return StatusEntry::AcdCall {
                callerid,
                fields: object.clone(),
            };
        }
        StatusEntry::Other(value)
    }
}

/// campaignstatus' answer: entries by the server's key, in key order.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CampaignStatus {
    /// Every entry.
    pub entries: BTreeMap<String, StatusEntry>,
}

impl CampaignStatus {
    /// Parses the answer; entries of unknown shape are kept as [`StatusEntry::Other`].
    pub fn parse(value: serde_json::Value) -> std::result::Result<Self, String> {
        let serde_json::Value::Object(map) = value else {
            return Err("expected a JSON object keyed by campaign".into());
        };
        Ok(Self {
            entries: map
                .into_iter()
                .map(|(k, v)| (k, StatusEntry::classify(v)))
                .collect(),
        })
    }

    /// The campaign objects.
    pub fn campaigns(&self) -> impl Iterator<Item = &CampaignCounters> {
        self.entries.values().filter_map(|e| match e {
            StatusEntry::Campaign(c) => Some(c.as_ref()),
            _ => None,
        })
    }
}

impl Client {
    /// Summary of every queue (Supervisor/queuesummary). The trailing metadata object is not a queue and is left out.
    pub async fn queue_summary(&self) -> Result<Vec<QueueSummary>> {
        let rows: Vec<serde_json::Value> = self
            .post_form("Supervisor/queuesummary", Form::new(), Auth::Token)
            .await?
            .expect_json()?;
        rows.into_iter()
            .filter(|row| row.get("queue").is_some())
            .map(|row| {
                serde_json::from_value(row.clone()).map_err(|source| crate::Error::Decode {
                    endpoint: "Supervisor/queuesummary",
                    body: crate::error::clip(&row.to_string()),
                    source,
                })
            })
            .collect()
    }

    /// Status of one campaign, or of all with `None` (Supervisor/campaignstatus).
    pub async fn campaign_status(&self, queue: Option<&Campaign>) -> Result<CampaignStatus> {
        const EP: &str = "Supervisor/campaignstatus";
        let form = Form::new().field("queue", queue.map(Campaign::as_str).unwrap_or(""));
        let value: serde_json::Value =
            self.post_form(EP, form, Auth::Token).await?.expect_json()?;
        let body = crate::error::clip(&value.to_string());
        CampaignStatus::parse(value).map_err(|_| crate::Error::UnexpectedBody {
            endpoint: EP,
            status: 200,
            body,
            expected: "a JSON object keyed by campaign",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_sorts_campaigns_agents_calls_and_unknowns() {
        let json = serde_json::json!({
            "Power<-": {"campaign":"Power<-","availables":0,"notavailables":"1","paused":0,"talked":"00:00:00-0","wrapup":3},
            "alice": {"agent":"alice","status":"available","campaign":"Power<-"},
            "call-1": {"callerid":"099123456","wait":12,"queue":"Power<-"},
            "weird": [1,2,3]
        });
        let status = CampaignStatus::parse(json).unwrap();
        let power = status.campaigns().next().unwrap();
        assert_eq!(
            (power.notavailables, power.wrapup, power.talked.as_str()),
            (1, 3, "00:00:00-0")
        );
        assert!(
            matches!(&status.entries["alice"], StatusEntry::Agent { agent, .. } if agent == "alice")
        );
        assert!(
            matches!(&status.entries["call-1"], StatusEntry::AcdCall { callerid, .. } if callerid == "099123456")
        );
        assert!(matches!(&status.entries["weird"], StatusEntry::Other(_)));
        assert!(CampaignStatus::parse(serde_json::json!([1])).is_err());
    }

    #[test]
    fn queue_summary_rows_parse_with_camel_case_keys() {
        let row: QueueSummary = serde_json::from_value(serde_json::json!({
            "queue":"Power<-","loggedIn":10,"available":5,"callers":3,"holdTime":18,"talkTime":130,"longestHoldTime":220,
            "internalActionId":"1982468278_6312","dateReceived":"Nov 2, 2018 11:31:42 AM"}))
        .unwrap();
        assert_eq!((row.logged_in, row.longest_hold_time), (10, 220));
    }
}
