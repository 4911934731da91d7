//! Call control: two-step dialing (AgentCall), hang-up, recording tags, dispositions and external workflows.
//!
//! AgentCall is the one endpoint here that is not idempotent (a second request rings the customer a second time),
//! so nothing in this crate ever repeats it; see [`Client::agent_call`].

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::datetime;
use crate::error::{Error, Result};
use crate::form::{required, Form};
use crate::types::{CallGuid, Campaign};

/// AgentCall's parameters: the agent's identity and the number to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentCall {
    /// The number the call goes out with (the campaign's DID). May be empty: it is sent empty and the server uses
    /// the campaign's DID (AgentLogin does not tell an agent's caller id, so many agents have none configured).
    pub callerid: String,
    /// The agent's user name.
    pub agent: String,
    /// The agent's extension: it rings first.
    pub phone: String,
    /// Usually `SIP`.
    pub tech: String,
    /// The agent's dialplan context.
    pub context: String,
    /// The outbound campaign the call is counted in.
    pub outqueue: Campaign,
    /// The customer's number.
    pub destination: String,
}

impl AgentCall {
    fn form(&self) -> Result<Form> {
        for (field, value) in [
            ("agent", &self.agent),
            ("phone", &self.phone),
            ("tech", &self.tech),
            ("context", &self.context),
            ("destination", &self.destination),
        ] {
            required(field, value)?;
        }
        required("outqueue", self.outqueue.as_str())?;
        Ok(Form::new()
            .field("callerid", &self.callerid)
            .field("agent", &self.agent)
            .field("phone", &self.phone)
            .field("tech", &self.tech)
            .field("context", &self.context)
            .field("outqueue", self.outqueue.as_str())
            .field("destination", &self.destination))
    }
}

/// TagRecord's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRecord {
    /// The destination phone of the call.
    pub phone: String,
    /// The call's GUID.
    pub guid: CallGuid,
    /// The tag text.
    pub data: String,
}

/// DispositionCall's thirteen fields. Stored as is in the app's outbox, so it is (de)serializable. Campaign,
/// agent, callerid, guid and l1 are required; the other fields are sent empty when absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Disposition {
    /// Campaign name.
    pub campaign: String,
    /// Agent user name.
    pub agent: String,
    /// The customer's number.
    pub callerid: String,
    /// The call's GUID.
    pub guid: String,
    /// Level 1 code.
    pub l1: String,
    /// Level 2 code.
    #[serde(default)]
    pub l2: String,
    /// Level 3 code.
    #[serde(default)]
    pub l3: String,
    /// Extra data.
    #[serde(default)]
    pub d1: String,
    /// Extra data.
    #[serde(default)]
    pub d2: String,
    /// The agent's comment.
    #[serde(default)]
    pub comment: String,
    /// When to call again (the code's action is a reschedule).
    #[serde(default, with = "datetime::optional")]
    pub schedule: Option<NaiveDateTime>,
    /// Dialer to reschedule the call in.
    #[serde(default)]
    pub camptoreschedule: Option<Campaign>,
    /// Recording tag; the server defaults it to `l1|l2|l3` when empty.
    #[serde(default)]
    pub tag: String,
}

impl Disposition {
    fn form(&self) -> Result<Form> {
        for (field, value) in [
            ("campaign", &self.campaign),
            ("agent", &self.agent),
            ("callerid", &self.callerid),
            ("guid", &self.guid),
            ("l1", &self.l1),
        ] {
            required(field, value)?;
        }
        Ok(Form::new()
            .field("campaign", &self.campaign)
            .field("agent", &self.agent)
            .field("callerid", &self.callerid)
            .field("guid", &self.guid)
            .field("l1", &self.l1)
            .field("l2", &self.l2)
            .field("l3", &self.l3)
            .field("d1", &self.d1)
            .field("d2", &self.d2)
            .field("comment", &self.comment)
            .field(
                "schedule",
                self.schedule
                    .as_ref()
                    .map(datetime::format_datetime)
                    .unwrap_or_default(),
            )
            .field(
                "camptoreschedule",
                self.camptoreschedule
                    .as_ref()
                    .map(Campaign::as_str)
                    .unwrap_or(""),
            )
            .field("tag", &self.tag))
    }
}

impl Client {
    /// Two-step dialing (Agents/AgentCall): the agent's phone rings first; when the agent answers, uContact calls
    /// `destination`. Returns the call's GUID. All seven fields are required.
    ///
    /// **Not idempotent, never retried**: not by this method, and callers must not either, even when the error
    /// [`is_transient`](crate::Error::is_transient). After a timeout or a dropped connection the first request may
    /// already have started the call, and sending it again would ring the customer twice. Show the agent what
    /// happened and let them decide.
    pub async fn agent_call(&self, req: &AgentCall) -> Result<CallGuid> {
        let reply = self.post_form("Agents/AgentCall", req.form()?).await?;
        reply.expect_text("the call's GUID").map(CallGuid::new)
    }

    /// AgentCall with `data` for the call's workflow (Agents/AgentCallwithData; usually JSON). **Never retried**,
    /// for the same reason as [`Client::agent_call`].
    pub async fn agent_call_with_data(&self, req: &AgentCall, data: &str) -> Result<CallGuid> {
        required("data", data)?;
        let form = req.form()?.field("data", data);
        let reply = self.post_form("Agents/AgentCallwithData", form).await?;
        reply.expect_text("the call's GUID").map(CallGuid::new)
    }

    /// Hangs up the call on the agent's phone (`phone` = the agent's extension). The reference writes
    /// Agents/HungupPhone; the Agent API page writes Agents/HangupPhone, so a 404 on the first is sent once to the
    /// second (a 404 touched no call). `1` is success, `0` (no call to hang up) a rejection.
    pub async fn hangup(&self, phone: &str) -> Result<()> {
        required("phone", phone)?;
        let form = || Form::new().field("phone", phone.trim());
        match self.post_form("Agents/HungupPhone", form()).await {
            Err(Error::NotFound { .. }) => self
                .post_form("Agents/HangupPhone", form())
                .await?
                .expect_one(),
            other => other?.expect_one(),
        }
    }

    /// Tags the call's recording (Agents/TagRecord). The server answers with an empty body (it is asynchronous).
    pub async fn tag_record(&self, req: &TagRecord) -> Result<()> {
        required("guid", req.guid.as_str())?;
        required("data", &req.data)?;
        let form = Form::new()
            .field("phone", &req.phone)
            .field("guid", req.guid.as_str())
            .field("data", &req.data);
        self.post_form("Agents/TagRecord", form).await?.expect_ack()
    }

    /// Files the call's disposition (api/DispositionCall; all thirteen fields, absent optional ones sent empty).
    /// The reference documents `1` as the answer.
    pub async fn disposition_call(&self, req: &Disposition) -> Result<()> {
        self.post_form("api/DispositionCall", req.form()?)
            .await?
            .expect_one()
    }

    /// Starts an external workflow in a voice dialplan (admin/CallWorkflow); `jsonparams` must be a JSON object.
    /// Returns the server's text (`OK`).
    pub async fn call_workflow(
        &self,
        context: &str,
        extension: &str,
        jsonparams: &serde_json::Value,
    ) -> Result<String> {
        required("context", context)?;
        required("extension", extension)?;
        if !jsonparams.is_object() {
            return Err(Error::invalid("jsonparams", "must be a JSON object"));
        }
        let form = Form::new()
            .field("context", context)
            .field("extension", extension)
            .json("jsonparams", jsonparams)?;
        self.post_form("admin/CallWorkflow", form)
            .await?
            .expect_text("OK")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_sends_all_thirteen_fields_even_when_empty() {
        let d = Disposition {
            campaign: "Ventas->".into(),
            agent: "alice".into(),
            callerid: "099123456".into(),
            guid: "g-1".into(),
            l1: "Contactado".into(),
            schedule: Some(datetime::parse_datetime("2030-01-02 10:00:00").unwrap()),
            camptoreschedule: Some(Campaign::new("Cobranzas->")),
            ..Default::default()
        };
        let body = d.form().unwrap().finish();
        let names: Vec<String> = form_urlencoded::parse(body.as_bytes())
            .map(|(k, _)| k.into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "campaign",
                "agent",
                "callerid",
                "guid",
                "l1",
                "l2",
                "l3",
                "d1",
                "d2",
                "comment",
                "schedule",
                "camptoreschedule",
                "tag"
            ]
        );
        assert!(body.contains("schedule=2030-01-02+10%3A00%3A00"), "{body}");
        assert!(body.contains("camptoreschedule=Cobranzas-%3E&"), "{body}");
    }

    #[test]
    fn disposition_without_l1_is_refused_before_sending() {
        let d = Disposition {
            campaign: "Ventas->".into(),
            agent: "a".into(),
            callerid: "1".into(),
            guid: "g".into(),
            ..Default::default()
        };
        assert_eq!(
            d.form().unwrap_err().to_string(),
            "invalid l1: must not be empty"
        );
    }

    #[test]
    fn agent_call_requires_six_fields_and_sends_an_empty_callerid() {
        let call = AgentCall {
            callerid: "59821234567".into(),
            agent: "alice".into(),
            phone: "1001".into(),
            tech: "SIP".into(),
            context: "agentes".into(),
            outqueue: Campaign::new("Ventas->"),
            destination: " ".into(),
        };
        assert_eq!(
            call.form().unwrap_err().to_string(),
            "invalid destination: must not be empty"
        );
        let no_did = AgentCall {
            callerid: String::new(),
            destination: "099123456".into(),
            ..call
        };
        let body = no_did
            .form()
            .expect("an empty caller id is sent as is")
            .finish();
        assert!(body.starts_with("callerid=&agent=alice"), "{body}");
    }

    #[test]
    fn disposition_round_trips_through_json_for_the_outbox() {
        let d = Disposition {
            campaign: "Ventas->".into(),
            l1: "Contactado".into(),
            comment: "mañana".into(),
            camptoreschedule: Some(Campaign::new("Cobranzas->")),
            ..Default::default()
        };
        let back: Disposition = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
