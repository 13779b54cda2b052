import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from checklists import rule_tests, services
from checklists.entries import VisitEntry
from checklists.evaluation import evaluate_entry
from checklists.forms import VisitForm
from checklists.models import ChecklistItem, ChecklistVersion, Patient
from checklists.models.checklist import BUILTIN_ITEM_KEPT
from checklists.models.choices import Answer
from checklists.views.visit_display import flag_panel_context

from .scoping import AuditedAdmin, admin_clinics

SHARED = "Shared (kept for visits before each clinic had its own checklist)"


class PreviewAnswersForm(forms.Form):
    """The Yes / No answers of the draft preview, each parsed by a field (anything else is "not asked")."""

    def __init__(self, data, *, items):
        super().__init__(data)
        self.items = items
        for item in items:
            self.fields[f"answer_{item.key}"] = forms.ChoiceField(choices=PREVIEW_CHOICES, required=False)

    def answers(self) -> dict[str, str]:
        self.is_valid()
        given = getattr(self, "cleaned_data", {})
        return {item.key: given.get(f"answer_{item.key}") or Answer.NOT_ASKED for item in self.items}


PREVIEW_CHOICES = [(Answer.YES, "Yes"), (Answer.NO, "No")]
# The preview screens a made-up patient: one on denosumab, so the treatment questions can raise their flags.
PREVIEW_PATIENT = "a patient with breast cancer, on denosumab"


def preview_patient(clinic) -> Patient:
    """The made-up patient the preview screens (never saved)."""
    return Patient(
        clinic=clinic, primary_cancer="breast", bone_agent="denosumab", date_of_birth=datetime.date(1960, 1, 1)
    )


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = [
            "key",
            "section",
            "order",
            "wording",
            "help_text",
            "retired",
            "flag_tier",
            "flag_title",
            "flag_source",
        ]
        widgets = {
            "key": forms.TextInput(attrs={"size": 18}),
            "order": forms.NumberInput(attrs={"class": "order-input"}),
            "wording": forms.TextInput(attrs={"size": 40}),
            "help_text": forms.TextInput(attrs={"size": 18}),
            "flag_title": forms.TextInput(attrs={"size": 14}),
        }

    def clean(self):
        # The item's own rules are ChecklistItem.clean's; removing a built-in is the one only a form can ask for.
        cleaned = super().clean()
        if cleaned.get("DELETE") and self.instance.is_builtin:
            raise ValidationError(BUILTIN_ITEM_KEPT.format(wording=self.instance.wording, what="removed"))
        return cleaned


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    form = ChecklistItemForm
    extra = 0
    ordering = ["order"]
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.is_draft and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and obj.is_draft and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.is_draft and super().has_delete_permission(request, obj)


class ClinicChoiceForm(forms.Form):
    """Which of the admin's clinics a new draft is for (parsed by a form, never read raw from the request)."""

    clinic = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = admin_clinics(user)


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(AuditedAdmin):
    """Each clinic's checklist: a clinic admin sees, drafts and publishes only their own clinics' versions."""

    clinic_path = "clinic"
    list_display = [
        "__str__",
        "clinic_name",
        "status",
        "published_at",
        "published_by",
        "items_asked",
        "published_despite_failures",
    ]
    list_select_related = ["clinic", "published_by"]
    readonly_fields = ["clinic_name", "number", "published_at", "published_by", "published_despite_failures"]
    fields = ["clinic_name", "number", "note", "published_at", "published_by", "published_despite_failures"]
    inlines = [ChecklistItemInline]
    change_form_template = "admin/checklists/checklistversion/change_form.html"
    change_list_template = "admin/checklists/checklistversion/change_list.html"

    @admin.display(description="clinic")
    def clinic_name(self, version):
        return version.clinic.name if version.clinic_id else SHARED

    @admin.display(description="status")
    def status(self, version):
        return "Draft" if version.is_draft else "Published"

    @admin.display(description="items asked")
    def items_asked(self, version):
        return version.items.filter(retired=False).count()

    def has_add_permission(self, request):
        return False  # a draft starts from the current version ("Start a draft")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or (obj.is_draft and obj.clinic_id))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and obj is not None and obj.is_draft and obj.clinic_id

    def changelist_view(self, request, extra_context=None):
        # One "Start a draft" button per clinic the admin administers.
        clinics = list(admin_clinics(request.user).order_by("name"))
        return super().changelist_view(request, {**(extra_context or {}), "draft_clinics": clinics})

    def get_urls(self):
        own = [
            path("start-draft/", self.admin_site.admin_view(self.start_draft_view), name="checklists_start_draft"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="checklists_draft_preview"),
            path(
                "<int:pk>/preview/flags/",
                self.admin_site.admin_view(self.preview_flags_view),
                name="checklists_draft_preview_flags",
            ),
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish_view), name="checklists_draft_publish"),
        ]
        return own + super().get_urls()

    def start_draft_view(self, request):
        if request.method != "POST" or not self.has_module_permission(request):
            return redirect("admin:checklists_checklistversion_changelist")
        choice = ClinicChoiceForm(request.POST, user=request.user)
        if not choice.is_valid():
            messages.error(request, "Choose one of your clinics to start a draft for.")
            return redirect("admin:checklists_checklistversion_changelist")
        try:
            draft = services.start_draft(clinic=choice.cleaned_data["clinic"], by=request.user)
        except (services.NotPermitted, ValidationError) as refused:
            messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
            return redirect("admin:checklists_checklistversion_changelist")
        messages.success(request, f"{draft} of {draft.clinic} is open for changes. Preview it, then publish it.")
        return redirect("admin:checklists_checklistversion_change", draft.pk)

    def preview_view(self, request, pk):
        version = self.object_in_scope(request, pk)
        form = VisitForm(items=rule_tests.asked_items(version))
        context = {
            **self.admin_site.each_context(request),
            "version": version,
            "form": form,
            "title": f"Preview of {version} as the visit form",
            "opts": self.model._meta,
            "preview_patient": PREVIEW_PATIENT,
        }
        return TemplateResponse(request, "admin/checklists/checklistversion/preview.html", context)

    def preview_flags_view(self, request, pk):
        """The flags the preview's answers would raise with this version's items, as the visit form's live panel
        shows them (issue 12 §1). Nothing is saved."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = self.object_in_scope(request, pk)
        items = rule_tests.asked_items(version)
        answers = PreviewAnswersForm(request.POST, items=items).answers()
        entry = VisitEntry(visit_date=timezone.localdate(), answers=answers)
        evaluation = evaluate_entry(preview_patient(version.clinic), entry, items)
        return render(request, "checklists/_flag_panel.html", flag_panel_context(evaluation))

    def publish_view(self, request, pk):
        version = self.object_in_scope(request, pk)
        if not self.has_change_permission(request, version):
            messages.error(request, f"{version} is already published.")
            return redirect("admin:checklists_checklistversion_changelist")
        if request.method == "POST":
            try:
                # The published version names itself: the draft's name still says "(draft)".
                version = services.publish_checklist(
                    version=version, by=request.user, confirmation=request.POST.get("confirmation", "")
                )
            except services.TestCasesFail as failing:
                messages.error(request, str(failing))
            except services.NotPermitted as refused:
                messages.error(request, str(refused))
            except ValidationError as refused:
                messages.error(request, " ".join(refused.messages))
            else:
                messages.success(
                    request, f"{version} is published: {version.clinic}'s new visits are screened with it."
                )
                return redirect("admin:checklists_checklistversion_changelist")
        current = ChecklistVersion.objects.of_clinic(version.clinic).current()
        context = {
            **self.admin_site.each_context(request),
            "version": version,
            "opts": self.model._meta,
            "title": f"Publish {version}",
            "draft_results": rule_tests.results(version),
            "current_results": dict(rule_tests.results(current)) if current else {},
            "current": current,
            "changelist": reverse("admin:checklists_checklistversion_changelist"),
        }
        context["failing"] = [case for case, found in context["draft_results"] if found]
        return render(request, "admin/checklists/checklistversion/publish.html", context)
