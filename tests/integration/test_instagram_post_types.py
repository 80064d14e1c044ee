"""Instagram insights per media type, through the real ingest and dbt: the connector fills video_photo_*
for photos and videos, but a story's lifetime insights are in story_* and a carousel's in carousel_album_*
(Fivetran's instagram_business media_insights, as tests/fixtures and the reference seed show). Each
post's daily increments must come from its own type's columns: a story is not a post without stats.
Hand-checkable: two accounts ("deals" posts stories, "community" a photo and a carousel), two syncs each.
"""

from __future__ import annotations

import pytest
from project_env import drop, project, query

from socialroi import tasks
from socialroi.build import run_dbt

USERS = """_fivetran_id,_fivetran_synced,id,username
u1,2026-05-01T13:00:00,100,acme_deals
u2,2026-05-01T13:00:00,200,acme_community
"""
MEDIA = """_fivetran_id,_fivetran_synced,id,user_id,username,caption,created_time,media_type,is_story,permalink
m1,2026-05-01T14:00:00,S1,100,acme_deals,Flash deal https://shop.example.com/?utm_content=S1,2026-05-01T09:00:00,IMAGE,true,
m2,2026-05-01T14:00:00,P1,200,acme_community,Look https://shop.example.com/?utm_content=P1,2026-05-01T09:00:00,IMAGE,false,https://www.instagram.com/p/P1/
m3,2026-05-01T14:00:00,C1,200,acme_community,Carousel,2026-05-01T09:00:00,CAROUSEL_ALBUM,false,https://www.instagram.com/p/C1/
"""
HEADER = ("_fivetran_id,_fivetran_synced,id,like_count,comment_count,video_photo_reach,video_photo_impressions,"
          "video_photo_saved,video_photo_shares,story_reach,story_impressions,story_replies,story_shares,"
          "carousel_album_reach,carousel_album_impressions,carousel_album_saved,carousel_album_shares\n")
INSIGHTS = HEADER + """i1,2026-05-01T14:22:00,S1,,,,,,,80,100,2,1,,,,
i2,2026-05-02T14:22:00,S1,,,,,,,120,150,3,1,,,,
i3,2026-05-01T14:22:00,P1,10,1,300,400,4,2,,,,,,,,
i4,2026-05-02T14:22:00,P1,15,2,450,600,5,3,,,,,,,,
i5,2026-05-01T14:22:00,C1,5,0,,,,,,,,,90,120,1,0
i6,2026-05-02T14:22:00,C1,7,1,,,,,,,,,140,200,2,1
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with project(tmp_path_factory.mktemp("instagram-types")) as settings:
        drop(settings, "instagram_business/user_history/u.csv", USERS)
        drop(settings, "instagram_business/media_history/m.csv", MEDIA)
        drop(settings, "instagram_business/media_insights/i.csv", INSIGHTS)
        result = tasks.ingest(settings)
        assert result["quarantined_files"] == []
        run_dbt(settings, ["run", "--select", "+stg_instagram_business__post_stats"])
        yield settings


def test_each_media_type_takes_its_own_insights(built):
    rows = query(built, """
        select post_id, handle, strftime(date, '%d'), impressions, reach, likes, comments, shares, saves, engagements
        from staging.stg_instagram_business__post_stats order by post_id, date""")
    assert rows == [
        ("C1", "acme_community", "01", 120, 90, 5, 0, 0, 1, 6),
        ("C1", "acme_community", "02", 80, 50, 2, 1, 1, 1, 5),
        ("P1", "acme_community", "01", 400, 300, 10, 1, 2, 4, 17),
        ("P1", "acme_community", "02", 200, 150, 5, 1, 1, 1, 8),
        # a story has no likes or saves; its replies are its comments
        ("S1", "acme_deals", "01", 100, 80, None, 2, 1, None, 3),
        ("S1", "acme_deals", "02", 50, 40, None, 1, 0, None, 1),
    ]


def test_impressions_per_account(built):
    rows = query(built, """
        select handle, sum(impressions) from staging.stg_instagram_business__post_stats group by 1 order by 1""")
    assert rows == [("acme_community", 800), ("acme_deals", 150)]
