//! Where the compact bar goes, remembered per screen: a laptop used alone and the same laptop docked to a second
//! monitor each keep their own place for the bar. For each set of monitors (by their names, or their geometry when
//! the system gives none) the bar's last place is kept: which monitor, and where relative to its corner. On opening,
//! the bar goes to its place for the monitors there now, else to a place kept on one of them, else to its first
//! place (top right of the main window's monitor). Kept in `compact-places.json` beside the window state; a damaged
//! file is ignored (the bar opens at its first place).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A monitor as the bar sees it, in logical pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    /// Its name (the X11 output, e.g. `HDMI-1`), or its geometry when the system gives none.
    pub key: String,
    /// Its top left corner.
    pub origin: (f64, f64),
    /// Its size.
    pub size: (f64, f64),
}

impl Screen {
    /// The screen of a Tauri monitor.
    pub fn of(monitor: &tauri::Monitor) -> Self {
        let scale = monitor.scale_factor();
        let (x, y) = (
            monitor.position().x as f64 / scale,
            monitor.position().y as f64 / scale,
        );
        let (w, h) = (
            monitor.size().width as f64 / scale,
            monitor.size().height as f64 / scale,
        );
        let key = match monitor.name() {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => format!("{w}x{h}+{x}+{y}"),
        };
        Self {
            key,
            origin: (x, y),
            size: (w, h),
        }
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.origin.0
            && y >= self.origin.1
            && x < self.origin.0 + self.size.0
            && y < self.origin.1 + self.size.1
    }
}

/// The bar's place on one set of monitors: which monitor, and where on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spot {
    /// The monitor's key.
    pub screen: String,
    /// The bar's top left corner relative to the monitor's.
    pub at: (f64, f64),
}

/// The places kept, per set of monitors (their keys, sorted, joined by `+`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Places {
    /// Per set of monitors, the bar's place.
    pub layouts: BTreeMap<String, Spot>,
}

fn layout(screens: &[Screen]) -> String {
    let mut keys: Vec<&str> = screens.iter().map(|s| s.key.as_str()).collect();
    keys.sort_unstable();
    keys.join("+")
}

impl Places {
    /// The file, beside `window-state.json`.
    pub fn file(config_dir: &Path) -> PathBuf {
        config_dir.join("compact-places.json")
    }

    /// What the file keeps; nothing when it is missing or damaged.
    pub fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the file (through a temporary file, so a crash leaves the old one whole).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, path)
    }

    /// The bar was left at `at` (its top left corner, logical) while `screens` were there: kept for that set of
    /// monitors, on the one it is on.
    pub fn remember(&mut self, at: (f64, f64), screens: &[Screen]) {
        let Some(screen) = screens.iter().find(|s| s.contains(at)) else {
            return;
        };
        let spot = Spot {
            screen: screen.key.clone(),
            at: (at.0 - screen.origin.0, at.1 - screen.origin.1),
        };
        self.layouts.insert(layout(screens), spot);
    }

    /// Where the bar of `size` opens among `screens`: its place on this set of monitors, else its place on
    /// another set whose monitor is here too; always inside that monitor. `None`: no place kept for any.
    pub fn place(&self, screens: &[Screen], size: (f64, f64)) -> Option<(f64, f64)> {
        let on = |spot: &Spot| {
            screens
                .iter()
                .find(|s| s.key == spot.screen)
                .map(|s| (s, spot.at))
        };
        let (screen, (dx, dy)) = self
            .layouts
            .get(&layout(screens))
            .and_then(on)
            .or_else(|| self.layouts.values().find_map(on))?;
        // Inside the monitor, even if it became smaller (another resolution) since.
        let x = screen.origin.0 + dx.clamp(0.0, (screen.size.0 - size.0).max(0.0));
        let y = screen.origin.1 + dy.clamp(0.0, (screen.size.1 - size.1).max(0.0));
        Some((x, y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(key: &str, x: f64, w: f64) -> Screen {
        Screen {
            key: key.into(),
            origin: (x, 0.0),
            size: (w, 800.0),
        }
    }

    #[test]
    fn docked_and_undocked_each_keep_their_place() {
        let laptop = screen("eDP-1", 0.0, 1280.0);
        let dock = screen("HDMI-1", 1280.0, 1920.0);
        let both = [laptop.clone(), dock.clone()];
        let alone = [laptop.clone()];
        let mut places = Places::default();
        assert_eq!(places.place(&alone, (360.0, 64.0)), None);
        places.remember((1280.0 + 50.0, 20.0), &both);
        // Undocked, before the bar was ever placed alone: the docked place's monitor is gone, so none.
        assert_eq!(places.place(&alone, (360.0, 64.0)), None);
        places.remember((100.0, 700.0), &alone);
        assert_eq!(places.place(&alone, (360.0, 64.0)), Some((100.0, 700.0)));
        // Docked again: back on the second monitor, where it was when docked.
        assert_eq!(places.place(&both, (360.0, 64.0)), Some((1330.0, 20.0)));
        // Another monitor beside the laptop: the laptop's place.
        let other = [laptop.clone(), screen("DP-2", 1280.0, 1024.0)];
        assert_eq!(places.place(&other, (360.0, 64.0)), Some((100.0, 700.0)));
        // A smaller resolution keeps it inside.
        let small = Screen {
            size: (400.0, 600.0),
            ..screen("eDP-1", 0.0, 400.0)
        };
        assert_eq!(places.place(&[small], (360.0, 64.0)), Some((40.0, 536.0)));
    }

    #[test]
    fn a_place_off_every_monitor_is_not_kept_and_a_damaged_file_is_nothing() {
        let mut places = Places::default();
        places.remember((5000.0, 5000.0), &[screen("eDP-1", 0.0, 1280.0)]);
        assert_eq!(places, Places::default());
        let dir = std::env::temp_dir().join(format!("bar-places-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = Places::file(&dir);
        std::fs::write(&file, b"{not json").unwrap();
        assert_eq!(Places::load(&file), Places::default());
        places.remember((10.0, 10.0), &[screen("eDP-1", 0.0, 1280.0)]);
        places.save(&file).unwrap();
        assert_eq!(Places::load(&file), places);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
