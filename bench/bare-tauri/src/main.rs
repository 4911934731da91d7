//! A bare Tauri v2 app: one window and the global-shortcut plugin. Baseline for BENCHMARKS.md.
//!
//! With `BARE_POST_URL=http://127.0.0.1:PORT` set, Ctrl+Alt+D posts an AgentCall form straight to that server from
//! the plugin's handler (plain HTTP/1.1 on a fresh loopback connection: no client library, no runtime), so the
//! benchmark sees what a press costs before any app logic.
use std::io::{Read, Write};
use std::net::TcpStream;

use tauri_plugin_global_shortcut::{Shortcut, ShortcutState};

const BODY: &str = "agent=bare&destination=099123456&outqueue=Ventas-%3E";

fn post_agent_call(base: &str) {
    let Some(host) = base.strip_prefix("http://") else {
        return;
    };
    let host = host.trim_end_matches('/');
    let Ok(mut stream) = TcpStream::connect(host) else {
        return;
    };
    let _ = stream.set_nodelay(true);
    let request = format!(
        "POST /Integra/resources/Agents/AgentCall HTTP/1.1\r\nHost: {host}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
}

fn main() {
    let post_url = std::env::var("BARE_POST_URL").ok();
    let dial: Shortcut = "ctrl+alt+d".parse().expect("a valid shortcut");
    tauri::Builder::default()
        .plugin(
            tauri_plugin_global_shortcut::Builder::new()
                .with_shortcuts([dial])
                .expect("the dial shortcut")
                .with_handler(move |_app, shortcut, event| {
                    if event.state() == ShortcutState::Pressed && *shortcut == dial {
                        if let Some(url) = &post_url {
                            post_agent_call(url);
                        }
                    }
                })
                .build(),
        )
        .run(tauri::generate_context!())
        .expect("runs");
}
