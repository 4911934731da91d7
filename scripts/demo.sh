#!/usr/bin/env bash
# The demo: the built-in uContact simulator and the app signed in to it as agent "alice" (password alice-pw).
#
# On a desktop (DISPLAY set): opens the app; dial 099 123 456, hang up, pick the disposition. Ctrl+Alt+D dials the
# number on the clipboard from any window, Ctrl+Alt+H hangs up. Quit from the tray menu or press Ctrl+C here.
# Without a display (a server, CI): runs the same app on a virtual display, walks one call by hotkeys and saves
# screenshots to target/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_PROFILE_DEV_DEBUG=0
echo "demo: building the app and the simulator (first build takes a few minutes)…"
cargo build --quiet --locked -p integra-sim -p ucontact-agent-companion
BIN=$(realpath "${CARGO_TARGET_DIR:-target}")/debug

OUT=target/demo
PROFILE=$OUT/profile
rm -rf "$PROFILE" && mkdir -p "$PROFILE/config/dispositions"
cp crates/disposition-tree/examples/dispositions/*.toml "$PROFILE/config/dispositions/"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

"$BIN/integra-sim" --listen 127.0.0.1:0 >"$OUT/sim.out" 2>"$OUT/sim.log" & pids+=($!)
for _ in $(seq 1 100); do grep -q listening "$OUT/sim.out" 2>/dev/null && break; sleep 0.05; done
SIM_URL=$(sed -n 's/.*listening on //p' "$OUT/sim.out")
echo "demo: uContact simulator at $SIM_URL (agents alice/alice-pw, bob/bob-pw)"

cat >"$PROFILE/config/settings.toml" <<TOML
server_url = "$SIM_URL"
agent_user = "alice"
campaigns = ["Ventas->", "Cobranzas->"]
default_campaign = "Ventas->"
autostart = false

[identity]
callerid = "59821234567"
TOML

run_app() {
  # The password goes where the app keeps it, the OS keychain, so the app signs in by itself.
  if printf alice-pw | secret-tool store --label="uContact demo" service ucontact-agent-companion \
      username "password:alice@$SIM_URL" 2>/dev/null; then
    echo "demo: password stored in the keychain; the app signs in by itself"
  else
    echo "demo: no keychain available: sign in with alice / alice-pw"
  fi
  "$BIN/ucontact-agent-companion" --profile-dir "$PROFILE" "$@"
}

if [[ -n "${DISPLAY:-}" && "${1:-}" != "--headless" ]]; then
  run_app
  exit 0
fi

# Headless: a virtual display, a private D-Bus session and keyring, then one call by hotkeys, walked by
# scripts/demo_walk.py through tauri-driver (as the end-to-end tests drive the app) so that each screenshot waits for
# the window to show its moment. The keyring files go under target/demo/, so a keyring the machine already has (with
# another password) is left alone.
[[ -x .ci/tools/bin/tauri-driver && -x .venv/bin/python ]] || { echo "demo: run scripts/setup-debian.sh first" >&2; exit 2; }
export SIM_URL PROFILE OUT BIN NO_AT_BRIDGE=1
export XDG_DATA_HOME="$PWD/$OUT/xdg-data"
rm -rf "$XDG_DATA_HOME" && mkdir -p "$XDG_DATA_HOME"
dbus-run-session -- bash -c '
  set -euo pipefail
  eval "$(printf demo | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
  printf alice-pw | secret-tool store --label="uContact demo" service ucontact-agent-companion username "password:alice@$SIM_URL"
  Xvfb :87 -screen 0 1024x768x24 -nolisten tcp & xvfb=$!
  export DISPLAY=:87
  for _ in $(seq 1 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
  dunst >/dev/null 2>&1 & dunst=$!
  port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])")
  .ci/tools/bin/tauri-driver --port "$port" --native-driver /usr/bin/WebKitWebDriver >"$OUT/tauri-driver.log" 2>&1 & driver=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
  status=0
  DEMO_DRIVER="http://127.0.0.1:$port" DEMO_APP="$BIN/ucontact-agent-companion" DEMO_PROFILE="$PROFILE" DEMO_OUT="$OUT" \
    .venv/bin/python scripts/demo_walk.py || status=$?
  kill $driver $dunst $xvfb
  exit $status
'
echo "demo: screenshots in $OUT/ (1-in-call.png, 2-wrap-up.png, 3-done.png)"
