# Sourced by the benchmarks' session halves (bench-app-session.sh, bench-phone-session.sh), inside their private
# D-Bus session: an unlocked keyring, Xvfb on a free display ($DISPLAY), `pids` for what they start, `stop PID`
# (SIGTERM, then wait for it to be gone: the app signs off, and with the phone un-registers, within 2 s), and a
# trap that stops everything at exit. Needs $OUT (Xvfb's log goes there).
eval "$(printf bench | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
display=""
for n in $(seq 93 140); do
  if [[ ! -e /tmp/.X11-unix/X$n && ! -e /tmp/.X$n-lock ]]; then display=":$n"; break; fi
done
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 & xvfb=$!
export DISPLAY=$display
for _ in $(seq 1 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
pids=()
stop() {
  kill "$1" 2>/dev/null || true
  while kill -0 "$1" 2>/dev/null; do sleep 0.02; done
}
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; kill $xvfb 2>/dev/null || true' EXIT
