"""ipoffice: an open-source intellectual-property office system."""

__version__ = "0.1.0"
