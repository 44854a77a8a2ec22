"""Sinch-style error replies (Google RPC status names)."""

import json

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class ApiError(Exception):
    """An error answered to the client in the Sinch format."""

    def __init__(self, code, message, violations=None, headers=None, status=None, details=None):
        super().__init__(message)
        self.details = details or []
        self.code = code
        self.message = message
        self.violations = violations or []
        self.headers = headers or {}
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")


def bad(field, description):
    return ApiError(400, f"Invalid argument: {field}: {description}", [(field, description)])


def unreadable_body():
    """What EST answers for a body it cannot bind to its request type: not JSON, or an object where it
    expects an array or the reverse (live behaviour in the assumptions register: the Spring message, no field named)."""
    return ApiError(400, "Failed to read HTTP message", status="VALIDATION_FAILED")


def not_found(what, ident):
    return ApiError(404, f"{what} {ident} not found")


def error_body(code, message, request_id, violations=(), wrap=False, status=None, extra_details=()):
    details = list(extra_details)
    if violations:
        details.append({
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": f, "description": d} for f, d in violations],
        })
    details.append({"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": request_id})
    body = {"code": code, "status": status or STATUS_NAMES.get(code, "UNKNOWN"), "message": message, "details": details}
    if wrap:
        body = {"error": body}
    return json.dumps(body).encode()
