"""Deterministic PCAP bytes (raw IPv4/UDP SIP signalling) for a call."""

import hashlib
import struct

LINKTYPE_RAW = 101


def _checksum(header):
    total = sum(struct.unpack("!10H", header))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def _packet(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    return ip + udp


def build_pcap(call, direction):
    seed = hashlib.sha256((call["callId"] + direction).encode()).digest()
    carrier = bytes([54, 172, seed[0], seed[1] | 1])
    customer = bytes([203, 0, 113, seed[2] | 1])
    src, dst = (carrier, customer) if direction == "INBOUND" else (customer, carrier)
    call_ref = call["callId"]
    messages = [(src, dst, f"INVITE sip:{call['to']}@est SIP/2.0"), (dst, src, "SIP/2.0 100 Trying"),
                (dst, src, "SIP/2.0 180 Ringing")]
    if call["callResult"] == "COMPLETED":
        messages += [(dst, src, "SIP/2.0 200 OK"), (src, dst, f"ACK sip:{call['to']}@est SIP/2.0"),
                     (src, dst, f"BYE sip:{call['to']}@est SIP/2.0"), (dst, src, "SIP/2.0 200 OK")]
    else:
        messages += [(dst, src, {"BUSY": "SIP/2.0 486 Busy Here", "NO_ANSWER": "SIP/2.0 480 Temporarily Unavailable",
                                 "CANCEL": "SIP/2.0 487 Request Terminated"}.get(call["callResult"], "SIP/2.0 503 Service Unavailable"))]
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, LINKTYPE_RAW)]
    base = int(seed[3]) + 1_700_000_000
    for i, (s, d, line) in enumerate(messages):
        payload = (f"{line}\r\nCall-ID: {call_ref}\r\nFrom: <sip:{call['from']}@est>\r\n"
                   f"To: <sip:{call['to']}@est>\r\nCSeq: {i + 1}\r\nContent-Length: 0\r\n\r\n").encode()
        pkt = _packet(s, d, 5060, 5060, payload)
        out.append(struct.pack("<IIII", base + i, i * 1000, len(pkt), len(pkt)) + pkt)
    return b"".join(out)
