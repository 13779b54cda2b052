from .patient import PatientForm, PatientSearchForm
from .review import FollowUpFilterForm, ReviewForm, VisitReviewForm, WorklistFilterForm
from .visit import ImagingFormSet, VisitForm, VoidForm

__all__ = [
    "ImagingFormSet",
    "PatientForm",
    "PatientSearchForm",
    "ReviewForm",
    "VisitForm",
    "VoidForm",
    "FollowUpFilterForm",
    "VisitReviewForm",
    "WorklistFilterForm",
]
