"""Clinic admins manage their own clinic's staff: accounts, roles, membership, sessions and second factors."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password

from checklists.models import Role, SecurityAction, User
from checklists.services import people, security_events, two_factor

from .scoping import AuditedAdmin, admin_clinics, staff_ids_of

PASSWORD_NEEDED = "Give a new account a first password."  # noqa: S105 - a message, not a password
SHARED_ACCOUNT = (
    "{names}: also a member of a clinic you do not administer, so only an admin of every one of their clinics "
    "can do that."
)


class StaffAccountForm(forms.ModelForm):
    clinic = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The account is added to this clinic (it keeps other memberships)."
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        help_text="In the clinic chosen above or, without one, in each of your clinics the person belongs to.",
    )
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
            held = self.instance.memberships.filter(clinic__in=clinics).values_list("role", flat=True).first()
            self.fields["role"].initial = held or Role.NURSE
        self.fields["is_active"].help_text = "Untick to deactivate: the person is signed out at once."

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password and not self.instance.pk:
            raise forms.ValidationError(PASSWORD_NEEDED)
        return password

    def _post_clean(self):
        # The validators compare the password with the username and names, so they run once the form has put
        # those on the account (as Django's own password forms do).
        super()._post_clean()
        password = self.cleaned_data.get("password")
        if password:
            try:
                validate_password(password, self.instance)
            except forms.ValidationError as refused:
                self.add_error("password", refused)


def manages_wholly(admin_user, person) -> bool:
    """May this admin change the person's account? Only if every clinic of the person is one they administer.

    Otherwise the admin of one clinic could set the password of someone who is an admin in another, and sign in
    as them there.
    """
    if admin_user.is_superuser:
        return True
    theirs = set(person.memberships.values_list("clinic_id", flat=True))
    return theirs <= set(admin_clinics(admin_user).values_list("pk", flat=True))


@admin.register(User)
class StaffAccountAdmin(AuditedAdmin):
    list_display = ["username", "first_name", "last_name", "role", "clinic_names", "is_active", "two_factor"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "first_name", "last_name", "email"]
    actions = ["end_all_sessions", "remove_from_my_clinics", "reset_second_factor"]

    def scope(self, queryset, user):
        """The members of the admin's clinics; never a superuser, who runs the whole site."""
        if user.is_superuser:
            return queryset
        return queryset.filter(pk__in=staff_ids_of(admin_clinics(user)), is_superuser=False)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__clinic", "clinics", "totpdevice_set")

    def get_form(self, request, obj=None, change=False, **kwargs):
        clinics = admin_clinics(request.user)

        class ScopedForm(StaffAccountForm):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, clinics=clinics, **form_kwargs)

        return ScopedForm

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return [(None, {"fields": ["username", "first_name", "last_name", "email", "is_active"]})]
        return [
            (
                None,
                {"fields": ["username", "first_name", "last_name", "email", "clinic", "role", "is_active", "password"]},
            )
        ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or manages_wholly(request.user, obj))

    def save_model(self, request, obj, form, change):
        password = form.cleaned_data.get("password", "")
        people.save_staff_account(
            user=obj,
            clinic=form.cleaned_data.get("clinic"),
            role=form.cleaned_data["role"],
            password=password,
            clinics=admin_clinics(request.user),
        )
        if password:
            security_events.record(request, SecurityAction.PASSWORD_SET_BY_ADMIN, obj=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: visits and reviews keep who did them

    @admin.display(description="role")
    def role(self, user):
        return ", ".join(f"{m.get_role_display().split(' (')[0]} in {m.clinic}" for m in user.memberships.all()) or "—"

    @admin.display(description="clinics")
    def clinic_names(self, user):
        return ", ".join(clinic.name for clinic in user.clinics.all())

    @admin.display(description="two-factor", boolean=True)
    def two_factor(self, user):
        return any(device.confirmed for device in user.totpdevice_set.all())

    def _wholly_managed(self, request, queryset) -> list:
        """The selected people this admin may act on alone (never themselves); says who was left out and why."""
        allowed, shared = [], []
        for person in queryset.exclude(pk=request.user.pk):
            (allowed if manages_wholly(request.user, person) else shared).append(person)
        if shared:
            names = ", ".join(str(person) for person in shared)
            self.message_user(request, SHARED_ACCOUNT.format(names=names), messages.WARNING)
        return allowed

    @admin.action(description="End all sessions of the selected people (they stay active)")
    def end_all_sessions(self, request, queryset):
        ended = sum(people.end_sessions(person) for person in self._wholly_managed(request, queryset))
        self.message_user(request, f"{ended} session(s) ended.", messages.SUCCESS)

    @admin.action(description="Remove the selected people from my clinic(s)")
    def remove_from_my_clinics(self, request, queryset):
        clinics = admin_clinics(request.user)
        others = queryset.exclude(pk=request.user.pk)
        removed = [person for person in others if people.remove_from_clinics(user=person, clinics=clinics)]
        names = ", ".join(str(person) for person in removed) or "Nobody"
        self.message_user(request, f"{names} removed from your clinic(s).", messages.SUCCESS)

    @admin.action(description="Reset the second factor of the selected people (they set it up again)")
    def reset_second_factor(self, request, queryset):
        reset = self._wholly_managed(request, queryset)
        for person in reset:
            two_factor.reset(user=person)
            security_events.record(request, SecurityAction.SECOND_FACTOR_RESET, obj=person)
        names = ", ".join(str(person) for person in reset) or "Nobody"
        self.message_user(
            request,
            f"{names}: second factor removed and sessions ended; they set up a new one at their next sign-in.",
            messages.SUCCESS,
        )
