//! The uContact Agent Companion: see `companion::run`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    companion::run();
}
