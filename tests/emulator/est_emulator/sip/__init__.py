"""Sinch's SIP edge inside the emulator, layered as RFC 3261 layers SIP, one module a layer:

- message: syntax (parse, serialise)        - transport: UDP, TCP framing, Via received/rport
- transaction: retransmissions, CANCEL      - dialog: route sets, in-dialog requests
- the edge's core: edge (dispatch), view (the state as the edge sees it, --edge-delay late),
  policy (why a request is refused: pure functions), digest, registrar, outbound, inbound,
  destinations, records (call records).
"""
