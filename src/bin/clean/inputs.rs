//! Which inputs a command line names: files, directories walked for the
//! files `--glob` selects, or standard input.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Files taken from directories when no `--glob` is given.
const DEFAULT_GLOBS: &[&str] = &["*.html", "*.htm", "*.xhtml", "*.md", "*.markdown"];

/// One input.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// `None` for standard input.
    pub(crate) path: Option<PathBuf>,
    /// Where its output goes under `--out-dir`: the path below the directory
    /// it was found in, or its file name.
    pub(crate) relative: PathBuf,
}

impl Input {
    /// The name used in messages.
    pub(crate) fn name(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "<stdin>".to_string(),
        }
    }
}

fn globset(globs: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    let list: Vec<&str> = if globs.is_empty() {
        DEFAULT_GLOBS.to_vec()
    } else {
        globs.iter().map(String::as_str).collect()
    };
    for g in list {
        b.add(Glob::new(g).map_err(|e| format!("invalid --glob {g:?}: {e}"))?);
    }
    b.build().map_err(|e| format!("invalid --glob: {e}"))
}

/// Expands the command line's paths, in order; directories are walked in
/// name order without following symbolic links. Problems met while walking
/// are returned beside the inputs, so the rest of the batch goes on.
pub(crate) fn expand(
    paths: &[PathBuf],
    globs: &[String],
) -> Result<(Vec<Input>, Vec<String>), String> {
    let set = globset(globs)?;
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    if paths.is_empty() {
        inputs.push(stdin());
    }
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(stdin());
        } else if p.is_dir() {
            walk(p, &set, &mut inputs, &mut problems);
        } else {
            inputs.push(Input {
                path: Some(p.clone()),
                relative: p
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| p.clone()),
            });
        }
    }
    Ok((inputs, problems))
}

fn stdin() -> Input {
    Input {
        path: None,
        relative: PathBuf::from("stdin"),
    }
}

fn walk(dir: &Path, set: &GlobSet, inputs: &mut Vec<Input>, problems: &mut Vec<String>) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
                if set.is_match(&rel) {
                    inputs.push(Input {
                        path: Some(e.path().to_path_buf()),
                        relative: rel,
                    });
                }
            }
            Ok(_) => {}
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                let why = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                problems.push(format!("{at}: cannot read the directory: {why}"));
            }
        }
    }
}
