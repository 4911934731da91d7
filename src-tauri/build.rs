//! tauri-build reads the configuration at the repository root (the app's package is the root Cargo.toml, so that
//! the Tauri CLI finds it beside tauri.conf.json), takes the capabilities from src-tauri/capabilities/, and generates an
//! `allow-<command>` permission for each of the app's commands: the main window's capability grants exactly
//! these, so the page can call nothing else (no shell, file system or HTTP from the webview).

/// The app's commands, as registered in `lib.rs`.
const COMMANDS: &[&str] = &[
    "status",
    "sign_in",
    "sign_out",
    "renew_session",
    "call_state",
    "dial",
    "hang_up",
    "customer_hung_up",
    "tag",
    "dispose",
    "flush_outbox",
    "set_draft",
    "get_settings",
    "save_settings",
    "disposition_tree",
    "tree_problems",
    "hotkey_status",
    "run_hotkey",
    "copy_text",
    "schedule_call",
    "remove_schedule",
    "remove_contact",
    "dialer_task",
    "load_cti",
    "respool_open",
    "respool_edit",
    "respool_submit",
    "respool_close",
    "save_cti_secret",
    "forget_cti_secret",
    "bridge_pairing",
    "bridge_status",
    "outbox_items",
    "outbox_item",
    "outbox_resend",
    "outbox_edit",
    "outbox_discard",
    "update_status",
    "update_install",
    "ui_state",
    "save_ui_state",
    "check_server",
    "break_status",
    "take_break",
    "end_break",
    "wrapup_clock",
    "wrapup_extend",
    "wrapup_note",
    "toggle_compact",
    "compact_drag",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    // Relative to the package root (the build script's working directory), not to this file.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    tauri_build::try_build(attributes).expect("tauri-build");
}
