//! JSON lines: one document per input line, one result per output line, in
//! input order.
//!
//! Input: `{"id": …, "html": "…", "url": "…", …}`; `html` is required, `url`
//! names the page (same-page links, base for relative URLs; one that is not
//! an absolute URL fails the line), every other
//! field is passed through. Output: the input's fields but `html`, then the
//! cleaned `html` (or `text`, `markdown`), then `report` with `--explain`;
//! with `--format json`, the metadata fields the input does not have come
//! before the body (`--json-body` names it) and `report` always follows. A line that
//! fails gives `{"id": …, "line": N, "error": "…"}` and the rest goes on.
//! `--report FILE` writes the reports as in a batch, one
//! `{"input": "FILE:LINE", "id": …, "report": …}` per cleaned line.

use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;

use articlean::Cleaner;
use serde_json::{Map, Value};

use crate::args::{Args, Format};
use crate::json;
use crate::ordered;
use crate::output::{self, Stdout, WriteError};
use crate::{take_output, Outcome};

/// Lines that may be cleaned ahead of the one being written, per worker.
const LINES_PER_THREAD: usize = 16;

struct Line {
    number: usize,
    text: Result<String, String>,
}

/// What one input line gives: its JSON output line, the error when it
/// failed, and its entry of the `--report` file when one is asked for.
struct Done {
    json: String,
    error: Option<String>,
    report: Option<Value>,
}

/// The JSON output line of one input line, and whether it failed.
fn process(line: &Line, source: &str, cleaner: &Cleaner, args: &Args) -> Done {
    let fail = |id: Option<&Value>, msg: String| {
        let mut obj = Map::new();
        if let Some(id) = id {
            obj.insert("id".into(), id.clone());
        }
        obj.insert("line".into(), Value::from(line.number));
        obj.insert("error".into(), Value::from(msg.clone()));
        Done {
            json: Value::Object(obj).to_string(),
            error: Some(format!("{source}:{}: {msg}", line.number)),
            report: None,
        }
    };
    let text = match &line.text {
        Ok(t) => t,
        Err(e) => return fail(None, e.clone()),
    };
    // The line's end is not part of its JSON: left in, an unterminated
    // string would end at it as at "a control character", on the next line.
    let text = text.trim_end_matches(['\n', '\r']);
    let obj = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(obj)) => obj,
        Ok(_) => return fail(None, "not a JSON object".into()),
        Err(e) => return fail(None, json_error(&e)),
    };
    let Some(html) = obj.get("html").and_then(Value::as_str) else {
        return fail(obj.get("id"), "no \"html\" string".into());
    };
    let cleaned = match obj.get("url").and_then(Value::as_str) {
        Some(url) => match cleaner.clean_with_url(html, url) {
            Ok(c) => c,
            Err(e) => return fail(obj.get("id"), e.to_string()),
        },
        None => cleaner.clean(html),
    };
    let mut out = Map::new();
    for (k, v) in &obj {
        if k != "html" {
            out.insert(k.clone(), v.clone());
        }
    }
    let report = (args.explain || args.report.is_some())
        .then(|| serde_json::to_value(cleaned.report()).unwrap_or(Value::Null));
    if args.format == Format::Json {
        for (k, v) in json::object(cleaned, args.body()) {
            // The input's own fields are passed through as they are.
            if !out.contains_key(&k) || k == args.body().field() || k == "report" {
                out.insert(k, v);
            }
        }
    } else {
        let result = take_output(cleaned, args.body());
        out.insert(args.body().field().into(), Value::from(result));
    }
    if args.explain {
        out.insert("report".into(), report.clone().unwrap_or(Value::Null));
    }
    let entry = args.report.is_some().then(|| {
        let mut entry = Map::new();
        entry.insert(
            "input".into(),
            Value::from(format!("{source}:{}", line.number)),
        );
        if let Some(id) = obj.get("id") {
            entry.insert("id".into(), id.clone());
        }
        entry.insert("report".into(), report.unwrap_or(Value::Null));
        Value::Object(entry)
    });
    Done {
        json: Value::Object(out).to_string(),
        error: None,
        report: entry,
    }
}

/// What is wrong with a line's JSON, and at which column: the line is
/// already named, so serde_json's own "at line 1 column N" is left out.
fn json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = message.strip_suffix(&suffix).unwrap_or(&message);
    let what = what.replace("EOF while", "end of line while");
    format!("invalid JSON at column {}: {what}", e.column())
}

pub(crate) fn run(
    args: &Args,
    cleaner: &Cleaner,
    pool: &rayon::ThreadPool,
) -> Result<Outcome, String> {
    let sources: Vec<Option<&std::path::Path>> = if args.paths.is_empty() {
        vec![None]
    } else {
        args.paths
            .iter()
            .map(|p| (p.as_os_str() != "-").then_some(p.as_path()))
            .collect()
    };
    let mut stdout = Stdout::new();
    let mut collected = String::new();
    let mut reports = Vec::new();
    let mut failed = 0usize;
    for source in sources {
        let name = source.map_or("<stdin>".to_string(), |p| p.display().to_string());
        let reader: Box<dyn Read> = match source {
            None => Box::new(std::io::stdin().lock()),
            Some(p) if p.is_dir() => {
                eprintln!("clean: {name}: is a directory");
                failed += 1;
                continue;
            }
            Some(p) => match std::fs::File::open(p) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    eprintln!("clean: {name}: cannot read: {}", output::reason(&e));
                    failed += 1;
                    continue;
                }
            },
        };
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut number = 0;
        let mut broken = false;
        // The lines of this source, until its end or a read error.
        let lines = std::iter::from_fn(|| loop {
            if broken {
                return None;
            }
            let mut buf = Vec::new();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {
                    number += 1;
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let text = String::from_utf8(buf)
                        .map_err(|e| format!("not UTF-8 at byte {}", e.utf8_error().valid_up_to()));
                    return Some(Ok(Line { number, text }));
                }
                Err(e) => {
                    broken = true;
                    return Some(Err(output::reason(&e)));
                }
            }
        });
        let flow = ordered::map_in_order(
            pool,
            lines,
            pool.current_num_threads() * LINES_PER_THREAD,
            |line| match line {
                Ok(l) => process(&l, &name, cleaner, args),
                Err(reason) => Done {
                    json: String::new(),
                    error: Some(format!("{name}: cannot read: {reason}")),
                    report: None,
                },
            },
            |Done {
                 json,
                 error,
                 report,
             }| {
                if let Some(msg) = error {
                    eprintln!("clean: {msg}");
                    failed += 1;
                }
                reports.extend(report);
                if json.is_empty() {
                    return ControlFlow::Continue(());
                }
                if args.output.is_some() {
                    collected.push_str(&json);
                    collected.push('\n');
                    return ControlFlow::Continue(());
                }
                let written = stdout
                    .write(json.as_bytes())
                    .and_then(|()| stdout.write(b"\n"));
                match written {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(WriteError::ClosedPipe) => ControlFlow::Break(Ok(Outcome::ClosedPipe)),
                    Err(WriteError::Failed(msg)) => ControlFlow::Break(Err(msg)),
                }
            },
        );
        if let ControlFlow::Break(stop) = flow {
            return stop;
        }
    }
    match stdout.flush() {
        Ok(()) => {}
        Err(WriteError::ClosedPipe) => return Ok(Outcome::ClosedPipe),
        Err(WriteError::Failed(msg)) => return Err(msg),
    }
    if let Some(path) = &args.output {
        output::write_atomically(path, collected.as_bytes())?;
    }
    if let Some(path) = &args.report {
        output::write_report(path, &reports)?;
    }
    Ok(if failed > 0 {
        Outcome::SomeFailed
    } else {
        Outcome::Ok
    })
}
