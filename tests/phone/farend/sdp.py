"""SDP for the far end: what goes on the wire (shaped like Asterisk's offer to a WebRTC peer) and what aiortc is fed.

aiortc writes and reads SDP the browser way (BUNDLE, a=mid, header extensions, three fingerprints). The far end
plays uContact's Asterisk, so the SDP it sends is rewritten from aiortc's: one audio section, PCMU 0 / PCMA 8 and
telephone-event 101, a sha-256 fingerprint, a=setup:actpass, rtcp-mux, ICE host candidates, no a=mid unless
asked for (chan_sip sends none; pjsip with bundle does). What the other side sends is normalised before aiortc
reads it (a=mid added, rtpmap lines for static payload types, codecs in m= line order, end-of-candidates).
"""

from __future__ import annotations

from dataclasses import dataclass, field

DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")
STATIC = {0: "PCMU/8000", 8: "PCMA/8000", 9: "G722/8000"}
# The far end's payload types, as Asterisk numbers them.
OFFER_CODECS = {"PCMU": (0, "PCMU/8000", None), "PCMA": (8, "PCMA/8000", None),
                "opus": (111, "opus/48000/2", "minptime=10;useinbandfec=1")}
TELEPHONE_EVENT_PT = 101


@dataclass
class Media:
    """One m= section: its line and its other lines, in order."""
    kind: str
    port: int
    proto: str
    fmts: list[str]
    lines: list[str] = field(default_factory=list)  # every line after m=, without the "a=" stripped

    def attrs(self, name: str) -> list[str]:
        prefix = f"a={name}:"
        return [line[len(prefix):] for line in self.lines if line.startswith(prefix)] + \
            [""] * sum(1 for line in self.lines if line == f"a={name}")

    def attr(self, name: str) -> str | None:
        values = self.attrs(name)
        return values[0] if values else None


@dataclass
class Sdp:
    session: list[str]
    media: list[Media]

    @classmethod
    def parse(cls, text: str) -> "Sdp":
        session: list[str] = []
        media: list[Media] = []
        for line in text.replace("\r\n", "\n").split("\n"):
            line = line.strip()
            if not line:
                continue
            if line.startswith("m="):
                kind, port, proto, *fmts = line[2:].split()
                media.append(Media(kind, int(port.split("/")[0]), proto, fmts))
            elif media:
                media[-1].lines.append(line)
            else:
                session.append(line)
        return cls(session, media)

    def session_attr(self, name: str) -> str | None:
        prefix = f"a={name}:"
        return next((line[len(prefix):] for line in self.session if line.startswith(prefix)), None)

    def audio(self) -> Media:
        return next(m for m in self.media if m.kind == "audio")


def direction(media: Media, sdp: Sdp | None = None) -> str:
    for line in media.lines:
        if line[2:] in DIRECTIONS:
            return line[2:]
    if sdp is not None:
        for line in sdp.session:
            if line[2:] in DIRECTIONS:
                return line[2:]
    return "sendrecv"


def answer_direction(offered: str) -> str:
    """The direction an answer takes for an offered one (RFC 3264 §6.1)."""
    return {"sendonly": "recvonly", "recvonly": "sendonly", "inactive": "inactive"}.get(offered, "sendrecv")


def rtpmaps(media: Media) -> dict[int, str]:
    maps = {}
    for value in media.attrs("rtpmap"):
        pt, desc = value.split(" ", 1)
        maps[int(pt)] = desc
    for fmt in media.fmts:
        if fmt.isdigit() and int(fmt) in STATIC and int(fmt) not in maps:
            maps[int(fmt)] = STATIC[int(fmt)]
    return maps


def summary(text: str) -> dict:
    """The facts tests look at: ICE credentials, fingerprint, setup, direction, codecs, DTMF payload type."""
    sdp = Sdp.parse(text)
    audio = sdp.audio()
    maps = rtpmaps(audio)
    fingerprint = audio.attr("fingerprint") or sdp.session_attr("fingerprint")
    candidates = audio.attrs("candidate")
    return {
        "proto": audio.proto,
        "ice_ufrag": audio.attr("ice-ufrag") or sdp.session_attr("ice-ufrag"),
        "ice_pwd": audio.attr("ice-pwd") or sdp.session_attr("ice-pwd"),
        "fingerprint": fingerprint,
        "setup": audio.attr("setup") or sdp.session_attr("setup"),
        "direction": direction(audio, sdp),
        "rtcp_mux": audio.attr("rtcp-mux") is not None,
        "codecs": [maps.get(int(f), f).split("/")[0] for f in audio.fmts if f.isdigit()],
        "telephone_event_pt": telephone_event_pt(audio),
        "candidates": [" ".join(c.split()[4:6]) + " " + c.split()[7] for c in candidates if len(c.split()) > 7],
        "mid": audio.attr("mid"),
    }


def telephone_event_pt(media: Media) -> int | None:
    return next((pt for pt, desc in rtpmaps(media).items() if desc.lower().startswith("telephone-event/8000")), None)


def write(session_version: int, session_id: int, audio_port: int, ip: str, fmts: list[str], lines: list[str],
          bundle_mid: str | None) -> str:
    out = ["v=0", f"o=- {session_id} {session_version} IN IP4 {ip}", "s=Asterisk", f"c=IN IP4 {ip}", "t=0 0"]
    if bundle_mid is not None:
        out += [f"a=group:BUNDLE {bundle_mid}", "a=msid-semantic:WMS *"]
    out.append(f"m=audio {audio_port} UDP/TLS/RTP/SAVPF {' '.join(fmts)}")
    out += lines
    return "\r\n".join(out) + "\r\n"


def wire(local_aiortc_sdp: str, *, session_id: int, version: int, codecs: list[tuple[int, str, str | None]],
         telephone_event: int | None, dir_: str, setup: str, mid: str | None) -> str:
    """Our SDP for the wire, from aiortc's local description: its ICE credentials, candidates and sha-256
    fingerprint, with the codecs, DTMF type, direction and setup role given."""
    local = Sdp.parse(local_aiortc_sdp)
    audio = local.audio()
    ip = next((line.split()[-1] for line in audio.lines if line.startswith("c=")), "127.0.0.1")
    fingerprint = next(f for f in audio.attrs("fingerprint") if f.lower().startswith("sha-256 "))
    ssrc = next((s for s in audio.attrs("ssrc") if " cname:" in s), None)
    lines = []
    if mid is not None:
        lines.append(f"a=mid:{mid}")
    lines += [f"a=setup:{setup}", f"a=fingerprint:{fingerprint}",
              f"a=ice-ufrag:{audio.attr('ice-ufrag')}", f"a=ice-pwd:{audio.attr('ice-pwd')}"]
    lines += [f"a=candidate:{c}" for c in audio.attrs("candidate")]
    fmts = []
    for pt, desc, fmtp in codecs:
        fmts.append(str(pt))
        lines.append(f"a=rtpmap:{pt} {desc}")
        if fmtp:
            lines.append(f"a=fmtp:{pt} {fmtp}")
    if telephone_event is not None:
        fmts.append(str(telephone_event))
        lines += [f"a=rtpmap:{telephone_event} telephone-event/8000", f"a=fmtp:{telephone_event} 0-16"]
    lines += ["a=ptime:20", "a=maxptime:150", f"a={dir_}", "a=rtcp-mux"]
    if ssrc:
        lines.append(f"a=ssrc:{ssrc}")
    return write(version, session_id, audio.port, ip, fmts, lines, mid if mid is not None else None)


def for_aiortc(remote: str, mid: str) -> str:
    """The other side's SDP as aiortc can read it: the audio section with our mid, rtpmap lines for static payload
    types, codecs in the m= line's order (aiortc takes rtpmap order), end-of-candidates (SIP does not trickle),
    session-level ICE/DTLS attributes copied into the section. Other sections are dropped."""
    sdp = Sdp.parse(remote)
    audio = sdp.audio()
    maps = rtpmaps(audio)
    keep = []
    for line in audio.lines:
        if line.startswith(("a=rtpmap:", "a=fmtp:", "a=mid:", "a=end-of-candidates", "a=extmap:", "a=msid:")):
            continue
        if line.startswith("a=ssrc:") and ":" not in line[7:].split(" ", 1)[-1]:
            continue  # aiortc wants "a=ssrc:N attr:value"
        keep.append(line)
    for name in ("ice-ufrag", "ice-pwd", "fingerprint", "setup", "ice-lite"):
        value = sdp.session_attr(name)
        if value is not None and audio.attr(name) is None:
            keep.append(f"a={name}:{value}")
    fmtps = {int(v.split(" ", 1)[0]): v for v in audio.attrs("fmtp") if v.split(" ", 1)[0].isdigit()}
    fmts = [f for f in audio.fmts if f.isdigit() and int(f) in maps]
    for f in fmts:
        keep.append(f"a=rtpmap:{f} {maps[int(f)]}")
        if int(f) in fmtps:
            keep.append(f"a=fmtp:{fmtps[int(f)]}")
    keep += [f"a=mid:{mid}", "a=end-of-candidates"]
    session = [line for line in sdp.session if not line.startswith(("a=group:", "a=msid-semantic"))]
    session.append(f"a=group:BUNDLE {mid}")
    lines = session + [f"m=audio {audio.port} {audio.proto} {' '.join(fmts)}"] + keep
    return "\r\n".join(lines) + "\r\n"


def with_direction(text: str, dir_: str, version: int, setup: str | None = None) -> str:
    """The same SDP with another direction (and optionally setup) and a new o= version."""
    out = []
    for line in text.replace("\r\n", "\n").strip().split("\n"):
        if line.startswith("o="):
            parts = line.split()
            parts[2] = str(version)
            line = " ".join(parts)
        elif line[2:] in DIRECTIONS and line.startswith("a="):
            line = f"a={dir_}"
        elif setup is not None and line.startswith("a=setup:"):
            line = f"a=setup:{setup}"
        out.append(line)
    return "\r\n".join(out) + "\r\n"
