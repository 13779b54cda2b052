"""Telling people of flags (issue 15): who is told (contacts), what they are told (messages, never patient data)
and how it reaches them (delivery: email, a signed webhook). The outbox and its retries: services/notifications.py;
the worker's tasks: checklists/tasks.py."""
