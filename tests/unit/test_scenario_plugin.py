"""The scenario plugin (tests/scenarios/conftest.py) run by pytest on temporary files: a malformed file is
a collection error naming the file, the field and its line; a failing scenario reports expected vs actual."""

import shutil
import subprocess
import sys
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[1] / "scenarios" / "conftest.py"

PASSING = """\
procedure: cn_design
scenarios:
  - name: design filed after the revision
    steps:
      - {on: 2021-06-01, action: file}
      - expect: {state: filed, facts: {filing_date: 2021-06-01}, time_limits: {}}
"""

FAILING = """\
procedure: us_utility
scenarios:
  - name: wrong due date
    steps:
      - {on: 2023-01-23, action: file}
      - {on: 2023-06-06, action: restriction_requirement}
      - expect: {state: restriction_required, time_limits: {reply_to_restriction: 2023-08-06}}
  - name: wrong refusal
    steps:
      - {on: 2023-01-23, action: file, refused: "not allowed"}
"""

MALFORMED = {
    "bad_date.yaml": ("procedure: cn_invention\nscenarios:\n  - name: x\n    steps:\n"
                      "      - {on: 2024-02-30, action: file}\n",
                      "scenarios[0].steps[0].on (line 5): expected a date YYYY-MM-DD, got '2024-02-30'"),
    "bad_action.yaml": ("procedure: cn_invention\nscenarios:\n  - name: x\n    steps:\n"
                        "      - {on: 2024-02-01, action: fiel}\n",
                        "scenarios[0].steps[0].action (line 5): 'fiel' is not an action of cn_invention"),
    "bad_procedure.yaml": ("procedure: cn_patent\nscenarios:\n  - name: x\n    steps:\n      - {job: 2024-01-01}\n",
                           "scenarios[0].procedure (line 3): unknown procedure 'cn_patent'; expected one of"),
    "bad_state.yaml": ("procedure: us_utility\nscenarios:\n  - name: x\n    steps:\n"
                       "      - {on: 2024-02-01, action: file}\n      - expect: {state: granted}\n",
                       "scenarios[0].steps[1].expect.state (line 6): 'granted' is not a state of us_utility"),
    "bad_key.yaml": ("procedure: us_utility\nscenarios:\n  - name: x\n    steps:\n"
                     "      - {on: 2024-02-01, action: file, date: 2024-02-01}\n",
                     "scenarios[0].steps[0].date (line 5): unknown key; "
                     "expected action, by, on, payload, reason, received, refused"),
    "bad_step.yaml": ("procedure: us_utility\nscenarios:\n  - name: x\n    steps:\n      - {on: 2024-02-01}\n",
                      "scenarios[0].steps[0] (line 5): expected exactly one of 'action', 'job' or 'expect'"),
    "no_scenarios.yaml": ("procedure: us_utility\n", "scenarios (line 1): expected a non-empty list of scenarios"),
}


def test_collection_errors_and_failure_messages(tmp_path):
    shutil.copy(PLUGIN, tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "passing.yaml").write_text(PASSING, encoding="utf-8")
    (tmp_path / "failing.yaml").write_text(FAILING, encoding="utf-8")
    for name, (text, _) in MALFORMED.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--continue-on-collection-errors", "-q", "-rN"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "2 failed, 1 passed, 7 errors" in output
    for name, (_, message) in MALFORMED.items():
        assert f"malformed scenario file: {tmp_path / name}: {message}" in output
    assert ("scenario 'wrong due date' (us_utility), step 3 (scenarios[0].steps[2], line 7):\n"
            "  time_limits.reply_to_restriction.due: expected '2023-08-06', got '2023-08-07'") in output
    assert "open time limits: reply_to_restriction due 2023-08-07 (with extensions 2023-12-06)" in output
    assert ("file on 2023-01-23: expected a refusal containing 'not allowed', but it was applied "
            "(state 'awaiting_examination')") in output
