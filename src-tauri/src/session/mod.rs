//! The agent's session in the shell: signing in, out and again (`commands`), and going live once signed in
//! (`going_live`: the desk starts, its events reach the window, the tray and notifications).

pub mod commands;
pub mod going_live;
