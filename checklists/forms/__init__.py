from .patient import PatientForm, PatientSearchForm
from .visit import ImagingFormSet, VisitForm

__all__ = ["ImagingFormSet", "PatientForm", "PatientSearchForm", "VisitForm"]
