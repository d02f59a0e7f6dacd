"""Type stubs of the package (articlean/__init__.py)."""

from collections.abc import Sequence
from typing import Literal

from ._articlean import Cleaner as Cleaner
from ._articlean import _Format, _StrPath
from ._articlean import __version__ as __version__

__all__ = ["Cleaner", "clean", "__version__"]

def clean(
    html: str | bytes,
    *,
    format: _Format = "html",
    url: str | None = None,
    input: Literal["auto", "html", "markdown"] = "auto",
    default_rules: bool = True,
    rules: Sequence[_StrPath] = (),
    enable: Sequence[str] = (),
    disable: Sequence[str] = (),
    filter_lists: Sequence[_StrPath | tuple[str, str]] = (),
    filter_cache: _StrPath | None = None,
    keep_comments: bool = False,
    referrer_policy: str | None = None,
    link_rel: str | None = None,
    base_url: str | None = None,
    encoding: str | None = None,
    text_width: int = 0,
    text_links: Literal["text", "footnotes"] = "text",
    text_images: Literal["none", "alt"] = "none",
    extract: bool = False,
    extract_selector: str | None = None,
) -> str: ...
