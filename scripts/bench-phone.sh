#!/usr/bin/env bash
# Benchmarks of the app as the agent's phone (figures printed, never asserted; BENCHMARKS.md, "The phone"), release
# builds, inside a private D-Bus session + gnome-keyring + Xvfb + a private PipeWire whose null sinks are the
# agent's headset and microphone, with Debian's kamailio as the registrar and aiortc as the far end (tests/phone):
#   - the wire stamps checked without the app: a far end's clip to another far end (aiortc both sides);
#   - the phone off, then on and registered with no call: PSS (app + WebKit processes) and CPU over 20 s;
#   - whole calls by keys (dial hotkey; the far end rings the app as Asterisk does and the app answers its own
#     call; a clip each way; hang-up hotkey; 1 1 1 Enter): call set-up, the first sound on the headset, mouth to
#     ear each way, CPU and PSS during the calls, PSS after the first call and the last;
#   - memory over many short calls (a fresh app; dial, 1 s of audio, hang up, dispose): PSS every 25 calls;
#   - the release binary's size.
# Usage: bash scripts/bench-phone.sh [calls=20] [short_calls=100]
#   BENCH_BUILD_ONLY=1 builds and stops; BENCH_PHASES="loop off calls growth" picks the phases; BENCH_LOOPS=N
#   clips for the check without the app (3); BENCH_KEEP=1 keeps every call's recordings in
#   $CARGO_TARGET_DIR/bench-phone (those of a call whose clip was not found are always kept there).
# Needs scripts/setup-debian.sh (kamailio, PipeWire, espeak-ng, sox, Xvfb, xclip, gnome-keyring, and .venv with
# tests/e2e/requirements.txt: aiortc, numpy, python-xlib); the first run builds for ~15 min.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${1:-20}
GROWTH_CALLS=${2:-100}
TARGET=$(realpath "${CARGO_TARGET_DIR:-target}")
OUT=$TARGET/bench-phone && mkdir -p "$OUT"
BIN=$OUT/bin && mkdir -p "$BIN"
[[ -x .venv/bin/python ]] || {
  echo "bench: no .venv: python3 -m venv .venv && .venv/bin/pip install -r tests/e2e/requirements.txt" >&2; exit 2; }

echo "bench: building release binaries (app, simulator)…" >&2
cargo build --quiet --release --locked -p ucontact-agent-companion -p integra-sim
cp "$TARGET/release/ucontact-agent-companion" "$BIN/app"
cp "$TARGET/release/integra-sim" "$BIN/integra-sim"
[[ ${BENCH_BUILD_ONLY:-0} == 1 ]] && { echo "bench: built into $BIN (BENCH_BUILD_ONLY=1: no runs)" >&2; exit 0; }

export OUT BIN CALLS GROWTH_CALLS NO_AT_BRIDGE=1 TREES=$PWD/crates/disposition-tree/examples/dispositions
export BENCH_PY=$PWD/.venv/bin/python ROOT=$PWD
scratch=$(mktemp -d)
mkdir -p "$scratch/run" && chmod 700 "$scratch/run"
HOME=$scratch XDG_CONFIG_HOME=$scratch/.config XDG_DATA_HOME=$scratch/.local/share XDG_CACHE_HOME=$scratch/.cache \
  XDG_RUNTIME_DIR=$scratch/run dbus-run-session -- bash scripts/bench-phone-session.sh
rm -rf "$scratch"
