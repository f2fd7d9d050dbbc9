"""Reprise's Python client: the REST API (Client) and reporting from inside a trial (log, log_params, params)."""

from .client import Client
from .errors import ApiError, BadRequest, Conflict, Forbidden, NotFound, Unauthorized, ServerError
from .trial import log, log_params, params

__all__ = ["Client", "ApiError", "BadRequest", "Conflict", "Forbidden", "NotFound", "Unauthorized",
           "ServerError", "log", "log_params", "params"]
__version__ = "0.1.0"
