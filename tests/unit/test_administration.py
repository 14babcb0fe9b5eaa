"""Sites, associations and accounts as administration changes them: new events only when
something changes, and a set-password code that works once, before it expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from coordination.account import Account, BadSetUpCode
from coordination.association import Association, InvalidAssociationName
from coordination.site import InvalidSiteName, LocationOutsideEgypt, Site

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def events_of(aggregate: object) -> list[str]:
    return [type(e).__qualname__ for e in aggregate.collect_events()]  # type: ignore[attr-defined]


def test_a_site_is_renamed_located_and_closed_once_each() -> None:
    site = Site.open("s", "packing", "03", "موقع", "Site")
    admin = uuid4()
    assert site.rename(" موقع  بورسعيد ", "Port Said", admin)
    assert not site.rename("موقع بورسعيد", "Port Said", admin)  # as it is: nothing happens
    assert site.locate("شارع الجمهورية", 31.26, 32.30, admin)
    assert not site.locate("شارع الجمهورية", None, None, admin)
    assert site.close(admin) and not site.close(admin)
    assert events_of(site) == ["Site.Opened", "Site.Renamed", "Site.Located", "Site.Closed"]
    assert (site.name_ar, site.address, site.closed) == ("موقع بورسعيد", "شارع الجمهورية", True)


def test_a_site_keeps_a_name_in_both_languages_and_a_place_in_egypt() -> None:
    site = Site.open("s", "kitchen", "21", "مطبخ", "Kitchen")
    with pytest.raises(InvalidSiteName):
        site.rename("", "Kitchen", None)
    with pytest.raises(LocationOutsideEgypt):
        site.locate("", 48.85, 2.35, None)


def test_an_association_is_renamed_and_reclassified() -> None:
    association = Association.found("a", "جمعية", "Assoc", "01")
    assert association.rename("جمعية الخير", "Good Works", None)
    assert association.reclassify("member_entity") and not association.reclassify("member_entity")
    with pytest.raises(InvalidAssociationName):
        association.rename("جمعية", " ", None)
    assert events_of(association)[-2:] == ["Association.Renamed", "Association.Classified"]


def test_a_set_up_code_works_once_before_it_expires() -> None:
    account = Account("phone-hash", "+201000000001", "Hala", "", None)
    account.issue_set_up_code("code-hash", NOW + timedelta(days=3), uuid4())
    with pytest.raises(BadSetUpCode):
        account.redeem_set_up_code("other-hash", "pw-hash", NOW)
    with pytest.raises(BadSetUpCode):
        account.redeem_set_up_code("code-hash", "pw-hash", NOW + timedelta(days=3))
    account.redeem_set_up_code("code-hash", "pw-hash", NOW)
    assert account.password_hash == "pw-hash"
    with pytest.raises(BadSetUpCode):
        account.redeem_set_up_code("code-hash", "again", NOW)


def test_accounts_and_sites_from_before_administration_read_as_before() -> None:
    """Old events carry no address, closing or code: the class defaults say what they meant."""
    site = Site.open("old", "packing", "01", "قديم", "Old")
    account = Account("h", "+201000000002", "Old Person", "hash", None)
    assert (site.address, site.closed) == ("", False)
    assert (account.set_up_code_hash, account.set_up_code_expires_at) == ("", None)
