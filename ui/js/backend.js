// The only module that talks to Tauri: one function per command of the app and one per event it sends, so the
// rest of the UI is plain DOM code. It goes through Tauri's official JavaScript API, @tauri-apps/api (pinned in
// package.json to the version of the tauri crate in Cargo.lock), not through Tauri's private window globals: only
// the two modules it needs, core.js (invoke) and event.js (listen), copied unchanged into ui/vendor/tauri-api/ by
// scripts/vendor-tauri-api.mjs (the page has no bundler) and checked against the pinned package by
// tests/e2e/test_page_contract.py. The global API bundle (withGlobalTauri) stays off: its 40 KB and every plugin's
// script were 0.5 MiB of the web process at sign-in (BENCHMARKS.md, Decisions: no global Tauri API bundle). The app's lists are
// src-tauri/src/commands/list.rs and src-tauri/src/events.rs; a Rust test (src-tauri/src/boundary_tests.rs) checks
// this file against both, so a command renamed there and not here fails a test. Answers are {ok: true, value} or
// {ok: false, error}; errors are always {code, message} (ErrorCode in crates/agent/src/error.rs): the UI acts on
// code only.
// @ts-check: the payloads below are typed from the Rust types (ui/types/payloads.d.ts, src-tauri/src/payload_types.rs).
import { invoke as tauriInvoke } from '../vendor/tauri-api/core.js';
import { listen as tauriListen } from '../vendor/tauri-api/event.js';

/** @typedef {import('../types/payloads').CallView} CallView */
/** @typedef {import('../types/payloads').DispositionForm} DispositionForm */
/** @typedef {import('../types/payloads').Disposed} Disposed */
/** @typedef {import('../types/payloads').DeskEvent} DeskEvent */
/** @typedef {import('../types/payloads').IpcError} IpcError */
/** @typedef {import('../types/payloads').BreakStatus} BreakStatus */
/** @typedef {import('../types/payloads').ConnectionView} ConnectionView */
/** @typedef {import('../types/payloads').PhoneView} PhoneView */
/** @typedef {import('../types/payloads').PhoneCall} PhoneCall */
/** @typedef {import('../types/payloads').HotkeyStatus} HotkeyStatus */
/**
 * A command's answer.
 * @template T
 * @typedef {{ok: true, value: T} | {ok: false, error: IpcError}} Answer
 */

/**
 * @param {string} command
 * @param {Record<string, unknown>} [args]
 * @returns {Promise<Answer<any>>}
 */
async function invoke(command, args = {}) {
  try {
    return { ok: true, value: await tauriInvoke(command, args, undefined) };
  } catch (error) {
    // The app answers {code, message}; anything else comes from Tauri itself (a command or arguments the app
    // does not know): the app's `internal` code.
    const err = typeof error === 'object' && error && error.code ? error : { code: 'internal', message: String(error) };
    return { ok: false, error: err };
  }
}

// The handler gets the event's payload; the answer is the function that stops listening.
/**
 * @param {string} event
 * @param {(payload: any) => void} handler
 */
function listen(event, handler) {
  return tauriListen(event, (e) => handler(e.payload), undefined);
}

// Session
export const status = () => invoke('status');
export const signIn = (form) => invoke('sign_in', { form });
export const signOut = () => invoke('sign_out');
export const renewSession = (password) => invoke('renew_session', { password });

// The call
/** @type {() => Promise<Answer<CallView>>} */
export const callState = () => invoke('call_state');
/** @type {(number: string, campaign?: string) => Promise<Answer<CallView>>} */
export const dial = (number, campaign) => invoke('dial', { number, campaign });
/** @type {() => Promise<Answer<CallView>>} */
export const hangUp = () => invoke('hang_up');
/** @type {() => Promise<Answer<CallView>>} */
export const customerHungUp = () => invoke('customer_hung_up');
/** @type {() => Promise<Answer<CallView>>} */
export const discardAttempt = () => invoke('discard_attempt');
/** @type {(text: string) => Promise<Answer<CallView>>} */
export const tag = (text) => invoke('tag', { text });
/** @type {(form: DispositionForm) => Promise<Answer<Disposed>>} */
export const dispose = (form) => invoke('dispose', { form });
export const flushOutbox = () => invoke('flush_outbox');
export const setDraft = (draft) => invoke('set_draft', { draft });

// Settings, trees, hotkeys, clipboard
export const getSettings = () => invoke('get_settings');
export const saveSettings = (settings) => invoke('save_settings', { settings });
export const dispositionTree = (campaign) => invoke('disposition_tree', { campaign });
export const treeProblems = () => invoke('tree_problems');
/** @type {() => Promise<Answer<HotkeyStatus[]>>} */
export const hotkeyStatus = () => invoke('hotkey_status');
export const runHotkey = (action) => invoke('run_hotkey', { action });
export const copyText = (text) => invoke('copy_text', { text });

// The Dialer screen
export const scheduleCall = (form) => invoke('schedule_call', { form });
export const removeSchedule = (form) => invoke('remove_schedule', { form });
export const removeContact = (form) => invoke('remove_contact', { form });
export const dialerTask = (form) => invoke('dialer_task', { form });

// CTI, the respool editor, the CTI secret, the bridge
export const loadCti = (text) => invoke('load_cti', { text });
export const respoolOpen = () => invoke('respool_open');
export const respoolEdit = (edit) => invoke('respool_edit', { edit });
export const respoolSubmit = () => invoke('respool_submit');
export const respoolClose = () => invoke('respool_close');
export const saveCtiSecret = (form) => invoke('save_cti_secret', { form });
export const forgetCtiSecret = (scheme) => invoke('forget_cti_secret', { scheme });
export const bridgePairing = (rotate) => invoke('bridge_pairing', { rotate });
export const bridgeStatus = () => invoke('bridge_status');

// The window's remembered state, the server check at sign-in, breaks
export const uiState = () => invoke('ui_state');
export const saveUiState = (ui) => invoke('save_ui_state', { ui });
export const checkServer = (url) => invoke('check_server', { url });
/** @type {() => Promise<Answer<{status: BreakStatus, motives: string[]}>>} */
export const breakStatus = () => invoke('break_status');
/** @type {(motive: string) => Promise<Answer<BreakStatus>>} */
export const takeBreak = (motive) => invoke('take_break', { motive });
/** @type {() => Promise<Answer<BreakStatus>>} */
export const endBreak = () => invoke('end_break');
export const historyToday = () => invoke('history_today');
/** @type {(id: number, form: DispositionForm) => Promise<Answer<Disposed>>} */
export const filePastCall = (id, form) => invoke('file_past_call', { id, form });
export const shiftFigures = () => invoke('shift_figures');

// Callbacks
export const callbackList = () => invoke('callback_list');
export const callbackAdd = (request) => invoke('callback_add', { request });
export const callbackDone = (id) => invoke('callback_done', { id });
export const callbackDismiss = (id) => invoke('callback_dismiss', { id });

// Updates, the machine-wide policy and tree sources, the wrap-up clock
export const updateStatus = () => invoke('update_status');
export const updateInstall = () => invoke('update_install');
export const policyStatus = () => invoke('policy_status');
export const treeSources = () => invoke('tree_sources');
export const refreshTrees = () => invoke('refresh_trees');
export const wrapupClock = () => invoke('wrapup_clock');
export const wrapupExtend = () => invoke('wrapup_extend');
export const wrapupNote = (form) => invoke('wrapup_note', { form });
/** @type {() => Promise<Answer<ConnectionView>>} */
export const connectionStatus = () => invoke('connection_status');
/** @type {() => Promise<Answer<PhoneView>>} */
export const phoneStatus = () => invoke('phone_status');
export const phoneAnswer = () => invoke('phone_answer');
export const phoneReject = () => invoke('phone_reject');
export const phoneMute = (muted) => invoke('phone_mute', { muted });
export const phoneHold = (held) => invoke('phone_hold', { held });
export const phoneDigits = (digits) => invoke('phone_digits', { digits });
export const saveSupportReport = () => invoke('save_support_report');
export const toggleCompact = () => invoke('toggle_compact');
export const compactDrag = () => invoke('compact_drag');

// The CRM beside the call
/** @type {() => Promise<Answer<string>>} */
export const crmOpen = () => invoke('crm_open');
/** @type {(template: string) => Promise<Answer<string>>} */
export const crmPreview = (template) => invoke('crm_preview', { template });

// The outbox
export const outboxItems = () => invoke('outbox_items');
export const outboxItem = (id) => invoke('outbox_item', { id });
export const outboxResend = (id) => invoke('outbox_resend', { id });
export const outboxEdit = (id, job) => invoke('outbox_edit', { id, job });
export const outboxDiscard = (id) => invoke('outbox_discard', { id });

// Events
export const onSession = (handler) => listen('session', handler);
/** @type {(handler: (event: DeskEvent) => void) => Promise<() => void>} */
export const onDesk = (handler) => listen('desk', handler);
export const onFocusDisposition = (handler) => listen('focus-disposition', handler);
/** @type {(handler: (error: IpcError) => void) => Promise<() => void>} */
export const onActionError = (handler) => listen('action-error', handler);
export const onHangingUp = (handler) => listen('hanging-up', handler);
export const onRequestSignOut = (handler) => listen('request-sign-out', handler);
export const onDialLink = (handler) => listen('dial-link', handler);
export const onWake = (handler) => listen('wake', handler);
/** @type {(handler: (error: IpcError) => void) => Promise<() => void>} */
export const onRestoreFailed = (handler) => listen('restore-failed', handler);
/** @type {(handler: (report: HotkeyStatus[]) => void) => Promise<() => void>} */
export const onHotkeys = (handler) => listen('hotkeys', handler);
/** @type {(handler: (status: BreakStatus) => void) => Promise<() => void>} */
export const onBreak = (handler) => listen('break', handler);
export const onBreakDial = (handler) => listen('break-dial', handler);
export const onUpdate = (handler) => listen('update', handler);
export const onWrapupClock = (handler) => listen('wrapup-clock', handler);
/** @type {(handler: (light: ConnectionView) => void) => Promise<() => void>} */
export const onConnection = (handler) => listen('connection', handler);
/** @type {(handler: (view: PhoneView) => void) => Promise<() => void>} */
export const onPhone = (handler) => listen('phone', handler);
/** @type {(handler: (call: PhoneCall) => void) => Promise<() => void>} */
export const onPhoneCall = (handler) => listen('phone-call', handler);
export const onCallbacks = (handler) => listen('callbacks', handler);
export const onCallbackOpen = (handler) => listen('callback-open', handler);
export const onHistory = (handler) => listen('history', handler);
export const onTrees = (handler) => listen('trees', handler);
