//! The document tree and its parsing.
//!
//! The DOM is a tree: it knows no rules, rendering or policy. This is the
//! only module (with its submodules) that imports `html5ever`. html5ever
//! builds its tree straight into an arena (`sink`) behind an attribute cap
//! (`prescan`) and a depth guard (`guard`); the nodes are then moved, once
//! and linearly, into [`Dom`], a compact arena with O(1) parent and sibling
//! links whose ids follow document order (`parse`, `tree`). The passes, the
//! selector engine and the renderers only see the arena, so a swap of the
//! parser stays here. The tree is written back to HTML for the sanitizer by `serialize`,
//! MathML as its text (`math`); the sanitizer's output is read again for
//! the renderers directly when it can be (`reread`).
//!
//! Every walk here uses the links or an explicit stack, never recursion: inputs
//! nest tens of thousands deep. Every step is linear in the input: the
//! tokenizer's cost per attribute, the tree builder's per level of nesting and
//! the serializer's per escaped character are each bounded here.

mod guard;
mod math;
mod parse;
mod prescan;
mod reread;
mod serialize;
mod sink;
mod tidy;
mod tree;

pub(crate) use serialize::{Cut, SanitizerInput};
pub(crate) use tree::{Dom, Element, NodeData, NodeId, Ns};

/// Deepest element nesting the parser builds, as in Blink.
///
/// NOTE: html5ever's tree builder scans its stack of open elements for many
/// tokens, so its time grows with the square of the nesting depth (10,000
/// nested `<div>` take 0.5 s, 40,000 take 6.4 s). Start tags that would open an
/// element deeper than this are dropped before they reach the tree builder;
/// their text and void children (images, line breaks) are kept, one level up,
/// and where a dropped block (`<p>`, `<div>`) parted two texts a `<br>` does.
pub(crate) const MAX_DEPTH: u32 = 512;

/// Deepest element nesting kept in the tree the passes see, below
/// [`MAX_DEPTH`] by more than the parser may add when it reads the output
/// again (the fragment's root, formatting elements it reopens), so that
/// cleaning the output again never meets the depth guard: what the guard
/// cut once is cut the same way for good.
pub(crate) const KEEP_DEPTH: u32 = MAX_DEPTH - 64;

/// Most attributes the parser reads on one tag; the rest are dropped before
/// the tokenizer sees them (see `prescan`), so that no tag costs more than
/// this many comparisons per attribute.
pub(crate) const MAX_ATTRS: usize = 256;
