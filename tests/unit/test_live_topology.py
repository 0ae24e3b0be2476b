"""The live AZ diagram: boxes keep their place, roles move on a failover, and it fits 80 columns."""

from __future__ import annotations

from screens.widgets.live_topology import render_live_topology

ENDPOINT = "orders-db.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com"


def _lines(**kwargs: object) -> list[str]:
    params: dict[str, object] = {"kind": "instance", "az_order": (), "primary_az": None, "standby_azs": (),
                                 "endpoint": None, "port": None, "status": "creating", "multi_az": True}
    params.update(kwargs)
    return render_live_topology(**params).plain.splitlines()  # type: ignore[arg-type]


def _box_row(lines: list[str]) -> str:
    return next(line for line in lines if "┌" in line)


def _role_row(lines: list[str]) -> str:
    return next(line for line in lines if "PRIMARY" in line or "WRITER" in line)


def test_before_creation_the_azs_are_unknown_and_the_standby_is_being_added() -> None:
    lines = _lines()
    assert "appears once RDS assigns it" in lines[0]
    assert _box_row(lines).count("AZ ?") == 2
    assert any("being added" in line for line in lines)


def test_a_failover_swaps_roles_between_boxes_that_stay_in_place() -> None:
    azs = ("us-east-1a", "us-east-1b")
    before = _lines(az_order=azs, primary_az="us-east-1a", standby_azs=("us-east-1b",), endpoint=ENDPOINT,
                    port=5432, status="available")
    after = _lines(az_order=azs, primary_az="us-east-1b", standby_azs=("us-east-1a",), endpoint=ENDPOINT,
                   port=5432, status="available")
    assert _box_row(before) == _box_row(after)
    assert _box_row(before).index("us-east-1a") < _box_row(before).index("us-east-1b")
    role_before, role_after = _role_row(before), _role_row(after)
    assert role_before.index("PRIMARY") < role_before.index("STANDBY")
    assert role_after.index("STANDBY") < role_after.index("PRIMARY")
    assert "══sync═▶" in role_before and "◀═sync══" in role_after
    # The DNS pointer sits over the primary's box.
    pointer_before = next(line for line in before if "DNS points" in line).index("│")
    pointer_after = next(line for line in after if "DNS points" in line).index("│")
    assert pointer_before < 35 < pointer_after


def test_a_single_az_instance_has_no_standby() -> None:
    lines = _lines(az_order=("us-east-1a",), primary_az="us-east-1a", multi_az=False, status="available")
    assert any("(no standby)" in line for line in lines)
    assert not any("sync" in line for line in lines)


def test_a_cluster_failover_moves_the_writer_label() -> None:
    azs = ("us-east-1a", "us-east-1b", "us-east-1c")
    before = _lines(kind="cluster", az_order=azs, primary_az="us-east-1a",
                    standby_azs=("us-east-1b", "us-east-1c"), status="available")
    after = _lines(kind="cluster", az_order=azs, primary_az="us-east-1c",
                   standby_azs=("us-east-1a", "us-east-1b"), status="available")
    assert _box_row(before) == _box_row(after)
    assert _role_row(before).index("WRITER") < _role_row(before).index("READER")
    assert _role_row(after).rindex("READER") < _role_row(after).index("WRITER")


def test_everything_fits_an_80_column_terminal() -> None:
    long_endpoint = ("a-very-long-identifier-for-a-database.cluster-c1a2b3c4d5e6"
                     ".ap-southeast-2.rds.amazonaws.com")
    for kind in ("instance", "cluster"):
        for primary in ("us-east-1a", "us-east-1b"):
            lines = _lines(kind=kind, az_order=("us-east-1a", "us-east-1b", "us-east-1c"), primary_az=primary,
                           standby_azs=("us-east-1b" if primary == "us-east-1a" else "us-east-1a",),
                           endpoint=long_endpoint, port=5432, status="incompatible-parameters",
                           note="The roles swapped: the standby is the primary now.")
            assert max(len(line) for line in lines) <= 78, lines


def test_a_drill_marks_who_failed_and_keeps_the_mark_while_the_roles_swap() -> None:
    common = {"az_order": ("us-east-1a", "us-east-1b"), "endpoint": ENDPOINT, "port": 5432,
              "status": "available"}
    down = _lines(primary_az="us-east-1a", standby_azs=("us-east-1b",), failed={"us-east-1a": "✗ HOST DOWN"},
                  **common)
    assert "✗ HOST DOWN" in down[down.index(_role_row(down)) + 1].split("│")[1]  # the primary's box, left
    swapped = _lines(primary_az="us-east-1b", standby_azs=("us-east-1a",),
                     failed={"us-east-1a": "✗ AZ UNREACHABLE"}, **common)
    role_row = _role_row(swapped)
    assert role_row.index("STANDBY") < role_row.index("PRIMARY")
    state_row = swapped[swapped.index(role_row) + 1]
    assert "✗ AZ UNREACHABLE" in state_row and "sync" not in role_row  # no replication to a dark node
    assert all(len(line) <= 80 for line in swapped)
    healthy = _lines(primary_az="us-east-1b", standby_azs=("us-east-1a",), **common)
    assert "✗" not in "\n".join(healthy) and "sync" in _role_row(healthy)
