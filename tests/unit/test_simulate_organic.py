"""The simulator's LinkedIn page, X handles and YouTube channel: their connector files have the shape their
contracts accept, and what the files say per post and day (recomputed here from the CSVs the way the
staging models read them) is the world's ground truth; their links and the sessions they send carry UTMs
whose utm_content is the post's id.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from landing_tables import read_table

from socialroi.ingest import contracts
from socialroi.ingest.contracts import normalise_name
from socialroi.simulate import _catalog as cat
from socialroi.simulate import writers
from socialroi.simulate._common import DAY, day_str
from socialroi.simulate.organic_writers import ORGANIC_WRITERS
from socialroi.simulate.world import ORGANIC_POST, ORGANIC_PROFILE, World, build_world

START, MONTHS, SEED, SCALE = "2026-03", 2, 11, 0.5
MONTH_LABELS = ["2026-03", "2026-04"]
ORGANIC_TABLES = [
    "linkedin_pages/organization", "linkedin_pages/ugc_post_history", "linkedin_pages/post_content",
    "linkedin_pages/share_statistic",
    "twitter_organic/account_history", "twitter_organic/twitter_user_history", "twitter_organic/tweet",
    "twitter_organic/organic_tweet_report",
    "youtube_analytics/video", "youtube_analytics/channel_basic_a_2",
]


def _write(root: Path) -> tuple[World, writers.Landing]:
    world = build_world(START, MONTHS, SEED, SCALE)
    landing = writers.Landing(root)
    writers.write_sessions(world, landing)
    for write in ORGANIC_WRITERS.values():
        write(world, landing)
    return world, landing


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, World, writers.Landing]:
    root = tmp_path_factory.mktemp("organic")
    world, landing = _write(root)
    return root, world, landing


def _platform_posts(world: World, platform: str) -> dict[str, int]:
    return {p.id: i for i, p in enumerate(world.organic_posts) if p.platform == platform}


def _truth(world: World, platform: str) -> dict[tuple[str, int], object]:
    return {(world.organic_posts[r.post].id, r.day): r for r in world.organic_days
            if world.organic_posts[r.post].platform == platform}


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace(" UTC", "").replace("T", " ")).replace(tzinfo=dt.UTC)


def _day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


# ---------------------------------------------------------------- shape


def test_writers_cover_the_three_platforms():
    assert set(ORGANIC_WRITERS) == {"linkedin", "x", "youtube"} == set(cat.ORGANIC_PLATFORMS)


def test_every_table_has_one_file_per_month_with_the_contracts_columns(written):
    root, _, landing = written
    assert sorted(landing.files) == sorted(
        [f"generic/sessions/{m}.csv" for m in MONTH_LABELS] + [f"{t}/{m}.csv" for t in ORGANIC_TABLES for m in MONTH_LABELS])
    for table in ORGANIC_TABLES:
        source, name = table.split("/")
        contract = contracts.get(source, name)
        assert contract is not None, table
        for path in sorted((root / table).glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as f:
                header = {normalise_name(h) for h in next(csv.reader(f))}
            for c in contract.columns:
                names = {c.name, *c.aliases}
                if c.required or c.name in contract.key or c.name in (contract.date, contract.export_time):
                    assert names & header, f"{path}: no {c.name}"
            # the staging models read these too
            wanted = {"linkedin_pages/share_statistic": {"impression_count", "unique_impressions_count", "like_count",
                                                         "comment_count", "share_count", "click_count"},
                      "twitter_organic/organic_tweet_report": {"impressions", "likes", "replies", "retweets",
                                                               "url_clicks", "engagements"},
                      "youtube_analytics/channel_basic_a_2": {"likes", "comments", "shares", "card_clicks",
                                                              "annotation_clicks", "videos_added_to_playlists"},
                      "twitter_organic/tweet": {"full_text", "user_id", "created_at"},
                      "youtube_analytics/video": {"snippet_description", "snippet_channel_title",
                                                  "snippet_published_at"}}.get(table, set())
            assert wanted <= header, (path, wanted - header)


def test_same_arguments_give_identical_bytes(written, tmp_path):
    root, _, landing = written
    _, again = _write(tmp_path)
    assert again.files == landing.files
    assert [f for f in landing.files if (root / f).read_bytes() != (tmp_path / f).read_bytes()] == []


def test_volumes_are_a_few_posts_a_week_per_account(written):
    _, world, _ = written
    weeks = (world.span_hi - world.span_lo) / (7 * DAY)
    per_account = Counter(p.account for p in world.organic_posts if world.span_lo <= p.created < world.span_hi)
    assert set(per_account) == set(range(len(cat.ORGANIC_ACCOUNTS)))
    for k, n in per_account.items():
        assert 0.3 <= n / weeks <= 7, cat.ORGANIC_ACCOUNTS[k].handle
    s = world.sessions
    organic = ((s.channel == ORGANIC_POST) | (s.channel == ORGANIC_PROFILE)).sum()
    assert 0 < organic < 0.08 * len(s.t)


# ---------------------------------------------------------------- LinkedIn


def test_linkedin_snapshot_differences_are_the_worlds_daily_stats(written):
    root, world, _ = written
    truth = _truth(world, "linkedin")
    rows = read_table(root, "linkedin_pages/share_statistic")
    assert len({r["_fivetran_id"] for r in rows}) == len(rows)
    by_post: dict[str, list[dict[str, str]]] = defaultdict(list)
    kinds = Counter()
    for r in rows:
        # one of the two URN columns, by the URN's type
        share, ugc = r["_share_entity_urn"], r["_ugc_post_entity_urn"]
        assert bool(share) != bool(ugc) and (share or "urn:li:share:").startswith("urn:li:share:")
        assert (ugc or "urn:li:ugcPost:").startswith("urn:li:ugcPost:")
        kinds["share" if share else "ugc"] += 1
        assert r["_organization_entity_urn"] == f"urn:li:organization:{cat.ORGANIC_ACCOUNTS[0].id}"
        by_post[share or ugc].append(r)
    assert kinds["share"] and kinds["ugc"]
    got = {}
    cols = {"impressions": "impression_count", "reach": "unique_impressions_count", "likes": "like_count",
            "comments": "comment_count", "shares": "share_count", "link_clicks": "click_count"}
    for urn, snaps in by_post.items():
        prev = dict.fromkeys(cols, 0)
        for r in sorted(snaps, key=lambda r: r["_fivetran_synced"]):
            day = _day(_utc(r["_fivetran_synced"]).date())
            now = {k: int(r[c]) for k, c in cols.items()}
            got[(urn, day)] = {k: now[k] - prev[k] for k in cols}
            prev = now
    assert set(got) == set(truth)
    for key, inc in got.items():
        assert inc == {k: getattr(truth[key], k) for k in cols}, key


def test_linkedin_posts_carry_their_link(written):
    root, world, _ = written
    posts = _platform_posts(world, "linkedin")
    history = {r["id"]: r for r in read_table(root, "linkedin_pages/ugc_post_history")}
    content = {r["post_id"]: r for r in read_table(root, "linkedin_pages/post_content")}
    assert set(history) == {pid for pid, i in posts.items() if world.organic_posts[i].created < world.span_hi}
    kinds = Counter()
    for pid, r in history.items():
        p = world.organic_posts[posts[pid]]
        kinds[p.kind] += 1
        assert r["author"] == f"urn:li:organization:{cat.ORGANIC_ACCOUNTS[p.account].id}"
        link = content[pid]["article_source"] if p.kind == "article" else (
            next((w for w in r["commentary"].split() if w.startswith("https://")), None))
        if not p.has_link:
            assert link is None and content[pid]["type"] in ("image", "video")
            continue
        q = parse_qs(urlsplit(link).query)
        assert q["utm_source"] == ["linkedin"] and q["utm_medium"] == ["social"]
        assert q["utm_content"] == [pid] and f"utm_content={quote(pid, safe='')}" in link
    assert kinds["article"] and kinds["text"] and kinds["image"]


# ---------------------------------------------------------------- X


def test_x_report_rows_are_the_worlds_daily_stats_in_each_accounts_days(written):
    root, world, _ = written
    truth = _truth(world, "x")
    accounts = {a.id: a for a in cat.ORGANIC_ACCOUNTS if a.platform == "x"}
    got = {}
    for r in read_table(root, "twitter_organic/organic_tweet_report"):
        a = accounts[r["account_id"]]
        start = _utc(r["date"])
        local = start.astimezone(ZoneInfo(a.timezone))
        assert (local.hour, local.minute) == (0, 0), r  # the account-local day's start as a UTC timestamp
        assert r["placement"] == "ALL_ON_TWITTER"
        key = (r["organic_tweet_id"], _day(local.date()))
        assert key not in got
        got[key] = r
    assert set(got) == set(truth)
    for key, r in got.items():
        t = truth[key]
        assert world.organic_posts[t.post].account == [k for k, a in enumerate(cat.ORGANIC_ACCOUNTS)
                                                        if a.id == r["account_id"]][0]
        assert (int(r["impressions"]), int(r["likes"]), int(r["replies"]), int(r["retweets"]), int(r["url_clicks"]),
                int(r["clicks"])) == (t.impressions, t.likes, t.comments, t.shares, t.link_clicks, t.all_clicks)
        assert int(r["engagements"]) == t.likes + t.comments + t.shares + t.all_clicks == t.engagements("x")
        assert int(r["url_clicks"]) <= int(r["clicks"])


def test_x_tweets_name_their_handle_and_hold_short_links(written):
    root, world, _ = written
    users = {r["id"]: r["screen_name"] for r in read_table(root, "twitter_organic/twitter_user_history")}
    assert sorted(users.values()) == ["AcmeCommunity", "AcmeDeals"]
    tweets = {r["id"]: r for r in read_table(root, "twitter_organic/tweet")}
    posts = _platform_posts(world, "x")
    handles = Counter()
    for tid, r in tweets.items():
        p = world.organic_posts[posts[tid]]
        a = cat.ORGANIC_ACCOUNTS[p.account]
        assert users[r["user_id"]] == a.handle and r["account_id"] == a.id
        handles[a.handle] += 1
        assert ("https://t.co/" in r["full_text"]) == p.has_link
        assert "utm_" not in r["full_text"]  # the API returns t.co links; UTMs only in the landing URLs
    assert set(handles) == {"AcmeDeals", "AcmeCommunity"}


# ---------------------------------------------------------------- YouTube


def test_youtube_rows_sum_to_the_worlds_daily_stats(written):
    root, world, _ = written
    truth = _truth(world, "youtube")
    channel = cat.ORGANIC_ACCOUNTS[3].id
    sums: dict[tuple[str, int], Counter] = defaultdict(Counter)
    channel_days = Counter()
    for r in read_table(root, "youtube_analytics/channel_basic_a_2"):
        assert r["channel_id"] == channel
        day = _day(dt.date.fromisoformat(r["date"]))
        if not r["video_id"]:
            channel_days[day] += 1
            continue
        s = sums[(r["video_id"], day)]
        for k in ("views", "likes", "comments", "shares", "videos_added_to_playlists", "card_clicks",
                  "annotation_clicks"):
            s[k] += int(r[k])
    assert set(sums) == set(truth)
    for key, s in sums.items():
        t = truth[key]
        assert (s["views"], s["likes"], s["comments"], s["shares"], s["videos_added_to_playlists"],
                s["card_clicks"] + s["annotation_clicks"]) == (t.views, t.likes, t.comments, t.shares, t.saves,
                                                                t.link_clicks), key
        assert t.impressions is None and t.reach is None
    assert set(channel_days) == {d for _, d in truth} and set(channel_days.values()) == {1}


def test_youtube_descriptions_carry_the_link(written):
    root, world, _ = written
    posts = _platform_posts(world, "youtube")
    videos = read_table(root, "youtube_analytics/video")
    assert videos and {v["snippet_channel_title"] for v in videos} == {cat.ORGANIC_ACCOUNTS[3].handle}
    for v in videos:
        p = world.organic_posts[posts[v["id"]]]
        assert (p.link in v["snippet_description"]) == p.has_link
        assert v["snippet_published_at"] == dt.datetime.fromtimestamp(p.created, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------- sessions


def test_link_clicks_cover_the_sessions_each_post_sent(written):
    _, world, _ = written
    for r in world.organic_days:
        assert r.link_clicks >= r.sessions >= 0, r
        p = world.organic_posts[r.post]
        if not p.has_link:
            assert r.sessions == 0
    assert sum(r.sessions for r in world.organic_days) > 0


def test_sessions_from_posts_carry_the_posts_utms_and_the_platforms_referrers(written):
    root, world, _ = written
    s = world.sessions
    seen = Counter()
    for r in read_table(root, "generic/sessions"):
        row = int(r["session_id"][1:])
        ch = int(s.channel[row])
        if ch not in (ORGANIC_POST, ORGANIC_PROFILE):
            assert r["utm_content"] not in {p.id for p in world.organic_posts} or not r["utm_content"]
            continue
        a = cat.ORGANIC_ACCOUNTS[int(s.organic_account[row])]
        if ch == ORGANIC_PROFILE:
            assert r["referrer"] == a.referrers[0][0] and not r["utm_source"], r
            assert r["landing_url"] == "https://shop.example.com/"
            seen[(a.platform, "profile")] += 1
            continue
        p = world.organic_posts[int(s.organic_post[row])]
        assert p.account == int(s.organic_account[row]) and p.created < _utc(r["started_at"][:-1]).timestamp()
        assert (r["utm_source"], r["utm_medium"], r["utm_campaign"], r["utm_content"]) == (
            a.utm_source, a.utm_medium, p.slug, p.id)
        assert r["landing_url"] == p.link
        assert r["referrer"] in {ref for ref, _ in a.referrers} | {""}
        seen[(a.platform, "post")] += 1
    for platform in cat.ORGANIC_PLATFORMS:
        assert seen[(platform, "post")] > 0 and seen[(platform, "profile")] > 0, platform
    # every post's sessions are counted: per post, the sessions written inside the span
    in_span = Counter(int(s.organic_post[i]) for i in range(len(s.t)) if s.channel[i] == ORGANIC_POST)
    assert sum(in_span.values()) == sum(n for (_, kind), n in seen.items() if kind == "post")
    for i, n in in_span.items():
        assert world.organic_posts[i].sessions >= n


def test_session_days_fall_inside_each_posts_reported_days(written):
    _, world, _ = written
    s = world.sessions
    reported = {(r.post, r.day) for r in world.organic_days}
    for i in range(len(s.t)):
        if s.channel[i] != ORGANIC_POST:
            continue
        k = int(s.organic_account[i])
        day = int(world.organic_tz[k].local_day(s.t[i:i + 1])[0])
        if world.span_lo // DAY + 1 <= day < world.span_hi // DAY - 1:
            assert (int(s.organic_post[i]), day) in reported, (world.organic_posts[int(s.organic_post[i])].id,
                                                                day_str(day))
