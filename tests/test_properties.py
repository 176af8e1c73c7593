"""Properties that must hold for any input text, checked on generated text."""
from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasad.pipeline import make_article, process_article

ARABIC_BITS = st.sampled_from([
    "قتل", "مقتل", "3", "٥", "عشرات", "بينهم", "أطفال", "في", "مدينة", "الرقة", "حلب",
    "أمس", "الاثنين", "منذ", "مطلع", "العام", "غارة", "اشتباكات", "داعش", "قسد", "د ا ع ش",
    "،", ".", "\n", " ", "-", "(", ")", "ـ", "ً", "واعتقال", "آخر", "وأصيب", "جرحى", "ألف",
    "2022.12.27", "كانون الأول", "حصيلة", "إلى", "نفى", "هجوم", "على", "حاجز", "ريف", "الشرقي",
])
TEXTS = st.lists(ARABIC_BITS, max_size=60).map(" ".join) | st.text(max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_a_result_with_evidence_inside_it(text: str) -> None:
    result = process_article(make_article("p", text, "2023-03-10")).to_dict()
    for record in result["events"] + result["statistics"]:
        for span in record["evidence"]:
            assert 0 <= span["start"] < span["end"] <= len(text)


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_events_are_schema_coded(text: str) -> None:
    from rasad.evaluate import EVENT_TYPES

    for event in process_article(make_article("p", text, "2023-03-10")).events:
        assert event.sub_event_type in EVENT_TYPES[event.event_type]
        assert event.fatalities >= 0


def test_results_pickle_for_worker_processes() -> None:
    text = "قتل ثلاثة مدنيين في غارة على مدينة أريحا أمس."
    result = process_article(make_article("p", text, "2023-03-10"))
    assert pickle.loads(pickle.dumps(result)).to_dict() == result.to_dict()
