"""Errors the lending engine raises for inputs that break a business rule."""


class LendingError(ValueError):
    """Base of the engine's business-rule errors; a ValueError, so callers may catch either."""
