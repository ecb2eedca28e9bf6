"""`sessions import`: a participant report from the command line, with its progress on stderr."""

from pathlib import Path

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import Participant
from compliance.services import user_admin
from compliance.services.accounts import user_by_email
from tests.app.journey import signed_session
from tests.app.test_api_import import CHICAGO, REPORTS, roster_of, session_for


def import_args(session_id: str, report: Path, email: str = "sam@example.org") -> list[str]:
    return ["sessions", "import", session_id, str(report), "--as", email]


def test_a_report_is_imported_with_progress_on_stderr_and_the_result_on_stdout(runner, facilitator):
    session = session_for(facilitator, *CHICAGO)
    result = runner.invoke(args=import_args(session["id"], REPORTS / "zoom-participants.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 5 zoom rows: 4 people into session {session['id']}.\n"
    progress = result.stderr.splitlines()
    assert progress[0].startswith("Reading the report (") and "bytes)…" in progress[0]
    assert "Matching the people of 5 zoom rows to the roster: 0/4 (0%)" in progress
    assert any(
        line.startswith("Matching the people of 5 zoom rows to the roster: 4/4 (100%), done in")
        for line in progress
    )
    assert progress[-1].startswith("Writing 4 new people and 5 intervals… done in")
    minutes = {
        name: a["present_minutes"] for name, a in roster_of(facilitator, session["id"]).items()
    }
    assert minutes == {"Sam R.": 60, "Dana K": 58, "iPhone de José": 27, "Morgan, L.": 60}


def test_a_bad_report_names_its_line_and_changes_nothing(runner, facilitator, tmp_path):
    session = session_for(facilitator, *CHICAGO)
    lines = (REPORTS / "zoom-participants.csv").read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6].replace("3/4/2025 7:33:02 PM", "3/44/2025 7:33:02 PM")
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=import_args(session["id"], broken))
    assert result.exit_code == 1
    assert "line 7" in result.stderr and "Nothing was changed" in result.stderr
    assert "done" not in result.stderr and result.stdout == ""
    assert roster_of(facilitator, session["id"]) == {}


def test_only_a_facilitator_of_the_meeting_can_import_into_its_session(
    app, runner, facilitator, other_facilitator
):
    session = session_for(facilitator, *CHICAGO)
    report = REPORTS / "zoom-participants.csv"
    stranger = runner.invoke(args=import_args(session["id"], report, "alex@example.org"))
    assert stranger.exit_code == 1 and "no session with this id" in stranger.stderr
    unknown = runner.invoke(args=import_args(session["id"], report, "nobody@example.org"))
    assert unknown.exit_code == 1 and "no user has the email" in unknown.stderr
    with app.app_context():
        user_admin.set_active(user_by_email("sam@example.org"), False)
    deactivated = runner.invoke(args=import_args(session["id"], report))
    assert deactivated.exit_code == 1 and "sam@example.org is deactivated" in deactivated.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0


def test_a_signed_session_takes_no_more_imports(runner, facilitator):
    session, _ = signed_session(facilitator)
    result = runner.invoke(args=import_args(session["id"], REPORTS / "zoom-participants.csv"))
    assert result.exit_code == 1 and "signed" in result.stderr
