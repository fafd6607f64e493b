//! Where each object of a JSON text starts.
//!
//! In: JSON text. Out: a [`serde_json::Value`] in which every object has
//! the key `@line`: the 1-based line of its `{`, or the parse error with
//! its line and column. The text is parsed once into a tree that keeps each
//! object's entries in order; the n-th object of a pre-order walk of that
//! tree is the n-th `{` outside strings in the text, found by one scan.
//! serde_json's recursion limit (128) bounds the depth. Linear time.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A JSON value with each object's entries in text order.
enum Node {
    Leaf(Value),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Leaf(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Leaf(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Leaf(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Leaf(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Leaf(Value::String(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Leaf(Value::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Leaf(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Leaf(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(n) = seq.next_element()? {
            out.push(n);
        }
        Ok(Node::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            out.push((k, v));
        }
        Ok(Node::Object(out))
    }
}

/// A parse error: line, column (1-based) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// `text` parsed, each object with its `@line`.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let node: Node = serde_json::from_str(text).map_err(|e| ParseError {
        line: e.line().max(1),
        column: e.column().max(1),
        message: e.to_string(),
    })?;
    let lines = object_lines(text);
    let mut next = 0;
    Ok(to_value(node, &lines, &mut next))
}

/// The line of each `{` outside strings, in text order.
fn object_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' => out.push(line),
                _ => {}
            }
        }
        if b == b'\n' {
            line += 1;
        }
    }
    out
}

/// The tree as a [`Value`], objects numbered in pre-order from `next`.
fn to_value(node: Node, lines: &[usize], next: &mut usize) -> Value {
    match node {
        Node::Leaf(v) => v,
        Node::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|n| to_value(n, lines, next))
                .collect(),
        ),
        Node::Object(entries) => {
            let line = lines.get(*next).copied().unwrap_or(1);
            *next += 1;
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                let v = to_value(v, lines, next);
                map.insert(k, v);
            }
            map.insert("@line".into(), Value::from(line));
            Value::Object(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_object_knows_its_line() {
        let v = parse("{\n \"a\": [ {\"s\": \"{\\\"{\"},\n {} ],\n \"b\": {\n}}").unwrap();
        assert_eq!(v["@line"], 1);
        assert_eq!(v["a"][0]["@line"], 2);
        assert_eq!(v["a"][1]["@line"], 3);
        assert_eq!(v["b"]["@line"], 4);
    }

    #[test]
    fn errors_have_a_line_and_column() {
        let e = parse("{\n \"a\": }").unwrap_err();
        assert_eq!((e.line, e.column), (2, 7));
        let deep = "[".repeat(200);
        assert!(parse(&deep).unwrap_err().message.contains("recursion"));
    }
}
