"""Change notices through Redis: one subscription per process, each page woken only for the
keys it watches, and every page's stream ended when the subscription breaks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis

from projections.channels import CHANNEL, InProcessChannels, Notice, RedisChannels

pytestmark = pytest.mark.redis


async def first(notices: AsyncIterator[Notice], seconds: float = 2.0) -> Notice | None:
    try:
        return await asyncio.wait_for(anext(notices), seconds)
    except TimeoutError:
        return None


def subscriptions(url: str) -> int:
    return dict(redis.Redis.from_url(url).pubsub_numsub(CHANNEL))[CHANNEL.encode()]


def test_pages_share_one_subscription_and_hear_only_their_keys(redis_url: str) -> None:
    channels = RedisChannels(redis_url)

    async def scenario() -> None:
        before = subscriptions(redis_url)
        assert await channels.healthy()
        board, shift = channels.listen({"packing:s1"}), channels.listen({"shift:a", "shift:b"})
        board_next, shift_next = (
            asyncio.ensure_future(first(board)),
            asyncio.ensure_future(first(shift)),
        )
        await asyncio.sleep(0.2)
        assert subscriptions(redis_url) == before + 1, "one subscription for both pages"
        channels.publish("shift_board", {"shift:b", "volunteer:v"})
        assert await shift_next == ("shift_board", frozenset({"shift:b", "volunteer:v"}))
        assert await board_next is None, "a page is not woken for keys it does not watch"
        await board.aclose()
        await shift.aclose()
        await asyncio.sleep(0.2)
        assert subscriptions(redis_url) == before, "the last page gone, the subscription ends"

    asyncio.run(scenario())


def test_a_broken_subscription_ends_every_stream(redis_url: str) -> None:
    channels = RedisChannels(redis_url)

    async def scenario() -> None:
        notices = channels.listen({"packing:s1"})
        waiting = asyncio.ensure_future(anext(notices))
        await asyncio.sleep(0.2)
        redis.Redis.from_url(redis_url).client_kill_filter(_type="pubsub")
        with pytest.raises(ConnectionError):
            await asyncio.wait_for(waiting, 5)

    asyncio.run(scenario())


def test_in_process_notices_are_filtered_by_key_too() -> None:
    channels = InProcessChannels()

    async def scenario() -> None:
        notices = channels.listen({"kitchen:k"})
        waiting = asyncio.ensure_future(first(notices))
        await asyncio.sleep(0.05)
        channels.publish("shift_board", {"shift:a"})
        channels.publish("kitchen_dashboard", {"kitchen:k"})
        assert await waiting == ("kitchen_dashboard", frozenset({"kitchen:k"}))

    asyncio.run(scenario())
