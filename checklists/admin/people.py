from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password

from checklists.models import CLINIC_ADMIN, CLINIC_STAFF, User
from checklists.services.people import save_staff_account

from .scoping import AuditedAdmin, admin_clinics

ROLE_CHOICES = [
    (CLINIC_STAFF, "Clinic staff (log visits, review flags)"),
    (CLINIC_ADMIN, "Clinic admin (also the checklist, ranges and staff accounts)"),
]
PASSWORD_NEEDED = "Give a new account a first password."  # noqa: S105 - a message, not a password


class StaffAccountForm(forms.ModelForm):
    clinic = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The account is added to this clinic (it keeps other memberships)."
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    password = forms.CharField(
        widget=forms.PasswordInput, required=False, strip=False, help_text="Only to set a new password."
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics
        self.fields["clinic"].required = not kwargs.get("instance")
        if self.instance.pk:
            self.fields["role"].initial = (
                CLINIC_ADMIN if self.instance.groups.filter(name=CLINIC_ADMIN).exists() else CLINIC_STAFF
            )
        self.fields["is_active"].help_text = "Untick to deactivate: the person is logged out at once."

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password and not self.instance.pk:
            raise forms.ValidationError(PASSWORD_NEEDED)
        if password:
            validate_password(password, self.instance)
        return password


@admin.register(User)
class StaffAccountAdmin(AuditedAdmin):
    list_display = ["username", "first_name", "last_name", "role", "clinic_names", "is_active"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        clinics = admin_clinics(request.user)

        class ScopedForm(StaffAccountForm):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, clinics=clinics, **form_kwargs)

        return ScopedForm

    def get_fieldsets(self, request, obj=None):
        return [
            (
                None,
                {"fields": ["username", "first_name", "last_name", "email", "clinic", "role", "is_active", "password"]},
            )
        ]

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups", "clinics")
        if request.user.is_superuser:
            return users
        return users.filter(memberships__clinic__in=admin_clinics(request.user), is_superuser=False).distinct()

    def save_model(self, request, obj, form, change):
        save_staff_account(
            user=obj,
            clinic=form.cleaned_data.get("clinic"),
            role=form.cleaned_data["role"],
            password=form.cleaned_data.get("password", ""),
        )

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: visits and reviews keep who did them

    @admin.display(description="role")
    def role(self, user):
        return ", ".join(group.name for group in user.groups.all()) or "—"

    @admin.display(description="clinics")
    def clinic_names(self, user):
        return ", ".join(clinic.name for clinic in user.clinics.all())
