from django.urls import path

from .views import account, exports, patients, re_evaluation, reviews, summaries, two_factor, visits, worklist

app_name = "checklists"

urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("follow-ups/", worklist.follow_ups, name="follow-ups"),
    path("flags/withdrawn/", worklist.withdrawn_flags, name="withdrawn-flags"),
    path("visits/drafts/", worklist.drafts, name="drafts"),
    path("flags/<int:pk>/review/", reviews.flag_review, name="flag-review"),
    path("patients/", patients.patient_list, name="patient-list"),
    path("patients/new/", patients.patient_new, name="patient-new"),
    path("patients/<int:pk>/", patients.patient_detail, name="patient-detail"),
    path("patients/<int:pk>/edit/", patients.patient_edit, name="patient-edit"),
    path("patients/<int:patient_pk>/visits/new/", visits.visit_new, name="visit-new"),
    path("patients/<int:patient_pk>/visits/preview/", visits.visit_preview, name="visit-preview"),
    path("patients/<int:patient_pk>/visits/autosave/", visits.visit_autosave, name="visit-autosave"),
    path(
        "patients/<int:patient_pk>/visits/autosave/discard/",
        visits.visit_autosave_discard,
        name="visit-autosave-discard",
    ),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit-edit"),
    path("visits/<int:pk>/preview/", visits.visit_edit_preview, name="visit-edit-preview"),
    path("visits/<int:pk>/autosave/", visits.visit_edit_autosave, name="visit-edit-autosave"),
    path("visits/<int:pk>/summary/", summaries.visit_summary, name="visit-summary"),
    path("visits/<int:pk>/re-evaluate/", re_evaluation.visit_re_evaluate, name="visit-re-evaluate"),
    path("visits/<int:pk>/void/", visits.visit_void, name="visit-void"),
    path("clinics/<int:clinic_pk>/visits.csv", exports.export_visits, name="visits-export"),
    path("accounts/", account.account, name="account"),
    path("accounts/password/", account.password_change, name="password-change"),
    path("accounts/sessions/", account.sessions, name="sessions"),
    path("accounts/sessions/end/", account.session_end, name="session-end"),
    path("accounts/sessions/end-others/", account.sessions_end_others, name="sessions-end-others"),
    path("accounts/session/", account.session_status, name="session-status"),
    path("accounts/session/keep-alive/", account.keep_alive, name="keep-alive"),
    path("accounts/two-factor/", two_factor.two_factor_verify, name="two-factor"),
    path("accounts/two-factor/setup/", two_factor.two_factor_setup, name="two-factor-setup"),
    path("accounts/two-factor/backup-codes/", two_factor.backup_codes_renew, name="backup-codes"),
]
