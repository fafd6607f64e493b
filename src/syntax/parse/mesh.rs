//! Mesh and CDN blocks: a `mesh_block` or `cdn_block` pair in, a
//! [`MeshDef`] or [`CdnDef`] of typed options out. Each known option has its
//! own grammar rule; an option the grammar does not know becomes an
//! `Unknown` node with its key, which the resolver reports (E060). Bodies
//! an option does not use are still read for malformed lines and bad escapes.

use pest::iterators::Pair;

use super::{Ctx, Rule};
use crate::source::Span;
use crate::syntax::ast::*;

/// The parts of a mesh or CDN block, its options read.
struct DerivedBlock<O> {
    name: Text,
    strings: Vec<Text>,
    target: PathRef,
    options: Vec<O>,
    span: Span,
}

/// What every option is written with: `[ID =] key "string"… [{ body }]`.
struct Parts<'i> {
    id: Option<Text>,
    key: Text,
    strings: std::vec::IntoIter<Text>,
    body: Option<Pair<'i, Rule>>,
    span: Span,
}

impl Parts<'_> {
    fn head(&mut self) -> OptHead {
        OptHead {
            id: self.id.take(),
            title: self.strings.next(),
            keyword: self.key.span,
            span: self.span,
        }
    }
}

impl Ctx<'_> {
    /// `mesh NAME ["Title"] in ENV[.NODE] { options }`
    pub(super) fn mesh_block(&mut self, pair: Pair<'_, Rule>) -> Option<MeshDef> {
        let b = self.derived_block(pair, Self::mesh_opt)?;
        Some(MeshDef {
            name: b.name,
            strings: b.strings,
            target: b.target,
            options: b.options,
            span: b.span,
        })
    }

    /// `cdn NAME ["Title"] in ENV { options }`
    pub(super) fn cdn_block(&mut self, pair: Pair<'_, Rule>) -> Option<CdnDef> {
        let b = self.derived_block(pair, Self::cdn_opt)?;
        Some(CdnDef {
            name: b.name,
            strings: b.strings,
            target: b.target,
            options: b.options,
            span: b.span,
        })
    }

    /// What a mesh and a CDN block share: `NAME ["Title"] in PATH { options }`,
    /// each option read by `option`.
    fn derived_block<O>(
        &mut self,
        pair: Pair<'_, Rule>,
        option: fn(&mut Self, Pair<'_, Rule>) -> Option<O>,
    ) -> Option<DerivedBlock<O>> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.text_of(&inner.next()?);
        let (mut strings, mut target, mut options) = (Vec::new(), None, Vec::new());
        for p in inner {
            match p.as_rule() {
                Rule::string => strings.push(self.string(p)),
                Rule::path => target = Some(self.path(&p)),
                Rule::bad_stmt => self.bad(&p, Rule::frag_opt),
                _ => options.extend(option(self, p)),
            }
        }
        Some(DerivedBlock {
            name,
            strings,
            target: target?,
            options,
            span,
        })
    }

    /// The parts of any option pair, its strings unescaped in order.
    fn parts<'i>(&mut self, pair: Pair<'i, Rule>) -> Option<Parts<'i>> {
        let span = self.span(&pair);
        let (mut id, mut key, mut strings, mut body) = (None, None, Vec::new(), None);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::opt_id => id = Some(self.text_of(&p)),
                Rule::string => strings.push(self.string(p)),
                // `flow push`: the word, read as the option's first value.
                Rule::flow_value => strings.push(self.text_of(&p)),
                Rule::opt_body
                | Rule::control_body
                | Rule::part_body
                | Rule::tier_body
                | Rule::notes_body
                | Rule::note_body => body = Some(p),
                // The key: `opt_key` or the option's keyword.
                _ => key = Some(self.text_of(&p)),
            }
        }
        Some(Parts {
            id,
            key: key?,
            strings: strings.into_iter(),
            body,
            span,
        })
    }

    /// Reads a body no option uses: its malformed lines are still reported,
    /// and its strings' escapes checked.
    fn skip_body(&mut self, body: Option<Pair<'_, Rule>>) {
        for p in body.into_iter().flat_map(|b| b.into_inner().flatten()) {
            match p.as_rule() {
                Rule::bad_stmt => self.bad(&p, Rule::frag_opt),
                Rule::string => {
                    self.string(p);
                }
                _ => {}
            }
        }
    }

    /// The items of a body, each read by `item` (malformed lines reported in order).
    fn body_items<T>(
        &mut self,
        body: Option<Pair<'_, Rule>>,
        mut item: impl FnMut(&mut Self, Pair<'_, Rule>) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for p in body.into_iter().flat_map(Pair::into_inner) {
            if p.as_rule() == Rule::bad_stmt {
                self.bad(&p, Rule::frag_opt);
            } else {
                out.extend(item(self, p));
            }
        }
        out
    }

    fn mesh_opt(&mut self, pair: Pair<'_, Rule>) -> Option<MeshOpt> {
        let rule = pair.as_rule();
        let mut p = self.parts(pair)?;
        let key = p.key.value.clone();
        let s = &mut p.strings;
        let opt = match (rule, key.as_str()) {
            (Rule::flow_opt, _) => MeshOpt::Flow(s.next(), p.key.span),
            (Rule::control_opt, _) => {
                let title = s.next();
                let parts = self.body_items(p.body.take(), Self::control_part);
                MeshOpt::Control { title, parts }
            }
            (Rule::mesh_opt, "sidecar") => MeshOpt::Sidecar {
                name: s.next(),
                description: s.next(),
            },
            (Rule::mesh_opt, "protocol") => MeshOpt::Protocol(s.next()),
            (Rule::mesh_opt, "mtls") => MeshOpt::Mtls,
            (Rule::mesh_opt, "ingress") => MeshOpt::Ingress {
                name: s.next(),
                description: s.next(),
            },
            (Rule::mesh_opt, "pod") => MeshOpt::Pod(s.next()),
            _ => MeshOpt::Unknown(p.key.clone()),
        };
        self.skip_body(p.body);
        Some(opt)
    }

    /// `ID ["Name" ["Description"]] [{ uses "label" }]`
    fn control_part(&mut self, pair: Pair<'_, Rule>) -> Option<ControlPartDef> {
        let mut p = self.parts(pair)?;
        let (name, description) = (p.strings.next(), p.strings.next());
        let options = self.body_items(p.body, |ctx, o| {
            let rule = o.as_rule();
            let mut o = ctx.parts(o)?;
            let opt = match rule {
                Rule::uses_opt => ControlOpt::Uses(o.strings.next()),
                Rule::flow_opt => ControlOpt::Flow(o.strings.next(), o.key.span),
                _ => ControlOpt::Unknown(o.key),
            };
            ctx.skip_body(o.body);
            Some(opt)
        });
        Some(ControlPartDef {
            id: p.key,
            name,
            description,
            options,
        })
    }

    fn cdn_opt(&mut self, pair: Pair<'_, Rule>) -> Option<CdnOpt> {
        let rule = pair.as_rule();
        let mut p = self.parts(pair)?;
        let (span, key) = (p.span, p.key.value.clone());
        let opt = match (rule, key.as_str()) {
            (Rule::tier_opt, _) => {
                let head = p.head();
                let props = self.body_items(p.body.take(), Self::tier_prop);
                CdnOpt::Tier(TierDef { head, props })
            }
            (Rule::region_opt, _) => {
                let head = p.head();
                let pops = self.body_items(p.body.take(), |ctx, o| {
                    let mut o = ctx.parts(o)?;
                    let location = o.strings.next();
                    ctx.skip_body(o.body);
                    Some((o.key, location))
                });
                CdnOpt::Region(RegionDef { head, pops })
            }
            (Rule::notes_opt, _) => {
                let head = p.head();
                let notes = self.body_items(p.body.take(), Self::notes_item);
                CdnOpt::Notes(NotesDef { head, notes })
            }
            (Rule::cdn_opt, "origin") => CdnOpt::Origin {
                path: p.strings.next(),
                span,
            },
            (Rule::cdn_opt, "entry") => CdnOpt::Entry {
                path: p.strings.next(),
                span,
            },
            (Rule::cdn_opt, "users") => CdnOpt::Users(p.strings.next()),
            (Rule::cdn_opt, "latency") => CdnOpt::Latency(p.strings.next()),
            _ => CdnOpt::Unknown(p.key.clone()),
        };
        self.skip_body(p.body);
        Some(opt)
    }

    /// `pop "Name"`, `technology "…"`, … in a tier.
    fn tier_prop(&mut self, pair: Pair<'_, Rule>) -> Option<TierProp> {
        let rule = pair.as_rule();
        let mut p = self.parts(pair)?;
        let field = match p.key.value.as_str() {
            "pop" => Some(TierField::Pop),
            "technology" => Some(TierField::Technology),
            "description" => Some(TierField::Description),
            "cache" => Some(TierField::Cache),
            "ttl" => Some(TierField::Ttl),
            "miss" => Some(TierField::Miss),
            _ => None,
        };
        let prop = match field.filter(|_| rule == Rule::tier_prop) {
            Some(f) => TierProp::Set(f, p.strings.next()),
            None => TierProp::Unknown(p.key.clone()),
        };
        self.skip_body(p.body);
        Some(prop)
    }

    /// `[ID =] note ["Name" ["Details"]] { from "REF" ["label"] … }` in `notes`.
    fn notes_item(&mut self, pair: Pair<'_, Rule>) -> Option<NotesItem> {
        let rule = pair.as_rule();
        let mut p = self.parts(pair)?;
        if rule != Rule::note_opt {
            self.skip_body(p.body);
            return Some(NotesItem::Unknown(p.key));
        }
        let head = p.head();
        let details = p.strings.next();
        let links = self.body_items(p.body, |ctx, o| {
            let rule = o.as_rule();
            let mut o = ctx.parts(o)?;
            let link = match rule {
                Rule::from_opt => NoteOpt::From {
                    reference: o.strings.next(),
                    label: o.strings.next(),
                    span: o.span,
                },
                _ => NoteOpt::Unknown(o.key),
            };
            ctx.skip_body(o.body);
            Some(link)
        });
        Some(NotesItem::Note(NoteDef {
            head,
            details,
            links,
        }))
    }
}
