"""Updates end to end: the built 0.1.x .deb installed with dpkg, a signed newer .deb and its latest.json served from
a loopback HTTP server; the installed app finds, verifies, installs and restarts into the new version. A tampered
package and a package signed by another key are refused with a clear message while the running version goes on.

Runs when scripts/test-all.sh provides the two bundles and a throwaway key pair:
E2E_UPDATE_OLD, E2E_UPDATE_NEW (bundle folders of the running and the newer version), E2E_UPDATE_KEY (the
throwaway private key file, no password); the app trusts its public half through UCAC_UPDATE_PUBKEY (debug builds
only). Installs system-wide, like test_package.py."""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import ARTIFACTS, ROOT, SCRATCH, remember_password, wait_for, write_settings

OLD, NEW, KEY = (os.environ.get(k) for k in ("E2E_UPDATE_OLD", "E2E_UPDATE_NEW", "E2E_UPDATE_KEY"))
pytestmark = pytest.mark.skipif(not (OLD and NEW and KEY and os.environ.get("UCAC_UPDATE_PUBKEY")),
                                reason="E2E_UPDATE_* not set (scripts/test-all.sh builds two versions)")

BINARY = "/usr/bin/ucontact-agent-companion"
SUDO = [] if os.geteuid() == 0 else ["sudo", "-n"]
TAURI = str(ROOT / "node_modules" / ".bin" / "tauri")
ASSETS = str(ROOT / "scripts" / "release_assets.py")


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def deb_in(folder):
    [deb] = Path(folder).glob("deb/*.deb")
    return deb


def version_of(deb):
    return run("dpkg-deb", "--field", str(deb), "Version").strip()


def installed_version(name):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True).stdout


def sign(path, key, version):
    """Signs like the release does (minisign through the Tauri CLI), binding the signature to the version."""
    Path(f"{path}.sig").unlink(missing_ok=True)
    run(TAURI, "signer", "sign", "-f", str(key), "-p", "", "--app-version", version, str(path))


class Feed:
    """A loopback HTTP server with one folder per case, each holding latest.json and its package."""

    def __init__(self, root):
        self.root = root
        handler = functools.partial(Quiet, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, case, bundle, version):
        out = self.root / case
        run("python3", ASSETS, "stage", "--platform", "linux-x64", "--bundle-dir", str(bundle), "--out", str(out))
        feed = run("python3", ASSETS, "feed", "--version", version, "--base-url", f"{self.url}/{case}", str(out))
        (out / "latest.json").write_text(feed)
        return f"{self.url}/{case}/latest.json", out

    def stop(self):
        self.server.shutdown()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def feed():
    root = SCRATCH / "feed"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    f = Feed(root)
    yield f
    f.stop()


@pytest.fixture
def old_installed():
    deb = deb_in(OLD)
    name = run("dpkg-deb", "--field", str(deb), "Package").strip()
    run(*SUDO, "dpkg", "-i", str(deb))
    yield name, version_of(deb)
    # A restarted app is not WebDriver's: end the ones running on this run's scratch profiles, by process id.
    found = subprocess.run(["pgrep", "-f", "--", f"--profile-dir {SCRATCH}"], capture_output=True, text=True)
    for pid in found.stdout.split():
        subprocess.run(["kill", pid], capture_output=True)
    subprocess.run([*SUDO, "dpkg", "-r", name], capture_output=True)


def start_installed(sim, profile, launch, source):
    write_settings(profile, sim.url)
    with open(profile / "config" / "settings.toml", "a") as f:
        f.write(f'\n[update]\nsource = "{source}"\n')
    remember_password(sim.url)
    app = launch(profile, application=BINARY)
    app.wait_text("agent-name", "Alice Agent")
    return app


def staged_bundle(tmp, key, version):
    """A copy of the newer bundle (its .deb only), signed with `key`."""
    bundle = tmp / "bundle"
    (bundle / "deb").mkdir(parents=True)
    deb = bundle / "deb" / deb_in(NEW).name
    shutil.copy2(deb_in(NEW), deb)
    sign(deb, key, version)
    return bundle, deb


def test_a_tampered_package_or_another_key_is_refused_and_the_app_goes_on(old_installed, feed, sim, profile, launch):
    name, old_version = old_installed
    new_version = version_of(deb_in(NEW))
    scratch = SCRATCH / "update-refused"
    shutil.rmtree(scratch, ignore_errors=True)

    # Tampered: signed properly, then one byte changed on the server.
    bundle, deb = staged_bundle(scratch / "tampered", KEY, new_version)
    url, out = feed.publish("tampered", bundle, new_version)
    served = next(out.glob("*.deb"))
    data = bytearray(served.read_bytes())
    data[len(data) // 2] ^= 0xFF
    served.write_bytes(bytes(data))
    app = start_installed(sim, profile, launch, url)
    wait_for(lambda: "refused" in app.text("update-banner"), "the refusal of the tampered package", timeout=60)
    message = app.text("update-banner")
    assert f"Update {new_version} refused" in message and f"Version {old_version} keeps running" in message, message
    assert not app.visible("update-restart"), "no Restart button for a refused update"
    assert installed_version(name) == old_version
    app.el("number").send_keys("099 123 456")
    app.el("dial-btn").click()
    app.wait_state("in_call")  # the running version still works
    app.quit()

    # Signed with a key the app does not trust.
    other = scratch / "other.key"
    run(TAURI, "signer", "generate", "--ci", "-p", "", "-w", str(other))
    bundle, _ = staged_bundle(scratch / "other", other, new_version)
    url, _ = feed.publish("other-key", bundle, new_version)
    profile2 = profile.parent / (profile.name + "-other")
    shutil.copytree(profile, profile2, dirs_exist_ok=True)
    sim_state_calls = len(sim.journal("Agents/AgentCall"))
    app = start_installed(sim, profile2, launch, url)
    wait_for(lambda: "refused" in app.text("update-banner"), "the refusal of the foreign signature", timeout=60)
    assert f"Version {old_version} keeps running" in app.text("update-banner")
    assert installed_version(name) == old_version
    assert len(sim.journal("Agents/AgentCall")) == sim_state_calls


@pytest.mark.timeout(400)
def test_finds_verifies_installs_and_restarts_into_the_new_version(old_installed, feed, sim, profile, launch):
    name, old_version = old_installed
    new_version = version_of(deb_in(NEW))
    assert new_version != old_version
    bundle, _ = staged_bundle(SCRATCH / "update-good", KEY, new_version)
    url, _ = feed.publish("good", bundle, new_version)

    started = time.monotonic()
    app = start_installed(sim, profile, launch, url)
    wait_for(lambda: "Update ready — restart when you are between calls" in app.text("update-banner"),
             "the update to be ready", timeout=90)
    ready = time.monotonic()
    old_pid = int(run("pgrep", "-n", "-f", "--", f"--profile-dir {profile}").strip())
    app.el("update-restart").click()

    log = profile / "logs" / "companion.log"
    try:
        wait_for(lambda: installed_version(name) == new_version, f"dpkg to have {new_version}", timeout=120)
    finally:
        shutil.copy(log, ARTIFACTS / "update-companion.log")
    wait_for(lambda: re.search(rf"app started version={re.escape(new_version)}", log.read_text()),
             f"the app to restart as {new_version}", timeout=60)
    restarted = time.monotonic()
    new_pid = int(run("pgrep", "-n", "-f", "--", f"--profile-dir {profile}").strip())
    assert new_pid != old_pid
    wait_for(lambda: not Path(f"/proc/{old_pid}").exists(), "the old process to end", timeout=30)
    # The new version signs in by itself with the password in the keychain.
    wait_for(lambda: len(sim.journal("auth/AgentLogin")) >= 2, "the new version to sign in", timeout=60)
    print(f"\nupdate round trip: start -> ready {ready - started:.1f} s, restart click -> "
          f"{new_version} running {restarted - ready:.1f} s, total {restarted - started:.1f} s")
    subprocess.run(["kill", str(new_pid)])
    print(json.dumps({"old": old_version, "new": new_version}))
