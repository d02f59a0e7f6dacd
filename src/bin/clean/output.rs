//! Where output goes: standard output (a closed pipe ends the run quietly),
//! or files written atomically.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why writing stopped.
pub(crate) enum WriteError {
    /// The reader went away (`clean … | head`): stop, quietly, successfully.
    ClosedPipe,
    Failed(String),
}

/// Buffered, locked standard output.
pub(crate) struct Stdout {
    out: io::BufWriter<io::StdoutLock<'static>>,
}

impl Stdout {
    pub(crate) fn new() -> Stdout {
        Stdout {
            out: io::BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
        }
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.out.write_all(bytes).map_err(stdout_error)
    }

    pub(crate) fn flush(&mut self) -> Result<(), WriteError> {
        self.out.flush().map_err(stdout_error)
    }
}

fn stdout_error(e: io::Error) -> WriteError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        WriteError::ClosedPipe
    } else {
        WriteError::Failed(format!("<stdout>: cannot write: {}", reason(&e)))
    }
}

/// A short reason for an I/O error, without the OS error number.
pub(crate) fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the whole new one, never a part.
/// The new file keeps the permissions of the one it replaces.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    // NOTE: a device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is
    // written to, never renamed over: run as root, a rename replaced
    // /dev/null with a regular file, and every process on the machine that
    // read /dev/null then read what others had written to it.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| format!("{}: cannot write: {}", path.display(), reason(&e)));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.clean-{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if let Ok(meta) = std::fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: cannot write: {}", path.display(), reason(&e))
    })
}

/// Where `--out-dir` puts the output of an input found at `relative`: the
/// same relative path, with the extension of the output format (or `ext`),
/// except that a Markdown post cleaned to HTML is still a Markdown post.
pub(crate) fn out_path(
    out_dir: &Path,
    relative: &Path,
    format_ext: &str,
    ext: Option<&str>,
) -> PathBuf {
    let is_post = relative
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let new_ext = match ext {
        Some(e) => e.trim_start_matches('.').to_string(),
        None if is_post && format_ext == "html" => relative
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default(),
        None => format_ext.to_string(),
    };
    out_dir.join(relative).with_extension(new_ext)
}

/// Writes the `--report` file: a JSON array, one entry per input.
pub(crate) fn write_report(path: &Path, entries: &[serde_json::Value]) -> Result<(), String> {
    let json = serde_json::to_string_pretty(entries)
        .map_err(|e| format!("{}: cannot write the report: {e}", path.display()))?;
    write_atomically(path, format!("{json}\n").as_bytes())
}
