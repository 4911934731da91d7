#!/usr/bin/env bash
# Benchmarks of the desktop app (figures, no assertions), beside a bare Tauri v2 app built the same way:
#   exec → window shown, resident memory after 10 s idle (app + WebKit processes), hotkey press → AgentCall received
#   by the simulator (median and p99 over N presses), release binary size.
# Usage: bash scripts/bench-app.sh [presses]   (after scripts/setup-debian.sh; needs ~10 min for two release builds)
set -euo pipefail
cd "$(dirname "$0")/.."
PRESSES=${1:-200}
OUT=target/bench-app && mkdir -p "$OUT"
echo "bench: building release binaries (app, simulator, bare Tauri app)…" >&2
cargo build --quiet --release --locked -p ucontact-agent-companion -p integra-sim
TARGET=$(realpath "${CARGO_TARGET_DIR:-target}")
(cd bench/bare-tauri && CARGO_TARGET_DIR="$TARGET/bare" cargo build --quiet --release)
APP=$TARGET/release/ucontact-agent-companion
BARE=$TARGET/bare/release/bare-tauri
export OUT APP BARE PRESSES NO_AT_BRIDGE=1 SIM=$TARGET/release/integra-sim TREES=$PWD/crates/agent/examples/dispositions
HOME=$(mktemp -d) dbus-run-session -- bash scripts/bench-app-session.sh
