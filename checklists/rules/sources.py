"""The source registry of RULES.md §2: every key a flag or recommendation cites, as data.

The app seeds its editable Source table from this; the rules only ever refer to the keys.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    date: str
    summary: str
    document: str = ""  # file name under shared/clinical/sources/, for the patient-information documents


SOURCES = (
    Source(
        "ACS-2016",
        "Signs and Symptoms of Bone Metastasis",
        "American Cancer Society",
        "last medical review 2 May 2016",
        "Tell the care team right away about any new pain that might come from a bone; pain tends to be worse "
        "at night. Fractures cause sudden severe pain that may keep you from moving. Back or neck pain, "
        "numbness, weakness, trouble urinating and constipation can mean spinal cord compression, which can "
        "paralyse if not treated right away. High calcium causes constipation, nausea, loss of appetite, "
        "thirst, more urine, dehydration, tiredness, weakness, sleepiness, confusion and even coma.",
        "000_9d12ba2cc555b126.txt",
    ),
    Source(
        "MAYO-2022",
        "Bone metastasis (patient page)",
        "Mayo Clinic",
        "27 April 2022",
        "Nearly any cancer can spread to bone. Signs include bone pain, broken bones, urinary and bowel "
        "incontinence, weakness in the legs or arms, and high calcium causing nausea, vomiting, constipation "
        "and confusion.",
        "001_56539ca328bb1ac4.txt",
    ),
    Source(
        "WEBMD-2021",
        "Bone metastasis (slideshow)",
        "WebMD",
        "medically reviewed 20 June 2021",
        "Pain is often the first sign and is usually worse at night. Spinal metastases can press on the cord "
        "(weakness, numbness, trouble going to the bathroom) and paralyse if not treated right away. Everyday "
        "activities such as coughing or sitting down can break a weakened bone, with sudden sharp pain. X-ray, "
        "bone scan, CT, MRI and PET find metastases; bone-strengthening drugs can cause jawbone death.",
        "002_4363467d2cb82d6a.txt",
    ),
    Source(
        "CRUK-2013",
        "Symptoms and treatment of secondary bone cancer",
        "Cancer Research UK",
        "updated 19 September 2013",
        "Leg weakness, numbness or continence problems may be the cancer pressing on the spinal cord: "
        "\u201cThis is an emergency.\u201d Raised calcium causes confusion, vomiting, kidney stones and "
        "constipation; marrow crowding causes anaemia, infections, bruising and bleeding.",
        "003_63da445a065be6ce.txt",
    ),
    Source(
        "BCO",
        "Bone Metastasis: Symptoms and Diagnosis",
        "Breastcancer.org",
        "undated web page",
        "A sudden, noticeable new pain is the most common symptom; pain as bad or worse at rest or lying down is "
        "a warning sign \u2014 don't wait to get it checked. Sudden severe pain with inability to move can be a "
        "fracture; back or neck pain, numbness, weakness or trouble passing urine can be cord compression; "
        "fatigue, weakness, nausea, loss of appetite and dehydration can be high calcium. Imaging and blood tests "
        "for calcium and ALP are used to diagnose.",
        "004_065a32b97177e2fa.txt",
    ),
    Source(
        "NICE-CG75",
        "Metastatic spinal cord compression (CG75), key priorities",
        "NICE",
        "2008",
        "Spinal pain suggestive of metastases: contact the MSCC coordinator urgently (within 24 hours). "
        "Neurological symptoms: contact immediately \u2014 an oncological emergency.",
    ),
    Source(
        "NICE-NG234",
        "Spinal metastases and metastatic spinal cord compression (NG234) and QS56",
        "NICE",
        "2023",
        "Suspected MSCC with neurological symptoms: whole-spine MRI and a treatment plan within 24 hours. "
        "Spinal pain without neurology: whole-spine MRI and a plan within 1 week. Replaces CG75.",
    ),
    Source(
        "CTCAE-v5",
        "Common Terminology Criteria for Adverse Events v5.0",
        "US National Cancer Institute",
        "2017",
        "Grades of \u201cHypercalcemia\u201d (corrected serum calcium or ionized calcium) and of "
        "\u201cAlkaline phosphatase increased\u201d (multiples of ULN, or of baseline when the baseline was "
        "abnormal).",
    ),
    Source(
        "PAYNE",
        "Albumin-adjusted calcium",
        "Payne RB et al., BMJ 1973;4:643; StatPearls \u201cHypercalcemia\u201d",
        "1973",
        "Corrected calcium = Ca + 0.8 \u00d7 (4.0 \u2212 albumin g/dL) in mg/dL, or Ca + 0.02 \u00d7 "
        "(40 \u2212 albumin g/L) in mmol/L, as used clinically (the 1973 paper used a slope of 1.0).",
    ),
    Source(
        "MIRELS-1989",
        "Metastatic disease in long bones",
        "Mirels H. Clin Orthop Relat Res 1989;(249):256\u2013264",
        "1989",
        "Scores site, pain, lesion type and size (4\u201312) to estimate the risk of pathological fracture of a "
        "long bone; the paper advised prophylactic fixation at 8 or more.",
    ),
    Source(
        "SINS-2010",
        "Spinal Instability Neoplastic Score",
        "Fisher CG et al. Spine 2010;35:E1221; Fourney DR et al. J Clin Oncol 2011;29:3072",
        "2010",
        "Scores location, pain, lesion, alignment, collapse and posterolateral involvement (0\u201318): "
        "0\u20136 stable, 7\u201312 potentially unstable, 13\u201318 unstable; 7 or more warrants a surgical "
        "opinion.",
    ),
    Source(
        "XGEVA-LABEL",
        "Xgeva (denosumab) prescribing information: warnings",
        "Amgen",
        "current label",
        "Osteonecrosis of the jaw can occur with denosumab and other antiresorptives: jaw pain, exposed bone, "
        "non-healing extraction sockets. Refer for oral assessment and tell the prescriber.",
    ),
)

SOURCES_BY_KEY = {source.key: source for source in SOURCES}
