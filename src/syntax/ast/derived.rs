//! The syntax tree of the derived views' definitions: service meshes and CDNs.
//!
//! In: built by the parser's mesh and CDN readers. Out: plain data with a
//! [`Span`] on everything, resolved by `model::mesh` and `model::cdn`.

use super::{PathRef, Text};
use crate::source::Span;

/// `mesh NAME ["Title"] in ENV[.NODE] { options }`
#[derive(Debug, Clone)]
pub struct MeshDef {
    pub name: Text,
    pub strings: Vec<Text>,
    pub target: PathRef,
    /// In the order written.
    pub options: Vec<MeshOpt>,
    pub span: Span,
}

/// One option of a mesh. Strings are as written (a blank one counts as absent).
#[derive(Debug, Clone)]
pub enum MeshOpt {
    /// `sidecar ["Name" ["Description"]]`
    Sidecar {
        name: Option<Text>,
        description: Option<Text>,
    },
    /// `protocol ["mTLS"]`
    Protocol(Option<Text>),
    /// `mtls`
    Mtls,
    /// `ingress ["Name" ["Description"]]`
    Ingress {
        name: Option<Text>,
        description: Option<Text>,
    },
    /// `pod ["{name} Pod"]`
    Pod(Option<Text>),
    /// `flow pull|push|both`: the word (checked by the resolver) and the keyword's span
    Flow(Option<Text>, Span),
    /// `control ["Title"] { parts }`
    Control {
        title: Option<Text>,
        parts: Vec<ControlPartDef>,
    },
    /// An option the grammar does not know: its key (E060).
    Unknown(Text),
}

/// `ID ["Name" ["Description"]] [{ uses "label" }]` in a mesh's `control`.
#[derive(Debug, Clone)]
pub struct ControlPartDef {
    pub id: Text,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub options: Vec<ControlOpt>,
}

/// An option of a control-plane part.
#[derive(Debug, Clone)]
pub enum ControlOpt {
    /// `uses ["edge label"]`
    Uses(Option<Text>),
    /// `flow pull|push|both`: the word (checked by the resolver) and the keyword's span
    Flow(Option<Text>, Span),
    /// Any other key (E060).
    Unknown(Text),
}

/// `cdn NAME ["Title"] in ENV { options }`
#[derive(Debug, Clone)]
pub struct CdnDef {
    pub name: Text,
    pub strings: Vec<Text>,
    pub target: PathRef,
    /// In the order written.
    pub options: Vec<CdnOpt>,
    pub span: Span,
}

/// One option of a CDN. Strings are as written (a blank one counts as absent).
#[derive(Debug, Clone)]
pub enum CdnOpt {
    /// `origin "NODE"`; `span` is the whole option's.
    Origin {
        path: Option<Text>,
        span: Span,
    },
    /// `entry "ITEM"`
    Entry {
        path: Option<Text>,
        span: Span,
    },
    /// `users "Title"`
    Users(Option<Text>),
    /// `latency "label"`
    Latency(Option<Text>),
    Tier(TierDef),
    Region(RegionDef),
    Notes(NotesDef),
    /// An option the grammar does not know: its key (E060).
    Unknown(Text),
}

/// What a named CDN option (`tier`, `region`, `notes`, `note`) is written
/// with: `[ID =] keyword ["Title"]`.
#[derive(Debug, Clone)]
pub struct OptHead {
    pub id: Option<Text>,
    /// The first string, as written.
    pub title: Option<Text>,
    /// Where the keyword is.
    pub keyword: Span,
    /// The whole option.
    pub span: Span,
}

/// `[ID =] tier ["Title"] { properties }`
#[derive(Debug, Clone)]
pub struct TierDef {
    pub head: OptHead,
    pub props: Vec<TierProp>,
}

/// A tier property: `pop "Name"`, `technology "…"`, … or an unknown key.
#[derive(Debug, Clone)]
pub enum TierProp {
    Set(TierField, Option<Text>),
    /// Any other key (E060).
    Unknown(Text),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierField {
    Pop,
    Technology,
    Description,
    Cache,
    Ttl,
    Miss,
}

/// `[ID =] region ["User"] { TIER "POP location" … }`
#[derive(Debug, Clone)]
pub struct RegionDef {
    pub head: OptHead,
    /// (tier identifier as written, POP location)
    pub pops: Vec<(Text, Option<Text>)>,
}

/// `[ID =] notes ["Title"] { notes }`
#[derive(Debug, Clone)]
pub struct NotesDef {
    pub head: OptHead,
    pub notes: Vec<NotesItem>,
}

#[derive(Debug, Clone)]
pub enum NotesItem {
    Note(NoteDef),
    /// Any key but `note` (E060).
    Unknown(Text),
}

/// `[ID =] note ["Name" ["Details"]] { from "REF" ["label"] … }`
#[derive(Debug, Clone)]
pub struct NoteDef {
    pub head: OptHead,
    pub details: Option<Text>,
    pub links: Vec<NoteOpt>,
}

#[derive(Debug, Clone)]
pub enum NoteOpt {
    /// `from ["REF" ["label"]]`; `span` is the whole option's.
    From {
        reference: Option<Text>,
        label: Option<Text>,
        span: Span,
    },
    /// Any other key (E060).
    Unknown(Text),
}
