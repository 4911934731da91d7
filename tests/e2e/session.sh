#!/usr/bin/env bash
# Runs inside dbus-run-session (see run.sh): starts the desktop pieces, runs pytest, stops everything it started.
set -euo pipefail
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

eval "$(printf e2e-keyring | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
export GNOME_KEYRING_CONTROL

display=""
for n in $(seq 90 140); do
  if [[ ! -e /tmp/.X11-unix/X$n && ! -e /tmp/.X$n-lock ]]; then display=":$n"; break; fi
done
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >"$E2E_ARTIFACTS/xvfb.log" 2>&1 & pids+=($!)
export DISPLAY=$display
# Up to 30 s: on a busy machine Xvfb can take seconds, and a notification daemon started before it crashes.
for _ in $(seq 1 600); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
xdpyinfo >/dev/null 2>&1 || { echo "e2e: Xvfb did not start on $display" >&2; cat "$E2E_ARTIFACTS/xvfb.log" >&2; exit 2; }

# dunst as installed, but its context menu (`dunstctl context`, a notification's buttons) answered by
# tests/e2e/dunst/pick-action.sh instead of dmenu.
sed "s|^\( *dmenu *=\).*|\1 $E2E_ROOT/tests/e2e/dunst/pick-action.sh|" /etc/xdg/dunst/dunstrc >"$E2E_SCRATCH/dunstrc"
dunst -config "$E2E_SCRATCH/dunstrc" >"$E2E_ARTIFACTS/dunst.log" 2>&1 & pids+=($!)
notifications_owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.Notifications 2>/dev/null | grep -q "boolean true"
}
for _ in $(seq 1 200); do notifications_owned && break; sleep 0.05; done
notifications_owned || echo "e2e: dunst is not on the session bus (see dunst.log); notification checks will fail" >&2
dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
  >"$E2E_ARTIFACTS/notifications.log" 2>&1 & pids+=($!)

# Virtual audio for the phone's tests (tests/e2e/test_phone.py): PipeWire with null sinks as the agent's headset
# and microphone, in this run's own XDG_RUNTIME_DIR, before tauri-driver (whose environment the app inherits).
if command -v pipewire >/dev/null; then
  eval "$(VOICE_PW_REUSE_DIR="$XDG_RUNTIME_DIR" VOICE_PW_OWNER_PID=$$ bash "$E2E_ROOT/tests/phone/audio/start-pipewire.sh" \
    | grep -E '^export (PULSE_SERVER|VOICE_PIPEWIRE_PIDS)=')"
  export E2E_AUDIO=1
fi

# A scratch policy path: no policy unless a test writes one (and a real /etc policy never leaks into the tests).
# Before tauri-driver, which passes its environment to the app.
export UCAC_POLICY_FILE="$E2E_SCRATCH/policy.toml"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
driver_port=$(free_port)
# WebKitWebDriver's own port too (tauri-driver's default, 4445, is taken when two runs share the machine).
"$E2E_ROOT/.ci/tools/bin/tauri-driver" --port "$driver_port" --native-port "$(free_port)" --native-driver /usr/bin/WebKitWebDriver \
  >"$E2E_ARTIFACTS/tauri-driver.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$driver_port") 2>/dev/null && break; sleep 0.05; done
export E2E_DRIVER="http://127.0.0.1:$driver_port"

# A plain browser window for the bridge page and the simulator's portal page: WebKitWebDriver driving WebKitGTK's
# MiniBrowser (shipped with libwebkit2gtk-4.1-0, so nothing more to install). The tests open it only when needed.
browser_port=$(free_port)
/usr/bin/WebKitWebDriver --port="$browser_port" >"$E2E_ARTIFACTS/browser-driver.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$browser_port") 2>/dev/null && break; sleep 0.05; done
export E2E_BROWSER_DRIVER="http://127.0.0.1:$browser_port"
E2E_MINIBROWSER=$(ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser 2>/dev/null | head -n 1 || true)
export E2E_MINIBROWSER

cd "$E2E_ROOT"
# Select tests with pytest's own PYTEST_ADDOPTS, e.g. PYTEST_ADDOPTS='-k "hotkey and not double"'.
.venv/bin/pytest tests/e2e -p no:cacheprovider -rA --junitxml "$E2E_ARTIFACTS/junit.xml"
