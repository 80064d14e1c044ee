"""One simulated month of the LinkedIn page, the two X handles and the YouTube channel through the real ingest
and dbt: the unified organic post-day model has, per platform and account, the rows, impressions,
engagements and link clicks the simulator's world says, and the sessions their posts sent are Organic
Social touchpoints of platform linkedin / x / youtube with the post id and handle resolved.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from project_env import project
from project_env import query as _query

from socialroi import tasks
from socialroi.build import run_dbt
from socialroi.simulate import _catalog as cat
from socialroi.simulate import simulate
from socialroi.simulate._common import day_str
from socialroi.simulate.world import ORGANIC_POST, ORGANIC_PROFILE, build_world

MONTH = "2026-03"  # US DST starts in it: X's and YouTube's local days change offset
SEED, SCALE = 5, 0.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with project(tmp_path_factory.mktemp("simulated-organic")) as settings:
        summary = simulate(settings.landing, MONTH, 1, seed=SEED, scale=SCALE)
        world = build_world(MONTH, 1, SEED, SCALE)  # the world simulate() wrote: the truth to compare with
        result = tasks.ingest(settings)
        run_dbt(settings, ["build", "--select", "+int_touchpoints"])
        yield settings, summary, world, result


def test_every_simulated_file_loads(built):
    _, summary, _, result = built
    assert result["quarantined_files"] == []
    assert result["loaded"] == len(summary.files)
    assert {"linkedin_pages", "twitter_organic", "youtube_analytics"} <= {f.split("/")[0] for f in summary.files}


def test_unified_post_days_per_platform_and_account_equal_the_world(built):
    settings, _, world, _ = built
    rows = _query(settings, """
        select platform, account_id, handle, count(*), count(distinct post_id), sum(impressions), sum(reach),
               sum(likes), sum(comments), sum(shares), sum(saves), sum(link_clicks), sum(engagements),
               min(strftime(date, '%Y-%m')), max(strftime(date, '%Y-%m'))
        from intermediate.int_post_stats_unioned where platform in ('linkedin', 'x', 'youtube')
        group by all""")
    got = {(r[0], r[1], r[2]): r[3:] for r in rows}
    want: dict[tuple[str, str, str], list] = {}
    posts: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in world.organic_days:
        p = world.organic_posts[r.post]
        a = cat.ORGANIC_ACCOUNTS[p.account]
        key = (a.platform, a.id, a.handle.lower())
        w = want.setdefault(key, [0, None, None, 0, 0, 0, None, 0, 0])
        posts[key].add(p.id)
        w[0] += 1
        for x, v in ((1, r.impressions), (2, r.reach), (6, r.saves)):
            if v is not None:
                w[x] = (w[x] or 0) + v
        w[3] += r.likes
        w[4] += r.comments
        w[5] += r.shares
        w[7] += r.link_clicks
        w[8] += r.engagements(a.platform)
    assert set(got) == set(want) == {(a.platform, a.id, a.handle.lower()) for a in cat.ORGANIC_ACCOUNTS}
    for key, w in want.items():
        n, n_posts, impressions, reach, likes, comments, shares, saves, clicks, engagements, first, last = got[key]
        assert (first, last) == (MONTH, MONTH), key
        assert n == w[0] and n_posts == len(posts[key]), key
        assert (impressions, reach, likes, comments, shares, saves) == tuple(w[1:7]), key
        assert (clicks, engagements) == (w[7], w[8]), key
    assert want[("youtube", cat.ORGANIC_ACCOUNTS[3].id, "acme brew lab")][1] is None  # YouTube: no impressions


def test_each_post_day_equals_the_world(built):
    settings, _, world, _ = built
    got = {(r[0], r[1], r[2]): r[3:] for r in _query(settings, """
        select platform, post_id, cast(date as varchar), impressions, likes, comments, shares, link_clicks,
               engagements from intermediate.int_post_stats_unioned
        where platform in ('linkedin', 'x', 'youtube')""")}
    want = {}
    for r in world.organic_days:
        p = world.organic_posts[r.post]
        want[(p.platform, p.id, day_str(r.day))] = (r.impressions, r.likes, r.comments, r.shares, r.link_clicks,
                                                    r.engagements(p.platform))
    assert got == want


def test_posts_carry_their_links_and_permalinks(built):
    settings, _, world, _ = built
    rows = _query(settings, """
        select platform, post_id, any_value(posted_at), any_value(permalink), any_value(link_url),
               any_value(utm_source), any_value(utm_content)
        from intermediate.int_post_stats_unioned where platform in ('linkedin', 'x', 'youtube') group by 1, 2""")
    by_id = {p.id: p for p in world.organic_posts}
    assert rows
    for platform, post_id, posted_at, permalink, link_url, utm_source, utm_content in rows:
        p = by_id[post_id]
        assert p.platform == platform, post_id
        assert posted_at.replace(microsecond=0) == dt.datetime.fromtimestamp(p.created, dt.UTC).replace(tzinfo=None)
        if platform == "x":
            handle = cat.ORGANIC_ACCOUNTS[p.account].handle
            assert permalink == f"https://x.com/{handle}/status/{post_id}"
            assert (link_url or "").startswith("https://t.co/") == p.has_link and utm_content is None
        else:
            assert permalink.endswith(post_id)
            assert (link_url, utm_source, utm_content) == ((p.link, cat.ORGANIC_ACCOUNTS[p.account].utm_source,
                                                            post_id) if p.has_link else (None, None, None))


def test_sessions_from_the_posts_are_organic_social_touchpoints_of_the_platform(built):
    settings, _, world, _ = built
    tps = {s: (g, p, post, h) for s, g, p, post, h in _query(
        settings, "select touchpoint_id, channel_group, platform, post_id, handle from intermediate.int_touchpoints")}
    s = world.sessions
    seen: Counter[tuple[str, str]] = Counter()
    for row in range(len(s.t)):
        ch = int(s.channel[row])
        if ch not in (ORGANIC_POST, ORGANIC_PROFILE):
            continue
        a = cat.ORGANIC_ACCOUNTS[int(s.organic_account[row])]
        sid = f"s{row:010d}"
        if ch == ORGANIC_POST:
            p = world.organic_posts[int(s.organic_post[row])]
            assert tps[sid] == ("Organic Social", a.platform, p.id, a.handle.lower()), sid
            seen[(a.platform, "post")] += 1
        else:
            assert tps[sid] == ("Organic Social", a.platform, None, None), sid
            seen[(a.platform, "profile")] += 1
    for platform in cat.ORGANIC_PLATFORMS:
        assert seen[(platform, "post")] > 0 and seen[(platform, "profile")] > 0, platform
    # and nothing else is a touchpoint of these platforms' organic posts
    rows = _query(settings, """
        select platform, count(*), count(post_id) from intermediate.int_touchpoints
        where channel_group = 'Organic Social' and platform in ('linkedin', 'x', 'youtube') group by 1""")
    assert {p: (n, with_post) for p, n, with_post in rows} == {
        p: (seen[(p, "post")] + seen[(p, "profile")], seen[(p, "post")]) for p in cat.ORGANIC_PLATFORMS}
    unknown = _query(settings, """
        select post_id from intermediate.int_touchpoints where platform in ('linkedin', 'x', 'youtube')
        and post_id is not null and post_id not in (select post_id from intermediate.int_post_stats_unioned)""")
    assert unknown == []
