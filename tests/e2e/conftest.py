"""Fixtures for the end-to-end tests: a fresh simulator per test, an app profile, the app launched through
tauri-driver (WebDriver), and helpers to wait for conditions, read the simulator's journal and take screenshots.

Run through tests/e2e/run.sh, which provides the display, D-Bus session, keyring and tauri-driver."""
import json
import re
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions

ROOT = Path(os.environ["E2E_ROOT"])
APP = os.environ["E2E_APP"]
ARTIFACTS = Path(os.environ["E2E_ARTIFACTS"])
SCRATCH = Path(os.environ["E2E_SCRATCH"])
TREES = ROOT / "crates" / "disposition-tree" / "examples" / "dispositions"


def wait_for(condition, what, timeout=15.0, interval=0.05):
    """Polls `condition` until it returns something truthy; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
            if last:
                return last
        except Exception as exc:  # the element may not exist yet
            last = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def screenshot(name, app=None):
    """Saves the screen as an artifact; with `app`, first waits until the webview has painted twice."""
    if app is not None:
        app.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));"
        )
    subprocess.run(["import", "-window", "root", str(ARTIFACTS / f"{name}.png")], check=False)


class Sim:
    """The integra-sim binary on a free port, with its admin API."""

    def __init__(self, log):
        self.proc = subprocess.Popen(
            [os.environ["E2E_SIM"], "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=log, text=True
        )
        line = self.proc.stdout.readline()
        assert "listening on" in line, f"simulator did not start: {line!r}"
        self.url = line.strip().rsplit(" ", 1)[-1]

    def _admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}/_sim/{path}", data=data, method=method)
        with urllib.request.urlopen(req, timeout=5) as resp:
            text = resp.read().decode()
        return json.loads(text) if text.startswith(("[", "{")) else text

    def journal(self, endpoint=None):
        entries = self._admin("GET", "journal")
        if endpoint:
            entries = [e for e in entries if e["path"].endswith("/" + endpoint)]
        return entries

    def fields(self, entry):
        return dict(entry["form"])

    def faults(self, **faults):
        self._admin("POST", "faults", faults)

    def state(self):
        return self._admin("GET", "state")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=5)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test keeps the app's own log (every launch of its profile) beside the artifacts and shows its tail
    in the report: a failure on a CI machine then says what the app did, not only what the test waited for."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    logs = SCRATCH / "profiles" / item.name / "logs"
    for log in sorted(logs.glob("*.log*")) if logs.is_dir() else []:
        kept = ARTIFACTS / f"app-{item.name}-{log.name}"
        shutil.copy(log, kept)
        tail = log.read_text(errors="replace").splitlines()[-60:]
        report.sections.append((f"app log {log.name} (last 60 lines; whole file: {kept.name})", "\n".join(tail)))


@pytest.fixture
def sim(request):
    log = open(ARTIFACTS / f"sim-{request.node.name}.log", "w")
    s = Sim(log)
    yield s
    s.stop()
    log.close()


@pytest.fixture
def profile(request):
    """A fresh settings/data/log folder for the app, with the example disposition trees."""
    path = SCRATCH / "profiles" / request.node.name
    shutil.rmtree(path, ignore_errors=True)
    (path / "config" / "dispositions").mkdir(parents=True)
    for tree in TREES.glob("*.toml"):
        shutil.copy(tree, path / "config" / "dispositions" / tree.name)
    return path


def write_settings(profile, sim_url, **extra):
    lines = [f'server_url = "{sim_url}"', 'agent_user = "alice"', 'campaigns = ["Ventas->", "Cobranzas->"]',
             'default_campaign = "Ventas->"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    lines += ["", "[identity]", 'callerid = "59821234567"']
    (profile / "config" / "settings.toml").write_text("\n".join(lines) + "\n")


def remember_password(sim_url, password="alice-pw"):
    """Stores the password the way the app does (Secret Service item service/username), so it signs in by itself."""
    subprocess.run(
        ["secret-tool", "store", "--label=e2e", "service", "ucontact-agent-companion", "username",
         f"password:alice@{sim_url}"],
        input=password, text=True, check=True,
    )


def signed_in(sim, profile, launch, extra_config="", **settings):
    """The app started with settings for `sim` (plus `settings`, and raw TOML `extra_config` for tables) and the
    password in the keychain, so it signs in by itself; returns it once the desk shows the agent."""
    write_settings(profile, sim.url, **settings)
    if extra_config:
        with open(profile / "config" / "settings.toml", "a") as f:
            f.write(extra_config)
    remember_password(sim.url)
    app = launch(profile)
    app.wait_text("agent-name", "Alice Agent")
    return app


def free_port():
    """A loopback port nothing listens on now (for the bridge)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_pid(profile):
    """The process id of the newest app running with `profile`."""
    found = subprocess.run(["pgrep", "-n", "-f", "--", f"--profile-dir {profile}"], capture_output=True, text=True)
    assert found.stdout.strip(), "the app's process"
    return int(found.stdout.strip())


def gdbus(*args):
    return subprocess.run(["gdbus", "call", "--session", *args], capture_output=True, text=True, check=False)


def bus_names_of(pid):
    """The session bus connections the process `pid` holds (the app opens a few: GTK, the tray's menu, zbus)."""
    listed = gdbus("--dest", "org.freedesktop.DBus", "--object-path", "/", "--method", "org.freedesktop.DBus.ListNames")
    names = re.findall(r"'(:[0-9.]+)'", listed.stdout)
    mine = []
    for name in names:
        owner = gdbus("--dest", "org.freedesktop.DBus", "--object-path", "/",
                      "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID", name)
        if re.search(rf"\(uint32 {pid},\)", owner.stdout):
            mine.append(name)
    return mine


def tray_menus(pid):
    """Each menu the app exports under /org/ayatana/NotificationItem (its StatusNotifierItem's com.canonical.dbusmenu)
    with its layout: (bus name, object path, GetLayout's text)."""
    for name in bus_names_of(pid):
        tree = subprocess.run(["gdbus", "introspect", "--session", "--dest", name, "--object-path",
                               "/org/ayatana/NotificationItem", "--recurse", "--only-properties"],
                              capture_output=True, text=True, check=False).stdout
        for path in re.findall(r"node (/org/ayatana/NotificationItem/\S+/Menu)", tree):
            # GetLayout(parent 0, every level, all properties); "--" so that -1 is not read as an option.
            layout = gdbus("--dest", name, "--object-path", path, "--method", "com.canonical.dbusmenu.GetLayout",
                           "--", "0", "-1", "[]")
            yield name, path, layout.stdout


def tray_menu(pid):
    """The labels of the tray's menu, top to bottom: the first exported menu that has any."""
    for _, _, layout in tray_menus(pid):
        labels = re.findall(r"'label': <'([^']*)'>", layout)
        if labels:
            return labels
    return None


def tray_click(pid, label):
    """Clicks the tray menu's item `label`, as the desktop's tray does (com.canonical.dbusmenu Event "clicked")."""
    for name, path, layout in tray_menus(pid):
        for item, text in re.findall(r"\((\d+), \{[^}]*'label': <'([^']*)'>", layout):
            if text == label:
                clicked = gdbus("--dest", name, "--object-path", path, "--method", "com.canonical.dbusmenu.Event",
                                "--", item, "clicked", "<int32 0>", "0")
                assert clicked.returncode == 0, clicked.stderr
                return
    raise AssertionError(f"no tray item {label!r}")


class App:
    """The real app launched by tauri-driver; `driver` is a selenium WebDriver on its webview."""

    def __init__(self, profile, extra_args=(), application=APP):
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": application, "args": ["--profile-dir", str(profile), *extra_args]})
        self.driver = webdriver.Remote(command_executor=os.environ["E2E_DRIVER"], options=opts)
        self.profile = profile

    def el(self, element_id):
        return self.driver.find_element(By.ID, element_id)

    def click_in_view(self, element_id):
        """Clicks a control far down a long panel (Settings) as an agent would: scrolled to the middle of the window
        first, away from the status line that sticks to the bottom."""
        el = self.el(element_id)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()

    def text(self, element_id):
        return self.driver.execute_script(f"return document.getElementById('{element_id}').textContent")

    def visible(self, element_id):
        return self.driver.execute_script(f"const e=document.getElementById('{element_id}'); return !!e && !e.closest('[hidden]')")

    def wait_text(self, element_id, needle, timeout=15.0):
        return wait_for(lambda: needle in self.text(element_id), f"#{element_id} to contain {needle!r}", timeout)

    def attribute(self, element_id, name):
        return self.driver.execute_script("const e = document.getElementById(arguments[0]); return e && e.getAttribute(arguments[1])",
                                          element_id, name)

    def wait_attribute(self, element_id, name, value, timeout=15.0):
        """Waits until #element_id's attribute `name` is `value` (a state the page names, in any language)."""
        return wait_for(lambda: self.attribute(element_id, name) == value, f"#{element_id}[{name}={value!r}]", timeout)

    def wait_state(self, state, timeout=15.0):
        """Waits for the call's state on the desk: #call-card[data-state], agent::desk::CallState as serialized
        (idle, dialing, in_call, wrap_up), whatever the words and the language the card shows."""
        assert state in ("idle", "dialing", "in_call", "wrap_up"), state
        return self.wait_attribute("call-card", "data-state", state, timeout)

    def wait_screen(self, screen, timeout=15.0):
        """Waits for one of the window's screens (signin, desk, settings, dialer, today): #app[data-screen]."""
        return self.wait_attribute("app", "data-screen", screen, timeout)

    def quit(self):
        """Ends the app and waits until it is gone and has let go of its single-instance name: a launch that met the
        old instance still leaving would hand over to it and exit (a relaunch right after a quit did, under load)."""
        found = subprocess.run(["pgrep", "-f", "--", f"--profile-dir {self.profile}"], capture_output=True, text=True)
        pids = [int(p) for p in found.stdout.split()]
        try:
            self.driver.quit()
        except Exception:
            pass

        def gone(pid):
            status = Path(f"/proc/{pid}/status")
            return not status.exists() or "zombie" in status.read_text()

        try:
            wait_for(lambda: all(gone(p) for p in pids), "the app to be gone", timeout=10)
            wait_for(single_instance_released, "the single-instance name to be released", timeout=10)
        except AssertionError:
            pass  # a test that checks this itself says so; teardown goes on


def single_instance_released():
    """True once no app holds the single-instance name on the session bus (a launch that finds it hands over)."""
    names = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                            "org.freedesktop.DBus.ListNames"], capture_output=True, text=True).stdout
    return "SingleInstance" not in names


@pytest.fixture
def launch():
    apps = []

    def start(profile, extra_args=(), application=APP):
        app = App(profile, extra_args, application)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.quit()


@pytest.fixture
def browser():
    """A plain browser window (WebKitGTK's MiniBrowser through its own WebKitWebDriver), for pages the agent opens
    in the browser: the bridge page and the simulator's portal page."""
    binary = os.environ.get("E2E_MINIBROWSER")
    assert binary, "MiniBrowser not found under /usr/lib/*/webkit2gtk-4.1/ (package libwebkit2gtk-4.1-0)"
    opts = ArgOptions()
    opts.set_capability("browserName", "MiniBrowser")
    opts.set_capability("webkitgtk:browserOptions", {"binary": binary, "args": ["--automation"]})
    driver = webdriver.Remote(command_executor=os.environ["E2E_BROWSER_DRIVER"], options=opts)
    yield driver
    try:
        driver.quit()
    except Exception:
        pass


def xdo(*args):
    return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True).stdout.strip()


def set_clipboard(text):
    subprocess.run(["xclip", "-selection", "clipboard"], input=text, text=True, check=True)


@pytest.fixture
def crm_window():
    """Another application's window with the keyboard focus (stands in for the CRM)."""
    proc = subprocess.Popen(["xmessage", "-geometry", "400x200+700+300", "-title", "CRM", "CRM window"])
    window = wait_for(lambda: xdo("search", "--onlyvisible", "--name", "^CRM$").split()[0], "the CRM window")
    xdo("windowfocus", "--sync", window)
    yield window
    proc.terminate()


def dial_and_hang_up(app, number):
    """`number` typed and dialled from the window, then hung up: the desk is in wrap-up."""
    app.el("number").send_keys(number)
    app.el("dial-btn").click()
    app.wait_state("in_call")
    app.el("hangup-btn").click()
    app.wait_state("wrap_up")


def waiting_disposition(app, sim, number, comment):
    """A call whose disposition cannot get through (the server answers 500): it waits on disk."""
    sim.faults(fail_rate=1.0, path_contains="DispositionCall")
    dial_and_hang_up(app, number)
    box = app.el("dispo-filter")
    app.driver.execute_script("document.getElementById('dispo-more').open = true;")
    app.el("dispo-comment").send_keys(comment)
    box.click()
    for key in ("1", "1", "1"):
        box.send_keys(key)
    box.send_keys(Keys.ENTER)
    app.wait_text("status", "kept on this computer")
    app.wait_state("idle")


def keychain(username):
    """What the keychain holds for the app under `username` (empty when nothing)."""
    return subprocess.run(["secret-tool", "lookup", "service", "ucontact-agent-companion", "username", username],
                          capture_output=True, text=True).stdout
