from django import forms
from django.contrib import admin
from django.utils.html import format_html

from checklists import rule_tests
from checklists.models import ChecklistVersion, RuleTestCase
from checklists.rules import FindingsError, Tier
from checklists.rules.flags import RULES

from .scoping import AuditedAdmin

BAD_FLAG_LIST = 'List the flags as [{"code": "MSCC_SUSPECTED", "tier": "emergency"}, ...].'
UNKNOWN_CODE = "Unknown flag code {code!r}."
BAD_MAY_FIRE = 'List the codes as ["NEW_BONE_PAIN", ...].'
CODES = {rule.code for rule in RULES}
TIERS = {tier.value for tier in Tier} - {Tier.NONE.value}


def _known(code: str) -> bool:
    return code in CODES or code.startswith("ITEM_")


class RuleTestCaseForm(forms.ModelForm):
    class Meta:
        model = RuleTestCase
        fields = ["name", "description", "findings", "expected_visit_tier", "flags_must_fire", "flags_may_fire"]

    def clean_findings(self):
        findings = self.cleaned_data["findings"]
        current = ChecklistVersion.objects.current()
        items = rule_tests.asked_items(current)
        try:
            rule_tests.findings_of(findings, items, asked=False)
        except FindingsError as refused:
            raise forms.ValidationError(f"These findings would be refused: {refused}") from None
        return findings

    def clean_flags_must_fire(self):
        flags = self.cleaned_data["flags_must_fire"]
        shaped = isinstance(flags, list) and all(isinstance(f, dict) and set(f) == {"code", "tier"} for f in flags)
        if not shaped or any(flag["tier"] not in TIERS for flag in flags):
            raise forms.ValidationError(BAD_FLAG_LIST)
        for flag in flags:
            if not _known(flag["code"]):
                raise forms.ValidationError(UNKNOWN_CODE.format(code=flag["code"]))
        return flags

    def clean_flags_may_fire(self):
        codes = self.cleaned_data["flags_may_fire"] or []
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise forms.ValidationError(BAD_MAY_FIRE)
        for code in codes:
            if not _known(code):
                raise forms.ValidationError(UNKNOWN_CODE.format(code=code))
        return codes


@admin.register(RuleTestCase)
class RuleTestCaseAdmin(AuditedAdmin):
    form = RuleTestCaseForm
    list_display = ["name", "expected_visit_tier", "against_current", "against_draft", "is_builtin"]
    list_filter = ["is_builtin", "expected_visit_tier"]
    search_fields = ["name", "description"]

    def changelist_view(self, request, extra_context=None):
        # Judge every case once per page, against the current version and the open draft.
        current, draft = ChecklistVersion.objects.current(), ChecklistVersion.objects.draft()
        self._judged = {
            "current": {case.pk: found for case, found in rule_tests.results(current)},
            "draft": {case.pk: found for case, found in rule_tests.results(draft)} if draft else {},
        }
        return super().changelist_view(request, extra_context)

    def _verdict(self, which, case):
        if case.pk not in self._judged[which]:
            return "no draft" if which == "draft" else "—"
        found = self._judged[which][case.pk]
        if not found:
            return format_html('<span class="case-pass">{}</span>', "✓ pass")
        return format_html('<span class="case-fail" title="{}">✗ fail</span>', "; ".join(found))

    @admin.display(description="current checklist")
    def against_current(self, case):
        return self._verdict("current", case)

    @admin.display(description="draft checklist")
    def against_draft(self, case):
        return self._verdict("draft", case)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_builtin)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_builtin)
