def as_sentence(message: str) -> str:
    """A rules message ("250 mg/dL is not a plausible calcium …") as a sentence for a page: capital, full stop."""
    return message[0].upper() + message[1:] + ("" if message.endswith(("?", ".")) else ".")
