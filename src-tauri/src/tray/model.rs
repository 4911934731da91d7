//! What the tray says, in one place: the call, the break, the shift's figures, and whether the icon carries the
//! waiting dot. Three owners feed it (the desk's views, the breaks, the history) and one reader, [`super::refresh`],
//! words it in the agent's language with the connection light. Pure data: the tests below need no tray.

use agent::breaks::{BreakState, BreakStatus};
use agent::desk::{CallState, CallView};
use call_history::Figures;
use connection_light::ConnectionView;

use crate::words::Table;

/// The icon the tray shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Icon {
    /// The plain icon, as built.
    #[default]
    Plain,
    /// The icon with the dot: something waits in the outbox.
    Pending,
}

/// The tray's facts and icon.
#[derive(Debug, Default)]
pub struct TrayModel {
    /// The call: its state and number (none before the first view: ready).
    call: Option<(CallState, String)>,
    /// The break, when there is one.
    on_break: Option<BreakStatus>,
    /// The shift's figures, once read.
    shift: Option<Figures>,
    /// Whether the last view had something in the outbox.
    pending: bool,
    /// The icon shown now.
    shown: Icon,
}

impl TrayModel {
    /// Takes the desk's view; answers whether something waits in the outbox.
    pub fn set_call(&mut self, view: &CallView) -> bool {
        self.call = Some((view.state, view.number.clone().unwrap_or_default()));
        self.pending = view.pending_outbox > 0;
        self.pending
    }

    /// Takes the break's status.
    pub fn set_break(&mut self, status: &BreakStatus) {
        self.on_break = Some(status.clone()).filter(|s| s.state != BreakState::Available);
    }

    /// Takes the shift's figures for the tooltip's second line.
    pub fn set_shift(&mut self, figures: Figures) {
        self.shift = Some(figures);
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

    /// The tooltip in `words`' language: "uContact Agent Companion: ready — connected", then the shift's figures on
    /// a second line.
    pub fn tooltip(&self, words: &Table, light: &ConnectionView) -> String {
        let call = match &self.call {
            None | Some((CallState::Idle, _)) => words.t("tray.call_idle", &[]),
            Some((CallState::Dialing, number)) => {
                words.t("tray.call_dialing", &[("number", number)])
            }
            Some((CallState::InCall, number)) => {
                words.t("tray.call_in_call", &[("number", number)])
            }
            Some((CallState::WrapUp, _)) => words.t("tray.call_wrap_up", &[]),
        };
        let on_break = self
            .on_break
            .as_ref()
            .map(|status| break_words(words, status))
            .unwrap_or_default();
        let light = light_words(words, light);
        let mut tooltip = words.t(
            "tray.tooltip",
            &[("call", &call), ("break", &on_break), ("light", &light)],
        );
        if let Some(figures) = &self.shift {
            let values = figures.words();
            let params: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
            tooltip.push('\n');
            tooltip.push_str(&words.t("today.shift", &params));
        }
        tooltip
    }
}

/// " — on a break (Lunch) since 12:30": the motive as the window names it when the table has it.
fn break_words(words: &Table, status: &BreakStatus) -> String {
    let motive = status.motive.as_deref().unwrap_or("");
    let motive = words
        .get(&format!("motive.{motive}"))
        .unwrap_or(motive)
        .to_string();
    match status.state {
        BreakState::Available => String::new(),
        BreakState::OnBreak => {
            let since = status
                .since
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
                .unwrap_or_default();
            words.t("tray.break_on", &[("motive", &motive), ("since", &since)])
        }
        BreakState::AfterCall => words.t("tray.break_after", &[("motive", &motive)]),
    }
}

/// The connection light in words, with its reason when it has one.
fn light_words(words: &Table, view: &ConnectionView) -> String {
    let n = match view.state {
        "refused" => view.refused,
        _ => view.waiting,
    }
    .to_string();
    let light = words.t(&format!("tray.light_{}", view.state), &[("n", &n)]);
    match &view.reason {
        Some(reason) => words.t(
            "tray.light_reason",
            &[("light", &light), ("reason", reason)],
        ),
        None => light,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connection_light::ConnectionFacts;

    fn view(state: CallState, number: Option<&str>, pending: usize) -> CallView {
        CallView {
            state,
            number: number.map(str::to_string),
            pending_outbox: pending,
            ..CallView::default()
        }
    }

    fn connected() -> ConnectionView {
        ConnectionFacts {
            signed_in: true,
            ..Default::default()
        }
        .view()
    }

    fn after_call(motive: &str) -> BreakStatus {
        BreakStatus {
            state: BreakState::AfterCall,
            motive: Some(motive.into()),
            ..BreakStatus::default()
        }
    }

    #[test]
    fn the_tooltip_says_the_call_the_break_the_light_and_the_shift() {
        let mut tray = TrayModel::default();
        let en = Table::of("en");
        assert_eq!(
            tray.tooltip(&en, &connected()),
            "uContact Agent Companion: ready — connected"
        );
        tray.set_call(&view(CallState::InCall, Some("099123456"), 0));
        tray.set_break(&after_call("Almuerzo"));
        tray.set_shift(Figures {
            calls: 3,
            talk_ms: 61_000,
            ..Figures::default()
        });
        assert_eq!(
            tray.tooltip(&en, &connected()),
            "uContact Agent Companion: in call with 099123456 — break after this call (Lunch) — connected\n\
             Today: calls 3 · talk 01:01 · AHT 00:00 · wrap-up 00:00 · breaks 00:00"
        );
    }

    #[test]
    fn the_tooltip_is_in_the_agents_language() {
        let mut tray = TrayModel::default();
        tray.set_call(&view(CallState::Dialing, Some("099123456"), 0));
        tray.set_break(&after_call("Almuerzo"));
        let es = Table::of("es");
        assert_eq!(
            tray.tooltip(&es, &connected()),
            "uContact Agent Companion: marcando 099123456 — pausa al terminar esta llamada (Almuerzo) — conectado"
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
