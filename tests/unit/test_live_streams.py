"""Live streams grouped by their keys: one watch and one task a group, a change written to every
stream, a stalled connection holding nobody up, every stream ended when the notices stop."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from projections.channels import InProcessChannels
from web.platform import streams
from web.platform.streams import LiveStreams


class Connection:
    """What a server gives an ASGI app for one request. A stalled one (a phone that stopped
    reading) makes each write wait until it drains, as uvicorn's flow control does."""

    def __init__(self, stalled: bool = False) -> None:
        self.sent: list[Any] = []
        self.drained = asyncio.Event()
        self.gone = asyncio.Event()  # the browser went away, or the answer ended
        self.asked = False
        if not stalled:
            self.drained.set()

    async def send(self, message: Any) -> None:
        await self.drained.wait()
        self.sent.append(message)
        if message["type"] == "http.response.body" and not message["more_body"]:
            self.gone.set()

    async def receive(self) -> Any:
        if not self.asked:
            self.asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    def events(self) -> list[str]:
        bodies = [m["body"].decode() for m in self.sent if m["type"] == "http.response.body"]
        return [line[7:] for body in bodies for line in body.splitlines() if "event: " in line]

    def ended(self) -> bool:
        return any(not m.get("more_body", True) for m in self.sent[1:])


async def until(condition: Callable[[], bool], seconds: float = 2.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.005)


def run(scenario: Callable[[InProcessChannels, LiveStreams], Awaitable[None]]) -> None:
    channels = InProcessChannels()
    asyncio.run(scenario(channels, LiveStreams(channels)))


def followed(live: LiveStreams, keys: set[str], connection: Connection) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(
        live.follow(frozenset(keys), connection.receive, connection.send)
    )


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "COALESCE_SECONDS", 0.02)


def test_streams_on_the_same_keys_share_one_watch_and_are_each_told_of_a_change() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        board = [Connection() for _ in range(200)]
        shift = Connection()
        tasks = [followed(live, {"board:stadium"}, c) for c in board]
        tasks.append(followed(live, {"shift:1"}, shift))
        await until(lambda: all(c.events() == ["ready"] for c in [*board, shift]))
        assert len(channels._watches) == 2  # one a group, not one a stream
        assert live.groups() == 2

        channels.publish("board", {"board:stadium"})
        await until(lambda: all(c.events() == ["ready", "changed"] for c in board))
        assert shift.events() == ["ready"]
        assert all(c.sent[0]["status"] == 200 for c in board)

        for connection in board[:150]:
            connection.gone.set()
        await until(lambda: sum(t.done() for t in tasks) == 150)
        channels.publish("board", {"board:stadium"})
        await until(lambda: all(len(c.events()) == 3 for c in board[150:]))
        assert all(len(c.events()) == 2 for c in board[:150])  # gone: written no more

        for connection in [*board, shift]:
            connection.gone.set()
        await asyncio.gather(*tasks)
        await until(lambda: not channels._watches)  # the last to leave ends the watch
        assert live.groups() == 0

    run(scenario)


def test_changes_close_together_are_written_once() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        streams.COALESCE_SECONDS = 0.3
        connection = Connection()
        task = followed(live, {"k"}, connection)
        await until(lambda: connection.events() == ["ready"])
        for _ in range(20):
            channels.publish("view", {"k"})
            await asyncio.sleep(0.001)
        await until(lambda: connection.events() == ["ready", "changed"])
        await asyncio.sleep(0.05)
        assert connection.events() == ["ready", "changed"]  # still within the half-second
        await until(lambda: connection.events() == ["ready", "changed", "changed"])
        connection.gone.set()
        await task

    run(scenario)


def test_a_stalled_connection_holds_up_no_other_stream_and_is_written_again_once_drained() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        stalled, others = Connection(), [Connection() for _ in range(3)]
        tasks = [followed(live, {"k"}, c) for c in [stalled, *others]]
        await until(lambda: all(c.events() == ["ready"] for c in [stalled, *others]))

        stalled.drained.clear()
        for _ in range(3):
            channels.publish("view", {"k"})
            await until(lambda: len(others[0].events()) == len(others[-1].events()) > 1)
            await asyncio.sleep(streams.COALESCE_SECONDS * 2)
        assert all(c.events() == ["ready"] + ["changed"] * 3 for c in others)
        assert stalled.events() == ["ready"]  # one write waits; the later ones passed over

        stalled.drained.set()
        await until(lambda: stalled.events() == ["ready", "changed"])
        channels.publish("view", {"k"})
        await until(lambda: stalled.events() == ["ready", "changed", "changed"])

        for connection in [stalled, *others]:
            connection.gone.set()
        await asyncio.gather(*tasks)

    run(scenario)


def test_when_the_notices_stop_every_stream_ends_and_the_next_one_watches_afresh() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        connections = [Connection() for _ in range(5)]
        tasks = [followed(live, {"k"}, c) for c in connections]
        await until(lambda: all(c.events() == ["ready"] for c in connections))
        [(_, watch)] = channels._watches
        watch.end()  # what a broken subscription does to every watch
        await asyncio.wait_for(asyncio.gather(*tasks), 2)
        assert all(c.ended() for c in connections)
        assert not channels._watches

        again = Connection()
        task = followed(live, {"k"}, again)
        await until(lambda: again.events() == ["ready"])
        channels.publish("view", {"k"})
        await until(lambda: again.events() == ["ready", "changed"])
        again.gone.set()
        await task

    run(scenario)


def test_a_quiet_stream_is_sent_a_comment_now_and_then(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "HEARTBEAT_SECONDS", 0.05)

    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        connection = Connection()
        task = followed(live, {"k"}, connection)
        await until(lambda: sum(b"still here" in m.get("body", b"") for m in connection.sent) >= 2)
        assert connection.events() == ["ready"]
        connection.gone.set()
        await task

    run(scenario)


def test_every_stream_has_its_own_head() -> None:
    """The answer's hooks add headers to the head they are given: no stream may share one."""

    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        first, second = Connection(), Connection()
        tasks = [followed(live, {"k"}, c) for c in (first, second)]
        await until(lambda: first.events() == second.events() == ["ready"])
        first.sent[0]["headers"].append((b"x-request-id", b"1"))
        assert (b"x-request-id", b"1") not in second.sent[0]["headers"]
        assert (b"content-type", b"text/event-stream; charset=utf-8") in second.sent[0]["headers"]
        first.gone.set()
        second.gone.set()
        await asyncio.gather(*tasks)

    run(scenario)


def test_a_channel_that_fails_ends_its_streams_and_nothing_hangs() -> None:
    class Failing(InProcessChannels):
        def watch(self, keys: set[str]) -> Any:
            raise ConnectionError("the channel is down")

    async def scenario() -> None:
        live = LiveStreams(Failing())
        connections = [Connection() for _ in range(3)]
        tasks = [followed(live, {"k"}, c) for c in connections]
        await asyncio.wait_for(asyncio.gather(*tasks), 2)
        assert all(c.ended() and c.events() == [] for c in connections)
        assert live.groups() == 0

    asyncio.run(scenario())


def test_a_send_that_is_no_coroutine_is_awaited_aside() -> None:
    """ASGI asks only for an awaitable: a server may hand out a future."""

    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        loop, sent = asyncio.get_running_loop(), []

        def send(message: Any) -> asyncio.Future[None]:
            sent.append(message)
            done: asyncio.Future[None] = loop.create_future()
            loop.call_later(0.01, done.set_result, None)
            return done

        gone = asyncio.Event()

        async def receive() -> Any:
            await gone.wait()
            return {"type": "http.disconnect"}

        task = loop.create_task(live.follow(frozenset({"k"}), receive, send))
        await until(lambda: any(b"ready" in m.get("body", b"") for m in sent))
        await asyncio.sleep(0.05)
        channels.publish("view", {"k"})
        await until(lambda: any(b"changed" in m.get("body", b"") for m in sent))
        gone.set()
        await task

    run(scenario)


def test_a_stream_ended_while_a_write_waits_ends_once_it_drains() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        stalled = Connection()
        task = followed(live, {"k"}, stalled)
        await until(lambda: stalled.events() == ["ready"])
        stalled.drained.clear()
        channels.publish("view", {"k"})
        await asyncio.sleep(0.05)  # "changed" waits for the connection
        [(_, watch)] = channels._watches
        watch.end()
        await asyncio.sleep(0.05)
        assert not task.done() and not stalled.ended()
        stalled.drained.set()
        await asyncio.wait_for(task, 2)
        assert stalled.events() == ["ready", "changed"] and stalled.ended()

    run(scenario)


class Parsed:
    """Stands for what a framework makes of a request (parsed headers, cookies, session)."""


def framework(
    live: LiveStreams, made: list[weakref.ref[Parsed]], told: list[object] | None = None
) -> Any:
    """An ASGI application that, as Litestar does, keeps what it parsed in the scope and in
    its own frames while it answers with a live stream; ``told``: whether the channels were
    healthy, as the scope says."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if told is not None:
            told.append(scope.get(streams.CHANNELS_HEALTHY))
        parsed = Parsed()
        made.append(weakref.ref(parsed))
        scope["session"] = parsed
        scope.setdefault("state", {})["parsed"] = parsed
        await live.answer(frozenset({"k"}), scope, receive, send)

    return app


def request_scope() -> dict[str, Any]:
    return {"type": "http", "path": "/live/", "state": {}}


class Subscribing(InProcessChannels):
    """Channels whose subscription is not up yet: a health check waits until it is."""

    def __init__(self) -> None:
        super().__init__()
        self.up = asyncio.Event()
        self.asked = 0

    async def healthy(self) -> bool:
        self.asked += 1
        await self.up.wait()
        return True


def test_streams_wait_for_the_channels_before_the_framework_takes_their_requests() -> None:
    """Screens reconnecting at once after a restart wait for the process's subscription as
    bare connections: no request is parsed before it is up."""

    async def scenario() -> None:
        channels = Subscribing()
        live = LiveStreams(channels)
        made: list[weakref.ref[Parsed]] = []
        told: list[object] = []
        served = streams.detached_streams(framework(live, made, told), lambda: live)
        connections = [Connection() for _ in range(5)]
        tasks = [
            asyncio.get_running_loop().create_task(served(request_scope(), c.receive, c.send))
            for c in connections
        ]
        await asyncio.sleep(0.05)
        assert made == [] and all(c.sent == [] for c in connections)
        channels.up.set()
        await until(lambda: all(c.events() == ["ready"] for c in connections))
        assert len(made) == 5
        assert channels.asked == 5  # once a request: the framework reads the answer given
        assert all(seen is True for seen in told)
        for connection in connections:
            connection.gone.set()
        await asyncio.gather(*tasks)

    asyncio.run(scenario())


def test_a_stream_is_followed_after_the_framework_has_let_go_of_its_request() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        made: list[weakref.ref[Parsed]] = []
        served = streams.detached_streams(framework(live, made), lambda: live)
        connections = [Connection() for _ in range(3)]
        scopes = [request_scope() for _ in connections]
        tasks = [
            asyncio.get_running_loop().create_task(served(s, c.receive, c.send))
            for s, c in zip(scopes, connections, strict=True)
        ]
        await until(lambda: all(c.events() == ["ready"] for c in connections))
        gc.collect()
        assert [ref() for ref in made] == [None, None, None]  # nothing holds the requests
        kept = {"type": "http", "path": "/live/", "state": {}, streams.CHANNELS_HEALTHY: True}
        assert all(s == kept for s in scopes)
        assert all(c.sent[0]["status"] == 200 for c in connections)  # one head each

        channels.publish("view", {"k"})
        await until(lambda: all(c.events() == ["ready", "changed"] for c in connections))
        for connection in connections:
            connection.gone.set()
        await asyncio.gather(*tasks)
        assert live.groups() == 0

    run(scenario)


def test_without_the_detaching_application_a_stream_is_followed_within_its_request() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        made: list[weakref.ref[Parsed]] = []
        connection = Connection()
        app = framework(live, made)
        task = asyncio.get_running_loop().create_task(
            app(request_scope(), connection.receive, connection.send)
        )
        await until(lambda: connection.events() == ["ready"])
        channels.publish("view", {"k"})
        await until(lambda: connection.events() == ["ready", "changed"])
        assert not task.done()  # the request answers for as long as the stream lasts
        connection.gone.set()
        await task
        assert [m["status"] for m in connection.sent if "status" in m] == [200]

    run(scenario)


def test_other_requests_pass_through_the_detaching_application_untouched() -> None:
    async def scenario(channels: InProcessChannels, live: LiveStreams) -> None:
        async def page(scope: Any, receive: Any, send: Any) -> None:
            scope["session"] = "kept"
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"page", "more_body": False})

        connection, scope = Connection(), request_scope()
        await streams.detached_streams(page, lambda: None)(
            scope, connection.receive, connection.send
        )
        assert connection.sent[-1]["body"] == b"page"
        assert scope["session"] == "kept"
        assert streams.DETACHABLE in scope  # marked, nothing taken out

    run(scenario)
