#!/usr/bin/env bash
# Builds a .deb of the release binary by hand (dpkg-deb), the same layout `cargo tauri build --bundles deb` makes
# (binary, .desktop entry, hicolor icons), without installing tauri-cli (7 minutes here). Prints the path and size.
# Usage: bash scripts/package-deb.sh   (after `cargo build --release -p ucontact-agent-companion`)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
ROOT=target/deb/ucontact-agent-companion_${VERSION}_amd64
rm -rf "$ROOT" && mkdir -p "$ROOT/DEBIAN" "$ROOT/usr/bin" "$ROOT/usr/share/applications"
install -m 755 "${CARGO_TARGET_DIR:-target}/release/ucontact-agent-companion" "$ROOT/usr/bin/"
for size in 32 128 256; do
  mkdir -p "$ROOT/usr/share/icons/hicolor/${size}x${size}/apps"
  install -m 644 "icons/${size}x${size}.png" "$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/ucontact-agent-companion.png"
done
cat >"$ROOT/usr/share/applications/ucontact-agent-companion.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=uContact Agent Companion
Comment=Call desk for uContact agents
Exec=ucontact-agent-companion
Icon=ucontact-agent-companion
Categories=Office;Telephony;
DESKTOP
cat >"$ROOT/DEBIAN/control" <<CONTROL
Package: ucontact-agent-companion
Version: $VERSION
Architecture: amd64
Maintainer: uContact Agent Companion developers
Depends: libwebkit2gtk-4.1-0, libgtk-3-0, libayatana-appindicator3-1
Section: utils
Priority: optional
Description: Call desk for uContact contact-center agents
CONTROL
dpkg-deb --root-owner-group --build "$ROOT" >/dev/null
ls -l "$ROOT.deb" | awk '{printf "%s %.1f MiB\n", $9, $5/1048576}'
