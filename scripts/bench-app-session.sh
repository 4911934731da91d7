#!/usr/bin/env bash
# The measuring half of bench-app.sh, inside its private D-Bus session and virtual display.
set -euo pipefail
eval "$(printf bench | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
Xvfb :93 -screen 0 1280x900x24 -nolisten tcp & xvfb=$!
export DISPLAY=:93
for _ in $(seq 1 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
trap 'kill $xvfb 2>/dev/null || true' EXIT
now_ms() { date +%s%3N; }

# exec → window mapped, polled every 10 ms; three runs each.
window_ms() { # binary title [args]
  local bin=$1 title=$2; shift 2
  local start; start=$(now_ms)
  "$bin" "$@" >/dev/null 2>&1 & local pid=$!
  local deadline=$(( $(now_ms) + 30000 ))
  until xdotool search --onlyvisible --name "^$title\$" >/dev/null 2>&1; do
    (( $(now_ms) < deadline )) || { echo "bench: $title did not show a window" >&2; exit 1; }
    sleep 0.01
  done
  echo $(( $(now_ms) - start )) "$pid"
}
rss_mb() { # pid: resident memory of the process and its children (WebKit web and network processes), MiB
  local total=0
  # The app and its WebKit web and network processes (children), each counted once.
  for p in $(printf '%s\n' "$1" $(pgrep -P "$1" || true) | sort -u); do
    local kb; kb=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + kb))
  done
  echo $((total / 1024))
}

profile=$OUT/profile; rm -rf "$profile"; mkdir -p "$profile/config/dispositions"; cp "$TREES"/*.toml "$profile/config/dispositions/"
"$SIM" --listen 127.0.0.1:0 >"$OUT/sim.out" 2>/dev/null & sim=$!
until grep -q listening "$OUT/sim.out" 2>/dev/null; do sleep 0.02; done
url=$(sed -n 's/.*listening on //p' "$OUT/sim.out")
printf 'server_url = "%s"\nagent_user = "alice"\ncampaigns = ["Ventas->"]\ndefault_campaign = "Ventas->"\nrequire_wrap_up = false\nautostart = false\nnotifications = false\n' "$url" >"$profile/config/settings.toml"
printf alice-pw | secret-tool store --label=bench service ucontact-agent-companion username "password:alice@$url"

echo "== exec → window shown (ms), three runs"
for name in bare app; do
  for run in 1 2 3; do
    if [[ $name == bare ]]; then read -r ms pid < <(window_ms "$BARE" "Bare Tauri"); else read -r ms pid < <(window_ms "$APP" "uContact Agent Companion" --profile-dir "$profile"); fi
    echo "$name run $run: $ms ms"
    if [[ $run == 3 ]]; then
      sleep 10  # the figure asked for is memory after 10 s idle
      echo "$name RSS after 10 s idle (process + WebKit processes): $(rss_mb "$pid") MiB"
    fi
    # The next run must not find this one still exiting (single instance would hand over to it).
    [[ $name == app && $run == 3 ]] || { kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done; }
  done
done

echo "== hotkey press → AgentCall received by the simulator, $PRESSES presses"
: > "$OUT/latency.txt"
until curl -s "$url/_sim/journal" | grep -q AgentLogin; do sleep 0.05; done
printf '099123456' | xclip -selection clipboard
for i in $(seq 1 "$PRESSES"); do
  curl -s -X DELETE "$url/_sim/journal" >/dev/null
  start=$(now_ms)
  xdotool key ctrl+alt+d
  until curl -s "$url/_sim/journal" | grep -q AgentCall; do :; done
  echo $(( $(now_ms) - start )) >> "$OUT/latency.txt"
  # End the call from the customer's side and skip wrap-up (require_wrap_up = false) for the next press;
  # presses closer than 600 ms are debounced, so wait that long.
  xdotool key ctrl+alt+h
  until curl -s "$url/_sim/journal" | grep -q HungupPhone; do :; done
  sleep 0.65
done
sort -n "$OUT/latency.txt" | awk '{a[NR]=$1} END {printf "median %d ms, p99 %d ms, min %d, max %d (n=%d; includes xdotool and curl polling)\n", a[int(NR/2)+1], a[int(NR*0.99)], a[1], a[NR], NR}'
kill $sim 2>/dev/null || true
pkill -f ucontact-agent-companion || true

echo "== sizes"
ls -l "$APP" "$BARE" | awk '{printf "%s %.1f MiB\n", $9, $5/1048576}'
