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

/// What the app's call view weighs in an event or an answer (about 600 bytes), numbered so each is a new text.
fn payload(i: u64) -> String {
    format!("{i:08} {}", "call 099123456 Ventas-> wrap-up ".repeat(18))
}

#[tauri::command]
fn answer(i: u64) -> serde_json::Value {
    serde_json::json!({ "i": i, "text": payload(i) })
}

#[tauri::command]
fn done() {
    println!("done");
}

/// The stdin loop of `BARE_IPC=1`: sends the events asked for, 2 ms apart (the page keeps up), or starts the page's
/// command loop, which prints `done` through [`done`].
fn ipc_driver(app: tauri::AppHandle) {
    use std::io::BufRead;
    use tauri::Emitter;
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let mut words = line.split_whitespace();
        let (what, n) = (
            words.next().unwrap_or(""),
            words.next().and_then(|n| n.parse().ok()).unwrap_or(0u64),
        );
        match what {
            "invoke" => {
                let _ = app.emit("invoke-now", n);
                continue;
            }
            // `dom-VARIANT N`: the page renders a disposition picker's options N times (ipc.html's `dom-now`).
            variant if variant.starts_with("dom-") => {
                let _ = app.emit(
                    "dom-now",
                    serde_json::json!({ "variant": &variant[4..], "n": n }),
                );
                continue;
            }
            "unique" | "same" => {
                for i in 0..n {
                    let text = payload(if what == "unique" { i } else { 0 });
                    let _ = app.emit("tick", serde_json::json!({ "text": text }));
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            }
            _ => {}
        }
        println!("done");
    }
}

fn main() {
    let ipc = std::env::var_os("BARE_IPC").is_some();
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
        .invoke_handler(tauri::generate_handler![answer, done])
        .setup(move |app| {
            use tauri::Manager;
            if ipc {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.navigate("tauri://localhost/ipc.html".parse().expect("a URL"));
                }
                let handle = app.handle().clone();
                std::thread::spawn(move || ipc_driver(handle));
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("runs");
}
