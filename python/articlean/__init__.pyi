"""Type stubs of the package (articlean/__init__.py)."""

from collections.abc import Sequence
from typing import Literal

from ._articlean import Change as Change
from ._articlean import Cleaner as Cleaner
from ._articlean import Format as Format
from ._articlean import Report as Report
from ._articlean import StrPath as StrPath
from ._articlean import __version__ as __version__

__all__ = ["Cleaner", "clean", "__version__"]

def clean(
    html: str | bytes,
    *,
    format: Format = "html",
    url: str | None = None,
    input: Literal["auto", "html", "markdown"] = "auto",
    default_rules: bool = True,
    rules: Sequence[StrPath] = (),
    enable: Sequence[str] = (),
    disable: Sequence[str] = (),
    filter_lists: Sequence[StrPath | tuple[str, str]] = (),
    filter_cache: StrPath | None = None,
    keep_comments: bool = False,
    referrer_policy: str | None = None,
    link_rel: str | None = None,
    base_url: str | None = None,
    encoding: str | None = None,
    text_width: int = 0,
    text_links: Literal["text", "footnotes"] = "text",
    text_images: Literal["none", "alt"] = "none",
) -> str: ...
