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
//! Problems: E060 an unknown or missing option, E061 an unknown environment,
//! node, item or reference.

use indexmap::IndexMap;

use super::deployment::Deployment;
use super::mesh::{unknown, value};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{MeshDef, OptItem};

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
    /// (reference, label) of the dashed links into the note.
    pub from: Vec<(String, Option<String>, Span)>,
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
    pub env: usize,
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

fn id_of(item: &OptItem) -> String {
    item.id
        .as_ref()
        .map(|t| t.value.clone())
        .or_else(|| value(item, 0).map(|v| super::resolve::slug(&v)))
        .unwrap_or_else(|| item.key.value.clone())
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

/// Resolves one CDN declaration against the deployments.
pub fn resolve(
    def: &MeshDef,
    deployments: &[Deployment],
    diags: &mut Vec<Diagnostic>,
) -> Option<Cdn> {
    let env_name = def.target.dotted();
    let Some(env) = deployments.iter().position(|d| d.name == env_name) else {
        let names: Vec<&str> = deployments.iter().map(|d| d.name.as_str()).collect();
        let mut d = Diagnostic::error("E061", format!("no deployment environment `{env_name}`"))
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
        env,
        origin: None,
        entry: None,
        users: "Users".into(),
        latency: None,
        tiers: Vec::new(),
        regions: Vec::new(),
        notes: Vec::new(),
        span: def.span,
    };
    let mut entry_opt: Option<&OptItem> = None;
    for item in &def.options {
        match item.key.value.as_str() {
            "origin" => {
                let path = value(item, 0).unwrap_or_default();
                match find_item(dep, None, &path) {
                    Some(n) => cdn.origin = Some(n),
                    None => diags.push(
                        Diagnostic::error(
                            "E061",
                            format!("no node `{path}` in deployment `{env_name}`"),
                        )
                        .label(item.span, "the origin must be a node of the environment")
                        .hint(
                            "write its path from the environment, e.g. `origin \"origin_layer\"`",
                        ),
                    ),
                }
            }
            "entry" => entry_opt = Some(item),
            "users" => cdn.users = value(item, 0).unwrap_or(cdn.users),
            "latency" => cdn.latency = value(item, 0),
            "tier" => {
                let mut t = Tier {
                    id: id_of(item),
                    title: value(item, 0).unwrap_or_else(|| id_of(item)),
                    ..Tier::default()
                };
                t.pop = t.title.clone();
                for o in &item.children {
                    let v = value(o, 0);
                    match o.key.value.as_str() {
                        "pop" => t.pop = v.unwrap_or(t.pop),
                        "technology" => t.technology = v,
                        "description" => t.description = v,
                        "cache" => t.cache = v,
                        "ttl" => t.ttl = v,
                        "miss" => t.miss = v,
                        _ => diags.push(unknown(o, TIER_OPTIONS, "tier")),
                    }
                }
                cdn.tiers.push(t);
            }
            "region" => {
                let mut r = Region {
                    id: id_of(item),
                    user: value(item, 0).unwrap_or_else(|| id_of(item)),
                    pops: IndexMap::new(),
                };
                for o in &item.children {
                    r.pops
                        .insert(o.key.value.clone(), value(o, 0).unwrap_or_default());
                }
                cdn.regions.push(r);
            }
            "notes" => {
                let mut g = NoteGroup {
                    id: id_of(item),
                    title: value(item, 0).unwrap_or_else(|| "Notes".into()),
                    notes: Vec::new(),
                };
                for n in &item.children {
                    if n.key.value != "note" {
                        diags.push(unknown(n, &["note"], "notes"));
                        continue;
                    }
                    let mut note = Note {
                        id: id_of(n),
                        name: value(n, 0).unwrap_or_else(|| id_of(n)),
                        details: value(n, 1),
                        from: Vec::new(),
                    };
                    for o in &n.children {
                        match o.key.value.as_str() {
                            "from" => note.from.push((
                                value(o, 0).unwrap_or_default(),
                                value(o, 1),
                                o.span,
                            )),
                            _ => diags.push(unknown(o, &["from"], "note")),
                        }
                    }
                    g.notes.push(note);
                }
                cdn.notes.push(g);
            }
            _ => diags.push(unknown(item, OPTIONS, "cdn")),
        }
    }
    // Every region names a POP for every tier, and only for tiers.
    for (r, item) in cdn
        .regions
        .iter()
        .zip(def.options.iter().filter(|i| i.key.value == "region"))
    {
        for t in &cdn.tiers {
            if !r.pops.contains_key(&t.id) {
                diags.push(
                    Diagnostic::error("E060", format!("region `{}` has no `{}` POP", r.id, t.id))
                        .label(item.span, "every region needs a POP in every tier")
                        .hint(format!("add `{} \"Location\"` to the region", t.id)),
                );
            }
        }
        for o in &item.children {
            if !cdn.tiers.iter().any(|t| t.id == o.key.value) {
                let tiers: Vec<&str> = cdn.tiers.iter().map(|t| t.id.as_str()).collect();
                diags.push(unknown(o, &tiers, "region (a tier)"));
            }
        }
    }
    if let Some(origin) = cdn.origin {
        cdn.entry = match entry_opt {
            Some(item) => {
                let path = value(item, 0).unwrap_or_default();
                let found = find_item(dep, Some(origin), &path);
                if found.is_none() {
                    diags.push(
                        Diagnostic::error("E061", format!("no item `{path}` in the origin"))
                            .label(item.span, "not found")
                            .hint("name an item inside the origin node by its identifier"),
                    );
                }
                found
            }
            None => {
                first_infra(dep, origin).or_else(|| dep.items[origin].children.first().copied())
            }
        };
    } else {
        diags.push(
            Diagnostic::error("E060", format!("cdn `{}` has no origin", cdn.name))
                .label(def.name.span, "misses must go somewhere")
                .hint("add `origin \"NODE\"`: the deployment node that serves the content"),
        );
    }
    // Note links must point at something that will be drawn.
    for g in &cdn.notes {
        for n in &g.notes {
            for (r, _, span) in &n.from {
                if resolve_ref(&cdn, dep, r).is_none() {
                    diags.push(
                        Diagnostic::error(
                            "E061",
                            format!("unknown reference `{r}` in cdn `{}`", cdn.name),
                        )
                        .label(*span, "not a POP, user or origin item")
                        .hint("write `TIER.REGION` (a POP), `users.REGION` or `origin.ITEM`"),
                    );
                }
            }
        }
    }
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

pub fn resolve_ref(cdn: &Cdn, d: &Deployment, r: &str) -> Option<CdnRef> {
    let (head, rest) = r.split_once('.')?;
    if head == "users" {
        return cdn
            .regions
            .iter()
            .position(|x| x.id == rest)
            .map(CdnRef::User);
    }
    if head == "origin" {
        return find_item(d, cdn.origin, rest).map(CdnRef::Origin);
    }
    let t = cdn.tiers.iter().position(|t| t.id == head)?;
    let g = cdn.regions.iter().position(|x| x.id == rest)?;
    Some(CdnRef::Pop(t, g))
}
