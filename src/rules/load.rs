//! The rule file format as serde reads it, and its strict compilation into
//! [`Rule`]s: every error names the rule and its line.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::select;
use super::{
    Action, AnyOf, Conditions, NameSet, Params, Pattern, Rule, Settings, TextCond, TokensCond,
    UrlCond, Words,
};
use crate::error::{Error, ErrorKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    #[serde(default)]
    settings: Option<SettingsDef>,
    #[serde(default)]
    rule: Vec<Spanned<RuleDef>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SettingsDef {
    referrer_policy: Option<String>,
    link_rel: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    #[serde(default)]
    description: String,
    action: String,
    select: Option<OneOrMany>,
    #[serde(default)]
    strict: bool,
    /// What the content veto weighs for this rule: `"all"` (the default:
    /// prose and images) or `"text"` (prose only: the rule's own evidence,
    /// an ad vendor's class or an ad server's URL, says its images are ads).
    veto: Option<String>,
    #[serde(default = "default_true")]
    enabled: bool,
    url: Option<UrlDef>,
    text: Option<TextDef>,
    size: Option<SizeDef>,
    hidden: Option<bool>,
    tokens: Option<TokensDef>,
    /// Whether the element stands in running text (words outside links in
    /// the block around it): `true` for a link inside a sentence, `false`
    /// for one that is a whole item (a menu entry, a button, a footer line).
    in_text: Option<bool>,
    // Action parameters; which ones an action takes is checked when compiling.
    attrs: Option<Vec<String>>,
    attr: Option<String>,
    value: Option<String>,
    params: Option<Vec<String>>,
    sources: Option<Vec<String>>,
    placeholder: Option<String>,
    drop_unresolved: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UrlDef {
    attrs: Option<Vec<String>>,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    host_patterns: Vec<String>,
    #[serde(default)]
    path_patterns: Vec<String>,
    #[serde(default)]
    query_keys: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    same_page: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokensDef {
    #[serde(default = "default_token_attrs")]
    attrs: Vec<String>,
    matches: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
}

fn default_true() -> bool {
    true
}

fn default_token_attrs() -> Vec<String> {
    vec!["class".into(), "id".into()]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextDef {
    #[serde(default)]
    matches: Vec<String>,
    words: Option<WordsDef>,
    max_chars: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsDef {
    keys: Vec<String>,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    others: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SizeDef {
    max: u32,
}

/// When a rule file's regexes compile.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Compile {
    /// While loading: a bad one is an error naming its rule.
    Now,
    /// On first use (the built-in set, whose test compiles every one).
    OnUse,
}

/// Parses and compiles a rule file.
pub(super) fn parse(text: &str, when: Compile) -> Result<(Vec<Rule>, Settings), Error> {
    let file: FileDef = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| format!(" at line {}", Lines::new(text).of(s.start)))
            .unwrap_or_default();
        Error::new(
            ErrorKind::Rules,
            format!("invalid rule file{at}: {}", e.message().trim_end()),
        )
    })?;
    let mut rules = Vec::with_capacity(file.rule.len());
    let mut seen = HashSet::new();
    let lines = Lines::new(text);
    for def in file.rule {
        let line = lines.of(def.span().start);
        let def = def.into_inner();
        let rule = compile(def, when).map_err(|(id, msg)| {
            Error::new(
                ErrorKind::Rules,
                format!("rule \"{id}\" (line {line}): {msg}"),
            )
        })?;
        if !seen.insert(rule.id.clone()) {
            return Err(Error::new(
                ErrorKind::Rules,
                format!("rule \"{}\" (line {line}): the id is used twice", rule.id),
            ));
        }
        rules.push(rule);
    }
    let s = file.settings.unwrap_or_default();
    Ok((
        rules,
        Settings {
            referrer_policy: s.referrer_policy,
            link_rel: s.link_rel,
        },
    ))
}

/// Line numbers of byte offsets, from a table of line starts built once
/// (counting newlines per rule would make big rule files quadratic).
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    /// The 1-based line of `offset`.
    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

fn regex(source: &str, when: Compile) -> Result<Pattern, String> {
    match when {
        Compile::Now => Pattern::compiled(source),
        Compile::OnUse => Ok(Pattern::lazy(source)),
    }
}

fn regexes(sources: &[String], when: Compile) -> Result<Vec<Pattern>, String> {
    sources.iter().map(|p| regex(p, when)).collect()
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && !id.starts_with('.')
        && !id.ends_with('.')
}

fn is_valid_attr_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.*".contains(&b))
}

/// Compiles one rule; errors are `(id, message)`.
fn compile(def: RuleDef, when: Compile) -> Result<Rule, (String, String)> {
    let id = def.id.clone();
    let fail = |msg: String| (id.clone(), msg);
    if !is_valid_id(&def.id) {
        return Err(fail(
            "an id is lower-case letters, digits, '.', '_' and '-', like \"ads.sidebar\"".into(),
        ));
    }
    let action = Action::from_name(&def.action).ok_or_else(|| {
        fail(format!(
            "unknown action \"{}\" (one of remove, unwrap, remove_attrs, set_attr, strip_params, resolve_lazy, drop_empty, remove_comments)",
            def.action
        ))
    })?;

    // Which parameters each action takes.
    let given: Vec<&str> = [
        ("attrs", def.attrs.is_some()),
        ("attr", def.attr.is_some()),
        ("value", def.value.is_some()),
        ("params", def.params.is_some()),
        ("sources", def.sources.is_some()),
        ("placeholder", def.placeholder.is_some()),
        ("drop_unresolved", def.drop_unresolved.is_some()),
    ]
    .into_iter()
    .filter(|(_, g)| *g)
    .map(|(n, _)| n)
    .collect();
    let (required, optional): (&[&str], &[&str]) = match action {
        Action::RemoveAttrs => (&["attrs"], &[]),
        Action::SetAttr => (&["attr", "value"], &[]),
        Action::StripParams => (&["params"], &[]),
        Action::ResolveLazy => (&["sources"], &["placeholder", "drop_unresolved"]),
        _ => (&[], &[]),
    };
    for r in required {
        if !given.contains(r) {
            return Err(fail(format!("action \"{action}\" needs \"{r}\"")));
        }
    }
    if let Some(extra) = given
        .iter()
        .find(|g| !required.contains(g) && !optional.contains(g))
    {
        return Err(fail(format!(
            "action \"{action}\" does not take \"{extra}\""
        )));
    }

    let selector = match (action, def.select) {
        (Action::RemoveComments, Some(_)) => {
            return Err(fail(
                "action \"remove_comments\" takes no \"select\"".into(),
            ))
        }
        (Action::RemoveComments, None) => None,
        (_, None) => return Err(fail("\"select\" is missing".into())),
        (_, Some(sel)) => {
            let list = sel.into_vec();
            if list.is_empty() {
                return Err(fail("\"select\" is empty".into()));
            }
            let joined = list.join(", ");
            let parsed = select::parse(&joined).map_err(|e| {
                if e.line > 1 {
                    fail(format!(
                        "{} (selector line {}, column {})",
                        e.message, e.line, e.column
                    ))
                } else {
                    fail(format!(
                        "{} at column {} of {joined:?}",
                        e.message, e.column
                    ))
                }
            })?;
            Some(select::Target::Css(parsed))
        }
    };
    if action == Action::RemoveComments
        && (def.url.is_some()
            || def.text.is_some()
            || def.size.is_some()
            || def.hidden.is_some()
            || def.tokens.is_some()
            || def.in_text.is_some())
    {
        return Err(fail(
            "action \"remove_comments\" takes no conditions".into(),
        ));
    }

    let url = match def.url {
        None => None,
        Some(u) => {
            if u.hosts.is_empty()
                && u.host_patterns.is_empty()
                && u.path_patterns.is_empty()
                && u.query_keys.is_empty()
                && u.patterns.is_empty()
                && !u.same_page
            {
                return Err(fail(
                    "\"url\" needs hosts, host_patterns, path_patterns, query_keys, patterns or same_page"
                        .into(),
                ));
            }
            Some(UrlCond {
                attrs: u
                    .attrs
                    .map(|v| v.into_iter().map(|a| a.to_ascii_lowercase()).collect()),
                hosts: u
                    .hosts
                    .into_iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
                host_patterns: AnyOf::new(regexes(&u.host_patterns, when).map_err(&fail)?),
                path_patterns: AnyOf::new(regexes(&u.path_patterns, when).map_err(&fail)?),
                query_keys: NameSet::new(&u.query_keys),
                patterns: AnyOf::new(regexes(&u.patterns, when).map_err(&fail)?),
                same_page: u.same_page,
            })
        }
    };
    let mut text_matches = Vec::new();
    let text = match def.text {
        None => None,
        Some(t) => {
            if t.matches.is_empty() && t.words.is_none() && t.max_chars.is_none() {
                return Err(fail("\"text\" needs matches, words or max_chars".into()));
            }
            let words = match t.words {
                None => None,
                Some(w) => {
                    let words = Words::new(&w.keys, &w.also, w.others);
                    if words.keys.is_empty() {
                        return Err(fail("\"words\" needs keys".into()));
                    }
                    Some(words)
                }
            };
            text_matches = regexes(&t.matches, when).map_err(&fail)?;
            Some(TextCond {
                matches: Vec::new(),
                words,
                max_chars: t.max_chars,
            })
        }
    };

    let tokens = match def.tokens {
        None => None,
        Some(t) => {
            if t.matches.is_empty() || t.attrs.is_empty() {
                return Err(fail("\"tokens\" needs attrs and matches".into()));
            }
            // One anchored alternation; when it fails, the pattern that
            // fails alone is named (compiling each alone every time would
            // double the start-up cost of the built-in rules).
            let whole = |list: &[String]| {
                regex(
                    &format!(
                        "^(?:{})$",
                        list.iter()
                            .map(|p| format!("(?:{p})"))
                            .collect::<Vec<_>>()
                            .join("|")
                    ),
                    when,
                )
                .map_err(|all| regexes(list, when).err().unwrap_or(all))
            };
            Some(TokensCond {
                attrs: t
                    .attrs
                    .into_iter()
                    .map(|a| a.to_ascii_lowercase())
                    .collect(),
                matches: whole(&t.matches).map_err(&fail)?,
                except: if t.except.is_empty() {
                    None
                } else {
                    Some(whole(&t.except).map_err(&fail)?)
                },
            })
        }
    };

    let mut params = Params::default();
    if let Some(attrs) = &def.attrs {
        if let Some(bad) = attrs.iter().find(|a| !is_valid_attr_name(a)) {
            return Err(fail(format!("bad attribute name {bad:?}")));
        }
        params.attrs = NameSet::new(attrs);
    }
    if let (Some(attr), Some(value)) = (def.attr, def.value) {
        if !is_valid_attr_name(&attr) || attr.contains('*') {
            return Err(fail(format!("bad attribute name {attr:?}")));
        }
        params.set = Some((attr.to_ascii_lowercase(), value));
    }
    if let Some(p) = &def.params {
        params.params = NameSet::new(p);
    }
    if let Some(s) = def.sources {
        if let Some(bad) = s.iter().find(|a| !is_valid_attr_name(a) || a.contains('*')) {
            return Err(fail(format!("bad attribute name {bad:?}")));
        }
        params.sources = s.into_iter().map(|a| a.to_ascii_lowercase()).collect();
    }
    if let Some(p) = def.placeholder {
        params.placeholder = Some(regex(&p, when).map_err(&fail)?);
    }
    params.drop_unresolved = def.drop_unresolved.unwrap_or(false);
    let veto_images = match def.veto.as_deref() {
        None | Some("all") => true,
        Some("text") => false,
        Some(other) => {
            return Err(fail(format!(
                "unknown veto {other:?} (one of \"all\", \"text\")"
            )))
        }
    };

    Ok(Rule {
        id: def.id,
        description: def.description,
        action,
        strict: def.strict,
        veto_images,
        enabled: def.enabled,
        selector,
        list: None,
        conditions: std::sync::Arc::new(Conditions {
            url,
            text,
            text_matches,
            max_size: def.size.map(|s| s.max),
            hidden: def.hidden,
            tokens,
            in_text: def.in_text,
        }),
        params: std::sync::Arc::new(params),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn err(text: &str) -> String {
        Rules::from_toml(text).unwrap_err().to_string()
    }

    #[test]
    fn unknown_keys_are_errors() {
        let e = err("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"remove\"\nstrcit = true\n");
        assert!(e.contains("unknown field `strcit`"), "{e}");
        assert!(e.contains("line 5"), "{e}");
    }

    #[test]
    fn errors_name_rule_and_line() {
        let e = err("\n\n[[rule]]\nid = \"ads.bad\"\nselect = \"div[\"\naction = \"remove\"\n");
        assert!(
            e.starts_with("rule \"ads.bad\" (line 3): invalid selector"),
            "{e}"
        );
        let e =
            err("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"remove\"\nattrs = [\"x\"]\n");
        assert_eq!(
            e,
            "rule \"a.b\" (line 1): action \"remove\" does not take \"attrs\""
        );
        let e = err("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"strip_params\"\n");
        assert_eq!(
            e,
            "rule \"a.b\" (line 1): action \"strip_params\" needs \"params\""
        );
        let e = err("[[rule]]\nid = \"a.b\"\naction = \"remove\"\n");
        assert_eq!(e, "rule \"a.b\" (line 1): \"select\" is missing");
        let e = err("[[rule]]\nid = \"A\"\nselect = \"p\"\naction = \"remove\"\n");
        assert!(e.contains("an id is lower-case"), "{e}");
        let e = err("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"remove\"\ntext = { matches = [\"(\"] }\n");
        assert!(e.contains("bad regex"), "{e}");
        // Token patterns are compiled together; the bad one is still named.
        let e = err("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"remove\"\ntokens = { attrs = [\"class\"], matches = [\"ad\", \"x[\"] }\n");
        assert!(e.contains("bad regex \"x[\""), "{e}");
        let e = err("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"remove\"\ntokens = { attrs = [\"class\"], matches = [\"ad\"], except = [\"(?P<\"] }\n");
        assert!(e.contains("bad regex \"(?P<\""), "{e}");
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let one = "[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"remove\"\n";
        let e = err(&format!("{one}{one}"));
        assert!(e.contains("used twice"), "{e}");
    }

    #[test]
    fn words_and_in_text_are_checked() {
        let rule = "[[rule]]\nid = \"a.b\"\nselect = \"a\"\naction = \"remove\"\n";
        let e = err(&format!("{rule}text = {{ words = {{ keys = [] }} }}\n"));
        assert!(e.contains("\"words\" needs keys"), "{e}");
        let e = err(&format!(
            "{rule}text = {{ words = {{ keys = [\"x\"], extra = 1 }} }}\n"
        ));
        assert!(e.contains("unknown field `extra`"), "{e}");
        let e = err("[[rule]]\nid = \"a.b\"\naction = \"remove_comments\"\nin_text = true\n");
        assert!(e.contains("takes no conditions"), "{e}");
        let ok = Rules::from_toml(&format!(
            "{rule}in_text = false\ntext = {{ words = {{ keys = [\"sign up\"], also = [\"now\"] }} }}\n"
        ))
        .unwrap();
        let r = ok.iter().next().unwrap();
        assert_eq!(r.conditions.in_text, Some(false));
        let words = r.conditions.text.as_ref().unwrap().words.as_ref().unwrap();
        assert!(words.hold("Sign up now") && !words.hold("now"));
    }

    #[test]
    fn line_numbers() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!(
            [l.of(0), l.of(1), l.of(2), l.of(4), l.of(5), l.of(6)],
            [1, 1, 2, 2, 3, 4]
        );
    }

    #[test]
    fn veto_says_what_the_veto_weighs() {
        let rule = |veto: &str| {
            Rules::from_toml(&format!(
                "[[rule]]\nid = \"a.b\"\nselect = \"img\"\naction = \"remove\"\n{veto}"
            ))
            .map(|r| r.iter().next().expect("one rule").veto_images)
        };
        assert!(rule("").unwrap());
        assert!(rule("veto = \"all\"").unwrap());
        assert!(!rule("veto = \"text\"").unwrap());
        let e = rule("veto = \"images\"").unwrap_err().to_string();
        assert!(e.contains("unknown veto \"images\""), "{e}");
    }
}
