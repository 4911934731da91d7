#!/usr/bin/env bash
# The measuring half of bench-app.sh, inside its private D-Bus session: keyring, Xvfb, then scripts/bench_app.py
# (one persistent XTest client, stamps on the simulator's clock) for each figure. Prints figures only.
set -euo pipefail
# The keyring, Xvfb, `pids`, `stop` and the exit trap (scripts/bench-desktop.sh).
source "$(dirname "$0")/bench-desktop.sh"
py() { /usr/bin/python3 "$BENCH_PY" "$@"; }
APP_TITLE="uContact Agent Companion"
phase() { [[ " ${BENCH_PHASES:-launch hotkey shift typing ipc} " == *" $1 "* ]]; }

sim_url=""
start_sim() { # a fresh simulator; sets sim_url
  "$BIN/integra-sim" --listen 127.0.0.1:0 >"$OUT/sim.out" 2>/dev/null & pids+=($!)
  until grep -q listening "$OUT/sim.out" 2>/dev/null; do sleep 0.01; done
  sim_url=$(sed -n 's/.*listening on //p' "$OUT/sim.out")
}
profile=""
new_profile() { # name require_wrap_up: a fresh app profile signed in to the current simulator; sets profile
  profile=$OUT/profile-$1; rm -rf "$profile"; mkdir -p "$profile/config/dispositions"
  cp "$TREES"/*.toml "$profile/config/dispositions/"
  printf 'server_url = "%s"\nagent_user = "alice"\ncampaigns = ["Ventas->"]\ndefault_campaign = "Ventas->"\nrequire_wrap_up = %s\nautostart = false\nnotifications = false\n' \
    "$sim_url" "$2" >"$profile/config/settings.toml"
  printf alice-pw | secret-tool store --label=bench service ucontact-agent-companion username "password:alice@$sim_url"
}
launch() { # title [--log file] -- cmd…: sets pid, and launched to "window N ms [ready M ms]"
  local line; line=$(py launch --title "$@")
  pid=${line##* }; pids+=("$pid")
  launched=${line% *}
}
# The dial hotkey's number comes from the clipboard (xclip keeps serving it).
printf '099123456' | xclip -selection clipboard

if phase launch; then
echo "== exec -> window shown, exec -> signed in and ready (desk live, hotkeys registered), three runs"
start_sim
new_profile launch true
for run in 1 2 3; do
  launch "Bare Tauri" -- "$BIN/bare"; echo "bare run $run: $launched"; stop "$pid"
done
for run in 1 2 3; do
  launch "$APP_TITLE" --log "$profile/logs/companion.log" -- "$BIN/app" --profile-dir "$profile"
  echo "app run $run: $launched"
  stop "$pid"
done

fi

# The app turns accelerated compositing and the page's JIT off (src-tauri/src/window.rs `lean_engine`): the bare
# app's idle PSS given the same two settings, beside the app's in the same run.
bare_as_the_app() {
  WEBKIT_DISABLE_COMPOSITING_MODE=1 JSC_useJIT=false launch "Bare Tauri" -- "$BIN/bare"
  echo "bare idle, no accelerated compositing and no JIT as in the app: $(py idle --pid "$pid")"
  stop "$pid"
}

if phase hotkey; then
echo "== dial hotkey press -> AgentCall on the wire, $PRESSES presses each"
variants=(patched); [[ $UPSTREAM == 1 ]] && variants+=(upstream)
for variant in "${variants[@]}"; do
  suffix=""; [[ $variant == upstream ]] && suffix=-upstream
  start_sim
  BARE_POST_URL=$sim_url launch "Bare Tauri" -- "$BIN/bare$suffix"
  [[ $variant == patched ]] && echo "bare idle: $(py idle --pid "$pid")"
  py hotkey --sim "$sim_url" --presses "$PRESSES" --label "bare, $variant global-hotkey"
  stop "$pid"
  [[ $variant == patched ]] && bare_as_the_app
  new_profile "hotkey-$variant" false
  launch "$APP_TITLE" --log "$profile/logs/companion.log" -- "$BIN/app$suffix" --profile-dir "$profile"
  py hotkey --sim "$sim_url" --presses "$PRESSES" --label "app, $variant global-hotkey" --app
  stop "$pid"
done

fi

if phase shift; then
echo "== a shift: $CALLS whole calls by keys alone (dial hotkey, hang-up hotkey, 1 1 1 Enter)"
phase hotkey || bare_as_the_app
start_sim
new_profile shift true
launch "$APP_TITLE" --log "$profile/logs/companion.log" -- "$BIN/app" --profile-dir "$profile"
py shift --sim "$sim_url" --pid "$pid" --title "$APP_TITLE" --outbox "$profile/data/outbox.sqlite3" --calls "$CALLS"
stop "$pid"
fi

if phase typing; then
echo "== typing elsewhere: key taps in no window of the app (an agent typing in the CRM)"
start_sim
new_profile typing false
launch "$APP_TITLE" --log "$profile/logs/companion.log" -- "$BIN/app" --profile-dir "$profile"
py typing --pid "$pid"
stop "$pid"
fi

if phase ipc; then
echo "== what Tauri's own traffic costs the bare app's web process: events (new payload each / the same), commands"
py ipc --bare "$BIN/bare"
fi

echo "== sizes"
ls -l "$BIN/app" "$BIN/bare" | awk '{printf "%s %.1f MiB\n", $9, $5/1048576}'
