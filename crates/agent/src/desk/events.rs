//! What the desk takes and tells: the disposition form the agent fills in, and the events it publishes (the call's
//! state, notices, the outbox counts, the connection, and facts about a call for the local history).

use serde::{Deserialize, Serialize};

use super::CallView;
use call_history::Ending;

/// What the agent fills in at wrap-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DispositionForm {
    /// Level 1 (required).
    pub l1: String,
    /// Level 2.
    pub l2: String,
    /// Level 3.
    pub l3: String,
    /// Extra data.
    pub d1: String,
    /// Extra data.
    pub d2: String,
    /// Comment.
    pub comment: String,
    /// Call again at `YYYY-MM-DD HH:MM[:SS]`.
    pub schedule: Option<String>,
    /// Campaign to reschedule in.
    pub camptoreschedule: Option<String>,
    /// Recording tag; empty means `l1|l2|l3`.
    pub tag: String,
    /// The agent confirmed the leaf's dialer action (a blacklist cannot be undone).
    pub confirmed: bool,
}

/// The kind of a notice, for notifications and the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// AgentCall answered with a GUID.
    CallPlaced,
    /// The call ended.
    CallEnded,
    /// The server acknowledged the disposition.
    DispositionSaved,
    /// The disposition is on disk and waits for the server.
    DispositionWaiting,
    /// The session could not be renewed.
    SignInLost,
    /// The portal reported a call ringing for the agent (through the bridge).
    CallRinging,
    /// The call was disposed in the portal: nothing is filed from the app.
    DisposedInPortal,
    /// The call was disposed in the portal, and its disposition waiting in the outbox was dropped (never sent).
    WaitingDispositionDropped,
}

/// What the desk publishes.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeskEvent {
    /// The call changed.
    State {
        /// The call (boxed: it carries the CTI and the respool editor, much larger than the other events).
        view: Box<CallView>,
    },
    /// Something the agent should hear about.
    Notice {
        /// Kind.
        kind: NoticeKind,
        /// Text, in English (the window reads it for `sign_in_lost`: the reason).
        text: String,
        /// The same in words of the tables of texts, for a notification in the agent's language (`None`: the text
        /// is a server's or an error's own words). The window does not get it: it words notices from its views.
        #[serde(skip)]
        phrase: Option<agent_error::Phrase>,
    },
    /// The outbox changed: how many items wait for the server and how many for the agent (refused, or blocked
    /// behind a refused item of the same call). [`DeskHandle::outbox_items`] has the details.
    Outbox {
        /// Waiting for the server.
        pending: usize,
        /// Waiting for the agent.
        rejected: usize,
    },
    /// The last request reached the server (`failure` empty) or did not: for the connection light.
    Connection {
        /// Why it did not.
        failure: Option<agent_error::IpcError>,
    },
    /// Something about a call the view does not carry (who hung up, what was filed, the tags), for the local
    /// history ([`crate::history`]), which records it on its own task, off the dial path.
    Fact {
        /// What happened.
        fact: CallFact,
    },
}

/// A fact about a call, published as [`DeskEvent::Fact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum CallFact {
    /// The call with `guid` ended.
    Ended {
        /// Its GUID.
        guid: String,
        /// How.
        how: Ending,
    },
    /// Its disposition was filed: acknowledged (`delivered`), waiting in the outbox, or refused by the server.
    Filed {
        /// Its GUID.
        guid: String,
        /// The codes, `l1 / l2 / l3`.
        disposition: String,
        /// Acknowledged at once.
        delivered: bool,
        /// The server refused it (it stays in the outbox for the agent).
        refused: bool,
    },
    /// Its recording was tagged.
    Tagged {
        /// Its GUID.
        guid: String,
        /// The tag.
        text: String,
    },
}

/// The result of a disposition.
#[derive(Debug, Clone, Serialize)]
pub struct Disposed {
    /// The call after it.
    pub view: CallView,
    /// True when the server acknowledged it; false when it waits in the outbox.
    pub delivered: bool,
    /// Why the leaf's dialer action did not go through at once (it waits in the outbox, or was refused).
    pub action_error: Option<agent_error::IpcError>,
}
