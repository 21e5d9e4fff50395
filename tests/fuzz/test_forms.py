"""Hostile input to every form of the app, as every role, through the real test client with CSRF.

For each role a crawler follows the links that role sees (menu, home page, lists, records of every
area) and collects every form; hypothesis then posts random, hostile and oversized values, wrong
types, repeated keys and missing fields to each. The properties, for every example:

* the app never answers 5xx (TESTING propagates the exception, so a crash fails with its traceback);
* a hostile marker never comes back unescaped in an HTML page;
* a refused post (4xx, a re-rendered form, or a redirect with an error message) stores nothing:
  the row count of every table but the audit log is unchanged;
* a re-rendered form says what is wrong (a field error, the error summary or an error message).
"""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from barrier.db import db as _db
from barrier.models import Gemeente, Role, User
from tests.conftest import TEST_PASSWORD, Browser, csrf_token_from
from tests.fuzz.conftest import DERANDOMIZE, EXAMPLES, TALLY
from tests.fuzz.forms import FormSpec, crawl
from tests.fuzz.strategies import MISSING, XSS_MARKERS, field_value, scalar, upload

# What a refusal shows; a warning notice may also stand on a result page (a new API key shown once).
REFUSAL_SIGNS = ("field__error", "error-summary", "alert--danger", "Foutcode")
ERROR_SIGNS = (*REFUSAL_SIGNS, "alert--warning")
REFUSED = {400, 403, 404, 405, 409, 413, 422, 429}

# Forms that can come back without a visible message, each reported to its area.
KNOWN_SILENT = {
    # A stale "vragen van het LBB" form posted while questions are already open: the page then shows
    # the answers form, and the questions form with its error is not on it (Bibob area).
    "POST /bibob/dossiers/<id>/lbb/<id>/vragen",
}


def form_path(target: str) -> str:
    return target.split(" [")[0]


# Beheerder last: its user-administration fuzzing may change other accounts.
ROLES = [Role.VERGUNNINGVERLENER, Role.BIBOB_COORDINATOR, Role.TOEZICHTHOUDER, Role.AANDACHTFUNCTIONARIS,
         Role.KETENREGISSEUR, Role.BEHEERDER]


class FuzzUser:
    """A logged-in test client for one fresh account; logs in again when a post ended the session."""

    def __init__(self, app, role: Role):
        self.app = app
        self.email = f"fuzz-{role.value}@fuzz.test"
        with app.app_context():
            from barrier.auth.services import create_user

            gemeente = None if role.is_regional or role is Role.BEHEERDER else _db.session.scalar(
                select(Gemeente).where(Gemeente.cbs_code == "GM0106"))
            user = _db.session.scalar(select(User).where(User.email == self.email))
            if user is None:
                user = create_user(email=self.email, full_name=f"Fuzz {role.label}", password=TEST_PASSWORD,
                                   role=role, gemeente_id=gemeente.id if gemeente else None)
            self.user_id = user.id
            _db.session.commit()
        self.login()

    def login(self) -> None:
        with self.app.app_context():
            from barrier.auth.services import hash_password

            # A fuzzed post may have changed this very account (its own password, e-mail, lock-out).
            user = _db.session.get(User, self.user_id)
            user.email, user.is_active_account, user.failed_login_count, user.locked_until = self.email, True, 0, None
            user.password_hash = hash_password(TEST_PASSWORD)
            _db.session.commit()
        self.browser = Browser(self.app.test_client())
        self.browser.login(SimpleNamespace(email=self.email))
        self.token = csrf_token_from(self.browser.get("/").get_data(as_text=True))

    @property
    def client(self):
        return self.browser.client

    def take_flashes(self) -> list[tuple[str, str]]:
        with self.client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
        return flashes


def _payload(form: FormSpec, data) -> tuple[dict, dict]:
    fields: dict[str, list] = {}
    for name, original in form.fields.items():
        if name == "csrf_token":
            continue
        choices = [v for v in form.options.get(name, []) if v]
        strategy = field_value(original)
        if choices:
            strategy = st.one_of(st.sampled_from(choices).map(lambda v: [v]), strategy)
        value = data.draw(strategy, label=name)
        if value is not MISSING:
            fields[name] = value
    files = {}
    for name in form.files:
        if data.draw(st.booleans(), label=f"{name}?"):
            content, filename = data.draw(upload(), label=name)
            files[name] = (io.BytesIO(content), filename.replace('"', "").replace("\r", "").replace("\n", ""))
    return fields, files


def _fuzz_form(app, user: FuzzUser, form: FormSpec, row_counts, examples: int = EXAMPLES) -> None:
    target = f"{form.key}"

    @settings(max_examples=examples, deadline=None, derandomize=DERANDOMIZE, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(data=st.data())
    def example(data):
        fields, files = _payload(form, data)
        if form.method == "GET":
            response = user.client.get(form.action.split("?")[0], query_string=fields)
            TALLY.add(target, response.status_code)
            assert response.status_code < 500
            _no_markers(response, target)
            return
        with_token = data.draw(st.sampled_from(["valid", "valid", "valid", "missing", "forged"]), label="csrf")
        if with_token == "valid":
            fields["csrf_token"] = [user.token]
        elif with_token == "forged":
            fields["csrf_token"] = [data.draw(scalar(), label="csrf value")]
        before = row_counts()
        body = dict(fields)
        for name, file in files.items():
            body[name] = file
        response = user.client.post(form.action, data=body, content_type=None if not files else "multipart/form-data",
                                    headers={"Referer": "https://localhost" + form.page})
        status = response.status_code
        TALLY.add(target, status)
        assert status < 500, (target, status)
        _no_markers(response, target)
        flashes = user.take_flashes()
        is_html = response.mimetype == "text/html"
        page = response.get_data(as_text=True) if is_html else ""
        says_why = any(sign in page for sign in ERROR_SIGNS)
        shows_refusal = any(sign in page for sign in REFUSAL_SIGNS)
        after = row_counts()
        changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
        # Refused: an error status, a page that names the errors, or a redirect with an error message.
        # (A 200 page without errors that stored something is a result page, e.g. a new API key shown once.)
        refused = (status in REFUSED or shows_refusal
                   or (status in (302, 303) and any(category == "danger" for category, _ in flashes)))
        if with_token != "valid":
            assert status == 400, f"{target}: a post without a valid CSRF token answered {status}"
        if refused:
            assert not changed, f"{target}: refused ({status}) but rows changed: {changed}\n{fields}"
        if status in (200, 400, 422) and is_html and not changed and form_path(target) not in KNOWN_SILENT:
            assert says_why, f"{target}: the form came back ({status}) without saying what is wrong\n{fields}"
        if status in (302, 303) and "/inloggen" in response.headers.get("Location", ""):
            user.login()  # the post ended the session (a changed password): carry on logged in

    example()


def _start_concepts(user: FuzzUser) -> None:
    """A concept of each permit type, so the crawler reaches every wizard step (from Start, Concepten)."""
    for permit_type, sub_type in (("seksinrichting", "club"), ("escortbedrijf", ""), ("verhuurvergunning", "")):
        response = user.browser.submit("/aanvragen/nieuw", {"permit_type": permit_type, "sub_type": sub_type,
                                                            "trade_name": f"Fuzz {permit_type}"})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _no_markers(response, target: str) -> None:
    if response.mimetype != "text/html":
        return
    text = response.get_data(as_text=True)
    for marker in XSS_MARKERS:
        assert marker not in text, f"{target}: {marker!r} came back unescaped"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_every_form_a_role_can_reach_survives_hostile_input(fuzz_app, row_counts, role):
    user = FuzzUser(fuzz_app, role)
    if role is Role.VERGUNNINGVERLENER:
        _start_concepts(user)
    forms, pages = crawl(user.client, per_pattern=3)
    assert pages, "the crawler found no pages"
    assert forms or role is Role.KETENREGISSEUR, f"no forms found on {pages}"
    for form in forms:
        _fuzz_form(fuzz_app, user, form, row_counts)


def test_the_login_form_survives_hostile_input(fuzz_app, row_counts):
    client = fuzz_app.test_client()
    html = client.get("/inloggen").get_data(as_text=True)
    from tests.fuzz.forms import parse

    forms, _ = parse("/inloggen", html)
    login_form = next(f for f in forms if f.action.startswith("/inloggen"))
    anonymous = SimpleNamespace(client=client, token=csrf_token_from(html), take_flashes=list,
                                login=lambda: None)
    _fuzz_form(fuzz_app, anonymous, login_form, row_counts, examples=max(EXAMPLES, 40))
