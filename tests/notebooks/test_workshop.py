"""The workshop guide (notebooks/workshop.md): its minutes add up, its schedules
fill their sessions exactly, and it links to every chapter; the README gets a
learner started."""

import re
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
GUIDE = (NOTEBOOKS / "workshop.md").read_text()
README = (ROOT / "README.md").read_text()
SESSIONS = {"3-hour session": 180, "90-minute session": 90}
ROW = re.compile(r"^\| (\d+):(\d\d) \| (.*?) \| (.*?) \| (.*?) \|$", re.M)
MINUTES_ROW = re.compile(r"^\| \[[^\]]*\]\((\d\d_\w+)\.ipynb\) \| (\d+) \| (\d+) \|", re.M)


def chapter_minutes(guide: str) -> dict[str, tuple[int, int]]:
    """{'01_aggregates': (25, 10)}: teaching and exercise minutes from the guide's "Minutes per chapter"."""
    return {name: (int(teach), int(exercises)) for name, teach, exercises in MINUTES_ROW.findall(guide)}


def section(text: str, heading: str) -> str:
    """The text under a `## heading`, up to the next one."""
    return re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)[1]


def test_every_chapter_has_teaching_and_exercise_minutes_that_add_up_to_its_total():
    table = section(GUIDE, "Minutes per chapter")
    rows = re.findall(r"^\| \[.*?\]\((\d\d_\w+)\.ipynb\) \| (\d+) \| (\d+) \| (\d+) \|$", table, re.M)
    names = [name for name, *_ in rows]
    assert names == [f"{number:02}_{name[3:]}" for number, name in enumerate(names)], "in chapter order"
    assert {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")} <= set(names), "every chapter is in the table"
    assert all(int(teach) + int(exercises) == int(total) for _, teach, exercises, total in rows)
    stated = int(re.search(r"The whole course takes (\d+) minutes", table)[1])
    assert sum(int(total) for *_, total in rows) == stated
    assert chapter_minutes(GUIDE) == {name: (int(t), int(e)) for name, t, e, _ in rows}


def test_the_readme_course_map_gives_each_chapter_the_same_minutes():
    readme = dict(re.findall(r"^\| \[.*?\]\(notebooks/(\d\d_\w+)\.ipynb\) \|.*\| (\d+) \|$", README, re.M))
    assert {name: sum(minutes) for name, minutes in chapter_minutes(GUIDE).items()} == {
        name: int(minutes) for name, minutes in readme.items()
    }


@pytest.mark.parametrize(("heading", "length"), SESSIONS.items())
def test_a_schedule_fills_its_session_and_gives_each_chapter_its_minutes(heading, length):
    minutes = chapter_minutes(GUIDE)
    rows = [
        (int(h) * 60 + int(m), block, teach, exercises)
        for h, m, block, teach, exercises in ROW.findall(section(GUIDE, heading))
    ]
    assert rows[0][0] == 0
    assert rows[-1][0] == length
    assert rows[-1][1] == "End"
    chapters = 0
    for (start, block, teach, exercises), (end, *_) in pairwise(rows):
        assert end > start, f"{heading}: times go forward"
        link = re.match(r"\[.*?\]\((\d\d_\w+)\.ipynb\)", block)
        if link:
            chapters += 1
            teaching, exercising = minutes[link[1]]
            assert int(teach) == teaching, f"{heading}: {link[1]} is taught in full"
            assert int(exercises) in {0, exercising}, f"{heading}: {link[1]}: all its exercises, or none"
            assert end - start == int(teach) + int(exercises), f"{heading}: {link[1]} gets its minutes"
    assert chapters >= 3  # the 90-minute session teaches 01-03


def test_every_link_in_the_guide_goes_to_a_chapter_notebook():
    targets = set(re.findall(r"\]\(([^)]+)\)", GUIDE))
    assert targets
    assert [target for target in sorted(targets) if not (NOTEBOOKS / target).is_file()] == []


def test_readme_shows_launch_badges_the_first_five_minutes_and_the_handout_commands():
    assert "https://mybinder.org/v2/gh/" in README
    assert "urlpath=lab/tree/notebooks/00_index.ipynb" in README
    assert "colab.research.google.com" in README
    first_five = section(README, "First five minutes")
    assert "python -m course.environment" in first_five
    assert "jupyter lab notebooks/00_index.ipynb" in first_five
    handouts = section(README, "Workshop handouts")
    assert "jupyter-book build . --path-output handouts/student\n" in handouts
    assert "python -m course.handouts handouts/student\n" in handouts
    before = section(GUIDE, "Before the session")
    assert "jupyter-book build . --path-output handouts/student" in before
    assert "python -m course.handouts handouts/student" in before
