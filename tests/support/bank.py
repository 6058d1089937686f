"""The question bank's dev/test split (one function, in assistant.evaluation, used by `referat eval`)."""

from assistant.evaluation import bank_split

__all__ = ["bank_split"]
