//! What the outbox carries: the requests that must reach the server once the agent submitted them.

use serde::{Deserialize, Serialize};

/// A request waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "request", rename_all = "snake_case")]
pub enum Job {
    /// DispositionCall.
    Disposition(Box<integra::Disposition>),
    /// TagRecord.
    Tag(integra::TagRecord),
    /// Dialers/Respool: the record goes back on the dialer's spool.
    Respool(integra::Respool),
    /// Dialers/ScheduleDialerCall.
    Schedule(integra::CallSchedule),
    /// admin/addblack.
    Blacklist(integra::BlackEntry),
    /// api/AgentBreak: the agent went on a break.
    Break(integra::AgentPause),
    /// api/AgentUnBreak: the agent's break ended.
    Unbreak(integra::AgentPause),
}

/// The line break requests share in the outbox, so an AgentUnBreak never overtakes its AgentBreak.
pub const BREAKS_LINE: &str = "agent-breaks";

impl Job {
    /// The call GUID the request carries itself (dispositions and tags). Dialer actions carry none; they are
    /// queued behind a call with [`crate::Outbox::enqueue_for_call`].
    pub fn call_guid(&self) -> Option<&str> {
        match self {
            Job::Disposition(d) => Some(&d.guid),
            Job::Tag(t) => Some(t.guid.as_str()),
            Job::Break(_) | Job::Unbreak(_) => Some(BREAKS_LINE),
            Job::Respool(_) | Job::Schedule(_) | Job::Blacklist(_) => None,
        }
    }

    /// Short kind name (stored in the clear, shown to the agent).
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Disposition(_) => "disposition",
            Job::Tag(_) => "tag",
            Job::Respool(_) => "respool",
            Job::Schedule(_) => "schedule",
            Job::Blacklist(_) => "blacklist",
            Job::Break(_) => "break",
            Job::Unbreak(_) => "unbreak",
        }
    }

    /// One line for the agent: what it is, the number, the codes.
    pub fn summary(&self) -> String {
        fn codes(levels: [&str; 3]) -> String {
            levels
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" / ")
        }
        match self {
            Job::Disposition(d) => format!(
                "Disposition of {}: {}",
                d.callerid,
                codes([&d.l1, &d.l2, &d.l3])
            ),
            Job::Tag(t) => format!("Tag of {}: {}", t.phone, t.data),
            Job::Respool(r) => format!("Call {} again in {}", r.destination, r.campaign),
            Job::Schedule(s) => format!(
                "Call {} at {} in {}",
                s.destination,
                s.calldate.format("%Y-%m-%d %H:%M"),
                s.campaign
            ),
            Job::Blacklist(b) => format!("Do not call {} ({})", b.phone, b.campaign),
            Job::Break(p) => format!("Break: {}", p.motive),
            Job::Unbreak(p) => format!("End of break: {}", p.motive),
        }
    }

    /// Sends the request once.
    pub async fn deliver(&self, client: &integra::Client) -> integra::Result<()> {
        match self {
            Job::Disposition(d) => client.disposition_call(d).await,
            Job::Tag(t) => client.tag_record(t).await,
            Job::Respool(r) => client.respool(r).await,
            Job::Schedule(s) => client.schedule_dialer_call(s).await,
            Job::Blacklist(b) => client.add_black(b).await,
            Job::Break(p) => client.agent_break(p).await,
            Job::Unbreak(p) => client.agent_unbreak(p).await,
        }
    }
}
