//! Diagnostic codes: the closed set of problems c4c reports.
//!
//! In: nothing (a table). Out: [`Code`], an enum whose every variant has its
//! severity and one-line meaning. `docs/language.md` holds the same table; a
//! test checks the two are equal, row for row, in both directions.

use serde::Serialize;

use super::Severity;

macro_rules! codes {
    ($($code:ident $severity:ident $meaning:literal,)*) => {
        /// A stable diagnostic code (`E001`…, `W001`…).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in the order of the documentation's table.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as written in messages and JSON (`"E021"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// Whether a problem with this code stops the build.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$severity,)*
                }
            }

            /// The one-line meaning, as in the documentation's table.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$code => $meaning,)*
                }
            }
        }
    };
}

codes! {
    E001 Error "syntax error",
    E002 Error "invalid UTF-8 in a source file",
    E003 Error "file cannot be read",
    E004 Error "invalid string escape",
    E005 Error "nesting too deep",
    E006 Error "a file written in another tool's language (LikeC4, the Structurizr DSL), not in c4c's",
    E010 Error "import not found",
    E011 Error "import cycle",
    E012 Error "a path outside the root directory: an import, an `api` contract, a rule baseline, or a `.c4` symbolic link leading out (the link is named, never followed)",
    E013 Error "unknown stdlib module",
    E014 Error "too many files in one workspace (more than 1,000), or too long an import chain",
    E015 Error "an `api` contract whose YAML aliases copy too much, or that nests too deep",
    E020 Error "duplicate identifier",
    E021 Error "unknown element",
    E022 Error "ambiguous element name",
    E023 Error "element nested where its kind is not allowed",
    E024 Error "unknown element kind",
    E025 Error "relationship from an element to itself",
    E026 Error "relationship between an element and its own ancestor",
    E027 Error "invalid kind declaration",
    E028 Error "statement not allowed here",
    E029 Error "relationship source missing (`-> x` outside an element)",
    E030 Error "unknown style target",
    E031 Error "invalid style property or value",
    E032 Error "explicit identifier longer than 128 characters",
    E040 Error "duplicate view key",
    E041 Error "view subject of the wrong kind",
    E042 Error "invalid view key",
    E043 Error "view statement not allowed",
    E044 Error "`flowchart over \"KEY\"` names no view of the model, or a view that is not a landscape, context, container, component or custom view",
    E045 Error "`collapse` names no element or group of the model (in a deployment view: no node of the environment)",
    E050 Error "instance of an unknown element",
    E051 Error "instance of a person",
    E052 Error "replicas not a whole number from 1 to 10 000",
    E053 Error "`[n]` names a copy that does not exist (item not expanded, or out of range)",
    E054 Error "`expand` with more than 100 replicas",
    E055 Error "a deployment or mesh view with more than 20,000 edges (expanded items connected copy to copy; every proxy to every control-plane part)",
    E056 Error "a landscape, context, container, component or custom view with more than 50,000 edges",
    E057 Error "the rules and views of one model together past their budget: 16 times the size of the model's files in steps of work or bytes of Mermaid text (at least 16,000,000 steps and 8 MiB)",
    E058 Error "an element nested more than 32 deep (through blocks or `extend`)",
    E059 Error "a full identifier (`shop.api.orders`, or a deployment item's `env.node.item`) longer than 512 characters",
    E060 Error "unknown, missing or invalid option of a `mesh` or `cdn` (a `flow` other than `pull`, `push` or `both`)",
    E061 Error "unknown deployment environment, node, item or reference",
    E071 Error "a relation or note names an unknown class or state",
    E072 Error "a class has the same member twice",
    E073 Error "a transition out of a `final` state",
    E074 Error "a dynamic view's block written wrong: `else` after a block that is not `alt`, `and` after one that is not `par`, `option` after one that is not `critical`; or `autonumber`/`boxes` inside a block",
    E080 Error "a relationship a `deny` rule forbids",
    E081 Error "an element lacks what a `require` rule asks for",
    E082 Error "a dependency going up the layers of a `layer` rule",
    E083 Error "a rule baseline that cannot be used: not found (when named with `--baseline`), unreadable, over 16 MiB, not the baseline's JSON, or another version",
    E090 Error "an `api` contract file is missing or unreadable",
    E091 Error "an `api` contract is not an OpenAPI document",
    W001 Warning "element appears in no view",
    W002 Warning "relationship without a label",
    W003 Warning "view exceeds Mermaid's default limits (50 000 characters or 500 edges)",
    W004 Warning "duplicate relationship",
    W005 Warning "a view selector matches nothing: a tag no element has (`tag:x`); in a deployment view, any selector that matches no item, element or relationship of the environment",
    W006 Warning "a deployment relationship names a model element that has no instance in the environment",
    W007 Warning "two deployment items with the same name in one node",
    W008 Warning "an enum with no values",
    W009 Warning "a state that no transition reaches from the start",
    W010 Warning "a dynamic step between elements the model does not connect",
    W011 Warning "an import that looks like `std/…` but is not a stdlib import, or a stdlib import next to a local `std` folder",
    W012 Warning "a symbolic link in a directory walk that leads outside the root directory (or loops): not followed",
    W013 Warning "`hosts` in a deployment view where no node that holds something is drawn as a box: no `hosts` edge to draw",
    W014 Warning "`--dialect c4`: an edge to a deployment node drawn as a frame (a `Deployment_Node`), which the dialect cannot draw: left out",
    W015 Warning "a step of a flow drawn over a view that cannot draw it: its two ends drawn as one box (or one inside the other), or an end the view excludes",
    W016 Warning "`split frames` or `collapse` in a view that draws no such frame (no boundary or group to split or collapse, no node of a deployment view to collapse), or `split frames` with more than 100 frames",
    W017 Warning "a rule baseline entry that no violation matches any more (the violation was fixed, or its rule changed)",
}

impl Code {
    /// The code named by `text` (`"E021"`), if there is one.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Code {
    /// The documentation's table of codes, as markdown rows (header included).
    pub fn markdown_table() -> String {
        let mut out = String::from("| Code | Severity | Meaning |\n|---|---|---|\n");
        for code in Code::ALL {
            let severity = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!("| {code} | {severity} | {} |\n", code.meaning()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_names_its_severity_by_its_letter() {
        for code in Code::ALL {
            let letter = code.as_str().as_bytes()[0];
            let expected = if letter == b'E' {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(code.severity(), expected, "{code}");
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
    }
}
