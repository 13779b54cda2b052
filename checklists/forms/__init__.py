from .patient import PatientForm, PatientSearchForm
from .review import ReviewForm, WorklistFilterForm
from .visit import ImagingFormSet, VisitForm

__all__ = ["ImagingFormSet", "PatientForm", "PatientSearchForm", "ReviewForm", "VisitForm", "WorklistFilterForm"]
