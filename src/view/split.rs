//! A static view's `collapse` and `split frames`: one computed view → the
//! diagrams the user asked for.
//!
//! In: the view's definition and its computed [`View`]. Out: with
//! `collapse`, the view with those frames folded ([`fold::fold`]); with
//! `split frames`, an overview (key `KEY`: every frame `split frames`
//! draws apart folded into one box) followed by one part per frame (key
//! `KEY--SLUG`, the slug of the frame's title, made unique among the
//! model's view keys), each a [`View`] of its own whose [`Part`] says which
//! view it belongs to. Any other view is returned as it is.

use std::collections::HashSet;

use super::fold::{self, FrameId};
use super::{Content, View};
use crate::model::{Collapse, Model, ViewDef, ViewOf};

/// Where a diagram of a split view belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The key of the view it is a part of (its overview's key).
    pub of: String,
    /// The frame it shows (its title); `None` for the overview.
    pub frame: Option<String>,
    /// 1-based place among the parts (0 for the overview).
    pub index: usize,
    /// How many parts the view has (the overview not counted).
    pub count: usize,
}

/// The diagrams of one computed view: `[view]`, unless its definition asks
/// for `collapse` or `split frames`. `taken`: every view key of the model
/// (a part's key avoids them).
pub fn expand(model: &Model, def: &ViewDef, view: View, taken: &HashSet<String>) -> Vec<View> {
    let ViewOf::Static(sd) = &def.of else {
        return vec![view];
    };
    let Content::Static(sv) = &view.content else {
        return vec![view];
    };
    // Neither split nor collapsed: the view as it is (not a copy of it).
    if view.overflow.is_some() || (matches!(sd.collapse, Collapse::None) && sd.split.is_none()) {
        return vec![view];
    }
    // `collapse frames` folds what `split frames` draws apart: with both,
    // the overview is that drawing.
    let folded = match &sd.collapse {
        Collapse::None => None,
        Collapse::Frames(_) if sd.split.is_some() => None,
        Collapse::Frames(_) => Some(fold::fold(model, sv, &fold::split_frames(sv))),
        Collapse::Named(names, _) => {
            Some(fold::fold(model, sv, &fold::named_frames(model, sv, names)))
        }
    };
    let sv = folded.unwrap_or_else(|| sv.clone());
    let frames = if sd.split.is_some() {
        fold::split_frames(&sv)
    } else {
        Vec::new()
    };
    if frames.is_empty() || frames.len() > fold::MAX_PARTS {
        return vec![View {
            content: Content::Static(sv),
            ..view
        }];
    }
    let count = frames.len();
    let mut keys: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(count + 1);
    for (i, f) in frames.iter().enumerate() {
        let title = match f {
            FrameId::Element(e) => model.element(*e).name.clone(),
            FrameId::Group(g) => model.group(*g).title.clone(),
        };
        let key = part_key(&view.key, &title, taken, &mut keys);
        out.push(View {
            key,
            title: format!("{} — {title} ({} of {count})", view.title, i + 1),
            description: None,
            direction: view.direction,
            span: view.span,
            overflow: None,
            content: Content::Static(fold::part(&sv, *f)),
            part: Some(Part {
                of: view.key.clone(),
                frame: Some(title),
                index: i + 1,
                count,
            }),
        });
    }
    let overview = View {
        title: format!("{} — overview", view.title),
        content: Content::Static(fold::fold(model, &sv, &frames)),
        part: Some(Part {
            of: view.key.clone(),
            frame: None,
            index: 0,
            count,
        }),
        ..view
    };
    out.insert(0, overview);
    out
}

/// `KEY--SLUG`: the slug of the frame's title (at most 40 characters), with
/// `-2`, `-3`, … where another view or part has that key already.
fn part_key(key: &str, title: &str, taken: &HashSet<String>, keys: &mut HashSet<String>) -> String {
    let mut slug = crate::model::resolve::slug(title);
    slug.truncate(40);
    let base = format!("{key}--{}", slug.trim_end_matches('_'));
    let mut n = 1;
    let mut k = base.clone();
    while taken.contains(&k) || keys.contains(&k) {
        n += 1;
        k = format!("{base}-{n}");
    }
    keys.insert(k.clone());
    k
}
