"""Write the LinkedIn page's, the X handles' and the YouTube channel's organic posts in their connector layouts.

`linkedin_pages/{organization,ugc_post_history,post_content,share_statistic}/`,
`twitter_organic/{account_history,twitter_user_history,tweet,organic_tweet_report}/` and
`youtube_analytics/{video,channel_basic_a_2}/`, one file per table and month, with the tables and columns
their contracts (`socialroi/contracts/<source>.yml`) and staging models read, in the connectors' own
conventions as the reference fixtures show them:

* LinkedIn: statistics are lifetime counters snapshotted by a daily sync late in the UTC day (one
  `share_statistic` row per post and day while the post is younger than cat.ORGANIC_METRIC_DAYS); the link is
  the article's `article_source` (article posts) or a URL in the `commentary` (text posts); post ids are URNs
  as the Posts API mints them (urn:li:share:... for text and article posts, in `_share_entity_urn`;
  urn:li:ugcPost:... for media posts, in `_ugc_post_entity_urn`), and the links' utm_content carry them
  (percent-encoded).
* X: a report row per tweet and account-local day (placement ALL_ON_TWITTER), `date` the local midnight as a
  UTC timestamp; the tweet's `full_text` holds a t.co short link, as the API returns it, so the UTMs are only
  in the sessions' landing URLs. Two handles, each with its own ads account.
* YouTube: `channel_basic_a_2` rows per video, Pacific day, country and subscribed status (plus a channel
  row without a video each day); link clicks are card clicks; the link is in the video's description.

Every value comes from `World.organic_posts` / `World.organic_days`; the country split of YouTube rows is
cosmetic, drawn from generators seeded by (seed, post, day). Entity tables are re-exported every month with
a later `_fivetran_synced`.

`simulate()` calls `for w in ORGANIC_WRITERS.values(): w(world, landing)`; `organic_session_columns` fills the
sessions' UTMs, landing paths and referrers for `writers.write_sessions`.
"""

from __future__ import annotations

import math

import numpy as np

from socialroi.simulate import _catalog as cat
from socialroi.simulate._common import (
    DAY,
    HOUR,
    SHOP_URL,
    allocate,
    day_str,
    fivetran_id,
    month_label,
    month_of_day,
    month_start_day,
    month_start_ts,
    ts_str,
)
from socialroi.simulate.world import ORGANIC_POST, ORGANIC_PROFILE, OrganicPost, OrganicPostDay, World
from socialroi.simulate.writers import Landing

# ---------------------------------------------------------------- shared helpers


def _ms(ts: int, millis: int, sep: str = " ") -> str:
    return f"{ts_str(ts, sep)}.{millis % 1000:03d}"


def _accounts(platform: str) -> list[tuple[int, cat.OrganicAccount]]:
    return [(k, a) for k, a in enumerate(cat.ORGANIC_ACCOUNTS) if a.platform == platform]


def _posts(world: World, platform: str, before: int) -> list[tuple[int, OrganicPost]]:
    return [(i, p) for i, p in enumerate(world.organic_posts) if p.platform == platform and p.created < before]


def _days(world: World, platform: str, mi: int) -> list[OrganicPostDay]:
    return [r for r in world.organic_days
            if world.organic_posts[r.post].platform == platform and int(month_of_day(r.day)) == mi]


def _local_midnight(world: World, k: int, day: int) -> int:
    tz = world.organic_tz[k]
    wall = day * DAY
    return wall - tz.offset_of(wall - tz.offset_of(wall))


def _created_before_span(world: World, days: int) -> int:
    return world.span_lo - days * DAY


def _lifetime(world: World, platform: str) -> dict[tuple[int, int], dict[str, int]]:
    """Running totals of each post's stats, by (post, day): what a lifetime counter shows after that day."""
    out: dict[tuple[int, int], dict[str, int]] = {}
    run: dict[int, dict[str, int]] = {}
    keys = ("impressions", "reach", "likes", "comments", "shares", "link_clicks", "views")
    for r in world.organic_days:  # sorted by day
        if world.organic_posts[r.post].platform != platform:
            continue
        tot = run.setdefault(r.post, dict.fromkeys(keys, 0))
        for key in keys:
            tot[key] += getattr(r, key) or 0
        out[(r.post, r.day)] = dict(tot)
    return out


def _latest_totals(lifetime: dict[tuple[int, int], dict[str, int]], before_day: int) -> dict[int, dict[str, int]]:
    out: dict[int, tuple[int, dict[str, int]]] = {}
    for (pi, day), tot in lifetime.items():
        if day < before_day and (pi not in out or out[pi][0] < day):
            out[pi] = (day, tot)
    return {pi: tot for pi, (_, tot) in out.items()}


# ---------------------------------------------------------------- sessions


def organic_session_columns(world: World, col: dict[str, np.ndarray], query: np.ndarray, path: np.ndarray) -> None:
    """Fill the sessions from LinkedIn / X / YouTube: a post's link (its UTMs; referrer the platform's, by
    each account's shares, else none) or the account's profile (its first referrer, no parameters)."""
    s = world.sessions
    u = s.uniform
    idx = np.nonzero(s.channel == ORGANIC_POST)[0]
    if len(idx):
        posts = world.organic_posts
        k = s.organic_post[idx]
        acct = [cat.ORGANIC_ACCOUNTS[p.account] for p in posts]
        col["utm_source"][idx] = np.array([a.utm_source for a in acct], dtype=object)[k]
        col["utm_medium"][idx] = np.array([a.utm_medium for a in acct], dtype=object)[k]
        col["utm_campaign"][idx] = np.array([p.slug for p in posts], dtype=object)[k]
        col["utm_content"][idx] = np.array([p.id for p in posts], dtype=object)[k]
        query[idx] = np.array([p.query for p in posts], dtype=object)[k]
        path[idx] = np.array([p.link_path for p in posts], dtype=object)[k]
        for a_i, a in enumerate(cat.ORGANIC_ACCOUNTS):
            sel = idx[s.organic_account[idx] == a_i]
            ref = np.full(len(sel), "", dtype=object)
            lo = 0.0
            for referrer, share in a.referrers:
                ref[(u[sel, 0] >= lo) & (u[sel, 0] < lo + share)] = referrer
                lo += share
            col["referrer"][sel] = ref
    idx = np.nonzero(s.channel == ORGANIC_PROFILE)[0]
    if len(idx):
        col["referrer"][idx] = np.array([a.referrers[0][0] for a in cat.ORGANIC_ACCOUNTS],
                                        dtype=object)[s.organic_account[idx]]
        path[idx] = "/"


def order_referrer(world: World, row: int) -> tuple[str, str] | None:
    """(landing_site_base_url, referring_site) of an order placed in session `row`, if it came from here."""
    s = world.sessions
    ch = int(s.channel[row])
    if ch not in (ORGANIC_POST, ORGANIC_PROFILE):
        return None
    referrer = cat.ORGANIC_ACCOUNTS[int(s.organic_account[row])].referrers[0][0]
    if ch == ORGANIC_PROFILE:
        return SHOP_URL + "/", referrer
    return SHOP_URL + world.organic_posts[int(s.organic_post[row])].link_path, referrer


# ---------------------------------------------------------------- LinkedIn Pages

LI_ORG_HEADER = ["id", "_fivetran_synced", "localized_name", "vanity_name", "localized_website", "organization_type",
                 "organization_status", "staff_count_range", "default_locale_country", "default_locale_language"]
LI_UGC_HEADER = ["_fivetran_synced", "author", "commentary", "container_entity", "created_actor", "created_time",
                 "distribution_external_distribution_channels", "distribution_feed_distribution",
                 "first_published_at", "id", "last_modified_actor", "last_modified_time", "lifecycle_state",
                 "response_context_parent", "response_context_root", "visibility"]
LI_CONTENT_HEADER = ["_fivetran_synced", "_fivetran_id", "post_id", "article_description", "article_source",
                     "article_thumbnail", "article_title", "media_id", "media_title", "type"]
LI_STAT_HEADER = ["_fivetran_id", "_fivetran_synced", "_organization_entity_urn", "_share_entity_urn",
                  "_ugc_post_entity_urn", "click_count", "comment_count", "engagement", "impression_count",
                  "like_count", "share_count", "unique_impressions_count"]


def _li_micro(ts: int, k: int) -> str:
    """LinkedIn Pages' history timestamps: '2023-10-16 17:40:48.712000'."""
    return f"{ts_str(ts)}.{(k * 7919) % 1000:03d}000"


def _li_stat_synced(day: int, k: int) -> str:
    """The daily statistics sync: late in the UTC day (after every post of the day), '2021-10-27T23:41:07.438'."""
    return _ms(day * DAY + 23 * HOUR + 40 * 60 + (k * 37) % 900, k * 131, "T")


def _li_commentary(p: OrganicPost) -> str:
    tags = "#coffee #corporategifts" if p.kind in ("article", "text") else "#coffee #behindthescenes"
    if p.kind == "text":
        return f"{p.headline} {p.link} {tags}"
    return f"{p.headline} {tags}"


def write_linkedin_pages(world: World, out: Landing) -> None:
    """`linkedin_pages/`: the company page, its UGC posts (all posts published so far, every month), their
    content (article link or media) and the daily lifetime-statistics snapshots of the month."""
    src = "linkedin_pages"
    accounts = _accounts("linkedin")
    lifetime = _lifetime(world, "linkedin")
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)
        out.write(src, "organization", name, LI_ORG_HEADER, [
            [a.id, _ms(as_of + 3 * HOUR + 17, 937, "T"), a.name, a.handle, SHOP_URL, "PRIVATELY_HELD", "OPERATING",
             "SIZE_11_TO_50", "US", "en"] for _, a in accounts])
        posts = _posts(world, "linkedin", as_of)
        out.write(src, "ugc_post_history", name, LI_UGC_HEADER, [
            [_li_micro(as_of + 3 * HOUR + 60 + i % 50, i), f"urn:li:organization:{cat.ORGANIC_ACCOUNTS[p.account].id}",
             _li_commentary(p), "", "", _li_micro(p.created, i + 1), "[]", "MAIN_FEED", _li_micro(p.created, i + 1),
             p.id, "", _li_micro(p.created + 48, i + 2), "PUBLISHED", "", "", "PUBLIC"]
            for i, p in posts])
        content = []
        for i, p in posts:
            synced = _li_micro(as_of + 3 * HOUR + 120 + i % 50, i + 3)
            if p.kind == "article":
                content.append([synced, fivetran_id(p.id, "content"), p.id, f"{p.headline} Read more on our journal.",
                                p.link, f"https://media.licdn.example/{p.short}.jpg", p.headline, "", "", "article"])
            elif p.kind in ("image", "video"):
                media = f"urn:li:{p.kind}:D4E{p.short}"
                content.append([synced, fivetran_id(p.id, "content"), p.id, "", "", "", "", media, "", p.kind])
        out.write(src, "post_content", name, LI_CONTENT_HEADER, content)
        stats = []
        for r in _days(world, "linkedin", mi):
            p = world.organic_posts[r.post]
            tot = lifetime[(r.post, r.day)]
            engaged = tot["link_clicks"] + tot["likes"] + tot["comments"] + tot["shares"]
            rate = engaged / tot["impressions"] if tot["impressions"] else 0.0
            stats.append([fivetran_id(p.id, r.day), _li_stat_synced(r.day, r.post),
                          f"urn:li:organization:{cat.ORGANIC_ACCOUNTS[p.account].id}",
                          p.id if p.id.startswith("urn:li:share:") else "",
                          p.id if p.id.startswith("urn:li:ugcPost:") else "", tot["link_clicks"],
                          tot["comments"], repr(rate), tot["impressions"], tot["likes"], tot["shares"], tot["reach"]])
        out.write(src, "share_statistic", name, LI_STAT_HEADER, stats)


# ---------------------------------------------------------------- X (Twitter) organic

X_ACCOUNT_HEADER = ["id", "updated_at", "_fivetran_synced", "approval_status", "business_id", "business_name",
                    "created_at", "deleted", "industry_type", "name", "salt", "timezone", "timezone_switch_at"]
X_USER_HEADER = ["id", "_fivetran_synced", "created_at", "description", "followers_count", "friends_count",
                 "location", "name", "profile_image_url_https", "screen_name", "statuses_count", "url", "verified"]
X_TWEET_HEADER = ["id", "_fivetran_synced", "account_id", "created_at", "favorite_count", "full_text",
                  "in_reply_to_status_id", "lang", "retweet_count", "source", "truncated", "tweet_type", "user_id"]
X_REPORT_HEADER = ["account_id", "date", "organic_tweet_id", "placement", "_fivetran_synced", "clicks", "engagements",
                   "impressions", "likes", "replies", "retweets", "url_clicks"]


def _iso(ts: int) -> str:
    return ts_str(ts, "T")


def _tweet_text(p: OrganicPost) -> str:
    if not p.has_link:
        return f"{p.headline} \N{HOT BEVERAGE}"
    lead = "Deal alert \N{FIRE}" if cat.ORGANIC_ACCOUNTS[p.account].handle == "AcmeDeals" else "From the community:"
    return f"{lead} {p.headline} https://t.co/{p.short}"


def write_twitter_organic(world: World, out: Landing) -> None:
    """`twitter_organic/`: the handles' ads accounts and users, their tweets (all so far, every month, with
    lifetime like / retweet counts) and a daily report row per tweet and account-local day."""
    src = "twitter_organic"
    accounts = _accounts("x")
    created = _created_before_span(world, 1200)
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)
        out.write(src, "account_history", name, X_ACCOUNT_HEADER, [
            [a.id, _iso(created + 400 * DAY + k * HOUR), _ms(as_of + 3 * HOUR + 5 * k, 938, "T"), "ACCEPTED", "", "",
             _iso(created + k * DAY), "false", "", a.name, "", a.timezone, _iso(created + k * DAY - 9 * HOUR)]
            for k, a in accounts])
        posts = _posts(world, "x", as_of)
        statuses = {k: sum(1 for _, p in posts if p.account == k) for k, _ in accounts}
        months_in = mi - world.month_idx[0]
        out.write(src, "twitter_user_history", name, X_USER_HEADER, [
            [a.user_id, _ms(as_of + 4 * HOUR + 7 * k, 320, "T"), _iso(created - 30 * DAY + k * DAY),
             f"{a.name}: coffee gear, brew guides and deals.",
             int(3000 * math.sqrt(world.scale)) + 40 * months_in + 900 * k, 180 + k, "Portland, OR", a.name,
             f"https://pbs.twimg.example/profile_images/{a.user_id}/logo_normal.jpg", a.handle,
             2000 + statuses[k], f"https://t.co/{a.handle[:4].lower()}Acme", "false"]
            for k, a in accounts])
        totals = _latest_totals(_lifetime(world, "x"), month_start_day(mi + 1))
        out.write(src, "tweet", name, X_TWEET_HEADER, [
            [p.id, _ms(as_of + 3 * HOUR + 60 + i % 50, 600 + i), cat.ORGANIC_ACCOUNTS[p.account].id, _iso(p.created),
             totals.get(i, {}).get("likes", 0), _tweet_text(p), "", "en", totals.get(i, {}).get("shares", 0),
             "Twitter Web App", "false", "PUBLISHED", cat.ORGANIC_ACCOUNTS[p.account].user_id]
            for i, p in posts])
        rows = []
        for r in _days(world, "x", mi):
            p = world.organic_posts[r.post]
            a = cat.ORGANIC_ACCOUNTS[p.account]
            rows.append([a.id, _iso(_local_midnight(world, p.account, r.day)), p.id, "ALL_ON_TWITTER",
                         _ms((r.day + 1) * DAY + 7 * HOUR + (r.post * 53) % 3000, r.post * 17, "T"), r.all_clicks,
                         r.engagements("x"), r.impressions, r.likes, r.comments, r.shares, r.link_clicks])
        out.write(src, "organic_tweet_report", name, X_REPORT_HEADER, rows)


# ---------------------------------------------------------------- YouTube Analytics

YT_VIDEO_HEADER = ["id", "_fivetran_synced", "content_details_definition", "content_details_duration", "kind",
                   "privacy_status", "snippet_category_id", "snippet_channel_id", "snippet_channel_title",
                   "snippet_description", "snippet_published_at", "snippet_title", "statistics_comment_count",
                   "statistics_like_count", "statistics_view_count", "status_made_for_kids", "upload_status"]
YT_REPORT_HEADER = ["_fivetran_id", "date", "_fivetran_synced", "annotation_click_through_rate", "annotation_clicks",
                    "annotation_impressions", "average_view_duration_seconds", "card_click_rate", "card_clicks",
                    "card_impressions", "channel_id", "comments", "country_code", "dislikes", "likes",
                    "live_or_on_demand", "red_views", "shares", "subscribed_status", "subscribers_gained",
                    "subscribers_lost", "video_id", "videos_added_to_playlists", "videos_removed_from_playlists",
                    "views", "watch_time_minutes"]
_YT_SPLITS = [(c, sub, w * (3 if sub == "not_subscribed" else 1))
              for c, w in cat.YOUTUBE_COUNTRIES for sub in ("subscribed", "not_subscribed")]


def _yt_description(p: OrganicPost) -> str:
    if p.has_link:
        return f"{p.headline}\n\nGear in this video: {p.link}\n\nSubscribe for a new brew guide every week."
    return f"{p.headline}\n\nSubscribe for a new brew guide every week."


def _yt_synced(day: int, k: int) -> str:
    """YouTube's report rows are synced two days after their day: '2021-07-29 14:22:11.919 UTC'."""
    return f"{_ms((day + 2) * DAY + 14 * HOUR + 22 * 60 + (k * 13) % 600, k * 29)} UTC"


def _yt_rows(world: World, r: OrganicPostDay, channel_id: str) -> list[list]:
    """The video-day split over countries and subscribed status (cosmetic weights; sums exact)."""
    p = world.organic_posts[r.post]
    rng = np.random.default_rng([world.seed, 501, r.post, r.day])
    w = [max(1, int(base * x)) for (_, _, base), x in zip(_YT_SPLITS, rng.lognormal(0.0, 0.4, len(_YT_SPLITS)) * 100,
                                                             strict=True)]
    parts = {key: allocate(v, w) for key, v in (
        ("views", r.views), ("likes", r.likes), ("comments", r.comments), ("shares", r.shares),
        ("saves", r.saves or 0), ("card_clicks", r.link_clicks), ("card_impressions", r.card_impressions),
        ("gained", r.subscribers_gained), ("lost", r.subscribers_lost),
        ("watch", round(r.watch_minutes * 100)))}
    rows = []
    for x, (country, sub, _) in enumerate(_YT_SPLITS):
        v = {key: vals[x] for key, vals in parts.items()}
        if not any(v.values()) and (rows or x < len(_YT_SPLITS) - 1):
            continue  # the report has no row for a split without activity (but a video-day keeps one row)
        views, clicks, cimp = v["views"], v["card_clicks"], v["card_impressions"]
        rows.append([fivetran_id(p.id, r.day, country, sub), day_str(r.day), _yt_synced(r.day, r.post), 0.0, 0, 0,
                     round(v["watch"] * 0.6 / views, 3) if views else 0.0, round(clicks / cimp, 4) if cimp else 0.0,
                     clicks, cimp, channel_id, v["comments"], country, 0, v["likes"], "on_demand", 0, v["shares"],
                     sub, v["gained"], v["lost"], p.id, v["saves"], 0, views, f"{v['watch'] / 100:.2f}"])
    return rows


def write_youtube(world: World, out: Landing) -> None:
    """`youtube_analytics/`: the channel's videos (all so far, every month) and `channel_basic_a_2` rows per
    video, Pacific day, country and subscribed status, plus a channel row (no video) per day."""
    src = "youtube_analytics"
    accounts = _accounts("youtube")
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)
        totals = _latest_totals(_lifetime(world, "youtube"), month_start_day(mi + 1))
        out.write(src, "video", name, YT_VIDEO_HEADER, [
            [p.id, ts_str(as_of + 3 * HOUR + 60 + i % 50), "hd", f"PT{4 + i % 9}M{(i * 7) % 60}S", "youtube#video",
             "public", 26, cat.ORGANIC_ACCOUNTS[p.account].id, cat.ORGANIC_ACCOUNTS[p.account].handle,
             _yt_description(p), ts_str(p.created), p.headline, totals.get(i, {}).get("comments", 0),
             totals.get(i, {}).get("likes", 0), totals.get(i, {}).get("views", 0), "FALSE", "processed"]
            for i, p in _posts(world, "youtube", as_of)])
        rows = []
        days = _days(world, "youtube", mi)
        for k, a in accounts:
            mine = [r for r in days if world.organic_posts[r.post].account == k]
            for day in sorted({r.day for r in mine}):
                gained = sum(r.subscribers_gained for r in mine if r.day == day)
                rows.append([fivetran_id(a.id, day, "channel"), day_str(day), _yt_synced(day, 0), 0.0, 0, 0, 0.0, 0.0,
                             0, 0, a.id, 0, "ZZ", 0, 0, "on_demand", 0, 0, "subscribed", gained // 3, 0, "", 0, 0, 0,
                             "0.00"])
            for r in mine:
                rows.extend(_yt_rows(world, r, a.id))
        out.write(src, "channel_basic_a_2", name, YT_REPORT_HEADER, rows)


ORGANIC_WRITERS = {"linkedin": write_linkedin_pages, "x": write_twitter_organic, "youtube": write_youtube}
