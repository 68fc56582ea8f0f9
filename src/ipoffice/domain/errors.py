"""Errors raised by the domain. Each names the field it is about, so a user can fix the input."""

from __future__ import annotations


class DomainError(ValueError):
    """Base class of every rejection by the domain."""


class InvalidField(DomainError):
    """A value that does not satisfy the rules of its field."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")
