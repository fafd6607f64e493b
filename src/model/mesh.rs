//! Service meshes: which instances run with a sidecar, and the mesh's parts.
//!
//! In: `mesh NAME ["Title"] in ENV[.NODE] { … }` declarations and the
//! resolved deployments.
//! Out: [`Mesh`] records. Options: `sidecar "Name" ["Description"]`,
//! `protocol "mTLS"` (or the flag `mtls`), `ingress "Name" ["Description"]`,
//! `pod "{name} Pod"` (the pod title; `{name}` is the service's name),
//! `control ["Title"] { ID "Name" ["Description"] [{ uses "edge label" }] … }`.
//! Problems: E060 an unknown option, E061 an unknown environment or node.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{ControlOpt, MeshDef, MeshOpt, Text};

use super::deployment::{DeplKind, Deployment};

#[derive(Debug, Clone)]
pub struct ControlPart {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The label of the dashed edge between it and every proxy.
    pub uses: Option<String>,
    /// Which way it and the proxies talk (`None`: the mesh's `flow`).
    pub flow: Option<ControlFlow>,
}

/// Which way the proxies and a control-plane part talk: `flow pull` (the
/// default: proxies ⇢ control plane, fetching config and reporting
/// telemetry), `flow push` (control plane ⇢ proxies: it configures them)
/// or `flow both` (one two-way edge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ControlFlow {
    #[default]
    Pull,
    Push,
    Both,
}

impl ControlFlow {
    const WORDS: &[&str] = &["pull", "push", "both"];

    /// The flow a `flow` option names, or E060.
    fn read(word: &Option<Text>, span: Span) -> Result<ControlFlow, Diagnostic> {
        match word.as_ref().map(|w| w.value.as_str()) {
            Some("pull") => Ok(ControlFlow::Pull),
            Some("push") => Ok(ControlFlow::Push),
            Some("both") => Ok(ControlFlow::Both),
            Some(other) => {
                let w = word.as_ref().map_or(span, |w| w.span);
                let mut d = Diagnostic::new(Code::E060, format!("`{other}` is not a control-plane flow"))
                    .label(w, "not `pull`, `push` or `both`");
                d = match did_you_mean(other, Self::WORDS.iter().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("`flow pull`: proxies ⇢ control plane (the default); `flow push`: control plane ⇢ proxies; `flow both`: both ways"),
                };
                Err(d)
            }
            None => Err(Diagnostic::new(Code::E060, "`flow` needs a direction")
                .label(span, "which way?")
                .hint("`flow pull`: proxies ⇢ control plane (the default); `flow push`: control plane ⇢ proxies; `flow both`: both ways")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Mesh {
    pub name: String,
    pub title: String,
    pub env: super::EnvId,
    /// The node the mesh covers (`None`: the whole environment).
    pub node: Option<usize>,
    pub sidecar: String,
    pub sidecar_description: Option<String>,
    pub protocol: String,
    pub ingress: Option<(String, Option<String>)>,
    pub pod: String,
    pub control_title: String,
    pub control: Vec<ControlPart>,
    /// `flow`: how proxies and the control plane talk, unless a part says.
    pub flow: ControlFlow,
    pub span: Span,
}

const OPTIONS: &[&str] = &[
    "sidecar", "protocol", "mtls", "ingress", "pod", "control", "flow",
];

/// E060 for an option whose key is not one of `known`.
pub(crate) fn unknown(key: &Text, known: &[&str], what: &str) -> Diagnostic {
    let mut d = Diagnostic::new(Code::E060, format!("unknown {what} option `{}`", key.value))
        .label(key.span, "not an option here");
    d = match did_you_mean(&key.value, known.iter().copied()) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d.hint(format!("options: {}", known.join(", "))),
    };
    d
}

/// An option's string, when given and not blank.
pub(crate) fn value(text: &Option<Text>) -> Option<String> {
    text.as_ref()
        .map(|t| t.value.clone())
        .filter(|s| !s.trim().is_empty())
}

/// Resolves one mesh declaration against the deployments.
pub fn resolve(
    def: &MeshDef,
    deployments: &[Deployment],
    diags: &mut Vec<Diagnostic>,
) -> Option<Mesh> {
    let segs = &def.target.segments;
    let env_name = segs.first().map(String::as_str).unwrap_or("");
    let Some(env) = deployments.iter().position(|d| d.name == env_name) else {
        let names: Vec<&str> = deployments.iter().map(|d| d.name.as_str()).collect();
        let mut d = Diagnostic::new(
            Code::E061,
            format!("no deployment environment `{env_name}`"),
        )
        .label(def.target.span, "a mesh runs in a deployment environment");
        d = match did_you_mean(env_name, names.iter().copied()) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint("declare it with `deployment NAME { … }` and write `mesh … in NAME`"),
        };
        diags.push(d);
        return None;
    };
    let dep = &deployments[env];
    let mut node: Option<usize> = None;
    for seg in segs.iter().skip(1) {
        let list = match node {
            Some(n) => &dep.items[n].children,
            None => &dep.roots,
        };
        match list
            .iter()
            .copied()
            .find(|c| dep.items[*c].id == *seg && dep.items[*c].kind == DeplKind::Node)
        {
            Some(c) => node = Some(c),
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::E061,
                        format!(
                            "no node `{}` in deployment `{env_name}`",
                            def.target.dotted()
                        ),
                    )
                    .label(def.target.span, format!("`{seg}` is not a node here"))
                    .hint("write the node's path from the environment: `in production.cluster`"),
                );
                return None;
            }
        }
    }
    let mut mesh = Mesh {
        name: def.name.value.clone(),
        title: def
            .strings
            .first()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| def.name.value.clone()),
        env: super::EnvId::new(env),
        node,
        sidecar: "Sidecar Proxy".into(),
        sidecar_description: Some("Sidecar".into()),
        protocol: "mTLS".into(),
        ingress: None,
        pod: "{name} Pod".into(),
        control_title: "Control Plane".into(),
        control: Vec::new(),
        flow: ControlFlow::Pull,
        span: def.span,
    };
    for opt in &def.options {
        match opt {
            MeshOpt::Sidecar { name, description } => {
                if let Some(n) = value(name) {
                    mesh.sidecar = n;
                }
                mesh.sidecar_description = value(description).or(mesh.sidecar_description.take());
            }
            MeshOpt::Protocol(p) => mesh.protocol = value(p).unwrap_or_else(|| "mTLS".into()),
            MeshOpt::Mtls => mesh.protocol = "mTLS".into(),
            MeshOpt::Ingress { name, description } => {
                mesh.ingress = Some((
                    value(name).unwrap_or_else(|| "Ingress Gateway".into()),
                    value(description),
                ))
            }
            MeshOpt::Pod(p) => mesh.pod = value(p).unwrap_or_else(|| "{name} Pod".into()),
            MeshOpt::Control { title, parts } => {
                if let Some(t) = value(title) {
                    mesh.control_title = t;
                }
                for part in parts {
                    let mut p = ControlPart {
                        id: part.id.value.clone(),
                        name: value(&part.name).unwrap_or_else(|| part.id.value.clone()),
                        description: value(&part.description),
                        uses: None,
                        flow: None,
                    };
                    for opt in &part.options {
                        match opt {
                            ControlOpt::Uses(label) => p.uses = value(label),
                            ControlOpt::Flow(word, span) => match ControlFlow::read(word, *span) {
                                Ok(f) => p.flow = Some(f),
                                Err(d) => diags.push(d),
                            },
                            ControlOpt::Unknown(key) => diags.push(unknown(
                                key,
                                &["uses", "flow"],
                                "control plane component",
                            )),
                        }
                    }
                    mesh.control.push(p);
                }
            }
            MeshOpt::Flow(word, span) => match ControlFlow::read(word, *span) {
                Ok(f) => mesh.flow = f,
                Err(d) => diags.push(d),
            },
            MeshOpt::Unknown(key) => diags.push(unknown(key, OPTIONS, "mesh")),
        }
    }
    Some(mesh)
}
