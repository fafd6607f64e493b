//! The Structurizr workspace JSON as typed structs.
//!
//! In: a [`serde_json::Value`] whose every object carries its line in the
//! key `@line` ([`super::lines`]). Out: a [`Workspace`]: every field
//! defaulted when missing, unknown fields ignored, strings read leniently
//! (a number or a boolean is its text; anything else is empty), so an
//! export of any Structurizr version reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// A string field, read leniently.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Text(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => String::new(),
        }))
    }
}

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

/// Properties: name → value, in name order.
pub type Props = BTreeMap<String, Text>;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Workspace {
    #[serde(rename = "@line")]
    pub line: usize,
    pub name: Text,
    pub description: Text,
    pub model: Model,
    pub views: Views,
    pub documentation: Documentation,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Documentation {
    #[serde(rename = "@line")]
    pub line: usize,
    pub sections: Vec<serde_json::Value>,
    pub decisions: Vec<serde_json::Value>,
}

impl Documentation {
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.decisions.is_empty()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Model {
    #[serde(rename = "@line")]
    pub line: usize,
    pub people: Vec<Element>,
    pub software_systems: Vec<Element>,
    pub custom_elements: Vec<Element>,
    pub deployment_nodes: Vec<Node>,
    pub properties: Props,
}

/// A person, software system, container, component or custom element.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Element {
    #[serde(rename = "@line")]
    pub line: usize,
    pub id: Text,
    pub name: Text,
    pub description: Text,
    pub technology: Text,
    /// A custom element's type.
    pub metadata: Text,
    pub tags: Text,
    pub url: Text,
    pub properties: Props,
    pub group: Text,
    pub location: Text,
    pub relationships: Vec<Relationship>,
    pub containers: Vec<Element>,
    pub components: Vec<Element>,
    pub perspectives: Vec<serde_json::Value>,
    pub documentation: Documentation,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Relationship {
    #[serde(rename = "@line")]
    pub line: usize,
    pub id: Text,
    pub source_id: Text,
    pub destination_id: Text,
    pub description: Text,
    pub technology: Text,
    pub tags: Text,
    pub interaction_style: Text,
    pub url: Text,
    pub properties: Props,
    /// Set on the relationships Structurizr implies or replicates.
    pub linked_relationship_id: Text,
    pub perspectives: Vec<serde_json::Value>,
}

/// A deployment node.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Node {
    #[serde(rename = "@line")]
    pub line: usize,
    pub id: Text,
    pub name: Text,
    pub description: Text,
    pub technology: Text,
    pub tags: Text,
    pub url: Text,
    pub properties: Props,
    pub environment: Text,
    /// A number or a string such as `1..N`.
    pub instances: Text,
    pub children: Vec<Node>,
    pub infrastructure_nodes: Vec<Infra>,
    pub software_system_instances: Vec<Instance>,
    pub container_instances: Vec<Instance>,
    pub relationships: Vec<Relationship>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Infra {
    #[serde(rename = "@line")]
    pub line: usize,
    pub id: Text,
    pub name: Text,
    pub description: Text,
    pub technology: Text,
    pub tags: Text,
    pub url: Text,
    pub properties: Props,
    pub relationships: Vec<Relationship>,
}

/// A software system or container instance.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Instance {
    #[serde(rename = "@line")]
    pub line: usize,
    pub id: Text,
    pub software_system_id: Text,
    pub container_id: Text,
    pub deployment_groups: Vec<Text>,
    pub tags: Text,
    pub url: Text,
    pub properties: Props,
    pub relationships: Vec<Relationship>,
    pub health_checks: Vec<HealthCheck>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HealthCheck {
    #[serde(rename = "@line")]
    pub line: usize,
    pub name: Text,
    pub url: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Views {
    #[serde(rename = "@line")]
    pub line: usize,
    pub system_landscape_views: Vec<View>,
    pub system_context_views: Vec<View>,
    pub container_views: Vec<View>,
    pub component_views: Vec<View>,
    pub dynamic_views: Vec<View>,
    pub deployment_views: Vec<View>,
    pub custom_views: Vec<View>,
    pub filtered_views: Vec<View>,
    pub image_views: Vec<View>,
    pub configuration: Configuration,
}

/// Any view (each kind reads the fields it has).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct View {
    #[serde(rename = "@line")]
    pub line: usize,
    pub key: Text,
    pub title: Text,
    pub description: Text,
    pub software_system_id: Text,
    pub container_id: Text,
    pub element_id: Text,
    pub environment: Text,
    /// A filtered view's base view, mode and tags.
    pub base_view_key: Text,
    pub mode: Text,
    pub tags: Vec<Text>,
    pub elements: Vec<Ref>,
    pub relationships: Vec<RelRef>,
    pub automatic_layout: Option<AutoLayout>,
    pub animations: Vec<serde_json::Value>,
}

/// An element of a view.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Ref {
    #[serde(rename = "@line")]
    pub line: usize,
    pub id: Text,
}

/// A relationship of a view (a dynamic view's step, with its order).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RelRef {
    #[serde(rename = "@line")]
    pub line: usize,
    pub id: Text,
    pub order: Text,
    pub description: Text,
    pub response: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AutoLayout {
    pub rank_direction: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Configuration {
    #[serde(rename = "@line")]
    pub line: usize,
    pub styles: Styles,
    pub theme: Text,
    pub themes: Vec<Text>,
    pub branding: serde_json::Map<String, serde_json::Value>,
    pub terminology: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Styles {
    #[serde(rename = "@line")]
    pub line: usize,
    pub elements: Vec<Style>,
    pub relationships: Vec<Style>,
}

/// An element or relationship style: its tag and each property set, by
/// its Structurizr name, in a fixed order.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Style {
    #[serde(rename = "@line")]
    pub line: usize,
    pub tag: Text,
    pub shape: Text,
    pub background: Text,
    pub color: Text,
    pub colour: Text,
    pub stroke: Text,
    pub stroke_width: Text,
    pub thickness: Text,
    pub border: Text,
    pub style: Text,
    pub dashed: Text,
    pub opacity: Text,
    pub width: Text,
    pub height: Text,
    pub font_size: Text,
    pub icon: Text,
    pub metadata: Text,
    pub description: Text,
    pub routing: Text,
    pub position: Text,
}

impl Style {
    /// The properties set, as (DSL keyword, value).
    pub fn set(&self) -> Vec<(&'static str, &str)> {
        [
            ("shape", &self.shape),
            ("background", &self.background),
            ("color", &self.color),
            ("colour", &self.colour),
            ("stroke", &self.stroke),
            ("strokeWidth", &self.stroke_width),
            ("thickness", &self.thickness),
            ("border", &self.border),
            ("style", &self.style),
            ("dashed", &self.dashed),
            ("opacity", &self.opacity),
            ("width", &self.width),
            ("height", &self.height),
            ("fontSize", &self.font_size),
            ("icon", &self.icon),
            ("metadata", &self.metadata),
            ("description", &self.description),
            ("routing", &self.routing),
            ("position", &self.position),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect()
    }
}
