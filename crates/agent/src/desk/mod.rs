//! The call desk: one tokio task owns the call state. The UI, hotkeys and the tray send it commands over an mpsc
//! channel and get replies on oneshot channels; it publishes every change on a broadcast channel. Because one task
//! decides, two hotkey presses can never place two calls.
//!
//! AgentCall runs beside the task (so the desk can refuse a second dial while the first is being placed) and is
//! never retried, except after a 401, which means the server did not act on it. Tags and dispositions go through
//! the outbox: on disk first, then one try through the [`Courier`], which owns every later try; what cannot be
//! sent waits there, and the agent sees it ([`DeskHandle::outbox_items`], [`DeskEvent::Outbox`]).

mod attached_cti;
mod disposing;
mod events;
mod late_filing;
mod portal;
mod state;

use std::sync::Arc;

use tokio::sync::{broadcast, mpsc, oneshot};

pub use attached_cti::RespoolEdit;
pub use events::{CallFact, DeskEvent, Disposed, DispositionForm, NoticeKind};
pub use late_filing::PastCall;
pub use state::{check, CallState, CallView, Intent};

use crate::session::Session;
use agent_error::{AgentError, ErrorCode, Phrase, Result};
use keychain::SecretStore;
use outbox::courier::{Courier, CourierOptions, Delivery};
use outbox::{Job, Outbox, OutboxCounts, OutboxItemView};

/// How the desk behaves.
#[derive(Debug, Clone)]
pub struct DeskOptions {
    /// The last call must be disposed before the next dial.
    pub require_wrap_up: bool,
    /// A failed dial opens a wrap-up for that attempt (`[wrap_up_limit] failed_dial_seconds` set).
    pub wrap_up_failed_dials: bool,
    /// How the outbox's courier retries.
    pub courier: CourierOptions,
}

impl Default for DeskOptions {
    fn default() -> Self {
        Self {
            require_wrap_up: true,
            wrap_up_failed_dials: false,
            courier: CourierOptions::default(),
        }
    }
}

type Reply<T> = oneshot::Sender<Result<T>>;

enum Command {
    Dial {
        number: String,
        campaign: Option<String>,
        reply: Reply<CallView>,
    },
    HangUp {
        reply: Reply<CallView>,
    },
    CustomerHungUp {
        reply: Reply<CallView>,
    },
    Tag {
        text: String,
        reply: Reply<CallView>,
    },
    Dispose {
        form: DispositionForm,
        action: Option<disposition_tree::DialerAction>,
        reply: Reply<Disposed>,
    },
    AttachCti {
        cti: cti::Cti,
        reply: Reply<CallView>,
    },
    OpenRespool {
        reply: Reply<CallView>,
    },
    EditRespool {
        edit: RespoolEdit,
        reply: Reply<CallView>,
    },
    SubmitRespool {
        reply: Reply<bool>,
    },
    CloseRespool {
        reply: Reply<CallView>,
    },
    RespoolRecord {
        cti: cti::Cti,
        reply: Reply<bool>,
    },
    Portal {
        event: bridge::PortalEvent,
        reply: Reply<CallView>,
    },
    Snapshot {
        reply: oneshot::Sender<CallView>,
    },
    RequireWrapUp(bool),
    WrapUpFailedDials(bool),
    DiscardAttempt {
        reply: Reply<CallView>,
    },
    SetIdentity(crate::profile::Identity),
    FileLate {
        call: PastCall,
        form: DispositionForm,
        action: Option<disposition_tree::DialerAction>,
        reply: Reply<Disposed>,
    },
}

/// A cheap handle to the desk task.
#[derive(Clone)]
pub struct DeskHandle {
    commands: mpsc::Sender<Command>,
    events: broadcast::Sender<DeskEvent>,
    courier: Courier,
}

fn gone() -> AgentError {
    AgentError::phrased(
        ErrorCode::NotSignedIn,
        Phrase::new("error.call.desk_closed"),
        "the call desk is closed (signed out)",
    )
}

impl DeskHandle {
    async fn ask<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(make(reply)).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }

    /// Places a call to `number` (as typed or pasted) in `campaign` (default: the identity's).
    pub async fn dial(&self, number: &str, campaign: Option<String>) -> Result<CallView> {
        let number = number.to_string();
        self.ask(|reply| Command::Dial {
            number,
            campaign,
            reply,
        })
        .await
    }

    /// Hangs up (HungupPhone with the agent's extension) and moves to wrap-up.
    pub async fn hang_up(&self) -> Result<CallView> {
        self.ask(|reply| Command::HangUp { reply }).await
    }

    /// The customer ended the call: wrap-up without a request.
    pub async fn customer_hung_up(&self) -> Result<CallView> {
        self.ask(|reply| Command::CustomerHungUp { reply }).await
    }

    /// Tags the recording of the current or last call.
    pub async fn tag(&self, text: &str) -> Result<CallView> {
        let text = text.to_string();
        self.ask(|reply| Command::Tag { text, reply }).await
    }

    /// Files the disposition of the call in wrap-up.
    pub async fn dispose(&self, form: DispositionForm) -> Result<Disposed> {
        self.dispose_with(form, None).await
    }

    /// Files the disposition and then runs the leaf's dialer `action` (RESPOOL opens the editor; the others are
    /// queued behind the disposition). The action is planned first: a missing date, a call without dialer data
    /// or an unconfirmed blacklist is refused before anything is sent.
    pub async fn dispose_with(
        &self,
        form: DispositionForm,
        action: Option<disposition_tree::DialerAction>,
    ) -> Result<Disposed> {
        self.ask(|reply| Command::Dispose {
            form,
            action,
            reply,
        })
        .await
    }

    /// Files the disposition of `call`, a call of the day that ended without one and is no longer on the desk,
    /// with the leaf's dialer `action` (RESPOOL is refused: its editor needs the call on the desk).
    pub async fn file_late(
        &self,
        call: PastCall,
        form: DispositionForm,
        action: Option<disposition_tree::DialerAction>,
    ) -> Result<Disposed> {
        self.ask(|reply| Command::FileLate {
            call,
            form,
            action,
            reply,
        })
        .await
    }

    /// Attaches CTI to the current call, or takes it as a dialer call that reached the agent.
    pub async fn attach_cti(&self, cti: cti::Cti) -> Result<CallView> {
        self.ask(|reply| Command::AttachCti { cti, reply }).await
    }

    /// A call event of the portal, forwarded by a paired page: a call rang, ended or was disposed in the portal.
    pub async fn portal_event(&self, event: bridge::PortalEvent) -> Result<CallView> {
        self.ask(|reply| Command::Portal { event, reply }).await
    }

    /// Opens the respool editor on the call's dialer record.
    pub async fn open_respool(&self) -> Result<CallView> {
        self.ask(|reply| Command::OpenRespool { reply }).await
    }

    /// One edit in the respool editor.
    pub async fn edit_respool(&self, edit: RespoolEdit) -> Result<CallView> {
        self.ask(|reply| Command::EditRespool { edit, reply }).await
    }

    /// Sends the respool through the outbox; true when the server acknowledged it already.
    pub async fn submit_respool(&self) -> Result<bool> {
        self.ask(|reply| Command::SubmitRespool { reply }).await
    }

    /// Respools a record a paired page sent, under the editor's rules; true when acknowledged at once.
    pub async fn respool_record(&self, cti: cti::Cti) -> Result<bool> {
        self.ask(|reply| Command::RespoolRecord { cti, reply })
            .await
    }

    /// Closes the respool editor without sending.
    pub async fn close_respool(&self) -> Result<CallView> {
        self.ask(|reply| Command::CloseRespool { reply }).await
    }

    /// Puts a request that must not be lost (a schedule from the Dialer screen) in the outbox and tries it once;
    /// true when the server acknowledged it, false when it waits. A `0` is returned as the error.
    pub async fn submit(&self, job: Job) -> Result<bool> {
        self.courier.submit(job).await?.delivery.acknowledged()
    }

    /// The call as it is now.
    pub async fn snapshot(&self) -> CallView {
        let (reply, answer) = oneshot::channel();
        if self
            .commands
            .send(Command::Snapshot { reply })
            .await
            .is_err()
        {
            return CallView::default();
        }
        answer.await.unwrap_or_default()
    }

    /// Changes the wrap-up rule.
    pub async fn set_require_wrap_up(&self, required: bool) {
        let _ = self.commands.send(Command::RequireWrapUp(required)).await;
    }

    /// Whether a failed dial opens a wrap-up for the attempt.
    pub async fn set_wrap_up_failed_dials(&self, on: bool) {
        let _ = self.commands.send(Command::WrapUpFailedDials(on)).await;
    }

    /// Leaves the wrap-up of a failed attempt without filing anything (refused for a call that was placed).
    pub async fn discard_attempt(&self) -> Result<CallView> {
        self.ask(|reply| Command::DiscardAttempt { reply }).await
    }

    /// Uses `identity` for the next calls (the agent changed an override in Settings).
    pub async fn set_identity(&self, identity: crate::profile::Identity) {
        let _ = self.commands.send(Command::SetIdentity(identity)).await;
    }

    /// Sends what waits in the outbox now, backoff or not; answers how many items are left.
    pub async fn flush(&self) -> Result<usize> {
        self.courier.flush_now().await
    }

    /// Try the outbox at once without waiting (the shell calls it after sleep/resume or a network change).
    pub fn nudge(&self) {
        self.courier.nudge();
    }

    /// Every outbox item as the agent sees it, oldest first.
    pub fn outbox_items(&self) -> Result<Vec<OutboxItemView>> {
        self.courier.items()
    }

    /// How many outbox items wait for the server and for the agent.
    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        self.courier.counts()
    }

    /// The agent fixed outbox item `id`: its request becomes `job` (same kind) and it is tried at once.
    pub async fn edit_item(&self, id: i64, job: Job) -> Result<Delivery> {
        self.courier.edit(id, job).await
    }

    /// The agent sends outbox item `id` again as it is.
    pub async fn resend_item(&self, id: i64) -> Result<Delivery> {
        self.courier.resend(id).await
    }

    /// The agent gives up outbox item `id`: it is never sent.
    pub async fn discard_item(&self, id: i64) -> Result<()> {
        self.courier.discard(id).await
    }

    /// The request of outbox item `id`, for the agent to edit it; `None` when it is gone.
    pub fn outbox_item(&self, id: i64) -> Result<Option<Job>> {
        self.courier.item(id)
    }

    /// The outbox's sender, to submit dialer actions (respool, schedule, blacklist) behind a call's disposition.
    pub fn courier(&self) -> &Courier {
        &self.courier
    }

    /// Every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<DeskEvent> {
        self.events.subscribe()
    }
}

/// Starts the desk task for a signed-in session, with the outbox's courier, which from then on is the only one
/// to touch `outbox`. It stops when every handle is dropped.
pub fn spawn(
    session: Session,
    secrets: Arc<dyn SecretStore>,
    outbox: Outbox,
    options: DeskOptions,
) -> DeskHandle {
    let (commands, inbox) = mpsc::channel(32);
    let (events, _) = broadcast::channel(64);
    let (dialed, dial_results) = mpsc::channel(4);
    let courier = Courier::spawn(
        outbox,
        session.for_courier(secrets.clone()),
        options.courier.clone(),
    );
    let sent = courier.subscribe();
    let view = CallView {
        pending_outbox: courier.count().unwrap_or(0),
        ..CallView::default()
    };
    let desk = Desk {
        session,
        secrets,
        options,
        view,
        events: events.clone(),
        dialing: None,
        dialed,
        courier: courier.clone(),
        draft: None,
    };
    tokio::spawn(desk.run(inbox, dial_results, sent));
    DeskHandle {
        commands,
        events,
        courier,
    }
}

mod dialing;
mod task;
use task::Desk;
