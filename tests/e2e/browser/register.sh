#!/usr/bin/env bash
# Makes tests/e2e/browser/record-url.sh this run's default browser for https:// and http:// (xdg-open reads the
# handler from XDG_CONFIG_HOME/mimeapps.list and the .desktop file from XDG_DATA_HOME/applications).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$XDG_DATA_HOME/applications" "$XDG_CONFIG_HOME"
cat > "$XDG_DATA_HOME/applications/e2e-browser.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=E2E recording browser
Exec=$here/record-url.sh %u
MimeType=x-scheme-handler/https;x-scheme-handler/http;
NoDisplay=true
DESKTOP
cat > "$XDG_CONFIG_HOME/mimeapps.list" <<LIST
[Default Applications]
x-scheme-handler/https=e2e-browser.desktop
x-scheme-handler/http=e2e-browser.desktop
LIST
