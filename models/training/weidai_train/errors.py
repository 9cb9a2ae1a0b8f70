"""Errors the CLI reports to the user with a clear message and a non-zero exit code."""


class TrainingInputError(ValueError):
    """The input data cannot be used for training (missing target, one class, unreadable file, ...)."""
