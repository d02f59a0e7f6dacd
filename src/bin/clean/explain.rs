//! `--explain`: the report as a table, for people.

use std::fmt::Write as _;

use articlean::Report;

/// The report as an aligned text table, one change a line.
pub(crate) fn table(report: &Report) -> String {
    let changes = report.changes();
    if changes.is_empty() && report.deep_tags_dropped() == 0 {
        return "no rule changed anything\n".to_string();
    }
    let mut out = String::new();
    let w_rule = changes
        .iter()
        .map(|c| c.rule.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let w_act = changes
        .iter()
        .map(|c| c.action.name().len() + if c.vetoed { 9 } else { 0 })
        .max()
        .unwrap_or(6)
        .max(6);
    let _ = writeln!(
        out,
        "{:<w_rule$}  {:<w_act$}  {:>5}  TARGET",
        "RULE", "ACTION", "CHARS"
    );
    for c in changes {
        let action = if c.vetoed {
            format!("{} (vetoed)", c.action.name())
        } else {
            c.action.name().to_string()
        };
        let _ = write!(
            out,
            "{:<w_rule$}  {:<w_act$}  {:>5}  {}",
            c.rule, action, c.text_chars, c.target
        );
        if !c.detail.is_empty() {
            let _ = write!(out, "  [{}]", c.detail);
        }
        out.push('\n');
    }
    if report.deep_tags_dropped() > 0 {
        let _ = writeln!(
            out,
            "(parser: {} tags nested deeper than 448 levels dropped, text kept)",
            report.deep_tags_dropped()
        );
    }
    out
}
