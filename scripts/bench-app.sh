#!/usr/bin/env bash
# Benchmarks of the desktop app (figures printed, never asserted), beside a bare Tauri v2 app with the same
# global-shortcut plugin (bench/bare-tauri), release builds, inside a private D-Bus session + gnome-keyring + Xvfb:
#   - dial hotkey press -> AgentCall on the wire (XTest press and the simulator's arrival stamped on one clock),
#     for the app and the bare app, each with the patched global-hotkey (crates/global-hotkey) and with upstream's;
#   - exec -> window shown and exec -> signed in and ready, three runs, beside the bare app's exec -> window;
#   - a shift: whole calls by keys alone, with the PSS of the app and its WebKit processes every 100 calls and the
#     outbox's size; the bare app's idle PSS in the same run.
#   - typing elsewhere: 40,000 key taps with no window focused (the agent in the CRM), the app's PSS every 10,000;
# Usage: bash scripts/bench-app.sh [presses=500] [calls=1000]
#   BENCH_UPSTREAM=0 skips the builds and runs with upstream's global-hotkey (two more release links).
#   BENCH_BUILD_ONLY=1 builds the binaries and stops (build while busy, measure later on a quiet machine).
#   BENCH_PHASES="launch hotkey shift typing ipc" picks the figures; BENCH_SMAPS=1 adds each process's largest
#   private mappings to the shift's samples and the idle figures (where a growth or a difference is;
#   BENCH_SMAPS_TOP=N shows N of them, 5 by default); BENCH_STDERR=FILE keeps the app's and WebKit's stderr (with
#   JSC_logGC=1: the page's JavaScript heap at every collection).
# Needs scripts/setup-debian.sh (python3-xlib, Xvfb, xclip, gnome-keyring); the first run builds for ~15 min.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESSES=${1:-500}
CALLS=${2:-1000}
UPSTREAM=${BENCH_UPSTREAM:-1}
TARGET=$(realpath "${CARGO_TARGET_DIR:-target}")
OUT=$TARGET/bench-app && mkdir -p "$OUT"
BIN=$OUT/bin && mkdir -p "$BIN"

# Upstream's global-hotkey, rebuilt from the patched copy by undoing its patch (the version and dependencies stay
# the same, so Cargo.lock holds for both); a config [patch] takes precedence over the manifest's.
# The copy is made again only when the patched crate changed, so a second run does not rebuild (and relink) both.
upstream=$OUT/global-hotkey-upstream
stamp=$(cd crates/global-hotkey && find . -type f -not -path './target/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum)
if [[ ! -f $upstream/.stamp || $(cat "$upstream/.stamp") != "$stamp" ]]; then
  rm -rf "$upstream" && cp -r crates/global-hotkey "$upstream"
  (cd "$upstream" && git apply -R x11-poll.patch)
  echo "$stamp" >"$upstream/.stamp"
fi
use_upstream=(--config "patch.crates-io.global-hotkey.path=\"$upstream\"")

# The bare app shares the release target directory, so the crates it has in common with the app build once.
bare() { (cd bench/bare-tauri && CARGO_TARGET_DIR=$TARGET cargo build --quiet --release "$@"); }
echo "bench: building release binaries (app, simulator, bare Tauri app)…" >&2
if [[ $UPSTREAM == 1 ]]; then
  cargo build --quiet --release --locked -p ucontact-agent-companion "${use_upstream[@]}"
  cp "$TARGET/release/ucontact-agent-companion" "$BIN/app-upstream"
  bare "${use_upstream[@]}" && cp "$TARGET/release/bare-tauri" "$BIN/bare-upstream"
fi
cargo build --quiet --release --locked -p ucontact-agent-companion -p integra-sim
cp "$TARGET/release/ucontact-agent-companion" "$BIN/app"
cp "$TARGET/release/integra-sim" "$BIN/integra-sim"
bare && cp "$TARGET/release/bare-tauri" "$BIN/bare"
[[ ${BENCH_BUILD_ONLY:-0} == 1 ]] && { echo "bench: built into $BIN (BENCH_BUILD_ONLY=1: no runs)" >&2; exit 0; }

export OUT BIN PRESSES CALLS UPSTREAM NO_AT_BRIDGE=1 TREES=$PWD/crates/disposition-tree/examples/dispositions
export BENCH_PY=$PWD/scripts/bench_app.py
scratch=$(mktemp -d)
HOME=$scratch XDG_CONFIG_HOME=$scratch/.config XDG_DATA_HOME=$scratch/.local/share XDG_CACHE_HOME=$scratch/.cache \
  dbus-run-session -- bash scripts/bench-app-session.sh
rm -rf "$scratch"
