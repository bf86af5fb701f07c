"""How ``s3file_bucket`` reads a lifecycle rule's filter, as S3 applies it (no S3 needed)."""

from __future__ import annotations

from s3file.management.commands.s3file_bucket import matches

PENDING = {"Key": "s3file", "Value": "pending"}


def rule(**fields):
    return {"ID": "r", "Status": "Enabled", "Expiration": {"Days": 2}, **fields}


def test_a_tag_filter_matches_only_objects_with_the_tag():
    tagged = rule(Filter={"Tag": PENDING})
    assert matches(tagged, "docs/a/b/x.pdf", {"s3file": "pending"})
    assert not matches(tagged, "docs/a/b/x.pdf", {})
    assert not matches(tagged, "docs/a/b/x.pdf", {"s3file": "claimed"})


def test_an_and_filter_needs_the_prefix_and_every_tag():
    tags = [PENDING, {"Key": "k", "Value": "v"}]
    both = rule(Filter={"And": {"Prefix": "media/", "Tags": tags}})
    assert matches(both, "media/x", {"s3file": "pending", "k": "v"})
    assert not matches(both, "media/x", {"s3file": "pending"})
    assert not matches(both, "other/x", {"s3file": "pending", "k": "v"})


def test_prefix_filters_old_and_new_and_disabled_rules():
    assert matches(rule(Filter={"Prefix": "tmp/"}), "tmp/x", {})
    assert matches(rule(Prefix="tmp/"), "tmp/x", {})  # the legacy top-level Prefix
    assert not matches(rule(Prefix="tmp/"), "docs/x", {})
    assert matches(rule(Filter={}), "anything", {"s3file": "pending"})
    assert not matches({**rule(Filter={"Prefix": ""}), "Status": "Disabled"}, "x", {})
