"""One-time form tokens on both databases: the first submission claims the token, a repeat learns where the
first led (or that it is still being handled), a failed submission frees the token, concurrent claims of one
token have exactly one winner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from ipoffice.adapters.form_submissions import FormSubmissions


def test_a_token_is_claimed_once_and_remembers_where_it_led(engine: Engine) -> None:
    forms = FormSubmissions(engine)
    assert forms.claim("token-a-0123456789").first
    pending = forms.claim("token-a-0123456789")
    assert not pending.first and pending.target is None  # the first submission is still being handled
    forms.succeeded("token-a-0123456789", "/my/cases/202610000001.X?done=respond")
    again = forms.claim("token-a-0123456789")
    assert not again.first and again.target == "/my/cases/202610000001.X?done=respond"
    assert forms.claim("token-b-0123456789").first  # another rendering of the form is another token


def test_a_failed_submission_frees_its_token(engine: Engine) -> None:
    forms = FormSubmissions(engine)
    assert forms.claim("token-c-0123456789").first
    forms.failed("token-c-0123456789")
    assert forms.claim("token-c-0123456789").first


def test_concurrent_claims_have_one_winner(engine: Engine) -> None:
    forms = FormSubmissions(engine)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: forms.claim("token-d-0123456789").first, range(8)))
    assert results.count(True) == 1
