//! Campaign information: Supervisor/queuesummary and Supervisor/campaignstatus.
//!
//! queuesummary answers a list whose entries with `queue` are queues and whose last entry (without `queue`) only
//! says when the figures were taken; both are modelled. campaignstatus answers one JSON object keyed by name whose
//! values are of several kinds (campaigns, agents, ACD calls). Only the campaign object is documented; agents and
//! calls are recognised by their keys and keep every field, and anything unrecognised is kept as raw JSON rather
//! than failing the whole answer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::Client;
use crate::error::{clip, Error, Result};
use crate::form::Form;
use crate::types::{lenient_i64, lenient_string, Campaign};

mod status;

pub use status::{AcdCall, AgentStatus, CampaignCounters, CampaignStatus, StatusEntry};

/// One queue of queuesummary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueSummary {
    /// Queue (campaign) name.
    #[serde(deserialize_with = "lenient_string::deserialize")]
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
    /// The server's id of the request that produced the figures.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub internal_action_id: String,
    /// When the server took the figures (`Nov 2, 2018 11:31:42 AM`).
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub date_received: String,
}

/// An entry of queuesummary without `queue`: not a queue, only when and for which request the figures were taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SummaryMetadata {
    /// The server's id of the request.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub internal_action_id: String,
    /// When the server took the figures.
    #[serde(default, deserialize_with = "lenient_string::deserialize")]
    pub date_received: String,
}

/// queuesummary's answer split by kind: the queues, and the metadata entries that close the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct QueueSummaryReport {
    /// One entry per queue, in the server's order.
    pub queues: Vec<QueueSummary>,
    /// The entries without `queue` (normally one, last).
    pub metadata: Vec<SummaryMetadata>,
}

impl QueueSummaryReport {
    /// Sorts queuesummary's entries: those with `queue` are queues, the others metadata. A queue entry whose
    /// counters are not numbers is a `Decode` error naming the entry.
    pub fn parse(value: Value) -> Result<Self> {
        let Value::Array(entries) = value else {
            return Err(Error::UnexpectedBody {
                endpoint: QUEUE_SUMMARY,
                status: 200,
                body: clip(&value.to_string()),
                expected: "a JSON list of queues",
            });
        };
        let mut report = Self::default();
        for entry in entries {
            let decode = |source| Error::Decode {
                endpoint: QUEUE_SUMMARY,
                body: clip(&entry.to_string()),
                source,
            };
            if entry.get("queue").is_some() {
                report
                    .queues
                    .push(QueueSummary::deserialize(&entry).map_err(decode)?);
            } else {
                report
                    .metadata
                    .push(SummaryMetadata::deserialize(&entry).map_err(decode)?);
            }
        }
        Ok(report)
    }
}

const QUEUE_SUMMARY: &str = "Supervisor/queuesummary";
const CAMPAIGN_STATUS: &str = "Supervisor/campaignstatus";

impl Client {
    /// Every queue of Supervisor/queuesummary; the metadata entry that closes the list is left out (see
    /// [`Client::queue_summary_report`]).
    pub async fn queue_summary(&self) -> Result<Vec<QueueSummary>> {
        Ok(self.queue_summary_report().await?.queues)
    }

    /// Supervisor/queuesummary with its metadata entries.
    pub async fn queue_summary_report(&self) -> Result<QueueSummaryReport> {
        let value: Value = self
            .post_form(QUEUE_SUMMARY, Form::new())
            .await?
            .expect_json()?;
        QueueSummaryReport::parse(value)
    }

    /// Status of one campaign, or of all with `None` (Supervisor/campaignstatus, `queue` empty for all).
    pub async fn campaign_status(&self, queue: Option<&Campaign>) -> Result<CampaignStatus> {
        let form = Form::new().field("queue", queue.map(Campaign::as_str).unwrap_or(""));
        let value: Value = self.post_form(CAMPAIGN_STATUS, form).await?.expect_json()?;
        CampaignStatus::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queue_summary_separates_queues_from_metadata() {
        let report = QueueSummaryReport::parse(json!([
            {"queue":"Power<-","loggedIn":10,"available":"5","callers":3,"holdTime":18,"talkTime":130,
             "longestHoldTime":220,"internalActionId":"1982468278_6312","dateReceived":"Nov 2, 2018 11:31:42 AM"},
            {"queue":"test->"},
            {"internalActionId":"1982468278_6312","dateReceived":"Nov 2, 2018 11:31:42 AM"}
        ]))
        .unwrap();
        let power = &report.queues[0];
        assert_eq!(
            (power.logged_in, power.available, power.longest_hold_time),
            (10, 5, 220)
        );
        assert_eq!(
            (report.queues[1].queue.as_str(), report.queues[1].callers),
            ("test->", 0)
        );
        assert_eq!(
            report.metadata,
            [SummaryMetadata {
                internal_action_id: "1982468278_6312".into(),
                date_received: "Nov 2, 2018 11:31:42 AM".into()
            }]
        );
    }

    #[test]
    fn queue_summary_odd_entries_are_errors_naming_them() {
        let err = QueueSummaryReport::parse(json!([{"queue":"x","loggedIn":"ten"}])).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { body, .. } if body.contains("ten")),
            "{err:?}"
        );
        assert!(matches!(
            QueueSummaryReport::parse(json!({"queue":"x"})),
            Err(Error::UnexpectedBody { .. })
        ));
        assert_eq!(
            QueueSummaryReport::parse(json!([])).unwrap(),
            QueueSummaryReport::default()
        );
    }
}
