"""Signing in: the password goes to the keychain and nowhere else; errors say what is wrong."""
import subprocess
from pathlib import Path

from conftest import SCRATCH, screenshot, wait_for


def sign_in(app, url, password="alice-pw"):
    app.el("server-url").clear()
    app.el("server-url").send_keys(url)
    app.el("agent-user").clear()
    app.el("agent-user").send_keys("alice")
    app.el("password").send_keys(password)
    app.el("signin-btn").click()


def files_containing(root, needle):
    hits = []
    for path in Path(root).rglob("*"):
        if path.is_file():
            try:
                if needle.encode() in path.read_bytes():
                    hits.append(str(path))
            except OSError:
                pass
    return hits


def test_sign_in_keeps_the_password_in_the_keychain_only(sim, profile, launch):
    app = launch(profile)
    wait_for(lambda: app.visible("signin"), "the sign-in screen")
    screenshot("01-sign-in", app)
    sign_in(app, sim.url)
    app.wait_text("agent-name", "Alice Agent")
    assert app.text("agent-ext") == "1001"
    screenshot("02-desk", app)

    stored = subprocess.run(
        ["secret-tool", "lookup", "service", "ucontact-agent-companion", "username", f"password:alice@{sim.url}"],
        capture_output=True, text=True,
    ).stdout
    assert stored == "alice-pw", "the password is in the OS keychain"
    assert files_containing(SCRATCH, "alice-pw") == [], "the password is in no file (home, profile, logs)"
    settings = (profile / "config" / "settings.toml").read_text()
    assert 'agent_user = "alice"' in settings and sim.url in settings

    autostart = wait_for(lambda: list((SCRATCH / "home" / ".config" / "autostart").glob("*.desktop")), "an autostart entry")
    entry = autostart[0].read_text()
    assert "--hidden" in entry and "Exec=" in entry, entry

    # Right after a first sign-in, with nothing configured but the server and the user, the agent can dial.
    app.el("number").send_keys("099 123 456")
    app.el("dial-btn").click()
    app.wait_state("in_call")
    call = sim.fields(sim.journal("Agents/AgentCall")[0])
    assert (call["agent"], call["phone"], call["context"], call["callerid"]) == ("alice", "1001", "agentes", "")


def test_wrong_password_says_so(sim, profile, launch):
    app = launch(profile)
    wait_for(lambda: app.visible("signin"), "the sign-in screen")
    sign_in(app, sim.url, password="not-it")
    app.wait_text("signin-error", "wrong user or password for alice")
    screenshot("03-wrong-password", app)
    assert app.visible("signin")


def test_unreachable_server_says_so(sim, profile, launch):
    app = launch(profile)
    wait_for(lambda: app.visible("signin"), "the sign-in screen")
    sign_in(app, "http://127.0.0.1:9")
    app.wait_text("signin-error", "cannot reach the uContact server")
    assert sim.journal() == []
