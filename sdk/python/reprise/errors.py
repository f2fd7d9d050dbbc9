"""Typed errors carrying the server's RFC 9457 problem details."""


class ApiError(Exception):
    """An error answer of the Reprise API: status, and the problem document's type, title, detail and errors."""

    def __init__(self, status, problem=None, method=None, url=None):
        problem = problem if isinstance(problem, dict) else {}
        self.status = status
        self.problem = problem
        self.type = problem.get("type")
        self.title = problem.get("title")
        self.detail = problem.get("detail")
        self.errors = problem.get("errors") or []
        self.method = method
        self.url = url
        text = self.detail or self.title or "HTTP %s" % status
        if self.errors:
            text += ": " + "; ".join("%s: %s" % (e.get("field"), e.get("message")) for e in self.errors)
        super().__init__("%s (%s %s -> %s)" % (text, method, url, status))


class BadRequest(ApiError):
    """400 or 422: the request or the sweep is invalid; errors names each field."""


class Unauthorized(ApiError):
    """401: no, bad, expired or revoked credentials."""


class Forbidden(ApiError):
    """403: the credentials lack the role."""


class NotFound(ApiError):
    """404."""


class Conflict(ApiError):
    """409."""


class ServerError(ApiError):
    """5xx."""


def for_status(status):
    if status in (400, 413, 415, 422):
        return BadRequest
    return {401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict}.get(
        status, ServerError if status >= 500 else ApiError)
