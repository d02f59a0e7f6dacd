//! Files and directories: clean in parallel, write in input order.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use articlean::{Action, Cleaner, Report};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::{Args, Format};
use crate::explain;
use crate::inputs::{self, Input};
use crate::json;
use crate::ordered;
use crate::output::{self, Stdout, WriteError};
use crate::{describe, take_output, Outcome};

/// Where outputs go.
enum Sink<'a> {
    Stdout,
    /// All outputs, concatenated, into one file at the end.
    File(&'a Path),
    /// One file per input under a directory.
    OutDir(&'a Path),
    /// Each input's file is replaced by its output.
    InPlace,
}

/// One input, cleaned.
struct Done {
    /// The output, when it goes to standard output or `-o` (file sinks
    /// write it in the worker).
    output: String,
    report: Report,
    bytes: usize,
}

/// Counts for the summary line.
#[derive(Default)]
struct Summary {
    files: usize,
    failed: usize,
    bytes: usize,
    removals: BTreeMap<String, usize>,
}

impl Summary {
    fn add(&mut self, done: &Done) {
        self.files += 1;
        self.bytes += done.bytes;
        for c in done.report.changes() {
            if !c.vetoed && matches!(c.action, Action::Remove | Action::DropEmpty) {
                let group = c.rule.split('.').next().unwrap_or(&c.rule).to_string();
                *self.removals.entry(group).or_default() += 1;
            }
        }
    }

    fn line(&self, started: Instant) -> String {
        let mut removed: Vec<(&String, &usize)> = self.removals.iter().collect();
        removed.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let removed = if removed.is_empty() {
            "nothing".to_string()
        } else {
            removed
                .iter()
                .map(|(g, n)| format!("{g} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "clean: {} file{} ({}) in {:.2} s, {} failed; removed: {removed}",
            self.files + self.failed,
            if self.files + self.failed == 1 {
                ""
            } else {
                "s"
            },
            human_bytes(self.bytes),
            started.elapsed().as_secs_f64(),
            self.failed,
        )
    }
}

fn human_bytes(n: usize) -> String {
    match n {
        0..=9_999 => format!("{n} B"),
        10_000..=9_999_999 => format!("{:.1} kB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

fn read(input: &Input) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    match &input.path {
        None => std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
            .map_err(|e| format!("<stdin>: cannot read: {}", output::reason(&e))),
        Some(p) if p.is_dir() => Err(format!("{}: is a directory", p.display())),
        Some(p) => std::fs::read(p)
            .map_err(|e| format!("{}: cannot read: {}", p.display(), output::reason(&e))),
    }
}

fn process(
    input: &Input,
    target: Option<&Path>,
    cleaner: &Cleaner,
    args: &Args,
) -> Result<Done, String> {
    let bytes = read(input)?;
    let cleaned = cleaner
        .clean_bytes(&bytes)
        .map_err(|e| format!("{}: {}", input.name(), describe(&e)))?;
    let report = cleaned.report().clone();
    let text = if args.format == Format::Json {
        let mut line = serde_json::Value::Object(json::object(cleaned, args.body())).to_string();
        line.push('\n');
        line
    } else {
        take_output(cleaned, args.body())
    };
    let output = match target {
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    format!("{}: cannot create: {}", dir.display(), output::reason(&e))
                })?;
            }
            output::write_atomically(path, text.as_bytes())?;
            String::new()
        }
        None => text,
    };
    Ok(Done {
        output,
        report,
        bytes: bytes.len(),
    })
}

/// Where each input's output file goes, for the file sinks; two inputs
/// that would write the same file are an error for the second.
fn targets(inputs: &[Input], sink: &Sink<'_>, args: &Args) -> Vec<Result<Option<PathBuf>, String>> {
    let mut seen = std::collections::HashMap::new();
    inputs
        .iter()
        .map(|input| {
            let path = match (sink, &input.path) {
                (Sink::OutDir(dir), _) => output::out_path(
                    dir,
                    &input.relative,
                    args.format.extension(),
                    args.ext.as_deref(),
                ),
                // A symbolic link is written through: its target gets the
                // output and the link stays a link.
                (Sink::InPlace, Some(p)) => std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()),
                (Sink::InPlace, None) => return Err("<stdin>: --in-place needs a file".to_string()),
                _ => return Ok(None),
            };
            if let Some(first) = seen.insert(path.clone(), input.name()) {
                return Err(format!(
                    "{}: its output {} is also the output of {first}",
                    input.name(),
                    path.display()
                ));
            }
            Ok(Some(path))
        })
        .collect()
}

/// How many inputs may be cleaned ahead of the one being written, per
/// worker: enough to keep every core busy behind a slow page, few enough
/// that held outputs stay small.
const WINDOW_PER_THREAD: usize = 16;

pub(crate) fn run(
    args: &Args,
    cleaner: &Cleaner,
    pool: &rayon::ThreadPool,
) -> Result<Outcome, String> {
    let started = Instant::now();
    let (inputs, problems) = inputs::expand(&args.paths, &args.glob)?;
    let mut summary = Summary {
        failed: problems.len(),
        ..Summary::default()
    };
    for p in &problems {
        eprintln!("clean: {p}");
    }
    if inputs.is_empty() {
        return Err("no input files (directories are searched for --glob, by default *.html, *.htm, *.xhtml, *.md, *.markdown)".into());
    }
    let sink = match (&args.out_dir, args.in_place, &args.output) {
        (Some(d), _, _) => {
            std::fs::create_dir_all(d).map_err(|e| {
                format!(
                    "{}: cannot create the output directory: {}",
                    d.display(),
                    output::reason(&e)
                )
            })?;
            Sink::OutDir(d)
        }
        (_, true, _) => Sink::InPlace,
        (_, _, Some(f)) => Sink::File(f),
        _ => Sink::Stdout,
    };
    let many = inputs.len() > 1;
    let targets = targets(&inputs, &sink, args);
    let progress = if many && !args.quiet && std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files, {elapsed} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut stdout = Stdout::new();
    let mut collected = Vec::new();
    let mut written = 0usize;
    let mut reports: Vec<(String, Report)> = Vec::new();
    let flow = ordered::map_in_order(
        pool,
        inputs.iter().enumerate(),
        pool.current_num_threads() * WINDOW_PER_THREAD,
        |(i, input)| match &targets[i] {
            Err(msg) => (input, Err(msg.clone())),
            Ok(target) => (input, process(input, target.as_deref(), cleaner, args)),
        },
        |(input, result)| {
            progress.inc(1);
            let done = match result {
                Ok(done) => done,
                Err(msg) => {
                    progress.suspend(|| eprintln!("clean: {msg}"));
                    summary.failed += 1;
                    return ControlFlow::Continue(());
                }
            };
            if args.explain {
                progress.suspend(|| {
                    if many {
                        eprintln!("== {}", input.name());
                    }
                    eprint!("{}", explain::table(&done.report));
                });
            }
            // Documents written into one stream are parted by a NUL byte,
            // which no output holds: the decoder refuses input with one, and
            // the parser drops what is left of it. JSON objects are lines.
            let separator: &[u8] = if written > 0 && args.format != Format::Json {
                b"\0"
            } else {
                b""
            };
            written += 1;
            match sink {
                Sink::Stdout => match stdout
                    .write(separator)
                    .and_then(|()| stdout.write(done.output.as_bytes()))
                {
                    Ok(()) => {}
                    Err(WriteError::ClosedPipe) => {
                        return ControlFlow::Break(Ok(Outcome::ClosedPipe))
                    }
                    Err(WriteError::Failed(msg)) => return ControlFlow::Break(Err(msg)),
                },
                Sink::File(_) => {
                    collected.extend_from_slice(separator);
                    collected.extend_from_slice(done.output.as_bytes());
                }
                Sink::OutDir(_) | Sink::InPlace => {}
            }
            summary.add(&done);
            if args.report.is_some() {
                reports.push((input.name(), done.report));
            }
            ControlFlow::Continue(())
        },
    );
    if let ControlFlow::Break(stop) = flow {
        return stop;
    }
    progress.finish_and_clear();
    match stdout.flush() {
        Ok(()) => {}
        Err(WriteError::ClosedPipe) => return Ok(Outcome::ClosedPipe),
        Err(WriteError::Failed(msg)) => return Err(msg),
    }
    if let Some(path) = &args.report {
        let entries: Vec<_> = reports
            .iter()
            .map(|(input, report)| serde_json::json!({ "input": input, "report": report }))
            .collect();
        output::write_report(path, &entries)?;
    }
    if let Sink::File(path) = sink {
        if summary.failed > 0 {
            eprintln!(
                "clean: {}: not written, as some input failed",
                path.display()
            );
        } else {
            output::write_atomically(path, &collected)?;
        }
    }
    if many && !args.quiet {
        eprintln!("{}", summary.line(started));
    }
    Ok(if summary.failed > 0 {
        Outcome::SomeFailed
    } else {
        Outcome::Ok
    })
}
