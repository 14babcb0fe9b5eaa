"""The base of every domain error: a machine code the web layer turns into a sentence."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused a command; ``code`` names the rule."""

    code = "domain_error"

    def __init__(self, detail: str = "", /, **context: object) -> None:
        super().__init__(detail or self.code)
        self.context = context


class InvalidInput(DomainError):
    """The command's input is malformed (HTTP 422)."""

    code = "invalid_input"


class RuleViolation(DomainError):
    """The input is well formed but a rule of the domain refuses it (HTTP 409)."""

    code = "rule_violation"


class NotFound(DomainError):
    """The command names something that does not exist (HTTP 404)."""

    code = "not_found"


class Forbidden(DomainError):
    """The actor's roles do not allow this command (HTTP 403)."""

    code = "forbidden"


def as_answer(error: BaseException) -> BaseException:
    """A rule's refusal (a full shift) kept as an answer, without its traceback or the error
    it was raised from (whose traceback is as long): their frames lead back up to whatever
    holds the answer (a batch, a list of an upload's answers), a cycle only the cycle
    collector frees, made for every refusal. Any other error keeps them for the log."""
    if isinstance(error, DomainError):
        error.__cause__ = error.__context__ = None
        return error.with_traceback(None)
    return error
