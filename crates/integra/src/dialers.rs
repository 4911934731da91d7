//! Dialer records: respool, scheduled calls, dialer tasks and removals. The JSON objects travel as one form field
//! each (`callspool`, `callschedule`, `call`), exactly as the reference's examples show them.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::datetime;
use crate::error::{Error, Result};
use crate::form::{required, Form};
use crate::types::{lenient_i64, Campaign};

/// The Respool object (`callspool`). Campaign, status, contact and dialerbase identify the record and must be
/// sent back unchanged; the rules about what an agent may edit live in the app's domain crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Respool {
    /// Dialer campaign.
    pub campaign: String,
    /// The number to call next; never one already on the spool.
    pub destination: String,
    /// The dialer list the record belongs to.
    pub dialerbase: String,
    /// 1 when enabled.
    #[serde(deserialize_with = "lenient_i64::deserialize")]
    pub status: i64,
    /// `k=v:k=v` pairs for workflows and forms.
    pub data: String,
    /// `:`-separated alternative numbers.
    pub alternatives: String,
    /// Contact id.
    #[serde(deserialize_with = "lenient_i64::deserialize")]
    pub contact: i64,
    /// Retries of the main number (0 when an alternative becomes the main number).
    #[serde(deserialize_with = "lenient_i64::deserialize")]
    pub retries: i64,
    /// Ordering priority; 1 is reserved for schedules.
    #[serde(deserialize_with = "lenient_i64::deserialize")]
    pub priority: i64,
    /// Agent extension, for progressive dialers.
    #[serde(default)]
    pub agentphone: String,
}

/// The ScheduleDialerCall object (`callschedule`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSchedule {
    /// When the dialer should call.
    #[serde(with = "datetime::mandatory")]
    pub calldate: NaiveDateTime,
    /// Dialer campaign.
    pub campaign: String,
    /// Number to call.
    pub destination: String,
    /// `:`-separated alternative numbers.
    #[serde(default)]
    pub alternatives: String,
    /// Agent extension, for progressive dialers.
    #[serde(default)]
    pub agentphone: String,
    /// `k=v:k=v` pairs.
    #[serde(default)]
    pub data: String,
}

/// The DialerTask object (`call`). Use one of the four constructors, which set `calldate`, `bulk` and
/// `automatic` as the reference's four modes require.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialerTask {
    /// `null` = as soon as the schedule is free; a date = at that moment.
    #[serde(with = "datetime::optional")]
    pub calldate: Option<NaiveDateTime>,
    /// Campaign.
    pub campaign: String,
    /// Number to call.
    pub destination: String,
    /// `:`-separated alternative numbers.
    pub alternatives: String,
    /// Owner agent (user name or extension), empty for anyone.
    pub agent: String,
    /// `k=v:k=v` pairs.
    pub data: String,
    /// Free text naming where the task came from.
    pub source: String,
    /// Part of a bulk list.
    pub bulk: bool,
    /// Dialed automatically by the dialer.
    pub automatic: bool,
}

impl DialerTask {
    fn base(
        campaign: &Campaign,
        destination: &str,
        calldate: Option<NaiveDateTime>,
        bulk: bool,
        automatic: bool,
    ) -> Self {
        Self {
            calldate,
            campaign: campaign.to_string(),
            destination: destination.to_string(),
            alternatives: String::new(),
            agent: String::new(),
            data: String::new(),
            source: "ucontact-agent-companion".into(),
            bulk,
            automatic,
        }
    }

    /// "Insert dialer with priority 1": goes out now (calldate null, bulk false, automatic true).
    pub fn priority_now(campaign: &Campaign, destination: &str) -> Self {
        Self::base(campaign, destination, None, false, true)
    }

    /// "Create a manual call - click to call" (calldate null, bulk false, automatic false).
    pub fn click_to_call(campaign: &Campaign, destination: &str) -> Self {
        Self::base(campaign, destination, None, false, false)
    }

    /// "Insert scheduled call for any time": at `calldate` (bulk true, automatic false).
    pub fn any_time(campaign: &Campaign, destination: &str, calldate: NaiveDateTime) -> Self {
        Self::base(campaign, destination, Some(calldate), true, false)
    }

    /// "Insert dialer call owned by an agent" (user name or extension; bulk true, automatic false).
    pub fn owned_by(campaign: &Campaign, destination: &str, agent: &str) -> Self {
        Self {
            agent: agent.to_string(),
            ..Self::base(campaign, destination, None, true, false)
        }
    }

    /// Sets the `:`-separated alternatives.
    pub fn alternatives(mut self, alternatives: impl Into<String>) -> Self {
        self.alternatives = alternatives.into();
        self
    }

    /// Sets the `k=v:k=v` data.
    pub fn data(mut self, data: impl Into<String>) -> Self {
        self.data = data.into();
        self
    }

    /// Sets the source text.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }
}

impl Client {
    /// Puts a dialer record back on the spool (Dialers/Respool). Priority 1 is reserved for schedules, so it must
    /// be above 1; retries cannot be negative. Never respool a destination already on the spool.
    pub async fn respool(&self, spool: &Respool) -> Result<()> {
        required("campaign", &spool.campaign)?;
        required("destination", &spool.destination)?;
        required("dialerbase", &spool.dialerbase)?;
        if spool.priority <= 1 {
            return Err(Error::invalid(
                "priority",
                format!(
                    "{} is reserved or invalid: 1 is used for schedules, use more than 1",
                    spool.priority
                ),
            ));
        }
        if spool.retries < 0 {
            return Err(Error::invalid("retries", "must not be negative"));
        }
        let form = Form::new().json("callspool", spool)?;
        self.post_form("Dialers/Respool", form).await?.expect_one()
    }

    /// Schedules a dialer call (Dialers/ScheduleDialerCall). The dialer must be enabled and on date to process it.
    pub async fn schedule_dialer_call(&self, schedule: &CallSchedule) -> Result<()> {
        required("campaign", &schedule.campaign)?;
        required("destination", &schedule.destination)?;
        let form = Form::new().json("callschedule", schedule)?;
        self.post_form("Dialers/ScheduleDialerCall", form)
            .await?
            .expect_one()
    }

    /// Inserts a dialer task (Dialers/DialerTask).
    pub async fn dialer_task(&self, task: &DialerTask) -> Result<()> {
        required("campaign", &task.campaign)?;
        required("destination", &task.destination)?;
        let form = Form::new().json("call", task)?;
        self.post_form("Dialers/DialerTask", form)
            .await?
            .expect_one()
    }

    /// Removes a contact's number from a dialer (Dialers/RemoveContact).
    pub async fn remove_contact(&self, campaign: &Campaign, number: &str) -> Result<()> {
        required("campaign", campaign.as_str())?;
        required("number", number)?;
        let form = Form::new()
            .field("campaign", campaign.as_str())
            .field("number", number);
        self.post_form("Dialers/RemoveContact", form)
            .await?
            .expect_one()
    }

    /// Removes the scheduled calls to `destination` between `from` and `to` (Dialers/RemoveScheduleDialerCall).
    pub async fn remove_schedule(
        &self,
        campaign: &Campaign,
        destination: &str,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<()> {
        required("campaign", campaign.as_str())?;
        required("destination", destination)?;
        if to < from {
            return Err(Error::invalid(
                "to",
                "the end of the range is before its start",
            ));
        }
        let form = Form::new()
            .field("campaign", campaign.as_str())
            .field("destination", destination)
            .field("from", datetime::format_datetime(&from))
            .field("to", datetime::format_datetime(&to));
        self.post_form("Dialers/RemoveScheduleDialerCall", form)
            .await?
            .expect_one()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(task: &DialerTask) -> serde_json::Value {
        serde_json::to_value(task).unwrap()
    }

    #[test]
    fn the_four_task_modes_match_the_reference() {
        let c = Campaign::new("campName<-");
        let now = value(&DialerTask::priority_now(&c, "12-345-678"));
        assert_eq!(
            (now["calldate"].is_null(), &now["bulk"], &now["automatic"]),
            (true, &false.into(), &true.into())
        );
        let manual = value(&DialerTask::click_to_call(&c, "12-345-678"));
        assert_eq!(
            (
                manual["calldate"].is_null(),
                &manual["bulk"],
                &manual["automatic"]
            ),
            (true, &false.into(), &false.into())
        );
        let at = datetime::parse_datetime("2020-01-01 00:00:00").unwrap();
        let any = value(&DialerTask::any_time(&c, "12-345-678", at));
        assert_eq!(any["calldate"], "2020-01-01 00:00:00");
        assert_eq!(
            (&any["bulk"], &any["automatic"]),
            (&true.into(), &false.into())
        );
        let owned = value(&DialerTask::owned_by(&c, "12-345-678", "Agent1"));
        assert_eq!(
            (owned["agent"].as_str(), &owned["bulk"]),
            (Some("Agent1"), &true.into())
        );
    }

    #[test]
    fn respool_reads_numbers_given_as_strings() {
        let json = r#"{"campaign":"Ventas->","destination":"098344484","dialerbase":"basetest","status":"1",
            "data":"Par1=Val1","alternatives":"098124484","contact":"222","retries":0,"priority":9999}"#;
        let spool: Respool = serde_json::from_str(json).unwrap();
        assert_eq!(
            (
                spool.status,
                spool.contact,
                spool.priority,
                spool.agentphone.as_str()
            ),
            (1, 222, 9999, "")
        );
    }
}
