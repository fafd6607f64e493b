//! Element kinds and shapes.
//!
//! In: nothing; this is the vocabulary the rest of the model builds on.
//! Out: [`BaseKind`] (the C4 base kinds, which decide nesting rules and C4
//! level) and [`Shape`] (how an element is drawn, with a default per base
//! kind). Declared kinds (`kind X extends Y { … }`) become
//! [`Kind`](super::style::Kind) records next to their style.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaseKind {
    Person,
    System,
    Container,
    Component,
    /// Not software: a note, metric, policy, phase or scenario. Allowed
    /// anywhere, shown only where a view includes it, exempt from the checks
    /// that concern software (W001, W002).
    Annotation,
}

impl BaseKind {
    pub fn keyword(self) -> &'static str {
        match self {
            BaseKind::Person => "person",
            BaseKind::System => "system",
            BaseKind::Container => "container",
            BaseKind::Component => "component",
            BaseKind::Annotation => "annotation",
        }
    }

    /// The C4 type label shown in diagrams.
    pub fn label(self, external: bool) -> &'static str {
        match (self, external) {
            (BaseKind::Person, false) => "Person",
            (BaseKind::Person, true) => "External Person",
            (BaseKind::System, false) => "Software System",
            (BaseKind::System, true) => "External Software System",
            (BaseKind::Container, false) => "Container",
            (BaseKind::Container, true) => "External Container",
            (BaseKind::Component, false) => "Component",
            (BaseKind::Component, true) => "External Component",
            (BaseKind::Annotation, _) => "Annotation",
        }
    }

    /// The base kind an element of this kind must be nested in (`None`: top level).
    pub fn parent(self) -> Option<BaseKind> {
        match self {
            BaseKind::Person | BaseKind::System => None,
            BaseKind::Container => Some(BaseKind::System),
            BaseKind::Component => Some(BaseKind::Container),
            BaseKind::Annotation => None,
        }
    }

    pub fn from_keyword(s: &str) -> Option<BaseKind> {
        Some(match s {
            "person" => BaseKind::Person,
            "system" | "softwareSystem" | "software_system" => BaseKind::System,
            "container" => BaseKind::Container,
            "component" => BaseKind::Component,
            "annotation" => BaseKind::Annotation,
            _ => return None,
        })
    }
}

/// How an element is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    Box,
    Rounded,
    /// A person: drawn as a rounded box (Mermaid's stadium clips tall text).
    Person,
    /// Mermaid's stadium `([ ])`: it widens only a little for tall text, so
    /// the corners of a label of three lines or more run over its curve.
    Stadium,
    Cylinder,
    Queue,
    /// A horizontal cylinder, the usual drawing of a queue: Mermaid's
    /// `@{ shape: h-cyl }`, which needs Mermaid 11.3 or later (opt-in).
    HCylinder,
    Hexagon,
    Circle,
    Diamond,
    Trapezoid,
    Parallelogram,
    Flag,
}

impl Shape {
    pub const NAMES: &'static [&'static str] = &[
        "box",
        "rectangle",
        "rounded",
        "person",
        "stadium",
        "pill",
        "cylinder",
        "database",
        "queue",
        "subroutine",
        "hcylinder",
        "hexagon",
        "circle",
        "diamond",
        "rhombus",
        "trapezoid",
        "parallelogram",
        "flag",
    ];

    pub fn from_name(s: &str) -> Option<Shape> {
        Some(match s.to_ascii_lowercase().as_str() {
            "box" | "rectangle" | "rect" => Shape::Box,
            "rounded" | "roundedbox" => Shape::Rounded,
            "person" => Shape::Person,
            "stadium" | "pill" => Shape::Stadium,
            "cylinder" | "database" | "storage" => Shape::Cylinder,
            "queue" | "subroutine" | "pipe" => Shape::Queue,
            "hcylinder" | "h-cyl" | "horizontal-cylinder" => Shape::HCylinder,
            "hexagon" => Shape::Hexagon,
            "circle" => Shape::Circle,
            "diamond" | "rhombus" => Shape::Diamond,
            "trapezoid" => Shape::Trapezoid,
            "parallelogram" => Shape::Parallelogram,
            "flag" | "asymmetric" => Shape::Flag,
            _ => return None,
        })
    }

    pub fn default_for(base: BaseKind) -> Shape {
        match base {
            BaseKind::Person => Shape::Person,
            _ => Shape::Box,
        }
    }
}
