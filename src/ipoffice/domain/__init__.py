"""The pure domain of an IP office: entities, value objects and rules. No I/O here."""
