//! Deployments and the views built on them: deployment environments, meshes,
//! CDNs, code diagrams, state machines and dynamic views.
//!
//! In: the workspace's `deployment`, `mesh`, `cdn`, `code`, `states` and
//! `dynamic` blocks, with every element already resolved.
//! Out: the model's deployments, meshes, CDNs, code, state machines and
//! dynamic views (each resolved by its own module in `model/`), and E020 for
//! a repeated mesh, CDN, state machine or dynamic view name.

use super::*;

impl<'a> Resolver<'_, 'a> {
    pub(super) fn deployments(&mut self, ws: &'a Workspace) {
        let defs: Vec<&ast::DeploymentDef> = ws
            .files
            .iter()
            .flat_map(|(_, f)| f.items.iter())
            .filter_map(|i| match i {
                ast::TopItem::Deployment(d) => Some(d),
                _ => None,
            })
            .collect();
        let mut found = Vec::new();
        let deployments = {
            let this = &*self;
            let lookup = |p: &PathRef| this.lookup(p, None);
            crate::model::deployment::resolve(&this.m, &defs, &lookup, &mut found)
        };
        self.diags.extend(found);
        self.m.deployments = deployments;
        for (_, f) in &ws.files {
            for item in &f.items {
                if let ast::TopItem::Mesh(def) = item
                    && let Some(mesh) =
                        crate::model::mesh::resolve(def, &self.m.deployments, self.diags)
                {
                    if self.m.meshes.iter().any(|m| m.name == mesh.name) {
                        self.diags.push(
                            Diagnostic::new(
                                Code::E020,
                                format!("mesh `{}` declared twice", mesh.name),
                            )
                            .label(def.name.span, "declared again here")
                            .hint("give each mesh its own name"),
                        );
                        continue;
                    }
                    self.m.meshes.push(mesh);
                }
                if let ast::TopItem::Cdn(def) = item
                    && let Some(cdn) =
                        crate::model::cdn::resolve(def, &self.m.deployments, self.diags)
                {
                    if self.m.cdns.iter().any(|c| c.name == cdn.name) {
                        self.diags.push(
                            Diagnostic::new(
                                Code::E020,
                                format!("cdn `{}` declared twice", cdn.name),
                            )
                            .label(def.name.span, "declared again here")
                            .hint("give each CDN its own name"),
                        );
                        continue;
                    }
                    self.m.cdns.push(cdn);
                }
            }
        }
        let mut found = Vec::new();
        let (code, machines, dynamics) = {
            let this = &*self;
            let lookup = |p: &PathRef| this.lookup(p, None);
            let mut code = Vec::new();
            let mut machines: Vec<crate::model::code::StateMachine> = Vec::new();
            let mut dynamics: Vec<crate::model::dynamic::Dynamic> = Vec::new();
            let mut w010_left = crate::model::dynamic::w010_budget(&this.m);
            for (_, f) in &ws.files {
                for item in &f.items {
                    match item {
                        ast::TopItem::Code(def) => code.extend(crate::model::code::resolve_code(
                            &this.m, def, &lookup, &mut found,
                        )),
                        ast::TopItem::States(def) => {
                            if machines.iter().any(|m| m.name == def.name.value) {
                                found.push(
                                    Diagnostic::new(
                                        Code::E020,
                                        format!(
                                            "state machine `{}` declared twice",
                                            def.name.value
                                        ),
                                    )
                                    .label(def.name.span, "declared again here")
                                    .hint("give each state machine its own name"),
                                );
                                continue;
                            }
                            machines.push(crate::model::code::resolve_states(
                                &this.m, def, &lookup, &mut found,
                            ));
                        }
                        ast::TopItem::Dynamic(def) => {
                            if dynamics.iter().any(|m| m.name == def.name.value) {
                                found.push(
                                    Diagnostic::new(
                                        Code::E020,
                                        format!("dynamic view `{}` declared twice", def.name.value),
                                    )
                                    .label(def.name.span, "declared again here")
                                    .hint("give each dynamic view its own name"),
                                );
                                continue;
                            }
                            dynamics.push(crate::model::dynamic::resolve(
                                &this.m,
                                def,
                                &lookup,
                                &mut found,
                                &mut w010_left,
                            ));
                        }
                        _ => {}
                    }
                }
            }
            (code, machines, dynamics)
        };
        self.diags.extend(found);
        self.m.code = code;
        self.m.state_machines = machines;
        self.m.dynamics = dynamics;
    }
}
