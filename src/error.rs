//! The one error type of the crate.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, broadly; [`Error`]'s `Display` says exactly what.
///
/// # Examples
///
/// ```
/// use articlean::{ErrorKind, Rules};
///
/// let err = Rules::from_toml("[[rule]]\nid = \"x\"\naction = \"explode\"\nselect = \"p\"\n").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Rules);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule file is not valid TOML, has an unknown key, or a rule is wrong
    /// (bad selector, bad regex, unknown action, missing parameter).
    Rules,
    /// A setting given to the builder is invalid (an unknown referrer policy,
    /// a base URL that does not parse).
    Config,
    /// Reading or writing failed.
    Io,
    /// The input is not text in the encoding it declares or was forced to.
    /// [`CleanerBuilder::encoding`](crate::CleanerBuilder::encoding) says
    /// which encoding it is; [`lossy`](crate::CleanerBuilder::lossy)
    /// replaces the bad bytes.
    Encoding,
    /// The input looks binary (NUL bytes or control characters).
    Binary,
}

/// An error from building a [`Cleaner`](crate::Cleaner), loading
/// [`Rules`](crate::Rules) or decoding input bytes.
///
/// Cleaning text never fails; only configuration and input decoding do.
///
/// # Examples
///
/// ```
/// let err = articlean::Cleaner::builder().referrer_policy("sometimes").build().unwrap_err();
/// assert_eq!(err.to_string(), "unknown referrer policy \"sometimes\"");
/// ```
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    path: Option<PathBuf>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            path: None,
            source: None,
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_path(mut self, path: impl Into<PathBuf>) -> Error {
        self.path = Some(path.into());
        self
    }

    /// What kind of error this is.
    ///
    /// # Examples
    ///
    /// ```
    /// use articlean::{Cleaner, ErrorKind};
    ///
    /// let err = Cleaner::new().clean_bytes(b"\x00\x01binary").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Binary);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The file the error is about, when there is one.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = articlean::Rules::from_path("no/such/rules.toml").unwrap_err();
    /// assert_eq!(err.path().unwrap().to_str(), Some("no/such/rules.toml"));
    /// ```
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{}: ", p.display())?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e.as_ref() as &(dyn std::error::Error + 'static))
    }
}
