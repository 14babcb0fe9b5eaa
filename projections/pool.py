"""The shared volunteer pool as associations see it: how many volunteers each association has
in a governorate, with which certificates and free when, never who they are (a volunteer is
named to another association only once lent, through an exchange request)."""

from __future__ import annotations

from typing import Any

from projections.database import Database, Row

MAX_GROUPS = 200


def shared_pool(
    db: Database,
    governorate: str | None,
    programme: str | None,
    free_between: tuple[str, str] | None,
) -> list[Row]:
    """Counts by association and governorate, largest first; the certificates counted are
    those still valid at the window's end (any, without a window)."""
    where, params = _matching(governorate, programme, free_between)
    groups = db.query(
        "SELECT d.association_id, d.governorate, COUNT(*) AS volunteers"
        f" FROM volunteer_directory d WHERE {where}"
        " GROUP BY d.association_id, d.governorate"
        f" ORDER BY volunteers DESC, d.governorate, d.association_id LIMIT {MAX_GROUPS}",
        params,
    )
    certified: dict[tuple[Any, str], dict[str, int]] = {}
    for row in db.query(
        "SELECT d.association_id, d.governorate, c.programme, COUNT(*) AS volunteers"
        " FROM volunteer_directory d JOIN volunteer_certificates c"
        " ON c.volunteer_id = d.volunteer_id AND c.expires_at >= %s"
        f" WHERE {where} GROUP BY d.association_id, d.governorate, c.programme",
        [_valid_until(free_between), *params],
    ):
        group = certified.setdefault(_group(row), {})
        group[row["programme"]] = int(row["volunteers"])
    return [
        {
            "association_id": row["association_id"],
            "governorate": row["governorate"],
            "volunteers": int(row["volunteers"]),
            "certificates": dict(sorted(certified.get(_group(row), {}).items())),
        }
        for row in groups
    ]


def _group(row: Row) -> tuple[Any, str]:
    return row["association_id"], row["governorate"]


def _valid_until(free_between: tuple[str, str] | None) -> str:
    return free_between[1] if free_between else "0"


def _matching(
    governorate: str | None, programme: str | None, free_between: tuple[str, str] | None
) -> tuple[str, list[str]]:
    where, params = ["1 = 1"], []
    if governorate:
        where.append("d.governorate = %s")
        params.append(governorate)
    if programme:
        where.append(
            "EXISTS (SELECT 1 FROM volunteer_certificates p WHERE p.volunteer_id = d.volunteer_id"
            " AND p.programme = %s AND p.expires_at >= %s)"
        )
        params += [programme, _valid_until(free_between)]
    if free_between:
        where.append(
            "NOT EXISTS (SELECT 1 FROM my_shifts m JOIN shift_board b ON b.shift_id = m.shift_id"
            " WHERE m.volunteer_id = d.volunteer_id AND b.starts_at < %s AND %s < b.ends_at)"
        )
        params += [free_between[1], free_between[0]]
    return " AND ".join(where), params
