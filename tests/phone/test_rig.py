"""The phone rig proves itself with no Rust code: kamailio (tests/phone/sip) between two far ends
(tests/phone/farend), one playing Asterisk (user asterisk), one playing the agent's phone (user 9999, --answer).

Run: .venv/bin/pytest tests/phone   (after scripts/setup-debian.sh)
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import ssl
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from conftest import PHONE, ROOT

sys.path.insert(0, str(PHONE / "analysis"))
sys.path.insert(0, str(PHONE / "farend"))
import correlate  # noqa: E402
import sdp  # noqa: E402
import sip  # noqa: E402


def register_once(url: str, ca: str, user: str, password: str, path: str = "/", subprotocols=("sip",),
                  check_hostname: bool = True) -> tuple[str | None, list[int], str | None]:
    """One REGISTER over a fresh WebSocket, answering the 401 once: (subprotocol, [status...], realm)."""

    async def run():
        context = None
        if url.startswith("wss:"):
            context = ssl.create_default_context(cafile=ca)
            context.check_hostname = check_hostname
        async with connect(url + path, subprotocols=list(subprotocols), ssl=context, open_timeout=5) as ws:
            statuses, realm, auth = [], None, None
            for cseq in (1, 2):
                headers = [("Via", f"SIP/2.0/WSS x.invalid;branch={sip.new_branch()};rport"),
                           ("Max-Forwards", "70"), ("From", f"<sip:{user}@127.0.0.1>;tag={sip.new_tag()}"),
                           ("To", f"<sip:{user}@127.0.0.1>"), ("Call-ID", "reg-" + user),
                           ("CSeq", f"{cseq} REGISTER"), ("Contact", f"<sip:{user}@x.invalid;transport=ws>"),
                           ("Expires", "60")]
                if auth:
                    headers.append(("Authorization", auth))
                await ws.send(sip.Message("REGISTER", "sip:127.0.0.1", headers=headers).serialize())
                reply = sip.Message.parse(await asyncio.wait_for(ws.recv(), 5))
                statuses.append(reply.status)
                if reply.status != 401:
                    break
                challenge = sip.parse_challenge(reply.get("WWW-Authenticate"))
                realm = challenge.get("realm")
                auth = sip.digest(challenge, "REGISTER", "sip:127.0.0.1", user, password)
            return ws.subprotocol, statuses, realm

    return asyncio.run(run())


def test_websocket_listeners_certificates_and_auth(rig):
    # The right certificate: trusted through ca.pem for 127.0.0.1; any path upgrades; the password is sip-USER.
    assert register_once(rig.wss, rig.ca, "1001", "sip-1001", path="/ws") == ("sip", [401, 200], "127.0.0.1")
    assert register_once(rig.wss, rig.ca, "1001", "sip-1001", path="/")[1] == [401, 200]
    # A wrong password is refused with 401 again.
    assert register_once(rig.wss, rig.ca, "1001", "wrong")[1] == [401, 401]
    # Plain WebSocket on WS_PORT.
    assert register_once(rig.ws, rig.ca, "1002", "sip-1002")[1] == [401, 200]
    # WRONG_HOST_PORT presents wrong.example's certificate (same CA): refused when the name is checked.
    with pytest.raises(ssl.SSLCertVerificationError, match="not valid for '127.0.0.1'|mismatch"):
        register_once(rig.wrong, rig.ca, "1003", "sip-1003")
    assert register_once(rig.wrong, rig.ca, "1003", "sip-1003", check_hostname=False)[1] == [401, 200]
    # No "sip" subprotocol offered: the upgrade is refused.
    with pytest.raises(InvalidStatus, match="400"):
        register_once(rig.wss, rig.ca, "1004", "sip-1004", subprotocols=())
    dump = rig.kamcmd("ul.dump")
    assert "AoR: 1001" in dump and "AoR: 1002" in dump and "AoR: 1003" in dump


def test_farend_with_a_wrong_password_sees_401(farends):
    far = farends("bad", "--user", "9998", "--password", "nope", ready=False)
    assert far.wait("register_failed", timeout=15)["code"] == 401


def test_call_speech_both_ways_dtmf_hold_resume_and_bye(rig, farends, clips, tmp_path):
    agent = farends("agent", "--user", "9999", "--answer", "--play", str(clips / "agent_to_farend.wav"),
                    "--record", str(tmp_path / "agent_heard.wav"))
    asterisk = farends("asterisk")
    asterisk.send(cmd="call", to="9999", play=str(clips / "farend_to_agent.wav"),
                  record=str(tmp_path / "farend_heard.wav"), headers={"X-Ucontact-Guid": "guid-123"})
    incoming = agent.wait("incoming")
    assert incoming["headers"] == {"X-Ucontact-Guid": "guid-123"} and incoming["from_user"] == "asterisk"
    offer = sdp.summary(incoming["sdp"])
    assert offer["proto"] == "UDP/TLS/RTP/SAVPF" and offer["setup"] == "actpass" and offer["rtcp_mux"]
    assert offer["codecs"] == ["PCMU", "PCMA", "telephone-event"] and offer["telephone_event_pt"] == 101
    assert offer["fingerprint"].startswith("sha-256 ") and offer["candidates"][0].startswith("127.0.0.1 ")
    answered = asterisk.wait("answered")
    assert answered["summary"]["setup"] in ("active", "passive") and answered["summary"]["codecs"][0] == "PCMU"
    agent.wait("confirmed")

    # Speech: both clips play from the answer; wait until both have been sent.
    asterisk.wait("played", timeout=15)
    agent.wait("played", timeout=15)

    # RFC 4733 both ways.
    asterisk.send(cmd="dtmf", digits="5#")
    assert agent.wait("dtmf")["digit"] == "5" and agent.wait("dtmf")["digit"] == "#"
    agent.send(cmd="dtmf", digits="1")
    assert asterisk.wait("dtmf")["digit"] == "1"

    # Hold and resume from the far end, then from the agent: same ICE credentials and fingerprint.
    for holder, held in ((asterisk, agent), (agent, asterisk)):
        holder.send(cmd="hold")
        assert holder.wait("held")["code"] == 200
        change = held.wait("reinvite")
        assert (change["direction"], change["answered"]) == ("sendonly", "recvonly")
        assert not change["ice_restart"] and not change["dtls_changed"]
        holder.send(cmd="resume")
        assert holder.wait("resumed")["code"] == 200
        change = held.wait("reinvite")
        assert change["direction"] == "sendrecv" and not change["ice_restart"] and not change["dtls_changed"]

    asterisk.send(cmd="hangup")
    assert asterisk.wait("ended")["code"] == 200
    assert agent.wait("ended")["by"] == "remote"

    to_agent = correlate.analyse(str(clips / "farend_to_agent.wav"), str(tmp_path / "agent_heard.wav"),
                                 absent_tone=1300)
    to_farend = correlate.analyse(str(clips / "agent_to_farend.wav"), str(tmp_path / "farend_heard.wav"),
                                  absent_tone=700)
    for result in (to_agent, to_farend):
        assert result["ncc"] >= 0.6 and result["absent_tone"]["absent"], result
        assert 0 <= result["lag_ms"] < 1000, result


def test_bye_from_the_agent_cancel_reject_and_auth_of_calls(rig, farends):
    agent = farends("agent", "--user", "9999", "--answer")
    asterisk = farends("asterisk", "--answer")
    ringing = farends("ringing", "--user", "8888")
    # The agent hangs up.
    asterisk.send(cmd="call", to="9999")
    asterisk.wait("answered")
    agent.wait("confirmed")
    agent.send(cmd="hangup")
    assert agent.wait("ended")["code"] == 200
    assert asterisk.wait("ended")["by"] == "remote"
    # CANCEL before the answer.
    asterisk.send(cmd="call", to="8888")
    asterisk.wait("ringing")
    ringing.wait("incoming")
    asterisk.send(cmd="hangup")
    assert asterisk.wait("ended")["reason"] == "cancelled"
    ended = ringing.wait("ended")
    assert (ended["by"], ended["reason"]) == ("remote", "cancelled")
    # Busy.
    asterisk.send(cmd="call", to="8888")
    ringing.wait("incoming")
    ringing.send(cmd="reject", code=486)
    assert asterisk.wait("rejected")["code"] == 486
    # A registered user (not asterisk) must authenticate its INVITE (407).
    agent.send(cmd="call", to="asterisk")
    assert agent.wait("answered")["code"] == 200
    rig.wait_log(r"407 Proxy Authentication Required \(challenge to 9999")
    agent.send(cmd="hangup")
    agent.wait("ended")
    asterisk.wait("ended")
    # CATCH_ALL=asterisk: a number no one registered goes to the far end, as every call an agent dials goes to
    # Asterisk.
    agent.send(cmd="call", to="099123456")
    asterisk.wait("incoming", to_user="099123456")
    agent.wait("answered")
    agent.send(cmd="hangup")
    asterisk.wait("ended")


def test_unknown_user_404_registered_but_gone_480(rig, farends):
    assert register_once(rig.wss, rig.ca, "7777", "sip-7777")[1] == [401, 200]  # then its WebSocket closes
    asterisk = farends("asterisk")
    asterisk.send(cmd="call", to="5555")
    assert asterisk.wait("rejected")["code"] == 404
    asterisk.send(cmd="call", to="7777")
    assert asterisk.wait("rejected")["code"] == 480


def test_qualify_options_answered(rig, farends):
    agent = farends("agent", "--user", "9999")
    assert agent.wait("options", timeout=5)["from_user"] == "qualify"
    agent.wait("options", timeout=5)

    def roundtrip() -> int:
        dump = rig.kamcmd("ul.dump")
        block = dump[dump.index("AoR: 9999"):]
        return int(re.search(r"KA-Roundtrip: (\d+)", block).group(1))

    # kamailio saw the 200 (its keepalive round trip is set).
    assert roundtrip() > 0


@pytest.mark.parametrize("how", ["clean", "abrupt"])
def test_dropped_websocket_seen_by_the_client(rig, farends, how):
    agent = farends("agent", "--user", "9999", "--answer")
    args = ["--abrupt"] if how == "abrupt" else []
    out = subprocess.run(["bash", str(PHONE / "sip" / "drop-websockets.sh"), *args, str(rig.workdir)],
                         check=True, capture_output=True, text=True, timeout=10).stdout
    assert out.strip(), "something was closed"
    closed = agent.wait("ws_closed", timeout=5)
    assert closed["code"] == (1000 if how == "clean" else None), closed
    assert agent.wait("registered", timeout=5)  # the far end reconnects and registers again
    # The new registration replaced the dead contact: a call reaches the new connection.
    asterisk = farends("asterisk")
    asterisk.send(cmd="call", to="9999")
    assert asterisk.wait("answered")["code"] == 200
    asterisk.send(cmd="hangup")
    agent.wait("ended")


def sim_binary() -> str | None:
    for candidate in (os.environ.get("SIM_BIN"), os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
                      + "/debug/integra-sim"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def test_follow_the_simulator(rig, farends):
    binary = sim_binary()
    if binary is None:
        pytest.skip("integra-sim is not built (cargo build -p integra-sim, or SIM_BIN=...)")
    sim = subprocess.Popen([binary, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
    try:
        url = sim.stdout.readline().split()[-1]

        def post(path: str, fields: dict, token: str | None = None) -> str:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if token:
                headers["Authorization"] = f"Basic {token}"
            request = urllib.request.Request(f"{url}/Integra/resources/{path}", headers=headers,
                                             data=urllib.parse.urlencode(fields).encode())
            return urllib.request.urlopen(request, timeout=5).read().decode()

        agent = farends("agent", "--user", "1001", "--answer")
        asterisk = farends("asterisk", "--follow-sim", url)
        login = json.loads(post("auth/AgentLogin", {"agent": "alice", "password": "alice-pw"}))
        assert (login["name"], login["secret"], login["transport"]) == ("1001", "sip-1001", "wss")
        guid = post("Agents/AgentCall", {"agent": "alice", "phone": "1001", "tech": "SIP", "context": "agentes",
                                         "outqueue": "Ventas->", "destination": "099123456", "callerid": ""},
                    login["md5secret"])
        assert asterisk.wait("agentcall")["guid"] == guid
        assert agent.wait("incoming")["headers"] == {"X-Ucontact-Guid": guid}
        asterisk.wait("answered")
        assert post("Agents/HungupPhone", {"phone": "1001"}, login["md5secret"]) == "1"
        asterisk.wait("sim_hangup")
        assert agent.wait("ended")["by"] == "remote"
    finally:
        sim.kill()
        sim.wait()
