//! Deployment: environments, deployment nodes (`instances` → `replicas`),
//! infrastructure nodes, container and software-system instances, and the
//! relationships between them.
//!
//! In: a `deploymentEnvironment` statement of the model. Out: a top-level
//! `deployment ENV "Name" { … }` block in the output's deployment part;
//! each item's identifier is registered (per environment) for relationships
//! and deployment views.

use super::model::{is_arrow, push_block, trim_empty};
use super::tree::Stmt;
use super::{Code, DEPLOY, Scope, Tx, q, split_tags};

impl Tx {
    /// `[id =] deploymentEnvironment "Name" { … }`.
    pub(super) fn environment(&mut self, s: &Stmt, _scope: &Scope) {
        let (sid, rest) = assigned(s);
        let name = rest.get(1).map(|w| self.text(w)).unwrap_or_default();
        let env = self.fresh("@env", &super::view_ident(&name));
        if let Some(sid) = &sid {
            self.deployed.insert(sid, (env.clone(), String::new()));
        }
        self.envs.insert(name.clone(), env.clone());
        self.dids.clear();
        let scope = Scope {
            path: String::new(),
            sid: String::new(),
            kind: DEPLOY,
        };
        let mut body = Vec::new();
        self.deploy_block(
            s.block.as_deref().unwrap_or_default(),
            &scope,
            &env,
            &mut body,
        );
        let mut out = std::mem::take(&mut self.deploy);
        // Always with a block: c4c requires one.
        out.push(format!("deployment {env} {} {{", q(&name)));
        out.extend(body);
        out.push("}".into());
        out.push(String::new());
        self.deploy = out;
        self.counts.deployment += 1;
    }

    fn deploy_block(&mut self, stmts: &[Stmt], scope: &Scope, env: &str, out: &mut Vec<String>) {
        for s in stmts {
            self.deploy_stmt(s, scope, env, out);
        }
    }

    fn deploy_stmt(&mut self, s: &Stmt, scope: &Scope, env: &str, out: &mut Vec<String>) {
        if s.comment.is_some() || s.words.is_empty() {
            return self.comment(s, out);
        }
        if s.words.iter().any(|w| !w.quoted && is_arrow(&w.text)) {
            return self.relationship(s, scope, out);
        }
        let (_, rest) = assigned(s);
        let typ = rest.first().map(|w| w.text.to_ascii_lowercase());
        let typ = if s.words.get(1).is_some_and(|w| w.text == "=") {
            s.words.get(2).map(|w| w.text.to_ascii_lowercase())
        } else {
            typ
        };
        match typ.as_deref().unwrap_or_default() {
            "deploymentnode" => self.item(s, scope, env, "node", out),
            "infrastructurenode" => self.item(s, scope, env, "infra", out),
            "containerinstance" | "softwaresysteminstance" => self.instance(s, scope, env, out),
            "group" => {
                let name = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                let mut body = Vec::new();
                self.deploy_block(
                    s.block.as_deref().unwrap_or_default(),
                    scope,
                    env,
                    &mut body,
                );
                self.keep(
                    Code::I002,
                    &Stmt {
                        block: None,
                        ..s.clone()
                    },
                    "a deployment group: its contents are translated without it",
                    out,
                );
                let _ = name;
                out.extend(body);
            }
            "description" | "technology" | "url" if !scope.path.is_empty() => {
                let v = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                out.push(format!("{} {}", s.keyword(), q(&v)));
            }
            "tags" | "tag" if !scope.path.is_empty() => {
                let tags: Vec<String> = s.words[1..]
                    .iter()
                    .flat_map(|w| split_tags(&self.text(w)))
                    .collect();
                self.element_tags.extend(tags.iter().cloned());
                if !tags.is_empty() {
                    out.push(format!(
                        "tags {}",
                        tags.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            "properties" if !scope.path.is_empty() => self.properties(s, out),
            "instances" if !scope.path.is_empty() => {
                let v = s.words.get(1).map(|w| self.text(w)).unwrap_or_default();
                self.replicas(s, &v, out);
            }
            "!identifiers" | "!const" | "!constant" | "!var" => self.directive(s, out),
            _ => self.keep(
                Code::I001,
                s,
                "no c4c equivalent in a deployment environment",
                out,
            ),
        }
    }

    /// `replicas N` from a Structurizr instance count (a number, or a range
    /// such as `1..N`, which keeps its lower bound).
    fn replicas(&mut self, s: &Stmt, v: &str, out: &mut Vec<String>) {
        match v.trim().parse::<u32>() {
            Ok(n) if (2..=10_000).contains(&n) => out.push(format!("replicas {n}")),
            Ok(1) => {}
            _ => self.issue(
                Code::I002,
                s,
                format!("instances {}: not a count from 1 to 10000; left out", q(v)),
            ),
        }
    }

    /// `[id =] deploymentNode|infrastructureNode "Name" ["desc" ["tech" ["tags" [instances]]]] { … }`.
    fn item(&mut self, s: &Stmt, scope: &Scope, env: &str, kind: &str, out: &mut Vec<String>) {
        let (sid, rest) = assigned(s);
        let args: Vec<String> = rest.iter().skip(1).map(|w| self.text(w)).collect();
        let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
        let id = self.fresh(
            &format!("@{env}.{}", scope.path),
            sid.as_deref().unwrap_or(&arg(0)),
        );
        let path = join(&scope.path, &id);
        let key = self.register(sid.as_deref(), scope, env, &path);
        self.counts.deployment += 1;
        let tags = split_tags(&arg(3));
        self.element_tags.extend(tags.iter().cloned());
        let mut head = format!("{id} = {kind}");
        for st in trim_empty(vec![arg(0), arg(1), arg(2)]) {
            head.push(' ');
            head.push_str(&q(&st));
        }
        let mut body = Vec::new();
        if !tags.is_empty() {
            body.push(format!(
                "tags {}",
                tags.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
            ));
        }
        if kind == "node" && args.len() > 4 {
            self.replicas(s, &arg(4), &mut body);
        }
        let inner = Scope {
            path,
            sid: key,
            kind: DEPLOY,
        };
        self.deploy_block(
            s.block.as_deref().unwrap_or_default(),
            &inner,
            env,
            &mut body,
        );
        push_block(out, head, body);
    }

    /// `[id =] containerInstance|softwareSystemInstance ELEMENT [groups] [tags] { … }`.
    fn instance(&mut self, s: &Stmt, scope: &Scope, env: &str, out: &mut Vec<String>) {
        let (sid, rest) = assigned(s);
        let r = rest.get(1).map(|w| self.text(w)).unwrap_or_default();
        let model_scope = Scope::default();
        let Some(element) = self.resolve(&model_scope, &r) else {
            return self.keep(Code::I003, s, "names no element of the workspace", out);
        };
        let want = sid
            .clone()
            .unwrap_or_else(|| element.rsplit('.').next().unwrap_or("instance").to_string());
        let id = self.fresh(&format!("@{env}.{}", scope.path), &want);
        let path = join(&scope.path, &id);
        let key = self.register(sid.as_deref(), scope, env, &path);
        self.counts.deployment += 1;
        if rest.get(2).is_some_and(|g| !g.text.is_empty()) {
            self.issue(
                Code::I002,
                s,
                "deployment groups: c4c connects every instance of an environment".into(),
            );
        }
        let tags = rest
            .get(3)
            .map(|w| split_tags(&self.text(w)))
            .unwrap_or_default();
        self.element_tags.extend(tags.iter().cloned());
        let mut body = Vec::new();
        if !tags.is_empty() {
            body.push(format!(
                "tags {}",
                tags.iter().map(|t| q(t)).collect::<Vec<_>>().join(", ")
            ));
        }
        let inner = Scope {
            path,
            sid: key,
            kind: DEPLOY,
        };
        self.deploy_block(
            s.block.as_deref().unwrap_or_default(),
            &inner,
            env,
            &mut body,
        );
        push_block(out, format!("{id} = instance {element}"), body);
    }

    /// Records a deployment identifier; returns its hierarchical key.
    fn register(&mut self, sid: Option<&str>, scope: &Scope, env: &str, path: &str) -> String {
        let Some(sid) = sid else { return String::new() };
        let key = if self.hierarchical && !scope.sid.is_empty() {
            format!("{}.{sid}", scope.sid)
        } else {
            sid.to_string()
        };
        self.dids.insert(&key, path.to_string());
        self.deployed
            .insert(&key, (env.to_string(), path.to_string()));
        if self.hierarchical {
            key
        } else {
            String::new()
        }
    }
}

/// The identifier of `id = …` (if any) and the words after the `=`.
fn assigned(s: &Stmt) -> (Option<String>, &[super::tree::Word]) {
    if s.words.get(1).is_some_and(|w| w.text == "=") {
        (Some(s.words[0].text.clone()), &s.words[2..])
    } else {
        (None, &s.words[..])
    }
}

fn join(parent: &str, id: &str) -> String {
    if parent.is_empty() {
        id.to_string()
    } else {
        format!("{parent}.{id}")
    }
}
