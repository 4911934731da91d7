"""The app as the agent's phone, end to end with parts no one here wrote: Debian's kamailio as the registrar over
WSS (tests/phone/sip/kamailio.sh, its own private CA), aiortc as the far end playing uContact's Asterisk
(tests/phone/farend/farend.py: it rings the agent's peer when the simulator takes AgentCall, and hangs up when it
takes HungupPhone), and the agent's headset and microphone as PipeWire null sinks (session.sh).

Covered: the header's phone light (registered; a server that is not there said in words), the agent's own dial
answered without a key, speech crossing both ways (normalised correlation with the reference >= 0.6, and the
other direction's tone absent), the hang-up ending the call through the server's BYE, and the phone off leaving
the app as it always was."""
import json
import os
import queue
import shutil
import subprocess
import zipfile
import tempfile
import threading
from pathlib import Path

import pytest

from conftest import ARTIFACTS, ROOT, SCRATCH, signed_in, wait_for, xdo

RIG = ROOT / "tests" / "phone"
PYTHON = os.environ.get("FAREND_PYTHON", str(ROOT / ".venv" / "bin" / "python"))
ANALYSIS = [PYTHON, str(RIG / "analysis" / "correlate.py")]


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def kamailio(request):
    """kamailio on loopback: {'wss', 'ca', 'dir'}."""
    work = tempfile.mkdtemp(prefix="kam", dir="/tmp")  # short: the control socket's path has a length limit
    ports = {name: str(free_port()) for name in ("WSS_PORT", "WS_PORT", "WRONG_HOST_PORT", "SIP_UDP_PORT")}
    log = open(ARTIFACTS / f"kamailio-{request.node.name}.log", "w")
    proc = subprocess.Popen(["bash", str(RIG / "sip" / "kamailio.sh"), work], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=log, text=True, env={**os.environ, **ports})
    line = proc.stdout.readline()
    assert line.startswith("READY "), f"kamailio did not start (scripts/setup-debian.sh installs it): {line!r}"
    yield {"wss": line.split()[1] + "/ws", "ca": f"{work}/ca.pem", "dir": work}
    proc.kill()
    proc.wait()


class FarEnd:
    """farend.py with JSON lines both ways; events are waited for by name."""

    def __init__(self, kamailio, args, name):
        log = open(ARTIFACTS / f"farend-{name}.log", "w")
        self.proc = subprocess.Popen(
            [PYTHON, str(RIG / "farend" / "farend.py"), "--wss", kamailio["wss"], "--ca", kamailio["ca"], *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        self.events = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait("registered")

    def _read(self):
        for line in self.proc.stdout:
            try:
                self.events.put(json.loads(line))
            except json.JSONDecodeError:
                pass

    def send(self, command):
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def wait(self, name, timeout=20.0):
        try:
            while True:
                event = self.events.get(timeout=timeout)
                self.seen.append(event)
                if event.get("event") == name:
                    return event
        except queue.Empty:
            raise AssertionError(f"the far end never said {name}; it said {self.seen}") from None

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def phone_config(kamailio):
    return f'\n[phone]\nenabled = true\nserver = "{kamailio["wss"]}"\n'


def correlate(reference, recorded, absent_tone):
    out = subprocess.run([*ANALYSIS, str(reference), str(recorded), "--absent-tone", str(absent_tone)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def keep_logs(profile, name):
    """The app's log next to the artifacts (the profile is scratch)."""
    for log in (profile / "logs").glob("*"):
        (ARTIFACTS / f"{name}-{log.name}").write_bytes(log.read_bytes())


def registered_contacts(kamailio, user="1001"):
    out = subprocess.run(["kamcmd", "-s", f"unix:{kamailio['dir']}/kamailio.ctl", "ul.lookup", "location",
                          f"{user}@127.0.0.1"], capture_output=True, text=True).stdout
    return out.count("Address:")


def test_the_phone_registers_the_header_says_so_and_sign_out_unregisters(sim, profile, launch, kamailio):
    app = signed_in(sim, profile, launch, extra_config=phone_config(kamailio), ca_certificate=kamailio["ca"])
    try:
        app.wait_attribute("phone-light", "data-state", "registered")
    finally:
        keep_logs(profile, "phone-registers")
    assert app.visible("phone-light")
    assert "Phone ready" in app.text("phone-light")
    assert registered_contacts(kamailio) == 1
    app.el("signout-btn").click()
    app.wait_screen("signin")
    wait_for(lambda: registered_contacts(kamailio) == 0, "the contact removed by the app's un-REGISTER")
    assert not app.visible("phone-light")


def test_the_support_report_of_a_phone_has_no_sip_password(sim, profile, launch, kamailio):
    app = signed_in(sim, profile, launch, extra_config=phone_config(kamailio), ca_certificate=kamailio["ca"])
    app.wait_attribute("phone-light", "data-state", "registered")
    app.el("settings-btn").click()
    wait_for(lambda: app.visible("settings"), "Settings")
    app.click_in_view("report-btn")
    app.wait_text("report-result", "Saved: ")
    path = Path(app.text("report-result").split("Saved: ", 1)[1].strip())
    with zipfile.ZipFile(path) as z:
        everything = b"".join(z.read(name) for name in z.namelist())
    assert b"phone registered" in everything, "the phone's part of the log is there"
    assert b"sip-1001" not in everything, "the SIP password (AgentLogin's secret) is never written"


def test_a_phone_server_that_is_not_there_is_said_in_words(sim, profile, launch, kamailio):
    closed = free_port()
    config = f'\n[phone]\nenabled = true\nserver = "wss://127.0.0.1:{closed}/ws"\n'
    app = signed_in(sim, profile, launch, extra_config=config, ca_certificate=kamailio["ca"])
    app.wait_attribute("phone-light", "data-state", "not_connected")
    title = app.attribute("phone-light", "title")
    assert "cannot reach the phone server" in title and "trying again" in title, title


def test_with_the_phone_off_the_app_is_as_before(sim, profile, launch):
    app = signed_in(sim, profile, launch)
    assert not app.visible("phone-light")
    assert app.attribute("phone-light", "data-state") == "off"


def test_the_own_dial_is_answered_by_itself_and_speech_crosses_both_ways(sim, profile, launch, kamailio):
    assert os.environ.get("E2E_AUDIO"), "PipeWire is not running in the test session (scripts/setup-debian.sh)"
    clips = SCRATCH / "clips"
    subprocess.run(["bash", str(RIG / "analysis" / "make_clips.sh"), str(clips)], check=True, capture_output=True)
    heard_by_farend = SCRATCH / "farend-heard.wav"
    heard_by_agent = SCRATCH / "agent-heard.wav"
    heard_while_muted = SCRATCH / "farend-heard-muted.wav"
    far = FarEnd(kamailio, ["--follow-sim", sim.url, "--play", str(clips / "farend_to_agent.wav"),
                            "--record", str(heard_by_farend)], "own-dial")
    try:
        app = signed_in(sim, profile, launch, extra_config=phone_config(kamailio), ca_certificate=kamailio["ca"])
        app.wait_attribute("phone-light", "data-state", "registered")
        recorder = subprocess.Popen(["parecord", "--device=agent_headset.monitor", "--rate=8000", "--channels=1",
                                     "--format=s16le", "--file-format=wav", str(heard_by_agent)])
        app.el("number").send_keys("099123456")
        app.el("dial-btn").click()
        # The server rang the agent's peer for AgentCall's first leg: the app answered it, no key pressed.
        far.wait("agentcall")
        answered = far.wait("answered")
        assert answered["code"] == 200
        app.wait_state("in_call")
        # The agent speaks while the far end plays its clip (about 4 s each).
        subprocess.run(["paplay", "--device=farend_voice", str(clips / "agent_to_farend.wav")], check=True)
        wait_for(lambda: heard_by_agent.exists() and heard_by_agent.stat().st_size > 8000 * 2 * 5,
                 "five seconds of the headset recorded", timeout=20)
        # Muted, the agent speaks again: the far end hears silence.
        app.el("phone-mute").click()
        app.wait_attribute("phone-mute", "aria-pressed", "true")
        far.send({"cmd": "record", "file": str(heard_while_muted)})
        far.wait("ok")
        subprocess.run(["paplay", "--device=farend_voice", str(clips / "agent_to_farend.wav")], check=True)
        app.el("hangup-btn").click()
        app.wait_state("wrap_up")
        # HungupPhone went to the server, which ended the leg with its BYE.
        ended = far.wait("ended")
        recorder.terminate()
        recorder.wait()
        assert Path(ended["record"]).exists()
    finally:
        far.stop()
    to_agent = correlate(clips / "farend_to_agent.wav", heard_by_agent, absent_tone=1300)
    to_farend = correlate(clips / "agent_to_farend.wav", heard_by_farend, absent_tone=700)
    muted = correlate(clips / "agent_to_farend.wav", heard_while_muted, absent_tone=1300)
    (ARTIFACTS / "phone-speech.json").write_text(json.dumps({"to_agent": to_agent, "to_farend": to_farend,
                                                              "muted": muted}))
    assert to_agent["ncc"] >= 0.6 and to_agent["absent_tone"]["absent"], to_agent
    assert to_farend["ncc"] >= 0.6 and to_farend["absent_tone"]["absent"], to_farend
    assert muted["recorded_rms"] < 0.005 and muted["absent_tone"]["absent"], muted


def test_a_call_the_agent_did_not_place_rings_and_the_answer_hotkey_takes_it_from_the_crm(
        sim, profile, launch, kamailio, crm_window):
    far = FarEnd(kamailio, [], "inbound")
    try:
        app = signed_in(sim, profile, launch, extra_config=phone_config(kamailio), ca_certificate=kamailio["ca"])
        app.wait_attribute("phone-light", "data-state", "registered")
        xdo("windowfocus", "--sync", crm_window)
        far.send({"cmd": "call", "to": "1001", "headers": {"X-Ucontact-Guid": "in-guid-7"}})
        far.wait("ringing")
        wait_for(lambda: app.visible("phone-ringing"), "the ringing banner")
        assert "asterisk" in app.text("phone-caller")
        # Still typing in the CRM: the answer hotkey takes the call.
        xdo("key", "ctrl+alt+a")
        assert far.wait("answered")["code"] == 200
        app.wait_state("in_call")
        assert not app.visible("phone-ringing")
        assert app.visible("phone-controls")
        # An IVR's menu: a key of the window's keypad, then a digit typed on the call card.
        app.driver.execute_script("document.getElementById('phone-keypad').open = true;")
        app.driver.find_element("css selector", '#phone-keypad [data-digit="5"]').click()
        assert far.wait("dtmf")["digit"] == "5"
        app.driver.execute_script("document.getElementById('call-card').focus();")
        app.el("call-card").send_keys("7")
        assert far.wait("dtmf")["digit"] == "7"
        # The customer hangs up: the server's BYE ends the desk's call, no "customer hung up" to press.
        far.send({"cmd": "hangup"})
        app.wait_state("wrap_up")
        wait_for(lambda: not app.visible("phone-controls"), "mute and hold gone with the call")
    finally:
        far.stop()


@pytest.fixture
def coturn(request):
    """coturn (Debian's turnserver) on loopback as the contact center's STUN/TURN server: {'url', 'log'}; user
    `agent`, password `turn-secret`, realm `test`."""
    work = Path(tempfile.mkdtemp(prefix="turn", dir="/tmp"))
    port = free_port()
    log = work / "turn.log"
    proc = subprocess.Popen(
        ["turnserver", "-n", "--listening-ip=127.0.0.1", f"--listening-port={port}", "--relay-ip=127.0.0.1",
         "--no-tls", "--no-dtls", "--no-cli", "--lt-cred-mech", "--user=agent:turn-secret", "--realm=test",
         "--allow-loopback-peers", "-V", "--simple-log", f"--log-file={log}", "--no-stdout-log",
         f"--pidfile={work}/turn.pid", f"--userdb={work}/turndb"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: log.exists() and f"UDP listener opened on: 127.0.0.1:{port}" in log.read_text(),
             "coturn listening (scripts/setup-debian.sh installs it)")
    yield {"url": f"turn:127.0.0.1:{port}", "log": log}
    proc.kill()
    proc.wait()
    shutil.copy(log, ARTIFACTS / f"coturn-{request.node.name}.log")


def test_the_phone_takes_a_relay_from_the_turn_server_with_the_keychains_password(sim, profile, launch, kamailio, coturn):
    subprocess.run(["secret-tool", "store", "--label=e2e turn", "service", "ucontact-agent-companion", "username",
                    "turn-password"], input="turn-secret", text=True, check=True)
    far = FarEnd(kamailio, ["--follow-sim", sim.url], "turn")
    try:
        config = phone_config(kamailio) + f'ice_servers = ["{coturn["url"]}"]\nturn_username = "agent"\n'
        app = signed_in(sim, profile, launch, extra_config=config, ca_certificate=kamailio["ca"])
        app.wait_attribute("phone-light", "data-state", "registered")
        app.el("number").send_keys("099123456")
        app.el("dial-btn").click()
        answer = far.wait("answered")
        assert answer["code"] == 200
        app.wait_state("in_call")
        # coturn allocated for the agent's user after its 401 (the password from the keychain was right).
        wait_for(lambda: "username=<agent>" in coturn["log"].read_text()
                 and "ALLOCATE processed, success" in coturn["log"].read_text(), "the relay allocated for the agent")
        app.el("hangup-btn").click()
        app.wait_state("wrap_up")
        far.wait("ended")
        wait_for(lambda: "username=<agent>, lifetime=0" in coturn["log"].read_text(), "the relay released at hang-up")
    finally:
        far.stop()
        subprocess.run(["secret-tool", "clear", "service", "ucontact-agent-companion", "username", "turn-password"],
                       check=False)


def test_the_ringing_notifications_answer_button_takes_the_call(sim, profile, launch, kamailio):
    far = FarEnd(kamailio, [], "inbound")
    pick = Path(os.environ["E2E_SCRATCH"]) / "dunst-pick"
    try:
        app = signed_in(sim, profile, launch, extra_config=phone_config(kamailio), ca_certificate=kamailio["ca"])
        app.wait_attribute("phone-light", "data-state", "registered")
        subprocess.run(["dunstctl", "close-all"], check=False)
        far.send({"cmd": "call", "to": "1001", "headers": {"X-Ucontact-Guid": "in-guid-8"}})
        far.wait("ringing")
        # The agent opens the notification's buttons (dunst's context menu) and picks Answer.
        pick.write_text("Answer")
        wait_for(lambda: subprocess.run(["dunstctl", "context"], check=False).returncode == 0 and app.attribute(
            "call-card", "data-state") == "in_call", "the call answered from the notification", timeout=20)
        assert far.wait("answered")["code"] == 200
        app.wait_text("call-guid", "in-guid-8")
        far.send({"cmd": "hangup"})
        app.wait_state("wrap_up")
    finally:
        pick.unlink(missing_ok=True)
        far.stop()


def test_the_hang_up_hotkey_rejects_a_call_ringing_in_the_app(sim, profile, launch, kamailio, crm_window):
    far = FarEnd(kamailio, [], "reject")
    try:
        app = signed_in(sim, profile, launch, extra_config=phone_config(kamailio), ca_certificate=kamailio["ca"])
        app.wait_attribute("phone-light", "data-state", "registered")
        xdo("windowfocus", "--sync", crm_window)
        far.send({"cmd": "call", "to": "1001"})
        far.wait("ringing")
        wait_for(lambda: app.visible("phone-ringing"), "the ringing banner")
        xdo("key", "ctrl+alt+h")
        assert far.wait("rejected")["code"] == 486
        wait_for(lambda: not app.visible("phone-ringing"), "the banner gone")
        assert app.attribute("call-card", "data-state") == "idle", "nothing went on the desk"
    finally:
        far.stop()
