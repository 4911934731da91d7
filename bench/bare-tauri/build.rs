//! Standard tauri-build.
fn main() {
    tauri_build::build();
}
