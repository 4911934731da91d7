"""The installers the Tauri bundler makes (scripts/package.sh): the .deb installed on this machine with dpkg, its
files checked, the INSTALLED binary signed in to the simulator, then removed without leaving a file behind; the .rpm's
contents read with rpm -qlp.

Runs when E2E_PACKAGES names a bundle folder (scripts/test-all.sh builds one with `scripts/package.sh --debug`);
it installs system-wide: as root (CI here), or through `sudo -n` (GitHub's runners)."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, remember_password, write_settings

PACKAGES = os.environ.get("E2E_PACKAGES")
pytestmark = pytest.mark.skipif(not PACKAGES, reason="E2E_PACKAGES not set (scripts/package.sh --debug builds them)")

BINARY = "/usr/bin/ucontact-agent-companion"
DESKTOP = "/usr/share/applications/uContact Agent Companion.desktop"
ICON_SIZES = ("32x32", "128x128", "256x256", "512x512")


SUDO = [] if os.geteuid() == 0 else ["sudo", "-n"]


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def one(pattern):
    found = sorted(Path(PACKAGES).glob(pattern))
    assert len(found) == 1, f"exactly one {pattern} in {PACKAGES}: {found}"
    return found[0]


def app_version():
    return json.loads((ROOT / "tauri.conf.json").read_text())["version"]


def package_name(deb):
    return run("dpkg-deb", "--field", str(deb), "Package").strip()


@pytest.fixture
def installed_deb():
    """The .deb installed with dpkg -i; removed with dpkg -r afterwards even when the test failed."""
    deb = one("deb/*.deb")
    name = package_name(deb)
    run(*SUDO, "dpkg", "-i", str(deb))
    yield name
    subprocess.run([*SUDO, "dpkg", "-r", name], capture_output=True)


def test_deb_installs_signs_in_and_removes_cleanly(installed_deb, sim, profile, launch):
    assert run("dpkg-query", "-W", "-f=${Version}", installed_deb) == app_version()
    files = [f for f in run("dpkg", "-L", installed_deb).splitlines() if f and Path(f).is_file()]
    assert BINARY in files and os.access(BINARY, os.X_OK), files
    assert DESKTOP in files, files
    for size in ICON_SIZES:
        assert f"/usr/share/icons/hicolor/{size}/apps/ucontact-agent-companion.png" in files, (size, files)

    entry = Path(DESKTOP).read_text()
    mime = next(line for line in entry.splitlines() if line.startswith("MimeType="))
    assert "x-scheme-handler/tel" in mime.split("=", 1)[1].split(";"), entry
    assert "x-scheme-handler/callto" in mime.split("=", 1)[1].split(";"), entry
    assert "Exec=ucontact-agent-companion" in entry and "Icon=ucontact-agent-companion" in entry, entry

    depends = run("dpkg-query", "-W", "-f=${Depends}", installed_deb)
    assert "libwebkit2gtk-4.1-0" in depends and "libayatana-appindicator3-1" in depends, depends
    assert "libasound2" in depends, f"the phone's audio (ALSA, through pipewire-alsa or PulseAudio): {depends}"

    # The installed program, not the one in target/, signs in to the simulator by itself.
    write_settings(profile, sim.url)
    remember_password(sim.url)
    app = launch(profile, application=BINARY)
    app.wait_text("agent-name", "Alice Agent")
    assert sim.journal("auth/AgentLogin"), "the installed app called AgentLogin"
    app.quit()

    run(*SUDO, "dpkg", "-r", installed_deb)
    status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", installed_deb], capture_output=True, text=True)
    assert status.stdout.strip() in ("", "not-installed"), status.stdout
    left = [f for f in files if Path(f).exists()]
    assert left == [], f"files left after dpkg -r: {left}"


def test_rpm_holds_the_same_files():
    rpm = one("rpm/*.rpm")
    files = run("rpm", "-qlp", str(rpm)).splitlines()
    assert BINARY in files and DESKTOP in files, files
    for size in ICON_SIZES:
        assert f"/usr/share/icons/hicolor/{size}/apps/ucontact-agent-companion.png" in files, (size, files)
    requires = run("rpm", "-qRp", str(rpm))
    assert "libwebkit2gtk-4.1.so.0()(64bit)" in requires and "libgtk-3.so.0()(64bit)" in requires, requires
    assert run("rpm", "-qp", "--qf", "%{VERSION}", str(rpm)) == app_version()
