#!/usr/bin/env bash
# The measuring half of bench-phone.sh, inside its private D-Bus session: keyring, Xvfb, PipeWire (the agent's
# headset and microphone), kamailio, the simulator, then scripts/bench_phone.py for each figure. Prints figures only.
set -euo pipefail
# The keyring, Xvfb, `pids`, `stop` and the exit trap (scripts/bench-desktop.sh).
source "$(dirname "$0")/bench-desktop.sh"
py() { "$BENCH_PY" "$ROOT/scripts/bench_phone.py" "$@"; }
APP_TITLE="uContact Agent Companion"
phase() { [[ " ${BENCH_PHASES:-loop off calls growth} " == *" $1 "* ]]; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The agent's headset (agent_headset, the default sink) and microphone (agent_mic, the default source, which hears
# what is played into farend_voice), in this session's XDG_RUNTIME_DIR where the app's ALSA plugin looks; stopped
# when this shell exits.
eval "$(VOICE_PW_REUSE_DIR="$XDG_RUNTIME_DIR" VOICE_PW_OWNER_PID=$$ bash "$ROOT/tests/phone/audio/start-pipewire.sh" \
  | grep -E '^export PULSE_SERVER=')"

# kamailio on its own ports; it stops when its stdin (a pipe held open by tail) ends with this shell.
kam=$(mktemp -d /tmp/bench-kam.XXXXXX)  # short: the control socket's path has a length limit
WSS_PORT=$(free_port) WS_PORT=$(free_port) WRONG_HOST_PORT=$(free_port) SIP_UDP_PORT=$(free_port) \
  bash "$ROOT/tests/phone/sip/kamailio.sh" "$kam" < <(tail --pid=$$ -f /dev/null) >"$kam/ready" 2>"$OUT/kamailio.log" &
pids+=($!)
for _ in $(seq 1 400); do grep -q READY "$kam/ready" 2>/dev/null && break; sleep 0.05; done
grep -q READY "$kam/ready" || { echo "bench: kamailio did not start (see $OUT/kamailio.log)" >&2; exit 2; }
wss="$(awk '{print $2}' "$kam/ready")/ws"
rig=(--wss "$wss" --ca "$kam/ca.pem" --clips "$OUT/clips" --out "$OUT")
bash "$ROOT/tests/phone/analysis/make_clips.sh" "$OUT/clips"

sim_url=""
start_sim() { # a fresh simulator; sets sim_url
  "$BIN/integra-sim" --listen 127.0.0.1:0 >"$OUT/sim.out" 2>/dev/null & pids+=($!)
  until grep -q listening "$OUT/sim.out" 2>/dev/null; do sleep 0.01; done
  sim_url=$(sed -n 's/.*listening on //p' "$OUT/sim.out")
}
profile=""
new_profile() { # name phone(true|false): a fresh app profile signed in to the current simulator; sets profile
  profile=$OUT/profile-$1; rm -rf "$profile"; mkdir -p "$profile/config/dispositions"
  cp "$TREES"/*.toml "$profile/config/dispositions/"
  printf 'server_url = "%s"\nagent_user = "alice"\ncampaigns = ["Ventas->"]\ndefault_campaign = "Ventas->"\nrequire_wrap_up = true\nautostart = false\nnotifications = false\nca_certificate = "%s"\n' \
    "$sim_url" "$kam/ca.pem" >"$profile/config/settings.toml"
  if [[ $2 == true ]]; then printf '\n[phone]\nenabled = true\nserver = "%s"\n' "$wss" >>"$profile/config/settings.toml"; fi
  printf alice-pw | secret-tool store --label=bench service ucontact-agent-companion username "password:alice@$sim_url"
}
launch() { # sets pid; prints exec -> window shown and -> signed in and ready
  local line; line=$("$BENCH_PY" "$ROOT/scripts/bench_app.py" launch --title "$APP_TITLE" \
    --log "$profile/logs/companion.log" -- "$BIN/app" --profile-dir "$profile")
  pid=${line##* }; pids+=("$pid")
  echo "launched: ${line% *}"
}
# The dial hotkey's number comes from the clipboard (xclip keeps serving it).
printf '099123456' | xclip -selection clipboard

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== jitter buffer target: $(sed -n 's/^pub const DEFAULT_TARGET_MS: u32 = \([0-9]*\);/\1/p' "$ROOT/crates/voice/src/jitter.rs") ms (crates/voice, fixed)"

if phase loop; then
echo "== the wire stamps without the app: ${BENCH_LOOPS:-3} clips from one far end to another through kamailio"
py loop "${rig[@]}" --times "${BENCH_LOOPS:-3}"
fi

start_sim
if phase off; then
echo "== the phone off: idle, signed in"
new_profile off false
launch
py idle --pid "$pid" --label "phone off, idle"
stop "$pid"
fi

if phase calls; then
echo "== the phone on: registered with no call, then $CALLS whole calls by keys"
new_profile on true
launch
py idle --pid "$pid" --label "phone on, registered, no call" --log "$profile/logs/companion.log" \
  --wait-log "phone registered"
keep=(); [[ ${BENCH_KEEP:-0} == 1 ]] && keep=(--keep)
py calls "${rig[@]}" --sim "$sim_url" --pid "$pid" --title "$APP_TITLE" --calls "$CALLS" "${keep[@]}"
stop "$pid"
fi

if phase growth; then
echo "== memory over $GROWTH_CALLS short calls (1 s of audio each), a fresh app"
new_profile growth true
launch
py growth "${rig[@]}" --sim "$sim_url" --pid "$pid" --title "$APP_TITLE" --calls "$GROWTH_CALLS"
stop "$pid"
fi

echo "== size"
ls -l "$BIN/app" | awk '{printf "release binary: %.1f MiB (%d bytes)\n", $5/1048576, $5}'
