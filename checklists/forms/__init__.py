from .patient import PatientForm, PatientSearchForm
from .review import ReviewForm, WorklistFilterForm
from .visit import ImagingFormSet, VisitForm, VoidForm

__all__ = [
    "ImagingFormSet",
    "PatientForm",
    "PatientSearchForm",
    "ReviewForm",
    "VisitForm",
    "VoidForm",
    "WorklistFilterForm",
]
