"""SIP messages for the far end: parse, build, digest authentication (RFC 3261, RFC 2617 with qop=auth).

Only what a user agent over one WebSocket needs: no DNS, no transport choice (everything goes on the socket).
"""

from __future__ import annotations

import hashlib
import re
import secrets

COMPACT = {"i": "call-id", "f": "from", "t": "to", "v": "via", "m": "contact", "l": "content-length",
           "c": "content-type", "k": "supported", "s": "subject", "e": "content-encoding"}
# Headers whose comma-separated values are separate entries.
MULTI = {"via", "route", "record-route", "contact"}


def new_tag() -> str:
    return secrets.token_hex(5)


def new_branch() -> str:
    return "z9hG4bK" + secrets.token_hex(8)


def split_commas(value: str) -> list[str]:
    """Splits a header value on commas outside quotes and angle brackets."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == '"' and (i == 0 or value[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and ch == "<":
            depth += 1
        elif not quoted and ch == ">":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            parts.append(value[start:i].strip())
            start = i + 1
    parts.append(value[start:].strip())
    return [p for p in parts if p]


class Message:
    """A request (method, uri) or a response (status, reason), headers in order, body."""

    def __init__(self, method: str | None = None, uri: str | None = None, status: int | None = None,
                 reason: str = "", headers: list[tuple[str, str]] | None = None, body: str = ""):
        self.method, self.uri, self.status, self.reason = method, uri, status, reason
        self.headers = headers or []
        self.body = body

    @property
    def is_request(self) -> bool:
        return self.method is not None

    @classmethod
    def parse(cls, text: str) -> "Message":
        head, _, body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        first = lines[0]
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and headers:  # folded line
                name, value = headers[-1]
                headers[-1] = (name, value + " " + line.strip())
                continue
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        if first.startswith("SIP/2.0 "):
            _, code, *reason = first.split(" ", 2)
            return cls(status=int(code), reason=reason[0] if reason else "", headers=headers, body=body)
        method, uri, _ = first.split(" ", 2)
        return cls(method=method, uri=uri, headers=headers, body=body)

    def _key(self, name: str) -> str:
        name = name.lower()
        return COMPACT.get(name, name)

    def all(self, name: str) -> list[str]:
        key = self._key(name)
        values = [v for n, v in self.headers if self._key(n) == key]
        if key in MULTI:
            return [part for v in values for part in split_commas(v)]
        return values

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.all(name)
        return values[0] if values else default

    def set(self, name: str, value: str) -> None:
        self.remove(name)
        self.headers.append((name, value))

    def remove(self, name: str) -> None:
        key = self._key(name)
        self.headers = [(n, v) for n, v in self.headers if self._key(n) != key]

    @property
    def call_id(self) -> str:
        return self.get("Call-ID", "")

    @property
    def cseq(self) -> tuple[int, str]:
        number, method = self.get("CSeq", "0 NONE").split()
        return int(number), method

    def first_line(self) -> str:
        if self.is_request:
            return f"{self.method} {self.uri} SIP/2.0"
        return f"SIP/2.0 {self.status} {self.reason}"

    def serialize(self) -> str:
        lines = [self.first_line()]
        lines += [f"{n}: {v}" for n, v in self.headers if self._key(n) != "content-length"]
        lines.append(f"Content-Length: {len(self.body.encode())}")
        return "\r\n".join(lines) + "\r\n\r\n" + self.body


def param(header_value: str, name: str) -> str | None:
    """A ;name=value parameter of a header value (outside the <URI>)."""
    tail = header_value.rsplit(">", 1)[-1] if ">" in header_value else header_value
    match = re.search(r";\s*" + re.escape(name) + r"=([^;,\s]+)", tail, re.I)
    return match.group(1) if match else None


def uri_of(header_value: str) -> str:
    """The URI of a name-addr (From, To, Contact, Route) or of an addr-spec."""
    match = re.search(r"<([^>]*)>", header_value)
    if match:
        return match.group(1)
    return header_value.split(";", 1)[0].strip()


def user_of(uri: str) -> str:
    match = re.match(r"sips?:([^@;>]+)@", uri_of(uri))
    return match.group(1) if match else ""


def response(request: Message, status: int, reason: str, to_tag: str | None = None,
             extra: list[tuple[str, str]] | None = None, body: str = "") -> Message:
    """A response to `request` with its Via, From, To (tag added), Call-ID and CSeq (RFC 3261 §8.2.6)."""
    headers = [("Via", v) for v in request.all("Via")]
    headers.append(("From", request.get("From", "")))
    to = request.get("To", "")
    if to_tag and param(to, "tag") is None:
        to += f";tag={to_tag}"
    headers += [("To", to), ("Call-ID", request.call_id), ("CSeq", request.get("CSeq", ""))]
    if request.method == "INVITE" and 100 < status < 300:
        # A response that makes a dialog carries the request's Record-Route (RFC 3261 §12.1.1).
        headers += [("Record-Route", r) for r in request.all("Record-Route")]
    headers += extra or []
    return Message(status=status, reason=reason, headers=headers, body=body)


def parse_challenge(value: str) -> dict[str, str]:
    scheme, _, rest = value.partition(" ")
    params = {}
    for match in re.finditer(r'(\w+)\s*=\s*("([^"]*)"|[^,\s]+)', rest):
        params[match.group(1).lower()] = match.group(3) if match.group(3) is not None else match.group(2)
    params["scheme"] = scheme
    return params


def digest(challenge: dict[str, str], method: str, uri: str, user: str, password: str, nc: int = 1) -> str:
    """The Authorization / Proxy-Authorization value answering `challenge`."""
    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
    ha1 = md5(f"{user}:{realm}:{password}")
    ha2 = md5(f"{method}:{uri}")
    fields = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"', "algorithm=MD5"]
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    if "auth" in qops:
        cnonce, ncs = secrets.token_hex(8), f"{nc:08x}"
        answer = md5(f"{ha1}:{nonce}:{ncs}:{cnonce}:auth:{ha2}")
        fields += [f'response="{answer}"', "qop=auth", f'cnonce="{cnonce}"', f"nc={ncs}"]
    else:
        fields.append(f'response="{md5(f"{ha1}:{nonce}:{ha2}")}"')
    if "opaque" in challenge:
        fields.append(f'opaque="{challenge["opaque"]}"')
    return "Digest " + ", ".join(fields)
