//! JSON-LD (`<script type="application/ld+json">`): the schema.org item
//! that describes the article, wherever it sits (a top-level object, an
//! array, a `@graph`, the `mainEntity` of a page), with its `@id`
//! references followed (a `@graph`'s author is often `{"@id": …}` naming a
//! `Person` node). Scripts that are not JSON are skipped.

use std::collections::HashMap;

use serde_json::{Map, Value};
use url::Url;

use super::html::clean_lang;
use super::{clean_text, clean_url, is_link, Field, Found, JSON_LD};

type Object = Map<String, Value>;

/// Objects read from the scripts of one page, at most: a bound on the work
/// a page full of JSON-LD can ask for.
const MAX_NODES: usize = 10_000;

/// Names in a byline, at most.
const MAX_AUTHORS: usize = 10;

/// Whether a schema.org type is an article: `Article` and its kinds
/// (`NewsArticle`, `ScholarlyArticle`, …), `BlogPosting`,
/// `SocialMediaPosting`, `Report`.
pub(super) fn is_article(name: &str) -> bool {
    name.ends_with("Article") || name.ends_with("Posting") || name == "Report"
}

pub(super) fn read(scripts: &[String], base: Option<&Url>, found: &mut Found) {
    if scripts.is_empty() {
        return;
    }
    let docs: Vec<Value> = scripts.iter().flat_map(|s| parse(s)).collect();
    let nodes = flatten(&docs);
    let mut ids: HashMap<&str, &Value> = HashMap::new();
    for &(v, n) in &nodes {
        // A node with more than its `@id` is the one the references name.
        if let Some(id) = n.get("@id").and_then(Value::as_str) {
            if n.len() > 1 {
                ids.entry(id).or_insert(v);
            }
        }
    }
    let of_type =
        |pred: &dyn Fn(&str) -> bool| nodes.iter().map(|&(_, n)| n).find(|n| types(n).any(pred));
    let item = of_type(&is_article).or_else(|| of_type(&|t| t.ends_with("Page")));
    let reader = Reader { ids: &ids, base };
    if let Some(item) = item {
        reader.item(item, found);
    }
    if let Some(site) = of_type(&|t| t == "WebSite").and_then(|w| reader.name(w)) {
        found.offer(Field::Site, JSON_LD, "WebSite", site);
    }
}

/// The JSON values of one script: usually one, sometimes several written
/// one after another; what follows the first error is dropped. Some pages
/// wrap the JSON in an HTML comment or CDATA, or break lines inside its
/// strings; both are forgiven.
fn parse(script: &str) -> Vec<Value> {
    let mut s = script.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("//<![CDATA[", "//]]>"),
        ("<![CDATA[", "]]>"),
    ] {
        if let Some(inner) = s.strip_prefix(open) {
            s = inner.strip_suffix(close).unwrap_or(inner).trim();
        }
    }
    let first = values(s);
    if !first.is_empty() || !s.contains(['\n', '\r', '\t']) {
        return first;
    }
    // Control characters are not allowed in JSON strings; outside strings
    // they are whitespace, so a space stands for them in both.
    values(&s.replace(['\n', '\r', '\t'], " "))
}

fn values(s: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(s)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect()
}

/// Every object in `docs`, in document order (an object before what it
/// holds), up to [`MAX_NODES`].
fn flatten(docs: &[Value]) -> Vec<(&Value, &Object)> {
    let mut nodes = Vec::new();
    let mut stack: Vec<&Value> = docs.iter().rev().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                if nodes.len() == MAX_NODES {
                    break;
                }
                nodes.push((v, o));
                stack.extend(o.values().rev());
            }
            Value::Array(a) => stack.extend(a.iter().rev()),
            _ => {}
        }
    }
    nodes
}

/// The types of a node, without their vocabulary (`schema:NewsArticle`,
/// `http://schema.org/NewsArticle` are `NewsArticle`).
fn types(node: &Object) -> impl Iterator<Item = &str> {
    let t = node.get("@type");
    let list: Vec<&str> = match t {
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .map(|s| s.trim().rsplit(['/', ':', '#']).next().unwrap_or(s))
}

/// Reads items of the documents `'d`.
struct Reader<'d, 'r> {
    ids: &'r HashMap<&'d str, &'d Value>,
    base: Option<&'r Url>,
}

impl<'d> Reader<'d, '_> {
    /// The node a value stands for: itself, or the node its `@id` names.
    fn resolve(&self, v: &'d Value) -> &'d Value {
        if let Value::Object(o) = v {
            if o.len() == 1 {
                if let Some(node) = o
                    .get("@id")
                    .and_then(Value::as_str)
                    .and_then(|id| self.ids.get(id))
                {
                    return node;
                }
            }
        }
        v
    }

    /// The article (or page) item's fields.
    fn item(&self, item: &'d Object, found: &mut Found) {
        let get = |k: &str| item.get(k).map(|v| self.resolve(v));
        for key in ["headline", "name", "alternativeHeadline"] {
            if let Some(t) = get(key).and_then(text) {
                found.offer(Field::Title, JSON_LD, key, t);
                break;
            }
        }
        for key in ["author", "creator"] {
            if let Some(b) = get(key).and_then(|a| self.byline(a)) {
                found.offer(Field::Byline, JSON_LD, key, b);
                break;
            }
        }
        for key in ["datePublished", "dateCreated", "uploadDate"] {
            if let Some(d) = get(key).and_then(text) {
                found.offer(Field::Date, JSON_LD, key, d);
                break;
            }
        }
        if let Some(d) = get("description").and_then(text) {
            found.offer(Field::Description, JSON_LD, "description", d);
        }
        for key in ["image", "thumbnailUrl", "primaryImageOfPage"] {
            if let Some(i) = get(key).and_then(|v| self.url(v)) {
                found.offer(Field::Image, JSON_LD, key, i);
                break;
            }
        }
        for key in ["url", "mainEntityOfPage"] {
            if let Some(u) = get(key).and_then(|v| self.url(v)) {
                found.offer(Field::Url, JSON_LD, key, u);
                break;
            }
        }
        if let Some(l) = get("inLanguage").and_then(|v| match v {
            Value::Object(o) => o.get("alternateName").or_else(|| o.get("name")),
            v => Some(v),
        }) {
            if let Some(l) = l.as_str() {
                found.offer(Field::Lang, JSON_LD, "inLanguage", clean_lang(l));
            }
        }
        if let Some(site) = get("publisher").and_then(|p| match p {
            Value::Object(o) => self.name(o),
            p => text(p),
        }) {
            found.offer(Field::Site, JSON_LD, "publisher", site);
        }
    }

    /// A node's `name`.
    fn name(&self, node: &Object) -> Option<String> {
        node.get("name").and_then(text)
    }

    /// The names of the authors in `v`: a string, a `Person` or
    /// `Organization`, or a list of them.
    fn byline(&self, v: &'d Value) -> Option<String> {
        let mut names: Vec<String> = Vec::new();
        let mut add = |name: String| {
            if !name.is_empty() && !is_link(&name) && !names.contains(&name) {
                names.push(name);
            }
        };
        let list = match v {
            Value::Array(a) => a.iter().take(MAX_AUTHORS).collect(),
            v => vec![v],
        };
        for a in list {
            match self.resolve(a) {
                Value::String(s) => add(clean_text(s)),
                Value::Object(o) => {
                    if let Some(n) = self.name(o) {
                        add(n);
                    } else if let Some(g) = o.get("givenName").and_then(text) {
                        let family = o.get("familyName").and_then(text).unwrap_or_default();
                        add(format!("{g} {family}").trim_end().to_string());
                    }
                }
                _ => {}
            }
        }
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// A URL in `v`: a string, an `ImageObject` (`url`, `contentUrl`), a
    /// reference (`@id`), or the first of a list of them.
    fn url(&self, v: &'d Value) -> Option<String> {
        match self.resolve(v) {
            Value::String(s) => clean_url(s, self.base),
            Value::Object(o) => ["url", "contentUrl", "@id"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
                .and_then(|s| clean_url(s, self.base)),
            Value::Array(a) => a.iter().take(MAX_AUTHORS).find_map(|v| self.url(v)),
            _ => None,
        }
    }
}

/// A text value: a string (or number), the first of a list, or an object's
/// `@value` or `name`.
fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => clean_text(s),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => return a.iter().find_map(text),
        Value::Object(o) => return o.get("@value").or_else(|| o.get("name")).and_then(text),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}
