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

# Headless: a virtual display, a private D-Bus session and keyring, then one call by hotkeys. The keyring files go
# under target/demo/, so a keyring the machine already has (with another password) is left alone.
export -f run_app
export SIM_URL PROFILE OUT BIN NO_AT_BRIDGE=1
export XDG_DATA_HOME="$PWD/$OUT/xdg-data"
rm -rf "$XDG_DATA_HOME" && mkdir -p "$XDG_DATA_HOME"
dbus-run-session -- bash -c '
  set -euo pipefail
  eval "$(printf demo | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
  Xvfb :87 -screen 0 1024x768x24 -nolisten tcp & xvfb=$!
  export DISPLAY=:87
  for _ in $(seq 1 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
  dunst >/dev/null 2>&1 & dunst=$!
  run_app & app=$!
  for _ in $(seq 1 200); do xdotool search --onlyvisible --name "^uContact Agent Companion$" >/dev/null 2>&1 && break; sleep 0.05; done
  journal() { curl -s "$SIM_URL/_sim/journal" | python3 -c "import json,sys; [print(\"  \", e[\"path\"].split(\"/\")[-1], dict(e[\"form\"]).get(\"destination\") or dict(e[\"form\"]).get(\"l1\") or \"\") for e in json.load(sys.stdin)]"; }
  for _ in $(seq 1 200); do curl -s "$SIM_URL/_sim/journal" | grep -q AgentLogin && break; sleep 0.05; done
  printf "099 123 456" | xclip -selection clipboard
  xdotool key ctrl+alt+d
  for _ in $(seq 1 200); do curl -s "$SIM_URL/_sim/journal" | grep -q AgentCall && break; sleep 0.05; done
  import -window root "$OUT/1-in-call.png"
  xdotool key ctrl+alt+h
  for _ in $(seq 1 200); do curl -s "$SIM_URL/_sim/journal" | grep -q HungupPhone && break; sleep 0.05; done
  for _ in $(seq 1 100); do [[ "$(xdotool getwindowfocus getwindowname 2>/dev/null)" == "uContact Agent Companion" ]] && break; sleep 0.05; done
  import -window root "$OUT/2-wrap-up.png"
  sleep 1  # a human pace between the hang-up and the codes (the demo is not a test)
  xdotool key --delay 150 1 1 1 Return
  for _ in $(seq 1 200); do curl -s "$SIM_URL/_sim/journal" | grep -q DispositionCall && break; sleep 0.05; done
  import -window root "$OUT/3-done.png"
  echo "demo: what the simulator received:"; journal
  kill $app $dunst $xvfb
'
echo "demo: screenshots in $OUT/ (1-in-call.png, 2-wrap-up.png, 3-done.png)"
