#!/usr/bin/env python3
"""The phone rig's far end: a SIP user agent over WebSocket (RFC 7118) with aiortc media, playing uContact's
Asterisk towards the agent's phone (or, with --answer, a second phone that auto-answers).

Control: one JSON object per line on stdin (commands), one per line on stdout (events, each with "t", seconds of
CLOCK_MONOTONIC). Diagnostics (every SIP message's first line and Call-ID) go to stderr. See tests/phone/README.md
for the commands and events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import ssl
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import websockets  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

import media as mediamod  # noqa: E402
import sdp as sdpmod  # noqa: E402
import sip  # noqa: E402
from sip import Message  # noqa: E402

T1, T2 = 0.5, 4.0
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, NOTIFY, MESSAGE"
USER_AGENT = "uContact phone rig far end (aiortc)"


def emit(event: str, **fields) -> None:
    print(json.dumps({"event": event, "t": round(time.monotonic(), 6), **fields}), flush=True)


def log(text: str) -> None:
    print(f"farend {time.monotonic():.3f} {text}", file=sys.stderr, flush=True)


def redact(text: str) -> str:
    """A SIP message for the log, without the digest response of its (Proxy-)Authorization header."""
    return re.sub(r'(?im)^((?:proxy-)?authorization:.*?response=)"[^"]*"', r'\1"…"', text)


class ClientTx:
    def __init__(self, request: Message, on_provisional=None):
        self.request = request
        self.final: asyncio.Future = asyncio.get_running_loop().create_future()
        self.on_provisional = on_provisional


class Call:
    def __init__(self, role: str, call_id: str, local_uri: str, remote_uri: str):
        self.role, self.call_id = role, call_id
        self.local_uri, self.remote_uri = local_uri, remote_uri
        self.local_tag, self.remote_tag = sip.new_tag(), None
        self.remote_target: str | None = None
        self.route_set: list[str] = []
        self.cseq = 0
        self.state = "new"  # calling, early, confirmed, ended (cancelling while a CANCEL is out)
        self.invite: Message | None = None
        self.ack: Message | None = None       # our ACK for the 2xx, sent again on a 2xx retransmission
        self.acked = asyncio.Event()          # the other side's ACK for our 2xx
        self.media: mediamod.CallMedia | None = None
        self.record: str | None = None
        self.peer_user = sip.user_of(remote_uri)


class FarEnd:
    def __init__(self, args):
        self.args = args
        self.url = args.wss
        host = self.url.split("://", 1)[1].split("/", 1)[0]
        self.domain = host.rsplit(":", 1)[0] if ":" in host else host
        self.user, self.password = args.user, args.password or f"sip-{args.user}"
        self.via_host = secrets.token_hex(6) + ".invalid"
        self.contact = f"<sip:{self.user}@{self.via_host};transport=ws>"
        self.transport_name = "WSS" if self.url.startswith("wss:") else "WS"
        self.ws = None
        self.connected = asyncio.Event()
        self.txs: dict[tuple[str, str], ClientTx] = {}
        self.call: Call | None = None
        self.ended_calls: set[str] = set()
        self.reg_call_id, self.reg_cseq = secrets.token_hex(10), 0
        self.lose_bye = args.lose_bye
        self.quitting = False
        self.ssl = None
        if self.url.startswith("wss:"):
            self.ssl = ssl.create_default_context(cafile=args.ca) if args.ca else ssl.create_default_context()
        self.call_counter = 0
        self.registered_once = asyncio.Event()

    # --- transport -------------------------------------------------------------------------------------------
    async def connection_loop(self) -> None:
        delay = 0.2
        while not self.quitting:
            try:
                async with connect(self.url, subprotocols=["sip"], ssl=self.ssl, open_timeout=5,
                                   ping_interval=None, close_timeout=1, max_size=2**20) as ws:
                    self.ws, delay = ws, 0.2
                    self.connected.set()
                    emit("connected", url=self.url, subprotocol=ws.subprotocol)
                    if not self.args.no_register:
                        asyncio.ensure_future(self.register())
                    watcher = asyncio.ensure_future(self.watch_close(ws))
                    async for text in ws:
                        self.on_message(text if isinstance(text, str) else text.decode())
                    watcher.cancel()
                    code, reason = ws.close_code, ws.close_reason
            except (OSError, websockets.exceptions.WebSocketException, asyncio.TimeoutError) as exc:
                code, reason = None, str(exc) or type(exc).__name__
            self.connected.clear()
            self.ws = None
            if self.quitting:
                return
            emit("ws_closed", code=code, reason=reason)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    @staticmethod
    async def watch_close(ws) -> None:
        """The end of the connection is the server's close frame: kamailio closes the TCP connection only ~6 s
        after its close handshake, and websockets waits for that before it reports the close."""
        while ws.protocol.close_rcvd is None:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)  # let websockets answer the close frame
        ws.transport.abort()

    async def send(self, msg: Message) -> None:
        if self.ws is None:
            await asyncio.wait_for(self.connected.wait(), 10)
        log(f"out {msg.first_line()} call-id={msg.call_id}")
        text = msg.serialize()
        if self.args.trace:
            log("out message:\n" + redact(text))
        await self.ws.send(text)

    def on_message(self, text: str) -> None:
        if not text.strip():
            return  # keepalive CRLF
        try:
            msg = Message.parse(text)
        except (ValueError, IndexError):
            log(f"unparsable message: {text[:80]!r}")
            return
        log(f"in  {msg.first_line()} call-id={msg.call_id}")
        if self.args.trace:
            log("in message:\n" + redact(text))
        if msg.is_request:
            asyncio.ensure_future(self.on_request(msg))
        else:
            self.on_response(msg)

    # --- client transactions ---------------------------------------------------------------------------------
    def via(self, branch: str) -> str:
        return f"SIP/2.0/{self.transport_name} {self.via_host};branch={branch};rport"

    def send_request(self, req: Message, on_provisional=None) -> ClientTx:
        branch = sip.param(req.get("Via"), "branch")
        tx = ClientTx(req, on_provisional)
        if req.method != "ACK":
            self.txs[(branch, req.method)] = tx
        asyncio.ensure_future(self.send(req))
        return tx

    def on_response(self, resp: Message) -> None:
        branch = sip.param(resp.get("Via", ""), "branch")
        tx = self.txs.get((branch, resp.cseq[1]))
        if tx is None:
            return
        if resp.status < 200:
            if tx.on_provisional:
                tx.on_provisional(resp)
        elif not tx.final.done():
            tx.final.set_result(resp)
            # Kept for 32 s (64*T1) to re-ACK a retransmitted 2xx, then forgotten.
            asyncio.get_running_loop().call_later(32, self.txs.pop, (branch, resp.cseq[1]), None)
        elif 200 <= resp.status < 300 and resp.cseq[1] == "INVITE":
            call = self.call
            if call and call.ack and call.call_id == resp.call_id:
                asyncio.ensure_future(self.send(call.ack))  # a retransmitted 2xx gets the ACK again

    async def transact(self, req: Message, on_provisional=None, timeout: float = 32) -> Message | None:
        """Sends `req`, answers one 401/407 with digest credentials, returns the final response (None on timeout)."""
        for attempt in range(2):
            tx = self.send_request(req, on_provisional)
            try:
                resp = await asyncio.wait_for(asyncio.shield(tx.final), timeout)
            except asyncio.TimeoutError:
                return None
            if resp.status not in (401, 407) or attempt == 1:
                return resp
            if req.method == "INVITE":
                await self.send(self.ack_for_failure(req, resp))
            header = "WWW-Authenticate" if resp.status == 401 else "Proxy-Authenticate"
            challenge = sip.parse_challenge(resp.get(header, ""))
            req = self.clone_with_auth(req, resp.status, challenge)
        return resp

    def clone_with_auth(self, req: Message, status: int, challenge: dict) -> Message:
        number, method = req.cseq
        headers = [(n, v) for n, v in req.headers
                   if n.lower() not in ("via", "cseq", "authorization", "proxy-authorization")]
        headers.insert(0, ("Via", self.via(sip.new_branch())))
        headers.append(("CSeq", f"{number + 1} {method}"))
        name = "Authorization" if status == 401 else "Proxy-Authorization"
        headers.append((name, sip.digest(challenge, method, req.uri, self.user, self.password)))
        new = Message(method=req.method, uri=req.uri, headers=headers, body=req.body)
        if self.call and self.call.invite is req:
            self.call.invite, self.call.cseq = new, number + 1
        return new

    def ack_for_failure(self, invite: Message, resp: Message) -> Message:
        """The ACK of a non-2xx final response: same branch as the INVITE (RFC 3261 §17.1.1.3)."""
        headers = [("Via", invite.get("Via")), ("Max-Forwards", "70")]
        headers += [("Route", r) for r in invite.all("Route")]
        headers += [("From", invite.get("From")), ("To", resp.get("To")), ("Call-ID", invite.call_id),
                    ("CSeq", f"{invite.cseq[0]} ACK")]
        return Message(method="ACK", uri=invite.uri, headers=headers)

    # --- registration ----------------------------------------------------------------------------------------
    async def register(self, expires: int | None = None) -> None:
        expires = self.args.expires if expires is None else expires
        self.reg_cseq += 1
        aor = f"sip:{self.user}@{self.domain}"
        req = Message(method="REGISTER", uri=f"sip:{self.domain}", headers=[
            ("Via", self.via(sip.new_branch())), ("Max-Forwards", "70"),
            ("From", f"<{aor}>;tag={sip.new_tag()}"), ("To", f"<{aor}>"), ("Call-ID", self.reg_call_id),
            ("CSeq", f"{self.reg_cseq} REGISTER"), ("Contact", f"{self.contact};expires={expires}"),
            ("Expires", str(expires)), ("Allow", ALLOW), ("User-Agent", USER_AGENT)])
        resp = await self.transact(req, timeout=10)
        self.registered_once.set()
        if resp is not None:
            self.reg_cseq = max(self.reg_cseq, resp.cseq[0])
        if resp is not None and 200 <= resp.status < 300:
            emit("registered" if expires else "unregistered", user=self.user, expires=expires)
            if expires and not self.quitting:
                asyncio.get_running_loop().call_later(expires / 2, lambda: asyncio.ensure_future(self.register()))
        else:
            emit("register_failed", user=self.user, code=resp.status if resp else None,
                 reason=resp.reason if resp else "timeout")

    # --- requests within a dialog ----------------------------------------------------------------------------
    def in_dialog(self, call: Call, method: str, body: str = "", cseq: int | None = None,
                  branch: str | None = None) -> Message:
        if cseq is None:
            call.cseq += 1
            cseq = call.cseq
        headers = [("Via", self.via(branch or sip.new_branch())), ("Max-Forwards", "70")]
        headers += [("Route", r) for r in call.route_set]
        headers += [("From", f"<{call.local_uri}>;tag={call.local_tag}"),
                    ("To", f"<{call.remote_uri}>" + (f";tag={call.remote_tag}" if call.remote_tag else "")),
                    ("Call-ID", call.call_id), ("CSeq", f"{cseq} {method}"), ("User-Agent", USER_AGENT)]
        if method in ("INVITE", "UPDATE"):
            headers += [("Contact", self.contact), ("Allow", ALLOW)]
        if body:
            headers.append(("Content-Type", "application/sdp"))
        return Message(method=method, uri=call.remote_target, headers=headers, body=body)

    async def end_call(self, call: Call, by: str, **fields) -> None:
        if call.state == "ended":
            return
        call.state = "ended"
        self.ended_calls.add(call.call_id)
        record = None
        if call.media is not None:
            record = call.media.recorder.path if call.media.recorder else None
            await call.media.close()
        if self.call is call:
            self.call = None
        emit("ended", by=by, call_id=call.call_id, record=record, **fields)

    # --- commands --------------------------------------------------------------------------------------------
    async def cmd_call(self, cmd: dict) -> None:
        if self.call is not None:
            emit("error", cmd="call", message="a call is already up (one call at a time)")
            return
        to = str(cmd["to"])
        target = to if to.startswith("sip:") else f"sip:{to}@{self.domain}"
        call = Call("uac", secrets.token_hex(12), f"sip:{self.user}@{self.domain}", target)
        call.remote_target, call.record = target, cmd.get("record")
        self.call = call
        call.media = mediamod.CallMedia(self.call_event(call), cmd.get("play"),
                                        cmd.get("codecs") or self.args.codecs, cmd.get("bundle", self.args.bundle))
        offer = await call.media.offer()
        invite = self.in_dialog(call, "INVITE", body=offer)
        for name, value in (cmd.get("headers") or {}).items():
            invite.headers.append((name, str(value)))
        if cmd.get("display"):
            invite.set("From", f"\"{cmd['display']}\" <{call.local_uri}>;tag={call.local_tag}")
        call.invite, call.state = invite, "calling"
        emit("calling", to=to, call_id=call.call_id, sdp=offer)

        def provisional(resp: Message) -> None:
            if resp.status == 100:
                emit("trying", code=100)
            else:
                if call.state == "calling":
                    call.state = "early"
                emit("ringing", code=resp.status, reason=resp.reason, sdp=resp.body or None)

        resp = await self.transact(invite, provisional, timeout=90)
        if resp is None:
            await self.end_call(call, "local", reason="INVITE timed out")
            return
        if 200 <= resp.status < 300:
            await self.confirm(call, resp)
            if call.state == "cancelling":  # the 200 crossed our CANCEL
                await self.bye(call)
            return
        await self.send(self.ack_for_failure(call.invite, resp))
        if call.state == "cancelling":
            await self.end_call(call, "local", reason="cancelled", code=resp.status)
        else:
            emit("rejected", code=resp.status, reason=resp.reason, call_id=call.call_id)
            await self.end_call(call, "remote", reason="rejected", code=resp.status)

    async def confirm(self, call: Call, resp: Message) -> None:
        call.remote_tag = sip.param(resp.get("To"), "tag")
        contact = resp.get("Contact")
        if contact:
            call.remote_target = sip.uri_of(contact)
        call.route_set = list(reversed(resp.all("Record-Route")))
        call.ack = self.in_dialog(call, "ACK", cseq=call.invite.cseq[0])
        await self.send(call.ack)
        was_cancelling = call.state == "cancelling"
        call.state = "confirmed"
        try:
            await call.media.accept_answer(resp.body)
        except Exception as exc:  # aiortc refuses the answer: a profile mismatch the test must see
            emit("error", cmd="call", message=f"aiortc refused the answer: {exc}", sdp=resp.body)
            await self.bye(call)
            return
        call.media.record(call.record)
        emit("answered", code=resp.status, call_id=call.call_id, sdp=resp.body,
             summary=sdpmod.summary(resp.body), headers=self.x_headers(resp))
        if was_cancelling:
            call.state = "cancelling"

    async def bye(self, call: Call) -> None:
        if call.state == "ended":
            return
        req = self.in_dialog(call, "BYE")
        call.state = "ending"
        if call.media:
            call.media.sending = False
        resp = await self.transact(req, timeout=15)
        await self.end_call(call, "local", code=resp.status if resp else None,
                            reason=resp.reason if resp else "no answer to BYE")

    async def cmd_hangup(self, cmd: dict) -> None:
        call = self.call
        if call is None:
            emit("error", cmd="hangup", message="no call")
        elif call.role == "uac" and call.state in ("calling", "early"):
            call.state = "cancelling"
            invite = call.invite
            headers = [("Via", invite.get("Via")), ("Max-Forwards", "70")]
            headers += [("Route", r) for r in invite.all("Route")]
            headers += [("From", invite.get("From")), ("To", invite.get("To")), ("Call-ID", call.call_id),
                        ("CSeq", f"{invite.cseq[0]} CANCEL")]
            await self.transact(Message(method="CANCEL", uri=invite.uri, headers=headers), timeout=10)
        elif call.role == "uas" and call.state == "early":
            code = int(cmd.get("code", 486))
            await self.send(sip.response(call.invite, code, "Busy Here" if code == 486 else "Declined",
                                         call.local_tag))
            await self.end_call(call, "local", reason="declined", code=code)
        else:
            await self.bye(call)

    async def cmd_reinvite(self, cmd: dict, direction: str, event: str) -> None:
        call = self.call
        if call is None or call.state != "confirmed":
            emit("error", cmd=cmd["cmd"], message="no confirmed call")
            return
        offer = call.media.reoffer(direction)
        req = self.in_dialog(call, "INVITE", body=offer)
        resp = await self.transact(req, timeout=32)
        if resp is None:
            emit("error", cmd=cmd["cmd"], message="re-INVITE timed out")
            return
        if 200 <= resp.status < 300:
            ack = self.in_dialog(call, "ACK", cseq=req.cseq[0])
            call.ack = ack
            await self.send(ack)
            change = call.media.accept_reanswer(resp.body) if resp.body else {}
            emit(event, code=resp.status, sdp=resp.body, **change)
        else:
            await self.send(self.ack_for_failure(req, resp))
            emit(event, code=resp.status, reason=resp.reason)

    async def cmd_dtmf(self, cmd: dict) -> None:
        call = self.call
        if call is None or call.state != "confirmed":
            emit("error", cmd="dtmf", message="no confirmed call")
            return
        try:
            await call.media.send_dtmf(str(cmd["digits"]), int(cmd.get("duration_ms", 100)))
            emit("dtmf_sent", digits=str(cmd["digits"]))
        except (ValueError, asyncio.TimeoutError) as exc:
            emit("error", cmd="dtmf", message=str(exc) or "timed out")

    async def cmd_answer(self, cmd: dict) -> None:
        call = self.call
        if call is None or call.role != "uas" or call.state != "early":
            emit("error", cmd="answer", message="no ringing incoming call")
            return
        await self.answer_call(call, cmd.get("play"), cmd.get("record"), cmd.get("codecs"))

    async def command(self, cmd: dict) -> None:
        name = cmd.get("cmd")
        call = self.call
        try:
            if name == "call":
                await self.cmd_call(cmd)
            elif name == "hangup":
                await self.cmd_hangup(cmd)
            elif name == "hold":
                await self.cmd_reinvite(cmd, "sendonly", "held")
            elif name == "resume":
                await self.cmd_reinvite(cmd, "sendrecv", "resumed")
            elif name == "dtmf":
                await self.cmd_dtmf(cmd)
            elif name == "answer":
                await self.cmd_answer(cmd)
            elif name == "reject":
                await self.cmd_hangup({"code": cmd.get("code", 486)})
            elif name == "play" and call and call.media:
                call.media.track.set_clip(cmd.get("file"))
                emit("ok", cmd=name)
            elif name == "record" and call and call.media:
                call.media.record(cmd.get("file"))
                emit("ok", cmd=name)
            elif name == "rtp_log" and call and call.media:
                call.media.rtp_log_to(cmd.get("file"))
                emit("ok", cmd=name)
            elif name == "lose_bye":
                self.lose_bye = bool(cmd.get("on", True))
                emit("ok", cmd=name, on=self.lose_bye)
            elif name == "drop" and call:
                # Vanish from the call: no BYE, media stopped (the agent must notice by itself).
                await self.end_call(call, "drop")
            elif name == "disconnect" and self.ws is not None:
                self.ws.transport.abort()  # the connection dies without a close frame; we reconnect
                emit("ok", cmd=name)
            elif name == "register":
                await self.register(int(cmd.get("expires", self.args.expires)))
            elif name == "quit":
                await self.quit()
            else:
                emit("error", cmd=name, message="unknown command or no call for it")
        except Exception as exc:  # a test tool: report, keep running
            log(f"command {name} failed: {exc!r}")
            emit("error", cmd=name, message=repr(exc))

    async def quit(self) -> None:
        """Hangs up and unregisters, waiting at most 2 s for each answer, and exits."""
        for step in (lambda: self.cmd_hangup({}) if self.call is not None else asyncio.sleep(0),
                     lambda: self.register(0) if not self.args.no_register and self.ws is not None
                     else asyncio.sleep(0)):
            try:
                await asyncio.wait_for(step(), 2)
            except (asyncio.TimeoutError, OSError, websockets.exceptions.WebSocketException):
                pass
        self.quitting = True
        if self.ws is not None:
            await self.ws.close()
        emit("quit")
        os._exit(0)

    # --- requests from the other side ------------------------------------------------------------------------
    def call_event(self, call: Call):
        def event(name: str, **fields) -> None:
            emit(name, call_id=call.call_id, **fields)
        return event

    @staticmethod
    def x_headers(msg: Message) -> dict:
        return {n: v for n, v in msg.headers if n.lower().startswith("x-")}

    async def reply(self, req: Message, status: int, reason: str, call: Call | None = None,
                    body: str = "", extra: list | None = None) -> Message:
        headers = list(extra or [])
        if body:
            headers += [("Contact", self.contact), ("Allow", ALLOW), ("Content-Type", "application/sdp")]
        resp = sip.response(req, status, reason, call.local_tag if call else None, headers, body)
        await self.send(resp)
        return resp

    async def on_request(self, req: Message) -> None:
        method = req.method
        call = self.call if self.call and self.call.call_id == req.call_id else None
        if method == "ACK":
            if call is not None:
                call.acked.set()
            return
        if method == "OPTIONS":
            emit("options", from_user=sip.user_of(req.get("From", "")), call_id=req.call_id)
            await self.reply(req, 200, "OK", extra=[("Allow", ALLOW), ("Accept", "application/sdp")])
        elif method == "INVITE" and sip.param(req.get("To", ""), "tag") is None:
            await self.incoming(req)
        elif call is None:
            await self.reply(req, 481, "Call/Transaction Does Not Exist")
        elif method == "CANCEL":
            await self.reply(req, 200, "OK", call)
            if call.role == "uas" and call.state == "early":
                await self.send(sip.response(call.invite, 487, "Request Terminated", call.local_tag))
                await self.end_call(call, "remote", reason="cancelled")
        elif method == "BYE":
            if self.lose_bye:
                emit("bye_ignored", call_id=call.call_id)
                return
            await self.reply(req, 200, "OK", call)
            await self.end_call(call, "remote", reason="BYE")
        elif method == "INVITE":
            await self.reinvite(call, req)
        elif method == "INFO":
            body = req.body or ""
            if "signal=" in body.lower():
                digit = body.lower().split("signal=", 1)[1].split()[0].strip().upper()
                emit("dtmf", digit=digit, via="info", call_id=call.call_id)
            await self.reply(req, 200, "OK", call)
        elif method in ("UPDATE", "NOTIFY", "MESSAGE"):
            await self.reply(req, 200, "OK", call)
        else:
            await self.reply(req, 405, "Method Not Allowed", extra=[("Allow", ALLOW)])

    async def incoming(self, req: Message) -> None:
        if self.call is not None:
            await self.reply(req, 486, "Busy Here", extra=[])
            return
        call = Call("uas", req.call_id, sip.uri_of(req.get("To")), sip.uri_of(req.get("From")))
        call.remote_tag = sip.param(req.get("From"), "tag")
        call.remote_target = sip.uri_of(req.get("Contact", req.get("From")))
        call.route_set = req.all("Record-Route")
        call.invite, call.state = req, "early"
        self.call = call
        emit("incoming", call_id=call.call_id, from_user=call.peer_user, to_user=sip.user_of(req.get("To")),
             headers=self.x_headers(req), sdp=req.body)
        await self.send(sip.response(req, 180, "Ringing", call.local_tag, [("Contact", self.contact)]))
        if self.args.answer:
            if self.args.answer_after:
                await asyncio.sleep(self.args.answer_after)  # a ring time the test asked for
            if call.state == "early":
                self.call_counter += 1
                record = self.args.record.replace("{n}", str(self.call_counter)) if self.args.record else None
                await self.answer_call(call, self.args.play, record, None)

    async def answer_call(self, call: Call, play: str | None, record: str | None, codecs) -> None:
        call.media = mediamod.CallMedia(self.call_event(call), play, codecs or self.args.codecs, False)
        try:
            answer = await call.media.answer(call.invite.body)
        except Exception as exc:
            emit("error", cmd="answer", message=f"cannot answer the offer: {exc}", sdp=call.invite.body)
            await self.send(sip.response(call.invite, 488, "Not Acceptable Here", call.local_tag))
            await self.end_call(call, "local", reason="offer refused", code=488)
            return
        call.state = "confirmed"
        call.media.record(record)
        emit("answered", code=200, call_id=call.call_id, sdp=call.invite.body, local_sdp=answer,
             summary=sdpmod.summary(call.invite.body))
        await self.send_2xx_until_ack(call, call.invite, answer)

    async def send_2xx_until_ack(self, call: Call, req: Message, body: str) -> None:
        """RFC 3261 §13.3.1.4: the 2xx goes again (T1, doubling to T2) until the ACK; 32 s without one ends the call."""
        call.acked.clear()
        resp = sip.response(req, 200, "OK", call.local_tag,
                            [("Contact", self.contact), ("Allow", ALLOW), ("Content-Type", "application/sdp")],
                            body)
        interval, deadline = T1, time.monotonic() + 64 * T1
        await self.send(resp)
        while not call.acked.is_set():
            try:
                await asyncio.wait_for(call.acked.wait(), interval)
            except asyncio.TimeoutError:
                if time.monotonic() > deadline or call.state == "ended":
                    emit("error", message="no ACK for our 200 OK", call_id=call.call_id)
                    await self.bye(call)
                    return
                interval = min(interval * 2, T2)
                await self.send(resp)
        emit("confirmed", call_id=call.call_id)

    async def reinvite(self, call: Call, req: Message) -> None:
        if req.get("Contact"):
            call.remote_target = sip.uri_of(req.get("Contact"))
        if not req.body:  # an offerless re-INVITE: offer what we have (the ACK's answer is not applied)
            await self.send_2xx_until_ack(call, req, call.media.local_wire)
            emit("reinvite", call_id=call.call_id, direction=None, sdp=None)
            return
        answer, change = call.media.reanswer(req.body)
        emit("reinvite", call_id=call.call_id, sdp=req.body, **change)
        await self.send_2xx_until_ack(call, req, answer)

    # --- following the simulator -----------------------------------------------------------------------------
    async def follow_sim(self, base: str, ready: asyncio.Event) -> None:
        """Rings the agent for each AgentCall the simulator accepted, as Asterisk rings the agent's peer for the
        first leg of a two-step dial; hangs up when the simulator took HungupPhone for that extension."""
        start_us, seq = int(time.time() * 1e6), 0
        while not self.quitting:
            try:
                url = f"{base.rstrip('/')}/_sim/journal?after={seq}"
                body = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
                entries = json.loads(body)
            except Exception as exc:  # the simulator restarting: try again
                log(f"journal poll failed: {exc!r}")
                await asyncio.sleep(0.5)
                continue
            for entry in entries:
                seq = max(seq, entry["seq"])
                if entry.get("received_us", start_us) < start_us or entry.get("status") != 200:
                    continue
                form = dict(entry.get("form") or [])
                answer = (entry.get("response") or "").strip()
                if entry["path"].endswith(("/Agents/AgentCall", "/Agents/AgentCallwithData")):
                    if answer and answer != "0":
                        phone = form.get("phone", "")
                        emit("agentcall", guid=answer, phone=phone, seq=entry["seq"],
                             destination=form.get("destination"))
                        fill = lambda s: s.replace("{guid}", answer) if s else s  # noqa: E731
                        asyncio.ensure_future(self.command({
                            "cmd": "call", "to": phone, "headers": {"X-Ucontact-Guid": answer},
                            "play": fill(self.args.play), "record": fill(self.args.record)}))
                elif entry["path"].endswith(("/Agents/HungupPhone", "/Agents/HangupPhone")) and answer == "1":
                    call = self.call
                    if call is not None and call.role == "uac" and call.peer_user == form.get("phone"):
                        emit("sim_hangup", phone=form.get("phone"), call_id=call.call_id)
                        asyncio.ensure_future(self.command({"cmd": "hangup"}))
            ready.set()
            await asyncio.sleep(self.args.poll)

    # --- main ------------------------------------------------------------------------------------------------
    async def read_commands(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                await self.quit()  # stdin closed: the test is done with us
                return
            if not line.strip():
                continue
            try:
                cmd = json.loads(line)
            except json.JSONDecodeError as exc:
                emit("error", message=f"not JSON: {exc}")
                continue
            asyncio.ensure_future(self.command(cmd))

    async def run(self) -> None:
        mediamod.use_ice_address(self.args.ice_ip)
        asyncio.ensure_future(self.connection_loop())
        try:
            await asyncio.wait_for(self.connected.wait(), 15)
            if not self.args.no_register:
                await asyncio.wait_for(self.registered_once.wait(), 15)
        except asyncio.TimeoutError:
            emit("error", message=f"no WebSocket to {self.url} or no answer to REGISTER within 15 s")
            os._exit(1)
        if self.args.follow_sim:
            sim_ready = asyncio.Event()
            asyncio.ensure_future(self.follow_sim(self.args.follow_sim, sim_ready))
            await sim_ready.wait()
        emit("ready", user=self.user, contact=self.contact, answer=self.args.answer,
             follow_sim=self.args.follow_sim)
        await self.read_commands()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wss", required=True, help="wss://127.0.0.1:PORT (ws:// also works)")
    parser.add_argument("--ca", help="CA certificate (PEM) to trust for wss://")
    parser.add_argument("--user", default="asterisk")
    parser.add_argument("--password", help="digest password (default sip-USER)")
    parser.add_argument("--no-register", action="store_true", help="do not REGISTER")
    parser.add_argument("--expires", type=int, default=600)
    parser.add_argument("--answer", action="store_true", help="answer incoming INVITEs at once (after 180)")
    parser.add_argument("--answer-after", type=float, default=0.0, help="ring this long before answering")
    parser.add_argument("--play", help="WAV to play in answered/followed calls ({guid} is replaced)")
    parser.add_argument("--record", help="WAV to record answered/followed calls to ({n}, {guid} are replaced)")
    parser.add_argument("--codecs", type=lambda s: s.split(","), default=["PCMU", "PCMA"],
                        help="comma-separated, in offer order: PCMU,PCMA,opus")
    parser.add_argument("--bundle", action="store_true", help="offer a=mid:0 and a=group:BUNDLE (pjsip style)")
    parser.add_argument("--lose-bye", action="store_true", help="never answer the other side's BYE")
    parser.add_argument("--follow-sim", help="http://127.0.0.1:PORT of integra-sim: ring the agent per AgentCall")
    parser.add_argument("--poll", type=float, default=0.1, help="journal poll interval (s)")
    parser.add_argument("--ice-ip", default="127.0.0.1", help="the one address of our ICE host candidate")
    parser.add_argument("--trace", action="store_true", help="log whole SIP messages to stderr (digest responses cut)")
    args = parser.parse_args()
    try:
        asyncio.run(FarEnd(args).run())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
