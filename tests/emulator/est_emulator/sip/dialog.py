"""Dialog layer (RFC 3261 section 12): the state that in-dialog requests the edge sends are built from.

The route set comes from Record-Route (the response's, reversed, when the edge called; the request's,
as is, when it was called); requests follow it (loose routing; a strict-routing first hop puts the
remote target last, section 12.2.1.1), with CSeq counting up from the edge's own last one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from .message import Message, NameAddr, Uri
from .transport import Peer

SDP_TYPE = "application/sdp"


def new_tag() -> str:
    return uuid.uuid4().hex[:10]


def sdp(host: str, session: int) -> bytes:
    """A minimal audio SDP (RFC 4566), offer or answer: PCMU/PCMA on a port nothing listens to."""
    return ("v=0\r\n"
            f"o=est-emulator {session} {session} IN IP4 {host}\r\n"
            "s=-\r\n"
            f"c=IN IP4 {host}\r\n"
            "t=0 0\r\n"
            "m=audio 40000 RTP/AVP 0 8\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:8 PCMA/8000\r\n"
            "a=sendrecv\r\n").encode()


@dataclass
class Dialog:
    call_id: str
    local_tag: str
    remote_tag: str
    local_uri: str  # our From in requests we send (name-addr, no tag)
    remote_uri: str
    remote_target: str
    route_set: list[str] = field(default_factory=list)
    local_cseq: int = 0
    transport: str = "UDP"

    @classmethod
    def as_uas(cls, request: Message, local_tag: str, transport: str) -> Dialog:
        frm, to = NameAddr.parse(request.get("From") or ""), NameAddr.parse(request.get("To") or "")
        contact = NameAddr.parse(request.get("Contact") or request.get("From") or "")
        return cls(request.call_id, local_tag, frm.tag, f"<{to.uri}>", f"<{frm.uri}>", contact.uri,
                   list(request.get_all("Record-Route")), 0, transport)

    @classmethod
    def as_uac(cls, request: Message, response: Message, transport: str) -> Dialog:
        frm, to = NameAddr.parse(request.get("From") or ""), NameAddr.parse(response.get("To") or "")
        contact = NameAddr.parse(response.get("Contact") or request.uri)
        return cls(request.call_id, frm.tag, to.tag, f"<{frm.uri}>", f"<{to.uri}>", contact.uri,
                   list(reversed(response.get_all("Record-Route"))), request.cseq[0], transport)

    def request(self, method: str, via: str) -> Message:
        """A request inside the dialog; `via` is the edge's Via value (sent-by and branch)."""
        routes = list(self.route_set)
        uri = self.remote_target
        if routes and "lr" not in Uri.parse(NameAddr.parse(routes[0]).uri).params:
            uri = NameAddr.parse(routes[0]).uri.split(";")[0]
            routes = routes[1:] + [f"<{self.remote_target}>"]
        if method != "ACK":
            self.local_cseq += 1
        msg = Message(method=method, uri=uri)
        msg.add("Via", via)
        for route in routes:
            msg.add("Route", route)
        msg.add("Max-Forwards", "70")
        msg.add("From", f"{self.local_uri};tag={self.local_tag}")
        msg.add("To", f"{self.remote_uri};tag={self.remote_tag}")
        msg.add("Call-ID", self.call_id)
        msg.add("CSeq", f"{self.local_cseq} {method}")
        return msg

    def next_hop(self) -> Peer:
        """The first route if there is one, else the remote target (section 8.1.2; no DNS: literal hosts)."""
        target = NameAddr.parse(self.route_set[0]).uri if self.route_set else self.remote_target
        uri = Uri.parse(target)
        transport = uri.params.get("transport", self.transport).upper()
        return Peer(transport if transport in ("UDP", "TCP") else self.transport, uri.host, uri.port or 5060)
