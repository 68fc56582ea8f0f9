"""Legal procedures as explicit state machines (see ``base`` for the API)."""
