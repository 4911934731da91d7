//! Dialer tasks and schedules the agent starts from the app's Dialer screen, outside a call: schedule a call
//! (ScheduleDialerCall), remove the scheduled calls of a number in a date range (RemoveScheduleDialerCall), take a
//! contact off a dialer (RemoveContact) and insert a dialer task in each of the reference's four modes.
//!
//! The forms arrive as the agent typed them; everything is validated here (numbers like a typed number, `k=v`
//! data, date-times, the past refused for a schedule) so a mistake is named before anything is sent. A schedule
//! is something the agent must not lose, so it becomes an outbox job (on disk before it is sent); removals and
//! tasks are sent at once and their answer shown. The bridge's `schedule` goes through the same checks and the
//! same outbox as the Dialer screen's form.

use chrono::NaiveDateTime;
use integra::{CallSchedule, Campaign, DialerTask};
use serde::Deserialize;

use crate::desk::DeskHandle;
use crate::session::Session;
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use cti::{parse_schedule, DialerCti};
use outbox::Job;

/// The clock schedules are checked against: the computer's local time (uContact's dates have no zone).
pub fn local_now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// Schedule a call in a dialer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScheduleForm {
    /// Dialer campaign.
    pub campaign: String,
    /// Number to call.
    pub number: String,
    /// When: `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM`; not in the past.
    pub calldate: String,
    /// Alternative numbers, separated by `:`, commas or spaces.
    pub alternatives: String,
    /// `k=v:k=v` data for forms and workflows.
    pub data: String,
    /// Agent extension, for progressive dialers.
    pub agentphone: String,
}

/// Remove the scheduled calls of a number between two date-times.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RemoveScheduleForm {
    /// Dialer campaign.
    pub campaign: String,
    /// The scheduled number.
    pub number: String,
    /// Start of the range.
    pub from: String,
    /// End of the range.
    pub to: String,
}

/// Take a contact's number off a dialer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RemoveContactForm {
    /// Dialer campaign.
    pub campaign: String,
    /// The number.
    pub number: String,
}

/// The reference's four dialer task modes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum TaskMode {
    /// "Insert dialer with priority 1": out now.
    PriorityNow,
    /// "Create a manual call — click to call".
    ClickToCall,
    /// "Insert scheduled call for any time", at a date-time.
    AnyTime {
        /// When.
        calldate: String,
    },
    /// "Insert dialer call owned by an agent" (user name or extension).
    OwnedBy {
        /// The owner.
        agent: String,
    },
}

/// Insert a dialer task.
#[derive(Debug, Clone, Deserialize)]
pub struct TaskForm {
    /// The mode and its value.
    #[serde(flatten)]
    pub mode: TaskMode,
    /// Campaign.
    #[serde(default)]
    pub campaign: String,
    /// Number to call.
    #[serde(default)]
    pub number: String,
    /// Alternative numbers.
    #[serde(default)]
    pub alternatives: String,
    /// `k=v:k=v` data.
    #[serde(default)]
    pub data: String,
}

fn campaign(text: &str) -> Result<Campaign> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(
            Phrase::new("error.dialer.campaign"),
            "pick the dialer campaign".into(),
        ));
    }
    Ok(Campaign::new(text))
}

fn number(text: &str) -> Result<String> {
    Ok(phone_number::normalize(text)?.as_str().to_string())
}

/// Alternatives as the dialer wants them: each a valid number, `:`-joined.
fn alternatives(text: &str) -> Result<String> {
    let numbers = text
        .split([':', ',', ';', '\n'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            phone_number::normalize(a)
                .map(|n| n.as_str().to_string())
                .map_err(|e| {
                    AgentError::phrased(
                        e.code(),
                        Phrase::new("error.dialer.alternative")
                            .with("number", format!("{a:?}"))
                            .with("problem", e.to_string()),
                        format!("alternative {a:?}: {e}"),
                    )
                })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(numbers.join(":"))
}

/// `k=v:k=v`, each pair with a name.
fn data(text: &str) -> Result<String> {
    let pairs: Vec<&str> = text
        .split([':', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    for pair in &pairs {
        match pair.split_once('=') {
            Some((key, _)) if !key.trim().is_empty() => {}
            _ => {
                return Err(invalid(
                    Phrase::new("error.dialer.data_pair").with("pair", format!("{pair:?}")),
                    format!("data {pair:?} is not name=value"),
                ))
            }
        }
    }
    Ok(pairs.join(":"))
}

fn datetime(field: &str, text: &str) -> Result<NaiveDateTime> {
    let text = text.trim().replacen('T', " ", 1);
    let text = if text.len() == 16 {
        format!("{text}:00")
    } else {
        text
    };
    integra::datetime::parse_datetime(&text).map_err(|_| {
        let phrase = match field {
            "from" => Phrase::new("error.dialer.from"),
            _ => Phrase::new("error.dialer.to"),
        };
        invalid(phrase, format!("{field}: use YYYY-MM-DD HH:MM"))
    })
}

/// A field of a dialer form refused: `phrase` in the agent's language, `message` the same in English.
fn invalid(phrase: Phrase, message: String) -> AgentError {
    AgentError::phrased(ErrorCode::InvalidInput, phrase, message)
}

/// The ScheduleDialerCall object of a form, refusing the past.
pub fn schedule(form: &ScheduleForm, now: NaiveDateTime) -> Result<CallSchedule> {
    Ok(CallSchedule {
        calldate: parse_schedule(&form.calldate, now)?,
        campaign: campaign(&form.campaign)?.to_string(),
        destination: number(&form.number)?,
        alternatives: alternatives(&form.alternatives)?,
        agentphone: agentphone(&form.agentphone)?,
        data: data(&form.data)?,
    })
}

/// The ScheduleDialerCall object for a dialer record (the bridge's `schedule`: the record says who and where,
/// `call_date` when), checked like the Dialer screen's form.
pub fn schedule_record(
    record: &DialerCti,
    call_date: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<CallSchedule> {
    let record = record.to_respool();
    schedule(
        &ScheduleForm {
            campaign: record.campaign,
            number: record.destination,
            calldate: integra::datetime::format_datetime(&call_date),
            alternatives: record.alternatives,
            data: record.data,
            agentphone: record.agentphone,
        },
        now,
    )
}

/// Puts a scheduled call in the outbox (on disk before it is sent) and tries it once; true when the server
/// acknowledged it already.
pub async fn submit_schedule(desk: &DeskHandle, call: CallSchedule) -> Result<bool> {
    desk.submit(Job::Schedule(call)).await
}

fn agentphone(text: &str) -> Result<String> {
    let text = text.trim();
    if text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(text.to_string())
    } else {
        Err(invalid(
            Phrase::new("error.dialer.agent_phone").with("value", format!("{text:?}")),
            format!("agent phone {text:?}: an extension is digits only"),
        ))
    }
}

/// RemoveScheduleDialerCall.
pub async fn remove_schedule(session: &Session, form: &RemoveScheduleForm) -> Result<()> {
    let (from, to) = (datetime("from", &form.from)?, datetime("to", &form.to)?);
    if to < from {
        return Err(invalid(
            Phrase::new("error.dialer.range"),
            "the end of the range is before its start".into(),
        ));
    }
    let campaign = campaign(&form.campaign)?;
    Ok(session
        .client
        .remove_schedule(&campaign, &number(&form.number)?, from, to)
        .await?)
}

/// RemoveContact.
pub async fn remove_contact(session: &Session, form: &RemoveContactForm) -> Result<()> {
    let campaign = campaign(&form.campaign)?;
    Ok(session
        .client
        .remove_contact(&campaign, &number(&form.number)?)
        .await?)
}

/// The DialerTask object of a form.
pub fn task(form: &TaskForm, now: NaiveDateTime) -> Result<DialerTask> {
    let (campaign, destination) = (campaign(&form.campaign)?, number(&form.number)?);
    let task = match &form.mode {
        TaskMode::PriorityNow => DialerTask::priority_now(&campaign, &destination),
        TaskMode::ClickToCall => DialerTask::click_to_call(&campaign, &destination),
        TaskMode::AnyTime { calldate } => {
            DialerTask::any_time(&campaign, &destination, parse_schedule(calldate, now)?)
        }
        TaskMode::OwnedBy { agent } if agent.trim().is_empty() => {
            return Err(invalid(
                Phrase::new("error.dialer.owner"),
                "name the agent (user name or extension) who owns the call".into(),
            ))
        }
        TaskMode::OwnedBy { agent } => DialerTask::owned_by(&campaign, &destination, agent.trim()),
    };
    Ok(task
        .alternatives(alternatives(&form.alternatives)?)
        .data(data(&form.data)?))
}

/// DialerTask.
pub async fn insert_task(session: &Session, form: &TaskForm) -> Result<()> {
    let task = task(form, local_now())?;
    Ok(session.client.dialer_task(&task).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        integra::datetime::parse_datetime("2026-12-01 10:00:00").unwrap()
    }

    #[test]
    fn a_schedule_is_checked_field_by_field() {
        let form = ScheduleForm {
            campaign: "Ventas->".into(),
            number: "099 123 456".into(),
            calldate: "2026-12-02T15:30".into(),
            alternatives: "098 111 222, 097333444".into(),
            data: "id=7:zona=norte".into(),
            agentphone: "1001".into(),
        };
        let call = schedule(&form, now()).unwrap();
        assert_eq!(
            (
                call.destination.as_str(),
                call.alternatives.as_str(),
                call.data.as_str()
            ),
            ("099123456", "098111222:097333444", "id=7:zona=norte")
        );
        assert_eq!(
            integra::datetime::format_datetime(&call.calldate),
            "2026-12-02 15:30:00"
        );
        let bad = |edit: fn(&mut ScheduleForm)| {
            let mut f = form.clone();
            edit(&mut f);
            schedule(&f, now()).unwrap_err().to_string()
        };
        assert!(bad(|f| f.campaign.clear()).contains("campaign"));
        assert!(bad(|f| f.number = "099-CALL".into()).contains("letters"));
        assert!(bad(|f| f.alternatives = "098x".into()).contains("alternative \"098x\""));
        assert!(bad(|f| f.data = "novalue".into()).contains("name=value"));
        assert!(bad(|f| f.agentphone = "10a".into()).contains("digits"));
    }

    #[test]
    fn a_dialer_record_is_scheduled_with_the_forms_checks() {
        let cti = cti::Cti::parse(
            r#"{"campaign":"Ventas->","destination":"099123456","dialerbase":"b","status":1,
                "data":"id=7:zona=norte","alternatives":"098111222","contact":3,"priority":5}"#,
            cti::CtiSource::Bridge,
        )
        .unwrap();
        let record = cti.require_dialer("Scheduling").unwrap();
        let at = integra::datetime::parse_datetime("2026-12-02 15:30:00").unwrap();
        let call = schedule_record(record, at, now()).unwrap();
        assert_eq!(
            (
                call.campaign.as_str(),
                call.destination.as_str(),
                call.alternatives.as_str(),
                call.data.as_str(),
                call.calldate
            ),
            ("Ventas->", "099123456", "098111222", "id=7:zona=norte", at)
        );
        let past = integra::datetime::parse_datetime("2026-11-30 09:00:00").unwrap();
        let err = schedule_record(record, past, now()).unwrap_err();
        assert_eq!(err.code(), agent_error::ErrorCode::InvalidSchedule);
        assert!(err.to_string().contains("past"), "{err}");
    }

    #[test]
    fn each_task_mode_sets_the_reference_flags() {
        let form = |mode| TaskForm {
            mode,
            campaign: "Ventas->".into(),
            number: "099123456".into(),
            alternatives: String::new(),
            data: "idcustomer=7".into(),
        };
        let now_task = task(&form(TaskMode::PriorityNow), now()).unwrap();
        assert_eq!(
            (now_task.calldate, now_task.bulk, now_task.automatic),
            (None, false, true)
        );
        let manual = task(&form(TaskMode::ClickToCall), now()).unwrap();
        assert_eq!((manual.bulk, manual.automatic), (false, false));
        let at = task(
            &form(TaskMode::AnyTime {
                calldate: "2026-12-03 09:00".into(),
            }),
            now(),
        )
        .unwrap();
        assert!(at.calldate.is_some() && at.bulk && !at.automatic);
        let owned = task(
            &form(TaskMode::OwnedBy {
                agent: "alice".into(),
            }),
            now(),
        )
        .unwrap();
        assert_eq!((owned.agent.as_str(), owned.bulk), ("alice", true));
        assert!(task(&form(TaskMode::OwnedBy { agent: " ".into() }), now()).is_err());
        assert_eq!(owned.data, "idcustomer=7");
    }

    #[test]
    fn the_mode_comes_from_the_form_json() {
        let form: TaskForm = serde_json::from_str(
            r#"{"mode":"any_time","calldate":"2026-12-03 09:00","campaign":"Ventas->","number":"099123456"}"#,
        )
        .unwrap();
        assert_eq!(
            form.mode,
            TaskMode::AnyTime {
                calldate: "2026-12-03 09:00".into()
            }
        );
        // The window sends every field of the form whatever the mode.
        let form: TaskForm = serde_json::from_str(
            r#"{"mode":"priority_now","calldate":"","agent":"","campaign":"Ventas->","number":"099123456","alternatives":"","data":""}"#,
        )
        .unwrap();
        assert_eq!(form.mode, TaskMode::PriorityNow);
    }
}
