"""Batch runs: input order, serial equals parallel, duplicates, resume bookkeeping."""
from __future__ import annotations

import json
import pickle
import weakref
from pathlib import Path

import pytest

from rasad import batch
from rasad.ingest.readers import Item, iter_inputs
from rasad.pipeline import make_article

SENTENCES = [
    "قتل ثلاثة عناصر من قوات الأمن في هجوم على حاجز قرب بلدة الشحيل مساء أمس.",
    "أصيب أربعة جنود بانفجار عبوة ناسفة بدورية على طريق المزيريب صباح اليوم.",
    "اعتقلت القوات خمسة أشخاص يشتبه بانتمائهم إلى خلية مسلحة في الموصل.",
    "قتل مدنيان برصاص مسلحين مجهولين في بلدة ذيبان ليلة أمس.",
]


def _items(count: int) -> list[Item]:
    items = []
    for number in range(count):
        if number % 7 == 3:
            items.append(Item(source="mix.jsonl", line=number + 1, error="not JSON"))
            continue
        text = f"{SENTENCES[number % 4]} الخبر رقم {number}."
        article = make_article(f"a{number}", text, "2023-03-14")
        items.append(Item(source="mix.jsonl", line=number + 1, id=article.id, article=article))
    return items


def _summary(outcomes: list[batch.Outcome]) -> list[tuple[str, str | None, object]]:
    return [(o.status, o.id, o.record) for o in outcomes]


def test_serial_and_parallel_runs_give_the_same_outcomes_in_input_order() -> None:
    items = _items(60)
    serial = list(batch.run(items, jobs=1))
    parallel = list(batch.run(items, jobs=2, chunk_size=4))
    assert _summary(serial) == _summary(parallel)
    assert [o.where for o in parallel] == [i.where for i in items]


def test_failed_items_pass_through_with_their_reason() -> None:
    outcomes = list(batch.run(_items(8), jobs=2, chunk_size=3))
    assert [(o.status, o.reason) for o in outcomes if o.status != "processed"] == \
        [("failed", "not JSON")]


def test_outcomes_survive_pickling() -> None:
    (outcome,) = batch.run(_items(1), options=batch.WorkerOptions(keep_article=True))
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    assert outcome.article is not None and outcome.result is not None


def _processed(item_id: str, text: str, url: str | None = None) -> batch.Outcome:
    article = make_article(item_id, text, None, url=url)
    (outcome,) = batch.run([Item(source="x", id=item_id, article=article)])
    return outcome


def test_duplicates_by_url_and_by_text_are_skipped_and_counted() -> None:
    report = batch.RunReport()
    admitted = [report.admit(o) for o in (
        _processed("a", SENTENCES[0], url="https://x.example/1"),
        _processed("b", SENTENCES[1], url="https://x.example/1/"),
        _processed("c", "  " + SENTENCES[0].replace(" ", "  ")),
        _processed("d", SENTENCES[2]),
    )]
    assert admitted == [True, False, False, True]
    assert (report.processed, report.duplicate_url, report.duplicate_text) == (2, 1, 1)


def test_a_reused_id_with_different_text_is_a_failure() -> None:
    report = batch.RunReport()
    assert report.admit(_processed("same", SENTENCES[0]))
    assert not report.admit(_processed("same", SENTENCES[1]))
    assert report.failures[0]["reason"] == "id 'same' already used by an earlier article"


def test_resumed_items_are_not_processed_but_still_count_for_duplicates() -> None:
    items = _items(5)
    outcomes = list(batch.run(items, done_ids={"a0", "a1"}))
    assert [o.status for o in outcomes[:3]] == ["resumed", "resumed", "processed"]
    assert outcomes[0].record is None and outcomes[0].text_hash


def test_resume_point_cuts_a_half_written_last_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    good = "".join(json.dumps({"id": f"a{n}", "events": []}) + "\n" for n in range(3))
    out.write_text(good + '{"id": "a3", "eve', encoding="utf-8")
    assert batch.resume_point(out) == {"a0", "a1", "a2"}
    assert out.read_text(encoding="utf-8") == good


def test_resume_point_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert batch.resume_point(tmp_path / "none.jsonl") == set()


def test_a_batch_with_broken_files_processes_every_good_one(tmp_path: Path) -> None:
    for number, text in enumerate(SENTENCES):
        (tmp_path / f"good{number}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "broken.jsonl").write_text('{"id": "j1", "text": "قتل"}\n{oops\n', "utf-8")
    report = batch.RunReport()
    for outcome in batch.run(iter_inputs([str(tmp_path)]), jobs=2):
        report.admit(outcome)
    assert report.processed == 5
    assert sorted(f["reason"].split(" (")[0] for f in report.failures) == \
        ["binary file", "empty file", "not JSON"]


def test_collector_still_frees_cycles_after_warm_up() -> None:
    """warm_up tunes the garbage collector for batches; reference cycles that later code
    leaves behind must still be freed automatically, so memory stays bounded."""
    assert batch.warm_up() is None

    class Node:
        def __init__(self) -> None:
            self.other: Node = self

    refs = [weakref.ref(Node()) for _ in range(50_000)]
    alive = sum(1 for ref in refs if ref() is not None)
    assert alive < 20_000


@pytest.mark.parametrize("jobs", [1, 2])
def test_default_jobs_and_warm_up_work(jobs: int) -> None:
    assert batch.default_jobs() >= 1
    assert batch.warm_up() is None
