//! What the shell keeps about the agent: paths, the settings store (with the policy), disposition trees, the
//! sealed files, the signed-in session with its call desk, the dial draft and the bridge. Commands reach it through
//! Tauri's managed state. The shell's other managed owners sit beside what they serve: the tray's model
//! (`tray::Tray`), the connection light (`connection::ConnectionLight`), the hotkey registry
//! (`shortcuts::HotkeyRegistry`), the clipboard (`clipboard::Clipboard`), the updater's state.
//!
//! Each piece has one owner: the dial draft lives here (the window's number field shows it and reports every
//! edit with `set_draft`; the app's own changes, a `tel:` link, go to the window as events); the campaigns come
//! from `agent::campaigns`, which the window only shows.

use std::sync::Arc;
use std::time::Duration;

use agent::campaigns::Campaigns;
use agent::desk::{CallView, DeskHandle};
use agent::filing::Filing;
use agent::policy::Policy;
use agent::session::Session;
use agent::settings::{Paths, Settings};
use agent::settings_store::SettingsStore;
use agent_error::{AgentError, ErrorCode, IpcError};
use bridge::BridgeHandle;
use keychain::Keychain;
use outbox::Outbox;
use parking_lot::Mutex;
use sealing::Sealer;

use crate::disposition_trees::DispositionTrees;

/// A signed-in agent and the desk that owns their calls.
#[derive(Clone)]
pub struct SignedIn {
    /// The session (client + identity).
    pub session: Session,
    /// The call desk.
    pub desk: DeskHandle,
    /// The agent's breaks.
    pub breaks: agent::breaks::Breaks,
    /// The wrap-up time limit's clock.
    pub wrap_up: agent::wrap_up::WrapUpClock,
}

/// The app's state.
pub struct AppState {
    /// Folders.
    pub paths: Paths,
    /// Settings in effect (the agent's with the machine policy's presets and locks) and their one writer.
    pub settings: SettingsStore,
    /// Disposition trees: the remote ones with the local folder's over them.
    pub trees: DispositionTrees,
    /// The keychain.
    pub secrets: Arc<Keychain>,
    /// The outbox file, its payloads sealed with the data key from the keychain; the reason when the keychain
    /// cannot give that key (the app then keeps nothing, rather than keep it unencrypted). Only opened here: it is
    /// handed to the desk's courier at sign-in, and read and changed only through it (`DeskHandle::outbox_*`).
    pub outbox: Result<Outbox, agent_error::IpcError>,
    /// The callbacks list, sealed with the same data key (or why it cannot be opened). It does not need the
    /// sign-in: a callback asked for yesterday is on the list before the session is back.
    pub callbacks: Result<::callbacks::Callbacks, agent_error::IpcError>,
    /// The local call history (`call_history`), sealed with the same data key; the reason when it cannot be.
    pub history: Result<call_history::HistoryStore, agent_error::IpcError>,
    /// The signed-in agent, if any.
    pub signed_in: tokio::sync::RwLock<Option<SignedIn>>,
    /// The dial draft: what the number field holds and the campaign picked (the dial hotkey uses the number
    /// before the clipboard).
    pub draft: Mutex<Draft>,
    /// True while the automatic sign-in at start is under way: a hotkey pressed then waits for it.
    pub restoring: tokio::sync::watch::Sender<bool>,
    /// The local bridge for paired pages.
    pub bridge: tokio::sync::Mutex<BridgeSlot>,
}

/// The dial draft: the number being typed and the campaign picked; empty means none.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Draft {
    /// The number field as typed.
    pub number: String,
    /// The campaign picked; empty for the default one.
    pub campaign: String,
}

/// The bridge: listening or not, and why not when it should.
#[derive(Default)]
pub struct BridgeSlot {
    /// The bridge while it listens.
    pub handle: Option<BridgeHandle>,
    /// Why the last start failed (port taken…), until the next start.
    pub problem: Option<IpcError>,
}

impl AppState {
    /// Opens the outbox and reads settings and trees.
    pub fn load(paths: Paths) -> Result<Self, agent_error::AgentError> {
        let settings = SettingsStore::load(Policy::load(), paths.settings_file());
        let trees = DispositionTrees::load(&paths, &settings.get());
        let secrets = Arc::new(Keychain);
        let sealer = Sealer::from_store(&*secrets)
            .map(Arc::new)
            .map_err(|err| err.to_ipc());
        let outbox = sealer
            .clone()
            .map_err(|e| AgentError::new(e.code, e.message))
            .and_then(|sealer| Outbox::open(&paths.outbox_file(), sealer))
            .map_err(|err| {
                tracing::error!(code = ?err.code(), %err, "the outbox cannot be opened");
                err.to_ipc()
            });
        let callbacks = crate::callbacks::open(&paths, &sealer);
        let history = Sealer::from_store(&*secrets)
            .and_then(|sealer| {
                call_history::HistoryStore::open(
                    &paths.data_dir.join(call_history::FILE_NAME),
                    Arc::new(sealer),
                )
            })
            .map_err(|err| {
                tracing::error!(code = ?err.code(), %err, "the call history cannot be opened");
                err.to_ipc()
            });
        Ok(Self {
            paths,
            history,
            settings,
            trees,
            secrets,
            outbox,
            callbacks,
            signed_in: tokio::sync::RwLock::new(None),
            draft: Mutex::new(Draft::default()),
            restoring: tokio::sync::watch::channel(false).0,
            bridge: tokio::sync::Mutex::new(BridgeSlot::default()),
        })
    }

    /// The outbox to hand to the courier, or why there is none (no keychain, no data key: nothing is kept
    /// unencrypted).
    pub fn outbox(&self) -> Result<Outbox, AgentError> {
        self.outbox
            .clone()
            .map_err(|e| AgentError::new(e.code, e.message))
    }

    /// The callbacks list, or why it cannot be kept (no keychain, no data key: nothing is kept unencrypted).
    pub fn callbacks(&self) -> Result<::callbacks::Callbacks, AgentError> {
        self.callbacks
            .clone()
            .map_err(|e| AgentError::new(e.code, e.message))
    }

    /// A filing on `desk` with the trees in use and the callbacks list (`agent::filing`).
    pub fn filing<'a>(&'a self, desk: &'a DeskHandle) -> Filing<'a, DispositionTrees> {
        Filing {
            desk,
            trees: &self.trees,
            callbacks: self.callbacks.clone().ok(),
        }
    }

    /// The call history, or why there is none.
    pub fn history(&self) -> Result<call_history::HistoryStore, AgentError> {
        self.history
            .clone()
            .map_err(|e| AgentError::new(e.code, e.message))
    }

    /// The campaigns to offer and the default one, for this agent (`None` before the sign-in).
    pub fn campaigns(&self, identity: Option<&agent::profile::Identity>) -> Campaigns {
        Campaigns::new(&self.settings.get(), identity)
    }

    /// Dials `number` in the picked campaign, else the default one ([`Campaigns::pick`]): the same choice for
    /// the window, the hotkeys, links and the bridge.
    pub async fn dial(&self, number: &str, picked: Option<&str>) -> Result<CallView, AgentError> {
        let live = self.signed_in().await?;
        self.dial_on(&live, number, picked).await
    }

    /// [`AppState::dial`] on a desk already in hand (the hotkey looked it up before reading the clipboard).
    pub async fn dial_on(
        &self,
        live: &SignedIn,
        number: &str,
        picked: Option<&str>,
    ) -> Result<CallView, AgentError> {
        // During a break the window asks "end the break and dial?" first.
        live.breaks.check_dial().await?;
        let campaign = self.campaigns(Some(&live.session.identity)).pick(picked);
        live.desk.dial(number, campaign).await
    }

    /// The agent's breaks, once signed in.
    pub async fn breaks(&self) -> Result<agent::breaks::Breaks, AgentError> {
        Ok(self.signed_in().await?.breaks)
    }

    /// The wrap-up clock, once signed in.
    pub async fn wrap_up(&self) -> Result<agent::wrap_up::WrapUpClock, agent_error::AgentError> {
        self.desk().await?;
        self.signed_in
            .read()
            .await
            .as_ref()
            .map(|l| l.wrap_up.clone())
            .ok_or_else(|| {
                agent_error::AgentError::phrased(
                    agent_error::ErrorCode::NotSignedIn,
                    agent_error::Phrase::new("error.session.sign_in_first"),
                    "sign in first",
                )
            })
    }

    /// A copy of the settings in effect.
    pub fn settings(&self) -> Settings {
        self.settings.get()
    }

    /// The machine policy.
    pub fn policy(&self) -> &Policy {
        self.settings.policy()
    }

    /// A copy of the dial draft.
    pub fn draft(&self) -> Draft {
        self.draft.lock().clone()
    }

    /// The signed-in agent and their desk, or the not-signed-in error. During the automatic sign-in at start it
    /// waits for it (bounded), so a hotkey pressed in the first second of the shift still works.
    pub async fn signed_in(&self) -> Result<SignedIn, AgentError> {
        let mut restoring = self.restoring.subscribe();
        if *restoring.borrow() {
            let _ = tokio::time::timeout(Duration::from_secs(20), restoring.wait_for(|busy| !busy))
                .await;
        }
        self.signed_in.read().await.clone().ok_or_else(|| {
            AgentError::phrased(
                ErrorCode::NotSignedIn,
                agent_error::Phrase::new("error.session.sign_in_first"),
                "sign in first",
            )
        })
    }

    /// The desk ([`AppState::signed_in`]'s).
    pub async fn desk(&self) -> Result<DeskHandle, AgentError> {
        Ok(self.signed_in().await?.desk)
    }
}
