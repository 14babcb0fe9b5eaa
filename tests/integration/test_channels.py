"""Change notices through Redis: one subscription per process, each page flagged only for
the keys it watches, and every page's watch ended when the subscription breaks."""

from __future__ import annotations

import asyncio

import pytest
import redis

from projections.channels import CHANNEL, InProcessChannels, RedisChannels, Watch

pytestmark = pytest.mark.redis


async def flagged(watch: Watch, seconds: float = 2.0) -> bool:
    try:
        await asyncio.wait_for(watch.changed.wait(), seconds)
    except TimeoutError:
        return False
    return True


def subscriptions(url: str) -> int:
    return dict(redis.Redis.from_url(url).pubsub_numsub(CHANNEL))[CHANNEL.encode()]


def test_pages_share_one_subscription_and_hear_only_their_keys(redis_url: str) -> None:
    channels = RedisChannels(redis_url)

    async def scenario() -> None:
        before = subscriptions(redis_url)
        assert await channels.healthy()
        async with (
            channels.watch({"packing:s1"}) as board,
            channels.watch({"shift:a", "shift:b"}) as shift,
        ):
            await asyncio.sleep(0.2)
            assert subscriptions(redis_url) == before + 1, "one subscription for both pages"
            for _ in range(50):
                channels.publish("shift_board", {"shift:b", "volunteer:v"})
            assert await flagged(shift)
            assert not await flagged(board, 1.0), "a page is not woken for keys it does not watch"
            shift.changed.clear()
            assert not await flagged(shift, 0.5), "fifty notices flag a page once"
            channels.publish("packing_board", {"packing:s1"})
            assert await flagged(board) and not board.broken
        await asyncio.sleep(0.2)
        assert subscriptions(redis_url) == before, "the last page gone, the subscription ends"

    asyncio.run(scenario())


def test_a_broken_subscription_ends_every_watch(redis_url: str) -> None:
    channels = RedisChannels(redis_url)

    async def scenario() -> None:
        async with channels.watch({"packing:s1"}) as watch:
            await asyncio.sleep(0.2)
            redis.Redis.from_url(redis_url).client_kill_filter(_type="pubsub")
            assert await flagged(watch, 5)
            assert watch.broken
        async with channels.watch({"packing:s1"}) as again:
            await asyncio.sleep(0.2)
            channels.publish("packing_board", {"packing:s1"})
            assert await flagged(again) and not again.broken, "a new page subscribes again"

    asyncio.run(scenario())


def test_in_process_notices_are_filtered_by_key_too() -> None:
    channels = InProcessChannels()

    async def scenario() -> None:
        async with channels.watch({"kitchen:k"}) as kitchen, channels.watch({"x"}) as other:
            channels.publish("shift_board", {"shift:a"})
            assert not await flagged(kitchen, 0.2)
            await asyncio.to_thread(channels.publish, "kitchen_dashboard", {"kitchen:k"})
            assert await flagged(kitchen)
            assert not other.changed.is_set()

    asyncio.run(scenario())


def test_once_subscribed_a_health_check_answers_without_waiting(redis_url: str) -> None:
    """A thousand pages opening together each ask; once the subscription is up the answer
    comes without giving up the loop, so no page's request waits there holding its state."""
    channels = RedisChannels(redis_url)

    async def scenario() -> None:
        assert await channels.healthy()  # opens the subscription
        asking = channels.healthy()
        with pytest.raises(StopIteration) as answered:
            asking.send(None)  # run to its end in one step, or it yields to the loop here
        assert answered.value.value is True

    asyncio.run(scenario())
