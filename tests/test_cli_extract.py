"""``rasad extract`` as a user meets it: inputs, bad input, exit codes, resume, reports."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rasad.cli.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "html"
TEXTS = [
    "قتل ثلاثة عناصر من قوات الأمن في هجوم على حاجز قرب بلدة الشحيل مساء أمس.",
    "أصيب أربعة جنود بانفجار عبوة ناسفة بدورية على طريق المزيريب صباح اليوم.",
    "اعتقلت القوات خمسة أشخاص يشتبه بانتمائهم إلى خلية مسلحة في الموصل.",
]


def _run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(extract, list(args), input=stdin)


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture()
def news(tmp_path: Path) -> Path:
    """A JSONL with good articles and the bad lines a user meets."""
    lines = [json.dumps({"id": "a1", "published": "2023-03-14", "text": TEXTS[0]},
                        ensure_ascii=False),
             "not json",
             json.dumps({"id": "a3", "title": "بلا نص"}, ensure_ascii=False),
             json.dumps({"id": "a4", "text": TEXTS[1]}, ensure_ascii=False),
             json.dumps({"id": "a5", "text": TEXTS[1]}, ensure_ascii=False)]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_lines_are_one_line_errors_and_the_rest_is_processed(news: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = _run(str(news), "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in _records(out)] == ["a1", "a4"]
    errors = [line for line in result.stderr.splitlines() if ".jsonl:" in line]
    assert errors == [f"rasad: {news}:2: not JSON (Expecting value at column 1)",
                      f"rasad: {news}:3: no 'text' field"]
    assert "2 processed, 1 duplicate skipped (0 same URL, 1 same text), 2 failed" in result.stderr
    assert "Traceback" not in result.output


def test_failures_are_written_beside_the_output(news: Path, tmp_path: Path) -> None:
    _run(str(news), "-o", str(tmp_path / "out.jsonl"))
    failures = _records(tmp_path / "out.failures.jsonl")
    assert [(f["line"], f["reason"]) for f in failures] == \
        [(2, "not JSON (Expecting value at column 1)"), (3, "no 'text' field")]


def test_report_file_holds_the_counts(news: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    _run(str(news), "-o", str(tmp_path / "out.jsonl"), "--report", str(report))
    data = json.loads(report.read_text("utf-8"))
    assert (data["processed"], data["duplicates_same_text"], data["failed"]) == (2, 1, 2)


@pytest.mark.parametrize(("content", "strict", "code"), [
    (b"", False, 2),
    (b"\x00\x01binary\x00", False, 2),
    (TEXTS[0].encode(), False, 0),
    (TEXTS[0].encode(), True, 1),
], ids=["only-empty", "only-binary", "some-good", "some-good-strict"])
def test_exit_status(tmp_path: Path, content: bytes, strict: bool, code: int) -> None:
    (tmp_path / "bad.txt").write_bytes(b"")
    (tmp_path / "input.txt").write_bytes(content)
    args = [str(tmp_path / "bad.txt"), str(tmp_path / "input.txt")] + (["--strict"] * strict)
    result = _run(*args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ["x.jsonl", "--resume"],
    ["x.jsonl", "--published", "yesterday"],
    ["x.jsonl", "-j", "0"],
    ["x.jsonl", "--format", "csv"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert _run(*args).exit_code == 2


def test_serial_and_parallel_output_are_identical(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"n{n}", "text": f"{TEXTS[n % 3]} رقم {n}"}, ensure_ascii=False)
             for n in range(40)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for jobs in ("1", "2"):
        _run(str(tmp_path / "many.jsonl"), "-o", str(tmp_path / f"out{jobs}.jsonl"), "-j", jobs)
    assert (tmp_path / "out1.jsonl").read_bytes() == (tmp_path / "out2.jsonl").read_bytes()
    assert len(_records(tmp_path / "out2.jsonl")) == 40


def test_resume_continues_an_interrupted_run_without_loss(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"n{n}", "text": f"{TEXTS[n % 3]} رقم {n}"}, ensure_ascii=False)
             for n in range(12)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    full, partial = tmp_path / "full.jsonl", tmp_path / "partial.jsonl"
    _run(str(tmp_path / "in.jsonl"), "-o", str(full))
    written = full.read_text("utf-8").splitlines(keepends=True)
    partial.write_text("".join(written[:5]) + written[5][:20], encoding="utf-8")
    result = _run(str(tmp_path / "in.jsonl"), "-o", str(partial), "--resume")
    assert result.exit_code == 0, result.output
    assert partial.read_bytes() == full.read_bytes()
    assert "5 already done (--resume)" in result.stderr


def test_html_records_carry_the_extracted_text(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    _run(str(FIXTURES / "pages" / "01.html"), "-o", str(out))
    (record,) = _records(out)
    assert record["id"] == "01"
    assert record["text"] == (FIXTURES / "clean" / "01.txt").read_text("utf-8").strip()


def test_include_text_adds_text_to_every_record(news: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    _run(str(news), "-o", str(out), "--include-text")
    assert [r["text"] for r in _records(out)] == [TEXTS[0], TEXTS[1]]


def test_stdin_text_with_published(tmp_path: Path) -> None:
    result = _run("-", "--published", "2022-12-27", stdin=TEXTS[2])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "stdin"


def test_db_option_stores_results(news: Path, tmp_path: Path) -> None:
    pytest.importorskip("rasad.store")
    database = tmp_path / "events.db"
    result = _run(str(news), "-o", str(tmp_path / "out.jsonl"), "--db", f"sqlite:///{database}")
    assert result.exit_code == 0, result.output
    assert database.is_file() and database.stat().st_size > 0


def test_help_explains_inputs_outputs_and_examples() -> None:
    text = _run("--help").output
    for needed in ("Examples:", "--published", "--resume", "-j, --jobs", "Exit status",
                   "standard input", ".html"):
        assert needed in text


def test_installed_command_reports_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_bytes(b"{broken\n\xff\xfe\n")
    done = subprocess.run([sys.executable, "-m", "rasad", "extract", str(tmp_path / "bad.jsonl")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "bad.jsonl:1: not JSON" in done.stderr
