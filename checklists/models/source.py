from django.db import models

from checklists.history import AuditedHistory


class Source(models.Model):
    """A citation a flag refers to; seeded from RULES.md §2, editable by admins."""

    key = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    date = models.CharField(max_length=60)
    summary = models.TextField()
    document = models.CharField(max_length=80, blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key

    def citation(self) -> dict:
        """What a flag keeps of its source, so a past flag shows the citation as it was."""
        return {
            "key": self.key,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "summary": self.summary,
        }
