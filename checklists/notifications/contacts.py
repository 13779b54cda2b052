"""A clinic's contact lists as typed in its settings: one address per line (commas and semicolons accepted)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

MAX_ADDRESSES = 20
NOT_AN_ADDRESS = "“{address}” is not an email address; one address per line."
TOO_MANY = f"At most {MAX_ADDRESSES} addresses."
WEBHOOK_NOT_HTTPS = "The webhook must be an https:// address: the message must not cross the network in clear."
WEBHOOK_NOT_AN_ADDRESS = "This is not a web address; give the gateway's full https:// address."


def addresses(text: str) -> list[str]:
    """The addresses in the order typed, each once."""
    found = [part.strip() for part in re.split(r"[\s,;]+", text or "") if part.strip()]
    return list(dict.fromkeys(found))


def _address_problems(text: str) -> list[str]:
    listed = addresses(text)
    problems = []
    for address in listed:
        try:
            validate_email(address)
        except ValidationError:
            problems.append(NOT_AN_ADDRESS.format(address=address[:80]))
    if len(listed) > MAX_ADDRESSES:
        problems.append(TOO_MANY)
    return problems


def contact_problems(on_call: str, escalation: str, webhook_url: str) -> dict[str, list[str]]:
    """What is wrong with a clinic's contacts, by field ({} when nothing is)."""
    problems = {
        "on_call_emails": _address_problems(on_call),
        "escalation_emails": _address_problems(escalation),
        "webhook_url": _webhook_problems(webhook_url),
    }
    return {name: found for name, found in problems.items() if found}


def _webhook_problems(url: str) -> list[str]:
    if not url:
        return []
    if not url.lower().startswith("https://"):
        return [WEBHOOK_NOT_HTTPS]
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        return [WEBHOOK_NOT_AN_ADDRESS]
    return []
