//! The syntax tree of one `.c4` file.
//!
//! In: built by `parse.rs` from the pest parse tree.
//! Out: plain data with a [`Span`] on everything, consumed by the resolver
//! (`model::resolve`). No pest type appears here.

use crate::source::Span;

mod derived;
pub use derived::*;

/// A string literal (escapes already processed) or an identifier, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A dotted reference such as `shop.api.orders`, or in a deployment an
/// expanded instance `blue.api[2]` (1-based `index`).
#[derive(Debug, Clone, PartialEq)]
pub struct PathRef {
    pub segments: Vec<String>,
    pub index: Option<u32>,
    pub span: Span,
}

impl PathRef {
    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }
}

#[derive(Debug, Clone, Default)]
pub struct File {
    pub items: Vec<TopItem>,
}

/// A `views { … }` block: its views, and its `defaults on|off` if it has one.
#[derive(Debug, Clone, Default)]
pub struct ViewsBlock {
    pub views: Vec<ViewDef>,
    /// `defaults off` (`false`) keeps only the listed views; the last
    /// `defaults` statement of the block wins.
    pub defaults: Option<(bool, Span)>,
}

#[derive(Debug, Clone)]
pub enum TopItem {
    Import(Text),
    Model(Vec<Stmt>),
    Specification(Vec<SpecItem>),
    Views(ViewsBlock),
    Styles(Vec<StyleRule>),
    Deployment(DeploymentDef),
    Mesh(MeshDef),
    Cdn(CdnDef),
    Code(CodeDef),
    States(StatesDef),
    Dynamic(DynamicDef),
    Rules(Vec<Rule>),
}

/// An architecture rule, checked by `c4c check`.
#[derive(Debug, Clone)]
pub enum Rule {
    /// `deny FROM -> TO ["reason"]`
    Deny {
        from: ViewExpr,
        arrow: Arrow,
        to: ViewExpr,
        reason: Option<Text>,
        span: Span,
    },
    /// `require tag "x" on SEL` / `require description|technology|url on SEL`
    Require {
        what: Requirement,
        on: ViewExpr,
        reason: Option<Text>,
        span: Span,
    },
    /// `layer A > B > C ["reason"]`: dependencies only go down the list.
    Layer {
        layers: Vec<ViewExpr>,
        reason: Option<Text>,
        span: Span,
    },
}

#[derive(Debug, Clone)]
pub enum Requirement {
    Tag(Text),
    Field(Text),
}

/// `dynamic NAME ["Title"] [of ELEMENT] { steps }`
#[derive(Debug, Clone)]
pub struct DynamicDef {
    pub name: Text,
    pub title: Option<Text>,
    pub of: Option<PathRef>,
    /// `autonumber` (Mermaid's) or `autonumber text` (written into the messages).
    pub numbering: Numbering,
    /// `boxes system` / `boxes container`.
    pub boxes: Option<BoxLevel>,
    pub steps: Vec<DynStep>,
    pub span: Span,
}

/// How a dynamic view numbers its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Numbering {
    #[default]
    Off,
    /// `autonumber`: Mermaid's own numbers (sequence diagrams).
    Mermaid,
    /// `autonumber text`: `1. ` written before each message's text.
    Text,
}

/// `boxes system|container`: what groups the participants of a sequence diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxLevel {
    System,
    Container,
}

/// The control-flow blocks of a dynamic view (Mermaid's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Alt,
    Opt,
    Loop,
    Par,
    Break,
    Critical,
}

impl BlockKind {
    pub fn from_keyword(word: &str) -> Option<BlockKind> {
        Some(match word {
            "alt" => BlockKind::Alt,
            "opt" => BlockKind::Opt,
            "loop" => BlockKind::Loop,
            "par" => BlockKind::Par,
            "break" => BlockKind::Break,
            "critical" => BlockKind::Critical,
            _ => return None,
        })
    }

    /// The keyword, as in the source and in Mermaid.
    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Alt => "alt",
            BlockKind::Opt => "opt",
            BlockKind::Loop => "loop",
            BlockKind::Par => "par",
            BlockKind::Break => "break",
            BlockKind::Critical => "critical",
        }
    }

    /// The keyword of the block's later sections (`else`, `and`, `option`), if it has them.
    pub fn section_keyword(self) -> Option<&'static str> {
        match self {
            BlockKind::Alt => Some("else"),
            BlockKind::Par => Some("and"),
            BlockKind::Critical => Some("option"),
            _ => None,
        }
    }
}

/// One section of a block: `alt "x" { … }` or a later `else "y" { … }`.
#[derive(Debug, Clone)]
pub struct DynSection {
    pub label: Option<Text>,
    pub steps: Vec<DynStep>,
    pub span: Span,
}

/// The arrow of a dynamic view's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgArrow {
    /// `->`: a call.
    Call,
    /// `~>`: an asynchronous message.
    Async,
    /// `<-`: a reply, sent by the element on the right.
    Reply,
    /// `<~`: an asynchronous reply.
    AsyncReply,
}

impl MsgArrow {
    /// Sent by the element written on the right (`a <- b`: by `b`).
    pub fn is_reply(self) -> bool {
        matches!(self, MsgArrow::Reply | MsgArrow::AsyncReply)
    }

    /// Anything but a call is drawn dashed.
    pub fn dashed(self) -> bool {
        self != MsgArrow::Call
    }
}

#[derive(Debug, Clone)]
pub enum DynStep {
    /// `a -> b "msg"`, `a ~> b` (async), `a <- b` (reply), `a <~ b` (async reply)
    Message {
        from: PathRef,
        arrow: MsgArrow,
        to: PathRef,
        text: Option<Text>,
        span: Span,
    },
    /// `note over|left of|right of a[, b] "text"`
    Note {
        place: String,
        over: Vec<PathRef>,
        text: Text,
        span: Span,
    },
    /// `parallel { … }`: each step is one branch.
    Parallel(Vec<DynStep>, Span),
    /// `alt`/`opt`/`loop`/`par`/`break`/`critical` with its sections.
    Block {
        kind: BlockKind,
        sections: Vec<DynSection>,
        span: Span,
    },
}

/// `code ELEMENT ["Title"] { classes and relations }` (C4 level 4)
#[derive(Debug, Clone)]
pub struct CodeDef {
    pub element: PathRef,
    pub title: Option<Text>,
    pub classes: Vec<ClassDecl>,
    pub relations: Vec<CodeRelation>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ClassDecl {
    /// `class`, `interface`, `enum` or `abstract`
    pub kind: Text,
    /// The name, generics included (`Repository<T>`).
    pub name: Text,
    pub label: Option<Text>,
    pub annotations: Vec<Text>,
    pub tags: Vec<Text>,
    pub members: Vec<Member>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub visibility: Option<char>,
    pub name: Text,
    /// `Some` for a method (its parameters as written: `name: Type` or `Type`).
    pub params: Option<Vec<Param>>,
    pub ty: Option<String>,
    /// `$` static, `*` abstract
    pub classifier: Option<char>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Option<String>,
    pub ty: String,
}

#[derive(Debug, Clone)]
pub struct CodeRelation {
    pub from: Text,
    pub from_card: Option<Text>,
    pub arrow: Text,
    pub to_card: Option<Text>,
    pub to: Text,
    pub label: Option<Text>,
    pub span: Span,
}

/// `states NAME ["Title"] [of ELEMENT] { transitions, notes, states }`
#[derive(Debug, Clone)]
pub struct StatesDef {
    pub name: Text,
    pub title: Option<Text>,
    pub of: Option<PathRef>,
    pub body: Vec<StateStmt>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum StateStmt {
    /// `A -> B : label`; `[*]` is the start (as a source) or the end (as a target).
    Transition {
        from: Text,
        to: Text,
        label: Option<Text>,
        span: Span,
    },
    Note {
        state: Text,
        side: Option<String>,
        text: Text,
        span: Span,
    },
    /// `state ID ["Label"] [final] [{ … }]`; a final state ends the machine.
    State {
        name: Text,
        label: Option<Text>,
        final_state: bool,
        body: Option<Vec<StateStmt>>,
        span: Span,
    },
}

/// `deployment NAME ["Title"] { nodes, infra, instances, relationships }`
#[derive(Debug, Clone)]
pub struct DeploymentDef {
    pub name: Text,
    pub strings: Vec<Text>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// `[id =] instance ELEMENT ["name" ["description" ["technology"]]] [{ … }]`
#[derive(Debug, Clone)]
pub struct InstanceStmt {
    pub id: Option<Text>,
    pub element: PathRef,
    pub strings: Vec<Text>,
    pub body: Option<Vec<Stmt>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arrow {
    /// `->`
    Sync,
    /// `~>` asynchronous, drawn dashed
    Async,
    /// `<->` both ways
    Both,
}

/// A statement inside `model { }`, an element block, a group or an `extend`.
#[derive(Debug, Clone)]
pub enum Stmt {
    Group {
        title: Text,
        body: Vec<Stmt>,
        span: Span,
    },
    Extend {
        target: PathRef,
        body: Vec<Stmt>,
        span: Span,
    },
    Description(Text, Span),
    Technology(Text, Span),
    Tags(Vec<Text>, Span),
    Url(Text, Span),
    External(Span),
    Properties(Vec<(Text, Text)>, Span),
    Relationship(RelStmt),
    Element(ElementStmt),
    Instance(InstanceStmt),
    /// `replicas N` / `instances N` (the raw text, checked by the resolver)
    Replicas(Text, Span),
    /// `expand ["name template"]`
    Expand(Option<Text>, Span),
    /// `role "…"` / `version "…"`
    Attr(Text, Text, Span),
    /// `step 3` (or `2.1`, `3a`) in a relationship's block
    Step(Text, Span),
    /// `api "file"`: an OpenAPI contract
    Api(Text, Span),
    /// `shape frame|box|…` in a deployment node's block
    Shape(Text, Span),
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Group { span, .. } | Stmt::Extend { span, .. } => *span,
            Stmt::Description(_, s)
            | Stmt::Technology(_, s)
            | Stmt::Tags(_, s)
            | Stmt::Url(_, s)
            | Stmt::External(s)
            | Stmt::Properties(_, s) => *s,
            Stmt::Relationship(r) => r.span,
            Stmt::Element(e) => e.span,
            Stmt::Instance(i) => i.span,
            Stmt::Replicas(_, s)
            | Stmt::Expand(_, s)
            | Stmt::Attr(_, _, s)
            | Stmt::Step(_, s)
            | Stmt::Api(_, s)
            | Stmt::Shape(_, s) => *s,
        }
    }

    /// The statement's keyword, for messages (`element` and `relationship`
    /// for the two that have none).
    pub fn keyword(&self) -> &'static str {
        match self {
            Stmt::Description(..) => "description",
            Stmt::Technology(..) => "technology",
            Stmt::Tags(..) => "tags",
            Stmt::Url(..) => "url",
            Stmt::External(..) => "external",
            Stmt::Properties(..) => "properties",
            Stmt::Group { .. } => "group",
            Stmt::Extend { .. } => "extend",
            Stmt::Relationship(..) => "relationship",
            Stmt::Element(..) => "element",
            Stmt::Instance(..) => "instance",
            Stmt::Replicas(..) => "replicas",
            Stmt::Expand(..) => "expand",
            Stmt::Attr(k, ..) if k.value == "role" => "role",
            Stmt::Attr(..) => "version",
            Stmt::Step(..) => "step",
            Stmt::Api(..) => "api",
            Stmt::Shape(..) => "shape",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ElementStmt {
    pub id: Option<Text>,
    pub kind: Text,
    pub external: bool,
    /// Positional strings: name, description, technology, tags.
    pub strings: Vec<Text>,
    pub body: Option<Vec<Stmt>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct RelStmt {
    /// `None` for `-> x` written inside an element block (from `this`).
    pub source: Option<PathRef>,
    pub arrow: Arrow,
    pub arrow_span: Span,
    pub target: PathRef,
    /// Positional strings: label, technology, tags.
    pub strings: Vec<Text>,
    pub body: Option<Vec<Stmt>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum SpecItem {
    Kind(KindDef),
    Tag {
        name: Text,
        description: Option<Text>,
        span: Span,
    },
}

#[derive(Debug, Clone)]
pub struct KindDef {
    pub name: Text,
    pub extends: Option<Text>,
    pub description: Option<Text>,
    pub technology: Option<Text>,
    pub style: Vec<StyleProp>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StyleValue {
    Flag(bool),
    Color(String),
    Number(String),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct StyleProp {
    pub key: Text,
    pub value: StyleValue,
    pub value_span: Span,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StyleTargetKind {
    /// `element X`: a kind or a tag
    Element,
    Kind,
    Tag,
    Relationship,
}

#[derive(Debug, Clone)]
pub struct StyleRule {
    pub target_kind: StyleTargetKind,
    pub target: Text,
    pub props: Vec<StyleProp>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ViewKind {
    Landscape,
    Context,
    Container,
    Component,
    Deployment,
    Mesh,
    Cdn,
    Code,
    States,
    Dynamic,
    /// Chosen elements, with groups as frames and no C4 boundaries.
    Custom,
}

impl ViewKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ViewKind::Landscape => "landscape",
            ViewKind::Context => "context",
            ViewKind::Container => "container",
            ViewKind::Component => "component",
            ViewKind::Deployment => "deployment",
            ViewKind::Mesh => "mesh",
            ViewKind::Cdn => "cdn",
            ViewKind::Code => "code",
            ViewKind::States => "states",
            ViewKind::Dynamic => "dynamic",
            ViewKind::Custom => "custom",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Direction {
    TB,
    BT,
    LR,
    RL,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::TB => "TB",
            Direction::BT => "BT",
            Direction::LR => "LR",
            Direction::RL => "RL",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ViewDef {
    pub kind: ViewKind,
    pub kind_span: Span,
    pub subject: Option<PathRef>,
    /// `deployment ENV of SYSTEM`
    pub of: Option<PathRef>,
    pub strings: Vec<Text>,
    pub body: Vec<ViewStmt>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ViewStmt {
    Include(Vec<ViewExpr>),
    Exclude(Vec<ViewExpr>),
    Direction(Direction, Span),
    Title(Text),
    Description(Text),
    /// `flowchart [over "KEY"]`: draw a dynamic view as a numbered
    /// flowchart (over the layout of the static view with key `over`).
    Flowchart {
        span: Span,
        over: Option<Text>,
    },
    /// `nodes box|frame [hosts]`: how a deployment view draws its nodes
    /// (`boxes`: as boxes), and with `hosts` the edges to what they hold.
    Nodes {
        boxes: bool,
        hosts: bool,
        span: Span,
    },
    /// `subject box|boundary|both` (component and container views).
    Subject(SubjectDraw, Span),
    /// `boundaries subject|all` (component and container views).
    Boundaries(Boundaries, Span),
    /// `split frames` (static views): an overview and one diagram per frame.
    Split(Span),
    /// `collapse frames` (`None`) or `collapse NAME, …` (static views).
    Collapse(Option<Vec<Text>>, Span),
}

/// Which enclosing elements a component (container) view frames: all of
/// them (default), or only its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Boundaries {
    #[default]
    All,
    Subject,
}

/// How a component (container) view draws its subject: boundary (default), box or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubjectDraw {
    #[default]
    Boundary,
    Box,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Star {
    /// `x` itself
    None,
    /// `x.*`: its children
    Children,
    /// `x.**`: all its descendants
    Descendants,
}

#[derive(Debug, Clone)]
pub enum Selector {
    /// `*`: the view's default content
    Wildcard(Span),
    Path {
        path: PathRef,
        star: Star,
        span: Span,
    },
}

impl Selector {
    pub fn span(&self) -> Span {
        match self {
            Selector::Wildcard(s) => *s,
            Selector::Path { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone)]
pub enum ViewExpr {
    Element(Selector),
    Tag(Text),
    Kind(Text),
    Relationship {
        from: Selector,
        arrow: Arrow,
        to: Selector,
        span: Span,
    },
}

impl ViewExpr {
    pub fn span(&self) -> Span {
        match self {
            ViewExpr::Element(s) => s.span(),
            ViewExpr::Tag(t) | ViewExpr::Kind(t) => t.span,
            ViewExpr::Relationship { span, .. } => *span,
        }
    }
}
