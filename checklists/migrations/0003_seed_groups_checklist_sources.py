"""Seed what the app needs from the start: the two roles, checklist version 1 and the source citations.

The rows are a snapshot written out here (not imported from the rules) so this migration never changes.
"""

from django.db import migrations

GROUPS = ("Clinic staff", "Clinic admin")

# (key, section, wording) of RULES.md §3, in screen order.
BUILTIN_ITEMS = [   ('bone_pain_new', 'bone_pain', 'New bone pain, or pain at a new site?'),
    ('bone_pain_worse_at_rest_or_night', 'bone_pain', 'Pain worse at night, at rest or lying down?'),
    ('spinal_pain_new', 'bone_pain', 'New or worsening pain in the back or neck?'),
    ('sudden_severe_pain', 'fracture', 'Sudden severe pain?'),
    ('unable_to_move_affected_part', 'fracture', 'Unable to move or bear weight on the painful part?'),
    (   'pain_after_minor_activity',
        'fracture',
        'Did it start with an everyday activity (coughing, sitting down, lifting)?'),
    ('limb_weakness', 'spinal_cord', 'New weakness in the legs or arms?'),
    ('numbness', 'spinal_cord', 'New numbness or tingling in an area of the body?'),
    ('difficulty_walking', 'spinal_cord', 'New difficulty walking?'),
    ('urinary_difficulty', 'spinal_cord', 'New trouble passing urine?'),
    ('urinary_incontinence', 'spinal_cord', 'Loss of bladder control?'),
    ('bowel_incontinence', 'spinal_cord', 'Loss of bowel control?'),
    ('constipation_new', 'high_calcium', 'New constipation?'),
    ('nausea', 'high_calcium', 'Nausea?'),
    ('vomiting', 'high_calcium', 'Vomiting?'),
    ('loss_of_appetite', 'high_calcium', 'Loss of appetite?'),
    ('extreme_thirst', 'high_calcium', 'Extreme thirst?'),
    ('polyuria', 'high_calcium', 'Passing much more urine than usual?'),
    ('dehydration', 'high_calcium', 'Signs of dehydration?'),
    ('fatigue', 'high_calcium', 'Unusual tiredness?'),
    ('generalised_weakness', 'high_calcium', 'General weakness (all over, not one limb)?'),
    ('kidney_stones', 'high_calcium', 'Kidney stones?'),
    ('confusion', 'high_calcium', 'New confusion?'),
    ('drowsiness', 'high_calcium', 'Unusually sleepy or drowsy?'),
    ('unresponsive_or_coma', 'high_calcium', 'Unresponsive, or hard to rouse?'),
    ('bruising_or_bleeding', 'blood_counts', 'Unusual bruising or bleeding?'),
    ('frequent_infections', 'blood_counts', 'Frequent or repeated infections?'),
    ('jaw_symptoms', 'treatment', "Jaw pain, exposed bone in the mouth, gum ulcer or a socket that won't heal?"),
    ('hair_loss', 'treatment', 'Hair loss? (recorded; raises no flag)')]

# (key, title, publisher, date, summary, document) of RULES.md §2.
SOURCES = [   (   'ACS-2016',
        'Signs and Symptoms of Bone Metastasis',
        'American Cancer Society',
        'last medical review 2 May 2016',
        'Tell the care team right away about any new pain that might come from a bone; pain tends to be worse at '
        'night. Fractures cause sudden severe pain that may keep you from moving. Back or neck pain, numbness, '
        'weakness, trouble urinating and constipation can mean spinal cord compression, which can paralyse if not '
        'treated right away. High calcium causes constipation, nausea, loss of appetite, thirst, more urine, '
        'dehydration, tiredness, weakness, sleepiness, confusion and even coma.',
        '000_9d12ba2cc555b126.txt'),
    (   'MAYO-2022',
        'Bone metastasis (patient page)',
        'Mayo Clinic',
        '27 April 2022',
        'Nearly any cancer can spread to bone. Signs include bone pain, broken bones, urinary and bowel '
        'incontinence, weakness in the legs or arms, and high calcium causing nausea, vomiting, constipation and '
        'confusion.',
        '001_56539ca328bb1ac4.txt'),
    (   'WEBMD-2021',
        'Bone metastasis (slideshow)',
        'WebMD',
        'medically reviewed 20 June 2021',
        'Pain is often the first sign and is usually worse at night. Spinal metastases can press on the cord '
        '(weakness, numbness, trouble going to the bathroom) and paralyse if not treated right away. Everyday '
        'activities such as coughing or sitting down can break a weakened bone, with sudden sharp pain. X-ray, '
        'bone scan, CT, MRI and PET find metastases; bone-strengthening drugs can cause jawbone death.',
        '002_4363467d2cb82d6a.txt'),
    (   'CRUK-2013',
        'Symptoms and treatment of secondary bone cancer',
        'Cancer Research UK',
        'updated 19 September 2013',
        'Leg weakness, numbness or continence problems may be the cancer pressing on the spinal cord: “This is an '
        'emergency.” Raised calcium causes confusion, vomiting, kidney stones and constipation; marrow crowding '
        'causes anaemia, infections, bruising and bleeding.',
        '003_63da445a065be6ce.txt'),
    (   'BCO',
        'Bone Metastasis: Symptoms and Diagnosis',
        'Breastcancer.org',
        'undated web page',
        'A sudden, noticeable new pain is the most common symptom; pain as bad or worse at rest or lying down is a '
        "warning sign — don't wait to get it checked. Sudden severe pain with inability to move can be a fracture; "
        'back or neck pain, numbness, weakness or trouble passing urine can be cord compression; fatigue, '
        'weakness, nausea, loss of appetite and dehydration can be high calcium. Imaging and blood tests for '
        'calcium and ALP are used to diagnose.',
        '004_065a32b97177e2fa.txt'),
    (   'NICE-CG75',
        'Metastatic spinal cord compression (CG75), key priorities',
        'NICE',
        '2008',
        'Spinal pain suggestive of metastases: contact the MSCC coordinator urgently (within 24 hours). '
        'Neurological symptoms: contact immediately — an oncological emergency.',
        ''),
    (   'NICE-NG234',
        'Spinal metastases and metastatic spinal cord compression (NG234) and QS56',
        'NICE',
        '2023',
        'Suspected MSCC with neurological symptoms: whole-spine MRI and a treatment plan within 24 hours. Spinal '
        'pain without neurology: whole-spine MRI and a plan within 1 week. Replaces CG75.',
        ''),
    (   'CTCAE-v5',
        'Common Terminology Criteria for Adverse Events v5.0',
        'US National Cancer Institute',
        '2017',
        'Grades of “Hypercalcemia” (corrected serum calcium or ionized calcium) and of “Alkaline phosphatase '
        'increased” (multiples of ULN, or of baseline when the baseline was abnormal).',
        ''),
    (   'PAYNE',
        'Albumin-adjusted calcium',
        'Payne RB et al., BMJ 1973;4:643; StatPearls “Hypercalcemia”',
        '1973',
        'Corrected calcium = Ca + 0.8 × (4.0 − albumin g/dL) in mg/dL, or Ca + 0.02 × (40 − albumin g/L) in '
        'mmol/L, as used clinically (the 1973 paper used a slope of 1.0).',
        ''),
    (   'MIRELS-1989',
        'Metastatic disease in long bones',
        'Mirels H. Clin Orthop Relat Res 1989;(249):256–264',
        '1989',
        'Scores site, pain, lesion type and size (4–12) to estimate the risk of pathological fracture of a long '
        'bone; the paper advised prophylactic fixation at 8 or more.',
        ''),
    (   'SINS-2010',
        'Spinal Instability Neoplastic Score',
        'Fisher CG et al. Spine 2010;35:E1221; Fourney DR et al. J Clin Oncol 2011;29:3072',
        '2010',
        'Scores location, pain, lesion, alignment, collapse and posterolateral involvement (0–18): 0–6 stable, '
        '7–12 potentially unstable, 13–18 unstable; 7 or more warrants a surgical opinion.',
        ''),
    (   'XGEVA-LABEL',
        'Xgeva (denosumab) prescribing information: warnings',
        'Amgen',
        'current label',
        'Osteonecrosis of the jaw can occur with denosumab and other antiresorptives: jaw pain, exposed bone, '
        'non-healing extraction sockets. Refer for oral assessment and tell the prescriber.',
        '')]


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ChecklistVersion = apps.get_model("checklists", "ChecklistVersion")
    ChecklistItem = apps.get_model("checklists", "ChecklistItem")
    Source = apps.get_model("checklists", "Source")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    version, _ = ChecklistVersion.objects.get_or_create(
        number=1, defaults={"published_at": "2026-11-21T00:00:00Z", "note": "Built-in items of RULES.md section 3"}
    )
    for order, (key, section, wording) in enumerate(BUILTIN_ITEMS, start=1):
        ChecklistItem.objects.get_or_create(
            version=version, key=key,
            defaults={"section": section, "wording": wording, "order": order * 10, "is_builtin": True},
        )
    for key, title, publisher, date, summary, document in SOURCES:
        Source.objects.get_or_create(
            key=key,
            defaults={"title": title, "publisher": publisher, "date": date, "summary": summary, "document": document},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("checklists", "0002_clinics_patients_visits"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
