"""The links themselves (crm.links.services.tokens): random, signed per purpose, kept as a
hash, one open link per subject."""

from datetime import timedelta

from sqlalchemy import select

from crm.extensions import db
from crm.links.services.tokens import LinkProblem, issue_link, open_link, use_link, void_links
from crm.models import LinkPurpose, OneTimeLink
from tests import factories


def test_the_table_keeps_a_hash_of_the_token_never_the_token(app):
    signed = issue_link(db.session, LinkPurpose.REGISTER, email="a@example.com")
    token = signed.split(".")[0]

    link = db.session.scalars(select(OneTimeLink)).one()
    assert len(token) >= 43, "32 random bytes"
    assert token not in str([getattr(link, column.key) for column in OneTimeLink.__table__.c])
    assert open_link(db.session, LinkPurpose.REGISTER, signed).link is link


def test_a_token_opens_links_of_its_own_purpose_only(app):
    user = factories.UserFactory()
    signed = issue_link(db.session, LinkPurpose.RESET, email=user.email, user=user)

    for purpose in set(LinkPurpose) - {LinkPurpose.RESET}:
        assert open_link(db.session, purpose, signed).problem is LinkProblem.INVALID


def test_an_altered_token_is_refused_before_the_database_is_asked(app, count_queries):
    signed = issue_link(db.session, LinkPurpose.REGISTER, email="a@example.com")
    token, signature = signed.split(".")
    db.session.commit()

    with count_queries() as log:
        for forged in (f"{token}x.{signature}", f"{token}.{signature[:-2]}", token, "", "…"):
            assert open_link(db.session, LinkPurpose.REGISTER, forged).problem is (
                LinkProblem.INVALID
            )
    assert log.count == 0


def test_a_new_link_voids_the_open_ones_of_its_subject_only(app):
    first, second = factories.UserFactory(), factories.UserFactory()
    old = issue_link(db.session, LinkPurpose.RESET, email=first.email, user=first)
    other = issue_link(db.session, LinkPurpose.RESET, email=second.email, user=second)
    registration = issue_link(db.session, LinkPurpose.REGISTER, email=first.email)

    new = issue_link(db.session, LinkPurpose.RESET, email=first.email, user=first)

    assert open_link(db.session, LinkPurpose.RESET, old).problem is LinkProblem.VOID
    for purpose, signed in [
        (LinkPurpose.RESET, other),
        (LinkPurpose.REGISTER, registration),
        (LinkPurpose.RESET, new),
    ]:
        assert open_link(db.session, purpose, signed).problem is None


def test_used_voided_and_expired_links_say_why(app, clock):
    user = factories.UserFactory()
    used = issue_link(db.session, LinkPurpose.EMAIL_CHANGE, email="n@example.com", user=user)
    use_link(db.session, open_link(db.session, LinkPurpose.EMAIL_CHANGE, used).link)
    voided = issue_link(db.session, LinkPurpose.RESET, email=user.email, user=user)
    void_links(db.session, LinkPurpose.RESET, user=user)
    expiring = issue_link(db.session, LinkPurpose.REGISTER, email="r@example.com")
    clock.advance(hours=24)

    assert open_link(db.session, LinkPurpose.EMAIL_CHANGE, used).problem is LinkProblem.USED
    assert open_link(db.session, LinkPurpose.RESET, voided).problem is LinkProblem.VOID
    assert open_link(db.session, LinkPurpose.REGISTER, expiring).problem is LinkProblem.EXPIRED


def test_each_purpose_has_its_lifetime(app, clock):
    customer = factories.CustomerFactory()
    signed = issue_link(db.session, LinkPurpose.INVITE, email=customer.email, customer=customer)

    link = open_link(db.session, LinkPurpose.INVITE, signed).link
    assert link.expires_at - link.created_at == timedelta(hours=72)
