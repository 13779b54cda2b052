from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from checklists import rule_tests
from checklists.models import ChecklistVersion, RuleTestCase
from checklists.rules import FindingsError, Tier
from checklists.rules.flags import RULES

from .scoping import AuditedAdmin, admin_clinics

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
        # The clinic comes first: the findings are read with that clinic's checklist.
        fields = [
            "clinic",
            "name",
            "description",
            "findings",
            "expected_visit_tier",
            "flags_must_fire",
            "flags_may_fire",
        ]

    def clean_findings(self):
        findings = self.cleaned_data["findings"]
        clinic = self.cleaned_data.get("clinic")
        current = ChecklistVersion.objects.of_clinic(clinic).current() if clinic else None
        items = rule_tests.asked_items(current) if current else []
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


def _verdict(found, which) -> str:
    if found is None:
        return "no draft" if which == "draft" else "—"
    if not found:
        return format_html('<span class="case-pass">{}</span>', "✓ pass")
    return format_html('<span class="case-fail" title="{}">✗ fail</span>', "; ".join(found))


def judged_by_clinic(clinics) -> dict:
    """{(clinic id, "current" | "draft"): {case id: problems}}, each clinic's cases judged once against its
    current version and its open draft."""
    judged = {}
    for clinic in clinics:
        versions = ChecklistVersion.objects.of_clinic(clinic)
        for which, version in (("current", versions.current()), ("draft", versions.draft())):
            if version is not None:
                judged[clinic.pk, which] = {case.pk: found for case, found in rule_tests.results(version)}
    return judged


@admin.register(RuleTestCase)
class RuleTestCaseAdmin(AuditedAdmin):
    """A clinic's own rule test cases, and the built-in worked examples every clinic shares (read-only).

    The verdicts are worked out per request and handed to the list's columns as closures: the admin instance is
    shared by every request, so it keeps no state of its own (issue 12).
    """

    form = RuleTestCaseForm
    list_filter = ["is_builtin", "expected_visit_tier"]
    search_fields = ["name", "description"]
    list_select_related = ["clinic"]

    def scope(self, queryset, user):
        if user.is_superuser:
            return queryset
        return queryset.filter(Q(clinic__isnull=True) | Q(clinic__in=admin_clinics(user)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clinic":
            kwargs["queryset"] = admin_clinics(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_display(self, request):
        clinics = list(admin_clinics(request.user).order_by("name"))
        judged = judged_by_clinic(clinics)
        # A built-in case is judged against the admin's first clinic; each clinic's case against its own.
        home = clinics[0].pk if clinics else None

        def verdict(case, which):
            return _verdict(judged.get((case.clinic_id or home, which), {}).get(case.pk), which)

        @admin.display(description="current checklist")
        def against_current(case):
            return verdict(case, "current")

        @admin.display(description="draft checklist")
        def against_draft(case):
            return verdict(case, "draft")

        @admin.display(description="clinic")
        def clinic_name(case):
            return case.clinic.name if case.clinic_id else "Every clinic (built-in)"

        return ["name", clinic_name, "expected_visit_tier", against_current, against_draft, "is_builtin"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_builtin)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_builtin)
