"""Clean the messy HTML of real articles into safe HTML, text or Markdown.

articlean removes ad slots, tracking pixels, subscription and paywall
promotions, share widgets and tracking parameters; gives lazy-loaded images
their real source; and sanitizes what is left with ammonia (the Rust
sanitizer that ``nh3`` wraps). Every removal is made by a named rule and
reported, and a removal that would take real article text is vetoed.

One call, safe defaults:

>>> import articlean
>>> articlean.clean('<p>Story</p><div id="div-gpt-ad-123">Ad</div>')
'<p>Story</p>\\n'
>>> articlean.clean("<h1>Title</h1><p>First.</p>", format="text")
'Title\\n\\nFirst.\\n'

A :class:`Cleaner`, built once and shared between threads, with a report:

>>> cleaner = articlean.Cleaner(format="markdown", disable=["social"])
>>> cleaner.clean("<h2>News</h2><p>Read <b>this</b>.</p>")
'## News\\n\\nRead **this**.\\n'
>>> cleaner.clean_many(["<p>one</p>", "<p>two</p>"])
['one\\n', 'two\\n']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ._articlean import Cleaner, __version__

__all__ = ["Cleaner", "clean", "__version__"]


def clean(
    html: str | bytes,
    *,
    format: str = "html",
    url: str | None = None,
    **options: Any,
) -> str:
    """Clean one document with the built-in rules (or the given options).

    ``html`` is a str, or bytes decoded as the ``clean`` tool decodes files.
    ``format`` is "html", "text" or "markdown"; ``url`` is the page's
    address (links back to it are unwrapped, relative URLs resolve against
    it). Any other keyword is a :class:`Cleaner` setting (``disable=[...]``,
    ``rules=[...]``, ``base_url=...``). The cleaner for a set of settings is
    built once and kept (the 16 most recent), so calling ``clean`` in a loop
    costs no more than calling ``Cleaner.clean``.

    Never raises for any document (bytes that are not text give "");
    ValueError for a bad setting or a ``url`` that is not absolute.

    >>> import articlean
    >>> articlean.clean('<p>Hi <a href="/x?utm_source=rss">there</a></p>', url="https://example.com/a")
    '<p>Hi <a href="https://example.com/x" rel="noopener noreferrer">there</a></p>\\n'
    """
    return _cleaner(format, _freeze(options)).clean(html, url=url)


@lru_cache(maxsize=16)
def _cleaner(format: str, options: tuple[tuple[str, Any], ...]) -> Cleaner:
    return Cleaner(format=format, **dict(options))


def _freeze(options: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The options as a hashable key: lists become tuples."""

    def frozen(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return tuple(frozen(v) for v in value)
        return value

    return tuple(sorted((k, frozen(v)) for k, v in options.items()))
