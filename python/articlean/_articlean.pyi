"""Type stubs of the compiled module (python/src/lib.rs)."""

import os
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TypedDict, final

from typing_extensions import NotRequired

__all__ = ["Cleaner", "__version__"]

__version__: str

_Format = Literal["html", "text", "markdown"]
_StrPath = str | os.PathLike[str]

class _Change(TypedDict):
    """One change a rule made (or was vetoed from making)."""

    rule: str
    action: str
    target: str
    text_chars: int
    vetoed: bool
    detail: NotRequired[str]

class _Report(TypedDict):
    """What the rules did to one document, as ``clean --report`` writes it."""

    changes: list[_Change]
    deep_tags_dropped: NotRequired[int]

@final
class Cleaner:
    """Cleans documents; built once, used from any number of threads."""

    def __new__(
        cls,
        *,
        format: _Format = "html",
        input: Literal["auto", "html", "markdown"] = "auto",
        default_rules: bool = True,
        rules: Sequence[_StrPath] = ...,
        enable: Sequence[str] = ...,
        disable: Sequence[str] = ...,
        filter_lists: Sequence[_StrPath | tuple[str, str]] = ...,
        filter_cache: _StrPath | None = None,
        keep_comments: bool = False,
        referrer_policy: str | None = None,
        link_rel: str | None = None,
        base_url: str | None = None,
        url: str | None = None,
        encoding: str | None = None,
        text_width: int = 0,
        text_links: Literal["text", "footnotes"] = "text",
        text_images: Literal["none", "alt"] = "none",
    extract: bool = False,
    extract_selector: str | None = None,
    ) -> Cleaner: ...
    @property
    def format(self) -> _Format: ...
    @property
    def skipped_filter_rules(self) -> int: ...
    def clean(self, html: str | bytes, url: str | None = None) -> str: ...
    def clean_with_report(self, html: str | bytes, url: str | None = None) -> dict[str, Any]:
        """The object of ``clean --format json``: ``{"url", "title", "byline", "date",
        "lang", "site", "image", "description": str | None, "html" | "text" |
        "markdown": str, "report": _Report, "error"?: str}``"""
    def clean_many(
        self,
        docs: Iterable[str | bytes],
        threads: int | None = None,
        urls: Sequence[str | None] | None = None,
    ) -> list[str]: ...
