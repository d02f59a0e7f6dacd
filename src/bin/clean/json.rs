//! `--format json`: a document as one JSON object, its metadata, its body
//! and its report.

use articlean::Cleaned;
use serde_json::{Map, Value};

use crate::args::Body;
use crate::take_output;

/// `{"url", "title", "byline", "date", "lang", "site", "image",
/// "description", <body>, "report"}`, with `null` for what the document
/// does not say.
pub(crate) fn object(cleaned: Cleaned, body: Body) -> Map<String, Value> {
    let mut obj = match serde_json::to_value(cleaned.metadata()) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    let report = serde_json::to_value(cleaned.report()).unwrap_or(Value::Null);
    obj.insert(body.field().into(), Value::from(take_output(cleaned, body)));
    obj.insert("report".into(), report);
    obj
}
