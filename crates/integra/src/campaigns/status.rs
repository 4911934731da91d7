//! Supervisor/campaignstatus' answer: one JSON object keyed by name whose values mix "Campaigns, Agents and ACD
//! Calls". Only the campaign object is documented; agents and calls are recognised by their keys and keep every
//! field, and anything unrecognised is kept as raw JSON rather than failing the whole answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::CAMPAIGN_STATUS;
use crate::error::{clip, Error, Result};
use crate::types::{lenient_i64, lenient_string};

/// The documented campaign object of campaignstatus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCounters {
    /// Campaign name.
    #[serde(deserialize_with = "lenient_string::deserialize")]
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

/// An agent object of campaignstatus (undocumented: recognised by an `agent` or `membername` key).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentStatus {
    /// The agent's name.
    pub agent: String,
    /// `status` as sent (e.g. `available`, `busy`, `paused`), empty when absent.
    pub status: String,
    /// `campaign` as sent, empty when absent.
    pub campaign: String,
    /// Every field as sent.
    pub fields: Map<String, Value>,
}

/// An ACD call object of campaignstatus (undocumented: recognised by a caller id together with a wait, position,
/// channel or unique id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcdCall {
    /// The caller's number.
    pub callerid: String,
    /// `queue` or `campaign` as sent, empty when absent.
    pub queue: String,
    /// Every field as sent.
    pub fields: Map<String, Value>,
}

/// One value of campaignstatus, whose answer mixes "Campaigns, Agents and ACD Calls".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum StatusEntry {
    /// A campaign's counters (the documented shape).
    Campaign(Box<CampaignCounters>),
    /// An agent.
    Agent(AgentStatus),
    /// A call waiting in ACD.
    AcdCall(AcdCall),
    /// Anything else (or a campaign object whose counters do not parse), kept as sent rather than failing the
    /// whole answer.
    Other(Value),
}

impl StatusEntry {
    /// Recognises an entry by its keys.
    pub fn classify(value: Value) -> Self {
        let Value::Object(object) = value else {
            return StatusEntry::Other(value);
        };
        let text = |key: &str| {
            object.get(key).map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        let has_any = |keys: &[&str]| keys.iter().any(|k| object.contains_key(*k));
        if object.contains_key("campaign") && has_any(&["availables", "totalagents", "totalcalls"])
        {
            return match CampaignCounters::deserialize(&Value::Object(object.clone())) {
                Ok(counters) => StatusEntry::Campaign(Box::new(counters)),
                Err(_) => StatusEntry::Other(Value::Object(object)),
            };
        }
        if let Some(agent) = text("agent").or_else(|| text("membername")) {
            return StatusEntry::Agent(AgentStatus {
                agent,
                status: text("status").unwrap_or_default(),
                campaign: text("campaign").unwrap_or_default(),
                fields: object,
            });
        }
        let callerid = text("callerid").or_else(|| text("calleridnum"));
        if let Some(callerid) =
            callerid.filter(|_| has_any(&["wait", "position", "holdtime", "channel", "uniqueid"]))
        {
            return StatusEntry::AcdCall(AcdCall {
                callerid,
                queue: text("queue")
                    .or_else(|| text("campaign"))
                    .unwrap_or_default(),
                fields: object,
            });
        }
        StatusEntry::Other(Value::Object(object))
    }
}

/// campaignstatus' answer: entries by the server's key (campaign or agent name), in key order.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CampaignStatus {
    /// Every entry.
    pub entries: BTreeMap<String, StatusEntry>,
}

impl CampaignStatus {
    /// Parses the answer, a JSON object keyed by name; entries of unknown shape are kept as [`StatusEntry::Other`].
    pub fn parse(value: Value) -> Result<Self> {
        let Value::Object(map) = value else {
            return Err(Error::UnexpectedBody {
                endpoint: CAMPAIGN_STATUS,
                status: 200,
                body: clip(&value.to_string()),
                expected: "a JSON object keyed by campaign",
            });
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

    /// The agent objects.
    pub fn agents(&self) -> impl Iterator<Item = &AgentStatus> {
        self.entries.values().filter_map(|e| match e {
            StatusEntry::Agent(a) => Some(a),
            _ => None,
        })
    }

    /// The ACD call objects.
    pub fn acd_calls(&self) -> impl Iterator<Item = &AcdCall> {
        self.entries.values().filter_map(|e| match e {
            StatusEntry::AcdCall(c) => Some(c),
            _ => None,
        })
    }

    /// One campaign's counters by name.
    pub fn campaign(&self, name: &str) -> Option<&CampaignCounters> {
        self.campaigns().find(|c| c.campaign == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_sorts_campaigns_agents_calls_and_unknowns() {
        let status = CampaignStatus::parse(json!({
            "Power<-": {"campaign":"Power<-","availables":0,"notavailables":"1","paused":0,"talked":"00:00:00-0",
                        "wrapup":3,"servicelevel":"0.0","abandonedlevel":0,"new_counter":9},
            "alice": {"agent":"alice","status":"available","campaign":"Power<-"},
            "SIP/1002": {"membername":"bob","paused":1},
            "call-1": {"callerid":"099123456","wait":12,"queue":"Power<-"},
            "weird": [1,2,3],
            "half": {"campaign":"x","availables":"many"},
            "note": {"text":"hello"}
        }))
        .unwrap();
        let power = status.campaign("Power<-").unwrap();
        assert_eq!(
            (power.notavailables, power.wrapup, power.talked.as_str()),
            (1, 3, "00:00:00-0")
        );
        assert_eq!(
            power.abandonedlevel, "0",
            "numbers where text is documented are read as text"
        );
        let agents: Vec<_> = status
            .agents()
            .map(|a| (a.agent.as_str(), a.status.as_str()))
            .collect();
        assert_eq!(agents, [("bob", ""), ("alice", "available")]);
        let call = status.acd_calls().next().unwrap();
        assert_eq!(
            (
                call.callerid.as_str(),
                call.queue.as_str(),
                &call.fields["wait"]
            ),
            ("099123456", "Power<-", &json!(12))
        );
        assert!(matches!(&status.entries["weird"], StatusEntry::Other(v) if v == &json!([1,2,3])));
        assert!(
            matches!(&status.entries["half"], StatusEntry::Other(_)),
            "bad counters are kept raw"
        );
        assert!(matches!(&status.entries["note"], StatusEntry::Other(_)));
        assert_eq!(status.campaigns().count(), 1);
    }

    #[test]
    fn status_that_is_not_an_object_is_unexpected() {
        for value in [json!([1]), json!("0x"), json!(null)] {
            assert!(matches!(
                CampaignStatus::parse(value),
                Err(Error::UnexpectedBody { .. })
            ));
        }
        assert!(CampaignStatus::parse(json!({})).unwrap().entries.is_empty());
    }

    #[test]
    fn status_serializes_with_a_kind_tag() {
        let status = CampaignStatus::parse(json!({"w": 5, "alice": {"agent": "alice"}})).unwrap();
        let out = serde_json::to_value(&status).unwrap();
        assert_eq!(out["entries"]["w"], json!({"kind": "other", "value": 5}));
        assert_eq!(out["entries"]["alice"]["kind"], "agent");
    }
}
