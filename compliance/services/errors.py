"""What a use case can refuse; the web layer turns these into status codes and sentences."""


class ServiceError(Exception):
    """A request the service will not carry out, with a sentence a person can act on."""

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(ServiceError):
    """A field is missing or wrong; `field` names it."""

    def __init__(self, field: str, message: str, **details):
        super().__init__(message, field=field, **details)
        self.field = field


class NotFound(ServiceError):
    """No such object, or not one this user may see: the two look the same from outside."""


class Conflict(ServiceError):
    """The object is in a state that does not allow this (e.g. already signed)."""


class Unprocessable(ServiceError):
    """The input is well-formed but cannot be used (e.g. a report that does not parse)."""


class Gone(ServiceError):
    """The link was real but has expired or been withdrawn."""


class TooMany(ServiceError):
    """Asked for more than a person may in a while (new summaries in a day, say)."""
