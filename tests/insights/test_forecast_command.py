"""`taybac forecast` end to end on a small file: the forecasts file, the models file beside it, and a clear
message with exit status 2 for each kind of bad input."""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from taybac.insights.management.commands.forecast import models_path

MONDAY = datetime.date(2023, 1, 2)


def demand_file(tmp_path: Path) -> Path:
    lines = ["series_id,date,quantity"]
    for k in range(110):
        day = MONDAY + datetime.timedelta(weeks=k)
        lines.append(f"chè-lào-cai,{day},{60 + 25 * math.sin(2 * math.pi * k / 52) + (k % 3):.1f}")
    for k in range(8):
        lines.append(f"mật-ong-mới,{MONDAY + datetime.timedelta(weeks=k)},{10 + 2 * k}")
    for m in range(30):
        lines.append(f"mận,{2022 + m // 12}-{m % 12 + 1:02d}-01,{40 + 30 * (m % 12 in (4, 5))}")
    source = tmp_path / "demand.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_forecast_writes_h_rows_per_series_and_the_models_file(tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "out.csv"
    call_command(
        "forecast", "--input", str(demand_file(tmp_path)), "--horizon", "4", "--output", str(target), stdout=out
    )
    rows = read(target)
    assert list(rows[0]) == ["series_id", "date", "forecast"]
    by_series: dict[str, list[str]] = {}
    for row in rows:
        by_series.setdefault(row["series_id"], []).append(row["date"])
        assert float(row["forecast"]) >= 0
    assert by_series["chè-lào-cai"] == [str(MONDAY + datetime.timedelta(weeks=110 + k)) for k in range(4)]
    assert by_series["mật-ong-mới"] == ["2023-02-27", "2023-03-06", "2023-03-13", "2023-03-20"]
    assert by_series["mận"] == ["2024-07-01", "2024-08-01", "2024-09-01", "2024-10-01"]
    models = {row["series_id"]: row for row in read(tmp_path / "out.models.csv")}
    assert models["chè-lào-cai"]["baseline"] == "seasonal_naive" and models["chè-lào-cai"]["frequency"] == "weekly"
    assert models["mật-ong-mới"]["baseline"] == "naive"  # 8 weeks: too short for a yearly season
    assert models["mận"]["frequency"] == "monthly"
    for row in models.values():
        assert row["beats_baseline"] in {"yes", "no"}
        if row["beats_baseline"] == "yes":
            assert float(row["mase"]) < float(row["baseline_mase"])
    assert "3 series, 4 periods each" in out.getvalue()


def test_models_file_name() -> None:
    assert models_path(Path("/x/out.csv")) == Path("/x/out.models.csv")
    assert models_path(Path("result")) == Path("result.models.csv")


@pytest.mark.parametrize(
    ("text", "horizon", "expected"),
    [
        ("series_id,date,quantity\na,2024-01-01,-5\n", "4", "Dòng 2: số lượng '-5' âm"),
        ("series_id,date,quantity\na,2024-01-01,1\na,2024-01-01,2\n", "4", "trùng ngày"),
        ("id,ngay,sl\n", "4", "Dòng 1: tiêu đề"),
        ("series_id,date,quantity\na,2024-01-01,1\n", "0", "Số kỳ dự báo phải từ 1 đến 104"),
    ],
)
def test_bad_input_stops_with_a_clear_message(tmp_path: Path, text: str, horizon: str, expected: str) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("forecast", "--input", str(source), "--horizon", horizon, "--output", str(tmp_path / "o.csv"))
    assert expected in str(caught.value) and caught.value.returncode == 2
    assert not (tmp_path / "o.csv").exists()


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "latin1.csv").write_bytes("series_id,date,quantity\nch\xe8,2024-01-01,1\n".encode("latin-1"))
    for name in ("missing.csv", "latin1.csv"):
        with pytest.raises(CommandError, match="cannot read"):
            call_command(
                "forecast", "--input", str(tmp_path / name), "--horizon", "2", "--output", str(tmp_path / "o.csv")
            )


def test_console_script_exits_non_zero_with_the_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("series_id,date,quantity\na,2024-01-01,nhiều\n", encoding="utf-8")
    taybac = Path(sys.executable).with_name("taybac")
    env = {**os.environ, "TAYBAC_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [str(taybac), "forecast", "--input", str(source), "--horizon", "3", "--output", str(tmp_path / "o.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Dòng 2: số lượng 'nhiều' không phải số" in done.stderr
    assert "\r" not in done.stderr  # no progress bar when stderr is not a terminal
