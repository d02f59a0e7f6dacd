//! Invariants shared by the tests and the fuzz targets.
//!
//! `check_safe_html` parses an output the way a browser would (html5ever,
//! scripting on, as the content of a `<body>`) and fails on anything that can
//! run script: script-capable elements, event-handler attributes, inline
//! styles, and `javascript:`/`vbscript:`/`data:` URLs in any URL attribute or
//! `srcset` candidate.
#![allow(dead_code)]

use std::rc::Rc;

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Elements that run script, load active content, or change how the rest of
/// the page is read.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "style",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "noscript",
    "template",
    "portal",
    "fencedframe",
    "param",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "animate",
    "set",
    "handler",
    "listener",
    "foreignobject",
];

/// Attributes whose value is loaded or navigated to as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "lowsrc",
    "dynsrc",
    "cite",
    "longdesc",
    "codebase",
    "classid",
    "xlink:href",
    "ping",
    "manifest",
    "icon",
    "profile",
    "usemap",
    "archive",
];

/// Why an output is unsafe, or `Ok(())`.
pub fn check_safe_html(html: &str) -> Result<(), String> {
    let dom = parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        vec![],
        true,
    )
    .one(html);
    let mut stack: Vec<Handle> = vec![dom.document.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Element {
            name,
            attrs,
            template_contents,
            ..
        } = &node.data
        {
            let tag = name.local.to_string().to_ascii_lowercase();
            if FORBIDDEN_ELEMENTS.contains(&tag.as_str()) || name.ns != ns!(html) {
                return Err(format!("element <{tag}> (namespace {})", name.ns));
            }
            for a in attrs.borrow().iter() {
                let attr = match &a.name.prefix {
                    Some(p) => format!("{p}:{}", a.name.local),
                    None => a.name.local.to_string().to_ascii_lowercase(),
                };
                let value: &str = &a.value;
                if attr.starts_with("on") {
                    return Err(format!("event handler {attr}=\"{value}\" on <{tag}>"));
                }
                if attr == "style" {
                    return Err(format!("inline style on <{tag}>: {value}"));
                }
                if attr == "srcset" || attr == "imagesrcset" {
                    for cand in value.split(',') {
                        let url = cand.split_whitespace().next().unwrap_or("");
                        check_url(url).map_err(|why| format!("{attr} on <{tag}>: {why}"))?;
                    }
                } else if URL_ATTRIBUTES.contains(&attr.as_str()) {
                    check_url(value).map_err(|why| format!("{attr} on <{tag}>: {why}"))?;
                }
                if tag == "meta" && attr == "http-equiv" {
                    return Err("<meta http-equiv>".into());
                }
            }
            if let Some(t) = template_contents.borrow().as_ref() {
                stack.push(Rc::clone(t));
            }
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    Ok(())
}

/// Fails on a URL whose scheme can run script. Browsers ignore ASCII
/// whitespace and control characters inside a scheme, so they are removed
/// before looking.
fn check_url(url: &str) -> Result<(), String> {
    let squashed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    for bad in [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:image/svg",
        "data:application",
    ] {
        if squashed.starts_with(bad) {
            return Err(format!("{bad} URL {url:?}"));
        }
    }
    if squashed.starts_with("data:") && !squashed.starts_with("data:image/") {
        return Err(format!("data: URL {url:?}"));
    }
    Ok(())
}

#[test]
fn checker_catches_script() {
    assert!(check_safe_html("<p>fine <a href=\"/x\">x</a></p>").is_ok());
    assert!(check_safe_html("<script>alert(1)</script>").is_err());
    assert!(check_safe_html("<img src=x onerror=alert(1)>").is_err());
    assert!(check_safe_html("<a href=\" jav&#x09;ascript:alert(1)\">x</a>").is_err());
    assert!(check_safe_html("<img srcset=\"a.png 1x, javascript:alert(1) 2x\">").is_err());
    assert!(check_safe_html("<svg><script>alert(1)</script></svg>").is_err());
    assert!(check_safe_html("<p style=\"x:expression(alert(1))\">a</p>").is_err());
}
