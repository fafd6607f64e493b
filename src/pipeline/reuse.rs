//! What one compilation leaves for the next in the same process.
//!
//! In: the files a run parsed and the flowcharts it wrote. Out: for the
//! next run (the language server after an edit, `serve` after a save), the
//! trees of the files whose text did not change ([`ParseCache`]) and the
//! text of every flowchart whose graph did not change ([`Drawn`]), so a
//! one-line edit parses one file and writes the diagrams it changed.
//! Nothing is kept on disk: a cache in the repository could be written by
//! the pull request it is meant to check.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Mutex;

use crate::emit::mermaid::flowchart::{FlowGraph, render_graph};
use crate::load::ParseCache;

/// Everything kept between runs; start from `Reuse::default()`.
#[derive(Debug, Default)]
pub struct Reuse {
    pub(super) parse: ParseCache,
    pub(super) drawn: Drawn,
}

impl Reuse {
    /// How many parsed files and written flowcharts it holds.
    pub fn len(&self) -> (usize, usize) {
        (self.parse.len(), self.drawn.texts.len())
    }
}

/// Flowchart texts by a keyed hash of their graph. The key is drawn at
/// random once per cache, so a model cannot be crafted to give another
/// graph's key (64-bit SipHash: a wrong reuse is a 2^-64 chance per
/// diagram, as for `diff`'s fingerprints).
#[derive(Debug, Default)]
pub struct Drawn {
    key: RandomState,
    /// The last run's texts.
    texts: HashMap<u64, String>,
    /// This run's, filled on all cores as views are drawn.
    next: Mutex<HashMap<u64, String>>,
}

impl Drawn {
    /// The text of `g`: the last run's if it drew the same graph, else
    /// written now. Either way kept for the next run.
    pub(super) fn text(&self, g: &FlowGraph) -> String {
        let key = self.key.hash_one(g);
        let text = match self.texts.get(&key) {
            Some(text) => text.clone(),
            None => render_graph(g),
        };
        if let Ok(mut next) = self.next.lock() {
            next.insert(key, text.clone());
        }
        text
    }

    /// Ends a run: what it drew is what the next run can reuse (a run
    /// that stopped early leaves what it drew so far).
    pub(super) fn finish_run(&mut self) {
        let next = self.next.get_mut().map(std::mem::take).unwrap_or_default();
        self.texts = next;
    }
}
