//! Positions of values in a RON document, by field path.
//!
//! `ron` reports line:column for syntax and type errors, but semantic checks run on the
//! deserialised values, which carry no positions. This module re-reads the text with a
//! small tolerant RON scanner and records where each value starts, so a problem at
//! `map.cell_size_m` or `weather.wind[2].from_deg` can point at its line and column.
//! The scanner never fails: on text it does not understand it stops recording.

/// 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

#[derive(Debug)]
enum Node {
    /// `Name(field: v, ...)`, `(field: v, ...)`.
    Fields(Vec<(String, Pos, Node)>),
    /// `Name(v, ...)`, `(v, ...)`, `[v, ...]`.
    Items(Vec<(Pos, Node)>),
    /// A scalar or something not indexed further (maps).
    Leaf,
}

/// Value positions of one document.
#[derive(Debug)]
pub struct SpanIndex {
    root: Option<(Pos, Node)>,
}

impl SpanIndex {
    /// Scans `text`.
    pub fn new(text: &str) -> Self {
        let mut s = Scanner::new(text);
        s.skip_attributes();
        let root = s.value().map(|n| (Pos { line: 1, col: 1 }, n));
        Self { root }
    }

    /// Position of the value at `path` (`a.b[2].c`), or of its deepest ancestor found.
    pub fn locate(&self, path: &str) -> Option<Pos> {
        let (mut pos, mut node) = match &self.root {
            Some((p, n)) => (*p, n),
            None => return None,
        };
        for seg in parse_path(path) {
            // `Some(x)` and newtype variants `V(x)` are transparent.
            while let (Node::Items(items), Seg::Field(_)) = (node, &seg) {
                match items.as_slice() {
                    [(p, inner)] => {
                        pos = *p;
                        node = inner;
                    }
                    _ => break,
                }
            }
            let next = match (node, &seg) {
                (Node::Fields(fields), Seg::Field(name)) => fields
                    .iter()
                    .find(|(n, _, _)| n == name)
                    .map(|(_, p, n)| (*p, n)),
                (Node::Items(items), Seg::Index(i)) => items.get(*i).map(|(p, n)| (*p, n)),
                _ => None,
            };
            match next {
                Some((p, n)) => {
                    pos = p;
                    node = n;
                }
                None => break,
            }
        }
        Some(pos)
    }
}

enum Seg {
    Field(String),
    Index(usize),
}

fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                segs.push(Seg::Field(rest[..b].to_owned()));
            }
            rest = &rest[b..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                if let Ok(i) = stripped[..end].parse() {
                    segs.push(Seg::Index(i));
                }
                rest = &stripped[end + 1..];
            }
        } else {
            segs.push(Seg::Field(rest.to_owned()));
        }
    }
    segs
}

struct Scanner<'a> {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
    _text: &'a str,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().collect(),
            i: 0,
            line: 1,
            col: 1,
            _text: text,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    /// Skips white space and comments (line, and nested block comments).
    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                (Some('/'), Some('*')) => {
                    self.bump();
                    self.bump();
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.bump(), self.peek()) {
                            (None, _) => return,
                            (Some('*'), Some('/')) => {
                                self.bump();
                                depth -= 1;
                            }
                            (Some('/'), Some('*')) => {
                                self.bump();
                                depth += 1;
                            }
                            _ => {}
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn skip_attributes(&mut self) {
        loop {
            self.skip_trivia();
            if self.peek() == Some('#') && self.peek_at(1) == Some('!') {
                while let Some(c) = self.bump() {
                    if c == ']' {
                        break;
                    }
                }
            } else {
                return;
            }
        }
    }

    fn ident(&mut self) -> Option<String> {
        let mut s = String::new();
        if self.peek() == Some('r') && self.peek_at(1) == Some('#') {
            self.bump();
            self.bump();
        }
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' {
                s.push(c);
                self.bump();
            } else {
                break;
            }
        }
        (!s.is_empty()).then_some(s)
    }

    fn string(&mut self) {
        // Raw strings r"..." / r#"..."#.
        if self.peek() == Some('r') {
            self.bump();
            let mut hashes = 0;
            while self.peek() == Some('#') {
                self.bump();
                hashes += 1;
            }
            self.bump(); // opening quote
            'outer: while let Some(c) = self.bump() {
                if c == '"' {
                    for k in 0..hashes {
                        if self.peek_at(k) != Some('#') {
                            continue 'outer;
                        }
                    }
                    for _ in 0..hashes {
                        self.bump();
                    }
                    return;
                }
            }
            return;
        }
        let quote = self.bump();
        while let Some(c) = self.bump() {
            if c == '\\' {
                self.bump();
            } else if Some(c) == quote {
                return;
            }
        }
    }

    /// Parses one value; `None` when the text is not understood.
    fn value(&mut self) -> Option<Node> {
        self.skip_trivia();
        match self.peek()? {
            '"' | '\'' => {
                self.string();
                Some(Node::Leaf)
            }
            'r' if matches!(self.peek_at(1), Some('"' | '#')) => {
                self.string();
                Some(Node::Leaf)
            }
            '[' => {
                self.bump();
                self.items(']').map(Node::Items)
            }
            '{' => {
                self.bump();
                self.skip_map()?;
                Some(Node::Leaf)
            }
            '(' => {
                self.bump();
                self.paren_body()
            }
            c if c.is_alphabetic() || c == '_' => {
                self.ident()?;
                self.skip_trivia();
                if self.peek() == Some('(') {
                    self.bump();
                    self.paren_body()
                } else {
                    Some(Node::Leaf)
                }
            }
            _ => {
                // Number or other scalar: up to a delimiter.
                while let Some(c) = self.peek() {
                    if matches!(c, ',' | ')' | ']' | '}') || c.is_whitespace() {
                        break;
                    }
                    self.bump();
                }
                Some(Node::Leaf)
            }
        }
    }

    /// After `(`: either `name: value, ...` or `value, ...`, up to `)`.
    fn paren_body(&mut self) -> Option<Node> {
        self.skip_trivia();
        let save = (self.i, self.line, self.col);
        let is_fields = {
            let ok = self.ident().is_some();
            self.skip_trivia();
            let colon = self.peek() == Some(':') && self.peek_at(1) != Some(':');
            (self.i, self.line, self.col) = save;
            ok && colon
        };
        if !is_fields {
            return self.items(')').map(Node::Items);
        }
        let mut fields = Vec::new();
        loop {
            self.skip_trivia();
            if self.peek() == Some(')') {
                self.bump();
                return Some(Node::Fields(fields));
            }
            let name = self.ident()?;
            self.skip_trivia();
            if self.bump()? != ':' {
                return None;
            }
            self.skip_trivia();
            let pos = self.pos();
            let node = self.value()?;
            fields.push((name, pos, node));
            self.skip_trivia();
            match self.peek()? {
                ',' => {
                    self.bump();
                }
                ')' => {}
                _ => return None,
            }
        }
    }

    fn items(&mut self, close: char) -> Option<Vec<(Pos, Node)>> {
        let mut items = Vec::new();
        loop {
            self.skip_trivia();
            if self.peek()? == close {
                self.bump();
                return Some(items);
            }
            let pos = self.pos();
            let node = self.value()?;
            items.push((pos, node));
            self.skip_trivia();
            match self.peek()? {
                ',' => {
                    self.bump();
                }
                c if c == close => {}
                _ => return None,
            }
        }
    }

    fn skip_map(&mut self) -> Option<()> {
        loop {
            self.skip_trivia();
            if self.peek()? == '}' {
                self.bump();
                return Some(());
            }
            self.value()?;
            self.skip_trivia();
            if self.bump()? != ':' {
                return None;
            }
            self.value()?;
            self.skip_trivia();
            if self.peek()? == ',' {
                self.bump();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"#![enable(implicit_some)]
// comment with ( and "
Scenario(
    meta: (name: "测试 (test)", /* block /* nested */ */ language: "zh-CN"),
    map: (
        cell_size_m: -5.0,
        terrain: Valley((floor_elevation_m: 10, river: Some((width_m: 3)))),
    ),
    weather: (wind: [(t_s: 0, from_deg: 90), (t_s: 60, from_deg: 400)]),
    list: [[1, 2], [3, r#"x"y"#]],
)
"##;

    fn at(path: &str) -> (usize, usize) {
        let p = SpanIndex::new(DOC).locate(path).unwrap();
        (p.line, p.col)
    }

    #[test]
    fn locates_fields_items_and_nested_values() {
        assert_eq!(at("map.cell_size_m"), (6, 22));
        assert_eq!(at("meta.language"), (4, 66));
        assert_eq!(at("weather.wind[1].from_deg"), (9, 66));
        assert_eq!(at("list[1][1]"), (10, 24));
    }

    #[test]
    fn looks_through_newtypes_and_some() {
        assert_eq!(at("map.terrain.floor_elevation_m"), (7, 45));
        assert_eq!(at("map.terrain.river.width_m"), (7, 71));
    }

    #[test]
    fn missing_path_falls_back_to_deepest_ancestor() {
        assert_eq!(at("map.origin"), (5, 10));
        assert_eq!(at("weather.wind[7]"), (9, 21));
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "(",
            "Scenario(a: [1, (",
            "\"unterminated",
            "(a: b: c)",
            "/* x",
        ] {
            let _ = SpanIndex::new(text).locate("a.b[3]");
        }
    }
}
