//! Content delivery networks: ordered cache tiers in front of an origin.
//!
//! In: `cdn NAME ["Title"] in ENV { … }` declarations and the deployments.
//! Out: [`Cdn`] records. Options:
//! - `origin "NODE"` — the deployment node (path from the environment) that
//!   serves misses; it is drawn with its contents. `entry "ITEM"` names the
//!   item in it that misses reach (default: its first infrastructure node).
//! - `users "Title"`, `latency "label"` — the users' group and their edge label.
//! - `ID = tier "Title" { pop "Name"  technology "…"  description "…"
//!   cache "1TB"  ttl "1 hour"  miss "10%" }` — tiers in order, users first.
//! - `ID = region "User in US" { TIER "POP location" … }` — one user per
//!   region and the POP serving them in each tier.
//! - `ID = notes "Title" { ID = note "Name" "Details" { from "REF" "label" } }`
//!   — annotations linked from a POP (`TIER.REGION`), a user
//!   (`users.REGION`) or an origin item (`origin.ITEM`).
//!
//! Problems: E060 an unknown or missing option (one per region that lacks
//! POPs), E061 an unknown environment, node, item or reference, E020 a tier
//! or region identifier taken twice. Checking costs time linear in the
//! declaration: tiers, regions and origin items are looked up by identifier,
//! and a message names at most a few tiers.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::deployment::Deployment;
use super::mesh::{unknown, value};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{
    CdnDef, CdnOpt, NoteOpt, NotesDef, NotesItem, OptHead, RegionDef, Text, TierDef, TierField,
    TierProp,
};

#[derive(Debug, Clone, Default)]
pub struct Tier {
    pub id: String,
    pub title: String,
    pub pop: String,
    pub technology: Option<String>,
    pub description: Option<String>,
    pub cache: Option<String>,
    pub ttl: Option<String>,
    pub miss: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub id: String,
    pub user: String,
    /// tier id → POP location
    pub pops: IndexMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct Note {
    pub id: String,
    pub name: String,
    pub details: Option<String>,
    /// The dashed links into the note.
    pub from: Vec<NoteLink>,
}

/// `from "REF" "label"` in a note.
#[derive(Debug, Clone)]
pub struct NoteLink {
    pub reference: String,
    pub label: Option<String>,
    pub span: Span,
    /// What `reference` names (`None`: nothing, an error E061).
    pub target: Option<CdnRef>,
}

#[derive(Debug, Clone)]
pub struct NoteGroup {
    pub id: String,
    pub title: String,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone)]
pub struct Cdn {
    pub name: String,
    pub title: String,
    pub env: super::EnvId,
    pub origin: Option<usize>,
    pub entry: Option<usize>,
    pub users: String,
    pub latency: Option<String>,
    pub tiers: Vec<Tier>,
    pub regions: Vec<Region>,
    pub notes: Vec<NoteGroup>,
    pub span: Span,
}

const OPTIONS: &[&str] = &[
    "origin", "entry", "users", "latency", "tier", "region", "notes",
];
const TIER_OPTIONS: &[&str] = &["pop", "technology", "description", "cache", "ttl", "miss"];

/// A named option's identifier: written, or derived from its title, or its keyword.
fn id_of(head: &OptHead, keyword: &str) -> String {
    head.id
        .as_ref()
        .map(|t| t.value.clone())
        .or_else(|| value(&head.title).map(|v| super::limits::slug(&v)))
        .unwrap_or_else(|| keyword.to_string())
}

/// The item at `path` (ids separated by dots) under `from` (`None`: the environment).
pub fn find_item(d: &Deployment, from: Option<usize>, path: &str) -> Option<usize> {
    let mut cur = from;
    for seg in path.split('.') {
        let list = match cur {
            Some(n) => &d.items[n].children,
            None => &d.roots,
        };
        cur = Some(list.iter().copied().find(|c| d.items[*c].id == seg)?);
    }
    cur
}

/// Tiers and regions named in a region's message or hint, at most.
const LISTED: usize = 5;

/// Unknown region entries that get a "did you mean" among all the tiers
/// (each costs a comparison with every tier), per CDN.
const SUGGESTED: usize = 10;

/// Where an option's identifier is written (its name, when derived from it).
fn id_span(head: &OptHead) -> Span {
    head.id
        .as_ref()
        .or(head.title.as_ref())
        .map_or(head.keyword, |t| t.span)
}

/// E020 for a tier or region whose identifier an earlier one has.
fn duplicate(head: &OptHead, id: &str, what: &str, first: Span) -> Diagnostic {
    let derived = head.id.is_none();
    Diagnostic::new(Code::E020, format!("duplicate {what} `{id}`"))
        .label(
            id_span(head),
            if derived {
                "identifier derived from the name is taken"
            } else {
                "declared again here"
            },
        )
        .secondary(first, "first declared here")
        .hint(format!(
            "give each {what} its own identifier: `other_{id} = {what} \"…\"` (POPs and notes name it)"
        ))
}

fn tier(def: &TierDef, diags: &mut Vec<Diagnostic>) -> Tier {
    let id = id_of(&def.head, "tier");
    let mut t = Tier {
        title: value(&def.head.title).unwrap_or_else(|| id.clone()),
        id,
        ..Tier::default()
    };
    t.pop = t.title.clone();
    for prop in &def.props {
        match prop {
            TierProp::Set(field, v) => {
                let v = value(v);
                match field {
                    TierField::Pop => t.pop = v.unwrap_or(t.pop),
                    TierField::Technology => t.technology = v,
                    TierField::Description => t.description = v,
                    TierField::Cache => t.cache = v,
                    TierField::Ttl => t.ttl = v,
                    TierField::Miss => t.miss = v,
                }
            }
            TierProp::Unknown(key) => diags.push(unknown(key, TIER_OPTIONS, "tier")),
        }
    }
    t
}

fn region(def: &RegionDef) -> Region {
    let id = id_of(&def.head, "region");
    let mut r = Region {
        user: value(&def.head.title).unwrap_or_else(|| id.clone()),
        id,
        pops: IndexMap::new(),
    };
    for (tier, location) in &def.pops {
        r.pops
            .insert(tier.value.clone(), value(location).unwrap_or_default());
    }
    r
}

fn notes(def: &NotesDef, diags: &mut Vec<Diagnostic>) -> NoteGroup {
    let mut g = NoteGroup {
        id: id_of(&def.head, "notes"),
        title: value(&def.head.title).unwrap_or_else(|| "Notes".into()),
        notes: Vec::new(),
    };
    for item in &def.notes {
        let n = match item {
            NotesItem::Note(n) => n,
            NotesItem::Unknown(key) => {
                diags.push(unknown(key, &["note"], "notes"));
                continue;
            }
        };
        let id = id_of(&n.head, "note");
        let mut note = Note {
            name: value(&n.head.title).unwrap_or_else(|| id.clone()),
            id,
            details: value(&n.details),
            from: Vec::new(),
        };
        for link in &n.links {
            match link {
                NoteOpt::From {
                    reference,
                    label,
                    span,
                } => note.from.push(NoteLink {
                    reference: value(reference).unwrap_or_default(),
                    label: value(label),
                    span: *span,
                    target: None,
                }),
                NoteOpt::Unknown(key) => diags.push(unknown(key, &["from"], "note")),
            }
        }
        g.notes.push(note);
    }
    g
}

/// A CDN's tiers and regions by identifier, and the items of its origin by
/// their path from it: what POPs and note links are looked up in, each in
/// constant time (a CDN may have thousands of each).
struct Index {
    tiers: HashMap<String, usize>,
    regions: HashMap<String, usize>,
    origin: HashMap<String, usize>,
}

impl Index {
    fn new(cdn: &Cdn, d: &Deployment) -> Index {
        let mut origin = HashMap::new();
        if let Some(o) = cdn.origin {
            let base = format!("{}.", d.items[o].path);
            let mut stack = d.items[o].children.clone();
            while let Some(i) = stack.pop() {
                if let Some(rest) = d.items[i].path.strip_prefix(&base) {
                    origin.insert(rest.to_string(), i);
                }
                stack.extend(d.items[i].children.iter().copied());
            }
        }
        let ids = |ids: Vec<&String>| {
            let mut map = HashMap::new();
            for (i, id) in ids.into_iter().enumerate() {
                map.entry(id.clone()).or_insert(i);
            }
            map
        };
        Index {
            tiers: ids(cdn.tiers.iter().map(|t| &t.id).collect()),
            regions: ids(cdn.regions.iter().map(|r| &r.id).collect()),
            origin,
        }
    }

    /// What a note reference points at: `users.REGION`, `origin.ITEM` or
    /// `TIER.REGION` (so `users.` and `origin.` win over tiers of those names).
    fn target(&self, r: &str) -> Option<CdnRef> {
        let (head, rest) = r.split_once('.')?;
        match head {
            "users" => self.regions.get(rest).copied().map(CdnRef::User),
            "origin" => self.origin.get(rest).copied().map(CdnRef::Origin),
            _ => Some(CdnRef::Pop(
                *self.tiers.get(head)?,
                *self.regions.get(rest)?,
            )),
        }
    }
}

/// Every region names a POP for every tier, and only for tiers. In time
/// linear in what the regions list: a region's missing tiers are found among
/// the tiers it lists and the few named in the message.
fn check_regions(cdn: &Cdn, index: &Index, defs: &[&RegionDef], diags: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = cdn.tiers.iter().map(|t| t.id.as_str()).collect();
    let mut suggested = 0;
    for (r, def) in cdn.regions.iter().zip(defs) {
        let listed = r
            .pops
            .keys()
            .filter(|k| index.tiers.contains_key(*k))
            .count();
        let missing = cdn.tiers.len() - listed;
        let first: Vec<&str> = cdn
            .tiers
            .iter()
            .filter(|t| !r.pops.contains_key(&t.id))
            .map(|t| t.id.as_str())
            .take(LISTED)
            .collect();
        if let [t, ..] = first[..] {
            let message = if missing == 1 {
                format!("region `{}` has no `{t}` POP", r.id)
            } else {
                let more = if missing > first.len() { ", …" } else { "" };
                format!(
                    "region `{}` has no POP in {missing} tiers: `{}`{more}",
                    r.id,
                    first.join("`, `")
                )
            };
            diags.push(
                Diagnostic::new(Code::E060, message)
                    .label(def.head.span, "every region needs a POP in every tier")
                    .hint(format!("add `{t} \"Location\"` to the region")),
            );
        }
        for (key, _) in &def.pops {
            if index.tiers.contains_key(&key.value) {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::E060,
                format!("unknown region (a tier) option `{}`", key.value),
            )
            .label(key.span, "not an option here");
            let close = (suggested < SUGGESTED)
                .then(|| did_you_mean(&key.value, names.iter().copied()))
                .flatten();
            suggested += 1;
            d = match close {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => {
                    let more = if names.len() > LISTED { ", …" } else { "" };
                    let shown = &names[..names.len().min(LISTED)];
                    d.hint(format!("options: {}{more}", shown.join(", ")))
                }
            };
            diags.push(d);
        }
    }
}

/// The item misses reach: `entry "ITEM"` in the origin, else its first
/// infrastructure node, else its first item.
fn entry(
    dep: &Deployment,
    origin: usize,
    item: Option<(&Option<Text>, Span)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let Some((path, span)) = item else {
        return first_infra(dep, origin).or_else(|| dep.items[origin].children.first().copied());
    };
    let path = value(path).unwrap_or_default();
    let found = find_item(dep, Some(origin), &path);
    if found.is_none() {
        diags.push(
            Diagnostic::new(Code::E061, format!("no item `{path}` in the origin"))
                .label(span, "not found")
                .hint("name an item inside the origin node by its identifier"),
        );
    }
    found
}

/// Note links must point at something that will be drawn.
fn link_notes(cdn: &mut Cdn, index: &Index, diags: &mut Vec<Diagnostic>) {
    let name = &cdn.name;
    for link in cdn
        .notes
        .iter_mut()
        .flat_map(|g| &mut g.notes)
        .flat_map(|n| &mut n.from)
    {
        link.target = index.target(&link.reference);
        if link.target.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::E061,
                    format!("unknown reference `{}` in cdn `{name}`", link.reference),
                )
                .label(link.span, "not a POP, user or origin item")
                .hint("write `TIER.REGION` (a POP), `users.REGION` or `origin.ITEM`"),
            );
        }
    }
}

/// Resolves one CDN declaration against the deployments.
pub fn resolve(
    def: &CdnDef,
    deployments: &[Deployment],
    diags: &mut Vec<Diagnostic>,
) -> Option<Cdn> {
    let env_name = def.target.dotted();
    let Some(env) = deployments.iter().position(|d| d.name == env_name) else {
        let names: Vec<&str> = deployments.iter().map(|d| d.name.as_str()).collect();
        let mut d = Diagnostic::new(
            Code::E061,
            format!("no deployment environment `{env_name}`"),
        )
        .label(def.target.span, "a CDN serves a deployment environment");
        d = match did_you_mean(&env_name, names.iter().copied()) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint("declare it with `deployment NAME { … }` and write `cdn … in NAME`"),
        };
        diags.push(d);
        return None;
    };
    let dep = &deployments[env];
    let mut cdn = Cdn {
        name: def.name.value.clone(),
        title: def
            .strings
            .first()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| def.name.value.clone()),
        env: super::EnvId::new(env),
        origin: None,
        entry: None,
        users: "Users".into(),
        latency: None,
        tiers: Vec::new(),
        regions: Vec::new(),
        notes: Vec::new(),
        span: def.span,
    };
    let mut entry_opt = None;
    // The first tier and region of each identifier, and the regions' definitions.
    let mut tier_spans: HashMap<String, Span> = HashMap::new();
    let mut region_spans: HashMap<String, Span> = HashMap::new();
    let mut region_defs: Vec<&RegionDef> = Vec::new();
    for opt in &def.options {
        match opt {
            CdnOpt::Origin { path, span } => {
                let path = value(path).unwrap_or_default();
                match find_item(dep, None, &path) {
                    Some(n) => cdn.origin = Some(n),
                    None => diags.push(
                        Diagnostic::new(
                            Code::E061,
                            format!("no node `{path}` in deployment `{env_name}`"),
                        )
                        .label(*span, "the origin must be a node of the environment")
                        .hint(
                            "write its path from the environment, e.g. `origin \"origin_layer\"`",
                        ),
                    ),
                }
            }
            CdnOpt::Entry { path, span } => entry_opt = Some((path, *span)),
            CdnOpt::Users(users) => cdn.users = value(users).unwrap_or(cdn.users),
            CdnOpt::Latency(latency) => cdn.latency = value(latency),
            CdnOpt::Tier(t) => {
                let tier = tier(t, diags);
                match tier_spans.get(&tier.id) {
                    Some(first) => diags.push(duplicate(&t.head, &tier.id, "tier", *first)),
                    None => {
                        tier_spans.insert(tier.id.clone(), id_span(&t.head));
                        cdn.tiers.push(tier);
                    }
                }
            }
            CdnOpt::Region(r) => {
                let region = region(r);
                match region_spans.get(&region.id) {
                    Some(first) => diags.push(duplicate(&r.head, &region.id, "region", *first)),
                    None => {
                        region_spans.insert(region.id.clone(), id_span(&r.head));
                        cdn.regions.push(region);
                        region_defs.push(r);
                    }
                }
            }
            CdnOpt::Notes(n) => cdn.notes.push(notes(n, diags)),
            CdnOpt::Unknown(key) => diags.push(unknown(key, OPTIONS, "cdn")),
        }
    }
    let index = Index::new(&cdn, dep);
    check_regions(&cdn, &index, &region_defs, diags);
    match cdn.origin {
        Some(origin) => cdn.entry = entry(dep, origin, entry_opt, diags),
        None => diags.push(
            Diagnostic::new(Code::E060, format!("cdn `{}` has no origin", cdn.name))
                .label(def.name.span, "misses must go somewhere")
                .hint("add `origin \"NODE\"`: the deployment node that serves the content"),
        ),
    }
    link_notes(&mut cdn, &index, diags);
    Some(cdn)
}

fn first_infra(d: &Deployment, node: usize) -> Option<usize> {
    for &c in &d.items[node].children {
        if d.items[c].kind == super::deployment::DeplKind::Infra {
            return Some(c);
        }
        if let Some(x) = first_infra(d, c) {
            return Some(x);
        }
    }
    None
}

/// What a note reference points at.
#[derive(Debug, Clone, PartialEq)]
pub enum CdnRef {
    Pop(usize, usize),
    User(usize),
    Origin(usize),
}
