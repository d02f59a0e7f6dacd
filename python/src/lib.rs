//! `articlean._articlean`: the compiled half of the Python package. Glue
//! only, as the `clean` binary is: turn keyword arguments into a
//! `CleanerBuilder`, Python strings and bytes into `&str` and `&[u8]`, and
//! cleaned documents back into `str`, `dict` and `list`. The Python half
//! (`articlean/__init__.py`) adds the one-call `clean` on top.
//!
//! NOTE: every call that cleans releases the GIL (`Python::detach`): the
//! cleaner is `Send + Sync` and the documents are borrowed from immutable
//! Python objects that the call keeps alive, so other Python threads run
//! meanwhile and `clean_many` cleans on every core.

#![forbid(unsafe_code)]

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use articlean::{Cleaned, ErrorKind, InputKind, Report, Rules, TextImages, TextLinks};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString, PyTuple};

/// What a cleaner returns: the `format` argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Html,
    Text,
    Markdown,
}

impl Format {
    fn parse(name: &str) -> PyResult<Format> {
        match name {
            "html" => Ok(Format::Html),
            "text" => Ok(Format::Text),
            "markdown" => Ok(Format::Markdown),
            _ => Err(PyValueError::new_err(format!(
                "unknown format \"{name}\" (known: html, text, markdown)"
            ))),
        }
    }

    /// Its name, which is also the output's key in `clean_with_report`'s
    /// dict, as in a line of the binary's `--jsonl` output.
    fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "text",
            Format::Markdown => "markdown",
        }
    }

    fn take(self, cleaned: Cleaned) -> String {
        match self {
            Format::Html => cleaned.into_html(),
            Format::Text => cleaned.into_text(),
            Format::Markdown => cleaned.into_markdown(),
        }
    }
}

/// A document as Python gave it, borrowed where it can be.
enum Doc {
    Str(PyBackedStr),
    /// A `str` with lone surrogates, which UTF-8 cannot hold: they become
    /// U+FFFD, as a browser's decoder makes of bad input.
    Lossy(String),
    Bytes(PyBackedBytes),
}

impl Doc {
    fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Doc> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(match PyBackedStr::try_from(s.clone()) {
                Ok(b) => Doc::Str(b),
                Err(_) => Doc::Lossy(without_surrogates(s)?),
            });
        }
        if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
            return Ok(Doc::Bytes(obj.extract()?));
        }
        Err(PyTypeError::new_err(format!(
            "expected str or bytes, not {}",
            obj.get_type().name()?
        )))
    }
}

/// A `str` that holds lone surrogates, with each of them replaced by one
/// U+FFFD.
fn without_surrogates(s: &Bound<'_, PyString>) -> PyResult<String> {
    let encoded = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
    let mut rest: &[u8] = encoded.cast::<PyBytes>()?.as_bytes();
    let mut out = String::with_capacity(rest.len());
    loop {
        match std::str::from_utf8(rest) {
            Ok(tail) => {
                out.push_str(tail);
                return Ok(out);
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).expect("valid up to the error"));
                out.push('\u{FFFD}');
                // NOTE: "surrogatepass" writes each surrogate as three
                // bytes, and nothing else in its output is invalid UTF-8.
                rest = &bad[bad.len().min(3)..];
            }
        }
    }
}

/// What cleaning one document gave.
enum Done {
    Cleaned(Box<Cleaned>),
    /// Bytes that are not text (NUL bytes, mostly control bytes): the
    /// library's reason. They clean to empty output.
    NotText(String),
}

/// Cleans HTML, whole pages or Markdown posts into safe HTML, text or
/// Markdown. Built once (the rules are compiled here), then used for any
/// number of documents, from any number of threads.
///
/// Every keyword argument is a setting of the ``clean`` command line tool
/// (its ``--option`` of the same name). A bad setting raises ValueError
/// with the tool's message: an unknown rule group, a rules file that is
/// missing or wrong, a URL that is not absolute.
///
/// Args:
///     format: "html" (default), "text" or "markdown".
///     input: "auto" (default: a post if it opens with front matter, else
///         a document or a fragment), "html" or "markdown".
///     default_rules: use the built-in rules (default True).
///     rules: rule files, applied after the built-in ones: each a path
///         (str or os.PathLike) or, when a str holds a line break, the
///         TOML text itself.
///     enable: rule groups or ids to turn on, opt-in rules included.
///     disable: rule groups or ids to turn off ("social", "ads.labels").
///     filter_lists: Adblock Plus filter lists (EasyList, EasyPrivacy): a
///         path, a (name, text) tuple, or a str holding a line break (the
///         list's text).
///     filter_cache: a file that keeps the compiled filter lists.
///     keep_comments: keep HTML comments.
///     referrer_policy: the referrerpolicy of every image ("" for none).
///     link_rel: the rel of every link ("" for none).
///     base_url: resolve relative URLs against this URL.
///     url: the page's URL, for every document that is not given its own.
///     encoding: decode bytes with this encoding (a WHATWG label such as
///         "gbk"), whatever they declare.
///     text_width: wrap text to this many columns (0: no wrapping).
///     text_links: "text" (default) or "footnotes".
///     text_images: "none" (default) or "alt".
///     extract: keep only the main article of a whole page (`clean
///         --extract`); fragments and Markdown posts are kept whole.
///     extract_selector: a CSS selector naming the article on pages whose
///         layout you know; it turns `extract` on.
///
/// Example:
///     >>> import articlean
///     >>> cleaner = articlean.Cleaner(format="text", disable=["social"])
///     >>> cleaner.clean("<h1>Title</h1><p>Story.</p><div class='adsbygoogle'>Ad</div>")
///     'Title\n\nStory.\n'
#[pyclass(frozen, module = "articlean", name = "Cleaner")]
struct Cleaner {
    inner: articlean::Cleaner,
    format: Format,
}

/// An absolute page URL for one document, or none.
type PageUrl = Option<String>;

impl Cleaner {
    /// Cleans one document. Only a bad `url` is an error.
    fn run(&self, doc: &Doc, url: Option<&str>) -> Result<Done, articlean::Error> {
        let text = |s: &str| match url {
            Some(u) => self.inner.clean_with_url(s, u),
            None => Ok(self.inner.clean(s)),
        };
        match doc {
            Doc::Str(s) => text(s).map(|c| Done::Cleaned(Box::new(c))),
            Doc::Lossy(s) => text(s).map(|c| Done::Cleaned(Box::new(c))),
            Doc::Bytes(b) => {
                let cleaned = match url {
                    Some(u) => self.inner.clean_bytes_with_url(b, u),
                    None => self.inner.clean_bytes(b),
                };
                match cleaned {
                    Ok(c) => Ok(Done::Cleaned(Box::new(c))),
                    Err(e) if e.kind() == ErrorKind::Config => Err(e),
                    // The cleaner is lossy, so only input that is not text
                    // at all fails here.
                    Err(e) => Ok(Done::NotText(e.to_string())),
                }
            }
        }
    }

    fn output(&self, done: Done) -> String {
        match done {
            Done::Cleaned(c) => self.format.take(*c),
            Done::NotText(_) => String::new(),
        }
    }
}

fn value_error(e: &articlean::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (
        *,
        format = "html",
        input = "auto",
        default_rules = true,
        rules = Vec::new(),
        enable = Vec::new(),
        disable = Vec::new(),
        filter_lists = Vec::new(),
        filter_cache = None,
        keep_comments = false,
        referrer_policy = None,
        link_rel = None,
        base_url = None,
        url = None,
        encoding = None,
        text_width = 0,
        text_links = "text",
        text_images = "none",
        extract = false,
        extract_selector = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        format: &str,
        input: &str,
        default_rules: bool,
        rules: Vec<Bound<'_, PyAny>>,
        enable: Vec<String>,
        disable: Vec<String>,
        filter_lists: Vec<Bound<'_, PyAny>>,
        filter_cache: Option<PathBuf>,
        keep_comments: bool,
        referrer_policy: Option<String>,
        link_rel: Option<String>,
        base_url: Option<String>,
        url: Option<String>,
        encoding: Option<String>,
        text_width: usize,
        text_links: &str,
        text_images: &str,
        extract: bool,
        extract_selector: Option<String>,
    ) -> PyResult<Cleaner> {
        let format = Format::parse(format)?;
        let input = match input {
            "auto" => InputKind::Auto,
            "html" => InputKind::Html,
            "markdown" => InputKind::Markdown,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "unknown input \"{input}\" (known: auto, html, markdown)"
                )))
            }
        };
        let text_links = match text_links {
            "text" => TextLinks::Text,
            "footnotes" => TextLinks::Footnotes,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "unknown text_links \"{text_links}\" (known: text, footnotes)"
                )))
            }
        };
        let text_images = match text_images {
            "none" => TextImages::None,
            "alt" => TextImages::Alt,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "unknown text_images \"{text_images}\" (known: none, alt)"
                )))
            }
        };
        // The order of the `clean` binary's `build`, so that the first bad
        // setting is the one it would name.
        let mut b = articlean::Cleaner::builder();
        if !default_rules {
            b = b.rules(Rules::default());
        }
        for item in &rules {
            let loaded = match text_or_path(item)? {
                Source::Text(t) => Rules::from_toml(&t),
                Source::Path(p) => Rules::from_path(p),
            };
            b = b.add_rules(loaded.map_err(|e| value_error(&e))?);
        }
        for (i, item) in filter_lists.iter().enumerate() {
            if let Ok(tuple) = item.cast::<PyTuple>() {
                let (name, text): (String, String) = tuple.extract()?;
                b = b.add_filter_list(name, text);
                continue;
            }
            b = match text_or_path(item)? {
                Source::Text(t) => b.add_filter_list(format!("inline-{}.txt", i + 1), t),
                Source::Path(p) => b.add_filter_list_file(p),
            };
        }
        if let Some(path) = filter_cache {
            b = b.filter_cache(path);
        }
        for prefix in disable {
            b = b.disable(prefix);
        }
        for prefix in enable {
            b = b.enable(prefix);
        }
        if let Some(p) = referrer_policy {
            b = b.referrer_policy(p);
        }
        if let Some(r) = link_rel {
            b = b.link_rel(r);
        }
        if let Some(u) = base_url {
            b = b.base_url(u);
        }
        if let Some(u) = url {
            b = b.url(u);
        }
        if let Some(e) = encoding {
            b = b.encoding(e);
        }
        // NOTE: bytes are decoded lossily (malformed sequences become
        // U+FFFD, as in a browser) because cleaning never raises; the
        // binary fails on them unless given --lossy.
        let b = b
            .keep_comments(keep_comments)
            .lossy(true)
            .input(input)
            .html(format == Format::Html)
            .text(format == Format::Text)
            .markdown(format == Format::Markdown)
            .text_width(text_width)
            .text_links(text_links)
            .text_images(text_images)
            .extract(extract)
            // `clean_with_report` gives the page's metadata; reading it
            // costs well under 1% of cleaning.
            .metadata(true);
        let b = match extract_selector {
            Some(css) => b.extract_selector(css),
            None => b,
        };
        // Compiling thousands of filter-list rules takes a while: let other
        // threads run.
        let inner = py.detach(|| b.build()).map_err(|e| value_error(&e))?;
        Ok(Cleaner { inner, format })
    }

    /// What this cleaner returns: "html", "text" or "markdown".
    #[getter]
    fn format(&self) -> &'static str {
        self.format.name()
    }

    /// How many element-hiding rules of the filter lists could not be
    /// applied (selectors a static page cannot answer); they are skipped.
    #[getter]
    fn skipped_filter_rules(&self) -> usize {
        self.inner.skipped_filter_rules()
    }

    fn __repr__(&self) -> String {
        format!(
            "Cleaner(format={:?}, rules={})",
            self.format.name(),
            self.inner.rules().len()
        )
    }

    /// Cleans one document and returns the output in the cleaner's format.
    ///
    /// `html` is a str, or bytes decoded as the ``clean`` tool decodes
    /// files (a byte order mark, then a declared charset, then UTF-8 if
    /// valid, then detection); malformed bytes become U+FFFD. Bytes that
    /// are not text at all (NUL bytes, mostly control bytes) give "" (see
    /// ``clean_with_report`` for why). `url` is the page's address: links
    /// back to it are unwrapped and relative URLs resolve against it.
    ///
    /// Never raises for any document; ValueError only for a `url` that is
    /// not absolute, TypeError for a value that is neither str nor bytes.
    /// The GIL is released while cleaning.
    ///
    /// Example:
    ///     >>> import articlean
    ///     >>> articlean.Cleaner().clean("<p>Hi<img src=x onerror=alert(1)></p>")
    ///     '<p>Hi<img src="x" referrerpolicy="no-referrer"></p>\n'
    #[pyo3(signature = (html, url = None))]
    fn clean(
        &self,
        py: Python<'_>,
        html: &Bound<'_, PyAny>,
        url: Option<&str>,
    ) -> PyResult<String> {
        let doc = Doc::from_py(html)?;
        let done = py
            .detach(|| self.run(&doc, url))
            .map_err(|e| value_error(&e))?;
        Ok(self.output(done))
    }

    /// Cleans one document and says what the rules did.
    ///
    /// Returns the object ``clean --format json`` writes for the document:
    /// the page's metadata ("url", "title", "byline", "date", "lang",
    /// "site", "image", "description", each a str or None), the output
    /// under the format's name ("html", "text" or "markdown") and
    /// "report", the report as ``clean --report`` writes it:
    /// ``{"changes": [{"rule", "action", "target", "text_chars",
    /// "vetoed", "detail"?}, ...], "deep_tags_dropped"?: int}``. For bytes
    /// that are not text, the output is "", the report has no changes and
    /// "error" says why (the tool's message for such a file).
    ///
    /// Example:
    ///     >>> import articlean
    ///     >>> out = articlean.Cleaner().clean_with_report("<p>Hi</p><div id='div-gpt-ad-1'>Ad</div>")
    ///     >>> out["html"]
    ///     '<p>Hi</p>\n'
    ///     >>> [(c["rule"], c["action"], c["target"]) for c in out["report"]["changes"]]
    ///     [('ads.slots', 'remove', 'div#div-gpt-ad-1')]
    #[pyo3(signature = (html, url = None))]
    fn clean_with_report<'py>(
        &self,
        py: Python<'py>,
        html: &Bound<'py, PyAny>,
        url: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let doc = Doc::from_py(html)?;
        let done = py
            .detach(|| self.run(&doc, url))
            .map_err(|e| value_error(&e))?;
        let out = PyDict::new(py);
        match done {
            Done::Cleaned(cleaned) => {
                // The fields of `clean --format json`, in its order.
                let metadata = to_python(py, cleaned.metadata())?;
                for (key, value) in metadata.cast::<PyDict>()?.iter() {
                    out.set_item(key, value)?;
                }
                let report = to_python(py, cleaned.report())?;
                out.set_item(self.format.name(), self.format.take(*cleaned))?;
                out.set_item("report", report)?;
            }
            Done::NotText(reason) => {
                let metadata = to_python(py, &articlean::Metadata::default())?;
                for (key, value) in metadata.cast::<PyDict>()?.iter() {
                    out.set_item(key, value)?;
                }
                out.set_item(self.format.name(), "")?;
                out.set_item("report", to_python(py, &Report::default())?)?;
                out.set_item("error", reason)?;
            }
        }
        Ok(out)
    }

    /// Cleans many documents in parallel and returns their outputs in the
    /// same order, as ``[cleaner.clean(d) for d in docs]`` would.
    ///
    /// The documents are cleaned by `threads` threads in Rust (default: one
    /// per core) with the GIL released. `urls`, when given, has one page
    /// URL (or None) per document. ValueError for `threads` below 1, for
    /// `urls` of another length than `docs`, or for a URL that is not
    /// absolute (raised after the batch, naming its index).
    ///
    /// Example:
    ///     >>> import articlean
    ///     >>> articlean.Cleaner(format="text").clean_many(["<p>one</p>", b"<p>two</p>"])
    ///     ['one\n', 'two\n']
    #[pyo3(signature = (docs, threads = None, urls = None))]
    fn clean_many(
        &self,
        py: Python<'_>,
        docs: &Bound<'_, PyAny>,
        threads: Option<usize>,
        urls: Option<Vec<PageUrl>>,
    ) -> PyResult<Vec<String>> {
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        let docs = docs
            .try_iter()?
            .map(|d| Doc::from_py(&d?))
            .collect::<PyResult<Vec<Doc>>>()?;
        if let Some(urls) = &urls {
            if urls.len() != docs.len() {
                return Err(PyValueError::new_err(format!(
                    "urls has {} items for {} docs",
                    urls.len(),
                    docs.len()
                )));
            }
        }
        let url = |i: usize| urls.as_ref().and_then(|u| u[i].as_deref());
        let threads = threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
            .min(docs.len())
            .max(1);
        let results: Vec<Result<String, articlean::Error>> = py.detach(|| {
            let work = |i: usize| self.run(&docs[i], url(i)).map(|d| self.output(d));
            if threads == 1 {
                return (0..docs.len()).map(work).collect();
            }
            // Each thread takes the next document when it is done with
            // one, so a few long pages do not leave the others idle.
            let next = AtomicUsize::new(0);
            let mut slots: Vec<Option<Result<String, articlean::Error>>> =
                (0..docs.len()).map(|_| None).collect();
            std::thread::scope(|s| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            let mut done = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                if i >= docs.len() {
                                    return done;
                                }
                                done.push((i, work(i)));
                            }
                        })
                    })
                    .collect();
                for worker in workers {
                    let done = worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    for (i, result) in done {
                        slots[i] = Some(result);
                    }
                }
            });
            slots
                .into_iter()
                .map(|s| s.expect("every index below the length was taken by a worker"))
                .collect()
        });
        results
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| PyValueError::new_err(format!("urls[{i}]: {e}"))))
            .collect()
    }
}

/// A serializable value as plain Python data (dicts, lists, str, int,
/// bool): its JSON, as the binary writes it, read by Python's `json`.
fn to_python<'py>(py: Python<'py>, value: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (json,))
}

/// A rules file or filter list as given: its text, or where it is.
enum Source {
    Text(String),
    Path(PathBuf),
}

/// A str with a line break is the text itself; any other str, or an
/// `os.PathLike`, is a path.
fn text_or_path(item: &Bound<'_, PyAny>) -> PyResult<Source> {
    if let Ok(s) = item.cast::<PyString>() {
        let s = s.to_str()?;
        return Ok(if s.contains('\n') {
            Source::Text(s.to_owned())
        } else {
            Source::Path(PathBuf::from(s))
        });
    }
    Ok(Source::Path(item.extract()?))
}

/// The compiled half of the `articlean` package.
#[pymodule(gil_used = false)]
fn _articlean(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
