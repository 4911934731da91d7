//! A bare Tauri v2 app: one window, no logic. Baseline for BENCHMARKS.md.
fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("runs");
}
