//! What the tray says, in one place: the call's part of the tooltip, the break's, the shift's figures, and whether
//! the icon carries the waiting dot. Three owners feed it (the desk's views, the breaks, the history) and one
//! reader, [`super::refresh`], turns it into the tooltip with the connection light's words. Pure data: the tests
//! below need no tray.

use agent::desk::{CallState, CallView};

/// The icon the tray shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Icon {
    /// The plain icon, as built.
    #[default]
    Plain,
    /// The icon with the dot: something waits in the outbox.
    Pending,
}

/// The tray's lines and icon.
#[derive(Debug, Default)]
pub struct TrayModel {
    /// The call's part: "ready", "in call with …" (empty before the first view: "ready").
    call: String,
    /// The break's part: " — on a break (Almuerzo) since 12:30", empty when available.
    on_break: String,
    /// The shift's figures ("calls 12 · talk …"), empty before the first read.
    shift: String,
    /// Whether the last view had something in the outbox.
    pending: bool,
    /// The icon shown now.
    shown: Icon,
}

impl TrayModel {
    /// Takes the desk's view; answers whether something waits in the outbox.
    pub fn set_call(&mut self, view: &CallView) -> bool {
        let number = view.number.as_deref().unwrap_or("");
        self.call = match view.state {
            CallState::Idle => "ready".to_string(),
            CallState::Dialing => format!("dialing {number}"),
            CallState::InCall => format!("in call with {number}"),
            CallState::WrapUp => "wrap-up".to_string(),
        };
        self.pending = view.pending_outbox > 0;
        self.pending
    }

    /// The break's words for the tooltip (empty when available).
    pub fn set_break(&mut self, words: String) {
        self.on_break = words;
    }

    /// The shift's figures for the tooltip's second line.
    pub fn set_shift(&mut self, line: String) {
        self.shift = line;
    }

    /// Whether the outbox still had something waiting at the last view.
    pub fn pending(&self) -> bool {
        self.pending
    }

    /// Records `icon` as shown; false when it already was (nothing to redraw).
    pub fn show_icon(&mut self, icon: Icon) -> bool {
        std::mem::replace(&mut self.shown, icon) != icon
    }

    /// The icon shown now.
    pub fn shown_icon(&self) -> Icon {
        self.shown
    }

    /// The tooltip: "uContact Agent Companion: ready — connected", then the shift's figures on a second line.
    pub fn tooltip(&self, light: &str) -> String {
        let call = if self.call.is_empty() {
            "ready"
        } else {
            &self.call
        };
        let shift = if self.shift.is_empty() {
            String::new()
        } else {
            format!("\nToday: {}", self.shift)
        };
        format!(
            "uContact Agent Companion: {call}{} — {light}{shift}",
            self.on_break
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(state: CallState, number: Option<&str>, pending: usize) -> CallView {
        CallView {
            state,
            number: number.map(str::to_string),
            pending_outbox: pending,
            ..CallView::default()
        }
    }

    #[test]
    fn the_tooltip_says_the_call_the_break_the_light_and_the_shift() {
        let mut tray = TrayModel::default();
        assert_eq!(
            tray.tooltip("connected"),
            "uContact Agent Companion: ready — connected"
        );
        tray.set_call(&view(CallState::InCall, Some("099123456"), 0));
        tray.set_break(" — break after this call (Almuerzo)".into());
        tray.set_shift("calls 3".into());
        assert_eq!(
            tray.tooltip("offline"),
            "uContact Agent Companion: in call with 099123456 — break after this call (Almuerzo) — offline\nToday: calls 3"
        );
    }

    #[test]
    fn the_dot_follows_the_outbox_and_is_redrawn_only_when_it_changes() {
        let mut tray = TrayModel::default();
        assert!(tray.set_call(&view(CallState::WrapUp, None, 2)));
        assert!(tray.pending());
        assert!(tray.show_icon(Icon::Pending));
        assert!(!tray.show_icon(Icon::Pending), "already shown");
        assert!(!tray.set_call(&view(CallState::Idle, None, 0)));
        assert!(tray.show_icon(Icon::Plain));
        assert_eq!(tray.shown_icon(), Icon::Plain);
    }
}
