"""Compression that costs nothing for a small answer.

Litestar's compression middleware opens a gzip stream for every response to a client that
accepts gzip, before it knows the body is too small to compress; for a desk's or a sign-up's
few hundred bytes of JSON that stream is a fiftieth of a web process's time. Here a body that
comes whole and under the minimum size goes out as it is; anything else is Litestar's.
"""

from __future__ import annotations

from typing import Any, Literal

from litestar.enums import CompressionEncoding
from litestar.middleware.compression import CompressionMiddleware
from litestar.types import Message, Scope, Send


class SmallAnswersAsTheyAre(CompressionMiddleware):
    def create_compression_send_wrapper(
        self,
        send: Send,
        compression_encoding: Literal[CompressionEncoding.BROTLI, CompressionEncoding.GZIP] | str,
        scope: Scope,
    ) -> Send:
        start: Any = None
        compressing: Send | None = None

        async def small_as_it_is(message: Message) -> None:
            nonlocal start, compressing
            if compressing is not None:
                await compressing(message)
                return
            if message["type"] == "http.response.start":
                start = message
                return
            small = (
                message["type"] == "http.response.body"
                and not message.get("more_body")
                and len(message["body"]) < self.config.minimum_size
            )
            if start is not None and small:
                await send(start)
                await send(message)
                return
            compressing = super(SmallAnswersAsTheyAre, self).create_compression_send_wrapper(
                send, compression_encoding, scope
            )
            if start is not None:
                await compressing(start)
            await compressing(message)

        return small_as_it_is
