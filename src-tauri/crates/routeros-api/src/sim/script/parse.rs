//! RouterOS script source → statements. Whatever the interpreter cannot run is rejected
//! here, before anything runs, as RouterOS rejects a script with a syntax error.

use super::ScriptError;
use crate::sim::schema::{SINGLETONS, TABLES};

/// `:commands` the interpreter runs.
const BUILTINS: [&str; 13] = [
    "if", "local", "global", "set", "log", "put", "len", "foreach", "pick", "find", "tonum",
    "tostr", "typeof",
];
/// Menu verbs the interpreter runs.
const VERBS: [&str; 8] = [
    "add", "set", "remove", "get", "find", "print", "enable", "disable",
];
/// Verbs of menus without items.
const SINGLETON_VERBS: [&str; 3] = ["get", "set", "print"];
/// Nesting deeper than this is refused (it would only come from a broken script).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Stmt {
    Block(Vec<Stmt>),
    /// `:if`, `:local`, …, by name without the colon.
    Builtin {
        name: String,
        args: Vec<Arg>,
    },
    /// A menu command. `path: None` means the current menu; `verb: None` changes the current
    /// menu (`/ip hotspot user` on a line of its own).
    Menu {
        path: Option<String>,
        verb: Option<String>,
        args: Vec<Arg>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Named(String, Expr),
    Pos(Expr),
    /// `where <expression>` (the rest of the command).
    Where(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Concat,
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// An unquoted command argument (a string).
    Word(String),
    Str(Vec<Part>),
    Var(String),
    /// `[ … ]`: the value of the last command.
    Sub(Vec<Stmt>),
    /// `{ … }` (only as `do=` / `else=`).
    Block(Vec<Stmt>),
    Num(i64),
    Bool(bool),
    Time(std::time::Duration),
    Id(u32),
    /// A bare name inside an expression: a property of the item in `find where`.
    Ident(String),
    Not(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
}

/// A piece of a double-quoted string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Lit(String),
    Var(String),
    Sub(Vec<Stmt>),
    Expr(Expr),
}

/// Where an expression ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// Inside `( … )`: newlines are spaces.
    Paren,
    /// `where …`: ends with the command.
    Command,
}

pub(crate) fn parse(source: &str) -> Result<Vec<Stmt>, ScriptError> {
    let mut p = Parser {
        chars: source.chars().collect(),
        pos: 0,
        depth: 0,
    };
    p.stmts(None)
}

pub(super) struct Parser {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
    pub(super) depth: usize,
}

fn is_menu(path: &str) -> bool {
    TABLES.iter().any(|t| t.path == path) || SINGLETONS.contains(&path)
}

fn is_menu_or_prefix(path: &str) -> bool {
    let prefix = format!("{path}/");
    TABLES
        .iter()
        .map(|t| t.path)
        .chain(SINGLETONS)
        .any(|m| m == path || m.starts_with(&prefix))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

pub(super) fn is_atom_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '-' | '*')
}

impl Parser {
    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(super) fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }

    pub(super) fn error(&self, message: impl Into<String>) -> ScriptError {
        let before = &self.chars[..self.pos.min(self.chars.len())];
        let line = before.iter().filter(|&&c| c == '\n').count() + 1;
        let col = before.iter().rev().take_while(|&&c| c != '\n').count() + 1;
        ScriptError::syntax(line, col, message.into())
    }

    pub(super) fn enter(&mut self) -> Result<(), ScriptError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        Ok(())
    }

    /// Skips blanks and `\` line continuations; with `lines`, also newlines and `;`.
    pub(super) fn skip_blanks(&mut self, lines: bool) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.peek_at(1) == Some('\n') => self.pos += 2,
                '\\' if self.peek_at(1) == Some('\r') && self.peek_at(2) == Some('\n') => {
                    self.pos += 3
                }
                '\n' | ';' if lines => self.pos += 1,
                _ => break,
            }
        }
    }

    pub(super) fn stmts(&mut self, close: Option<char>) -> Result<Vec<Stmt>, ScriptError> {
        self.enter()?;
        let mut out = Vec::new();
        loop {
            self.skip_blanks(true);
            match self.peek() {
                None => {
                    return match close {
                        Some(c) => Err(self.error(format!("missing closing {c}"))),
                        None => {
                            self.depth -= 1;
                            Ok(out)
                        }
                    }
                }
                Some(c) if Some(c) == close => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(out);
                }
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                Some(c @ (')' | ']' | '}')) => return Err(self.error(format!("unexpected {c}"))),
                Some(_) => {
                    out.push(self.stmt(close)?);
                    self.skip_blanks(false);
                    match self.peek() {
                        None | Some('\n' | ';') => {}
                        Some(c) if Some(c) == close => {}
                        Some(c) => {
                            return Err(self.error(format!("expected end of command, found {c:?}")))
                        }
                    }
                }
            }
        }
    }

    fn at_command_end(&self, close: Option<char>) -> bool {
        match self.peek() {
            None | Some('\n' | ';') => true,
            Some(c) => Some(c) == close,
        }
    }

    fn stmt(&mut self, close: Option<char>) -> Result<Stmt, ScriptError> {
        let start = self.pos;
        if self.peek() == Some('{') {
            self.pos += 1;
            return Ok(Stmt::Block(self.stmts(Some('}'))?));
        }
        let mut items = Vec::new();
        loop {
            self.skip_blanks(false);
            if self.at_command_end(close) {
                break;
            }
            let item = self.item(close)?;
            let done = matches!(item, Arg::Where(_));
            items.push(item);
            if done {
                break;
            }
        }
        let end = self.pos;
        self.pos = start;
        let stmt = self.command(items);
        let stmt = stmt?;
        self.pos = end;
        Ok(stmt)
    }

    fn item(&mut self, close: Option<char>) -> Result<Arg, ScriptError> {
        match self.peek() {
            Some('"' | '[' | '(' | '{' | '$') => Ok(Arg::Pos(self.value(close)?)),
            Some(c @ (')' | ']' | '}')) => Err(self.error(format!("unexpected {c}"))),
            _ => {
                let word = self.word(true);
                if self.peek() == Some('=') && is_key(&word) {
                    self.pos += 1;
                    return Ok(Arg::Named(word, self.value(close)?));
                }
                if word == "where" {
                    return Ok(Arg::Where(self.expr(Stop::Command)?));
                }
                self.after_value()?;
                Ok(Arg::Pos(Expr::Word(word)))
            }
        }
    }

    /// An unquoted word; with `key`, it stops at `=`.
    fn word(&mut self, key: bool) -> String {
        let mut w = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace()
                || matches!(c, ';' | '"' | '[' | ']' | '{' | '}' | '(' | ')' | '$')
                || (key && c == '=')
            {
                break;
            }
            w.push(c);
            self.pos += 1;
        }
        w
    }

    /// After a value only a blank or the end of the command may follow.
    fn after_value(&self) -> Result<(), ScriptError> {
        match self.peek() {
            None | Some(' ' | '\t' | '\r' | '\n' | ';' | ')' | ']' | '}' | '\\') => Ok(()),
            Some(c) => Err(self.error(format!(
                "unexpected {c:?} after a value (quote the whole value)"
            ))),
        }
    }

    fn value(&mut self, close: Option<char>) -> Result<Expr, ScriptError> {
        let v = match self.peek() {
            Some('"') => Expr::Str(self.string()?),
            Some('[') => {
                self.pos += 1;
                Expr::Sub(self.stmts(Some(']'))?)
            }
            Some('(') => self.paren()?,
            Some('{') => {
                self.pos += 1;
                Expr::Block(self.stmts(Some('}'))?)
            }
            Some('$') => self.var()?,
            None | Some(' ' | '\t' | '\r' | '\n' | ';' | ')' | ']' | '}') => {
                Expr::Word(String::new())
            }
            Some(c) if Some(c) == close => Expr::Word(String::new()),
            Some(_) => Expr::Word(self.word(false)),
        };
        self.after_value()?;
        Ok(v)
    }

    pub(super) fn paren(&mut self) -> Result<Expr, ScriptError> {
        self.pos += 1;
        self.enter()?;
        let e = self.expr(Stop::Paren)?;
        self.skip_blanks(true);
        if self.bump() != Some(')') {
            self.pos -= 1;
            return Err(self.error("expected )"));
        }
        self.depth -= 1;
        Ok(e)
    }

    pub(super) fn var(&mut self) -> Result<Expr, ScriptError> {
        self.pos += 1;
        if self.peek() == Some('"') {
            self.pos += 1;
            let mut name = String::new();
            loop {
                match self.bump() {
                    Some('"') => break,
                    Some(c) if c != '\\' && c != '$' => name.push(c),
                    _ => return Err(self.error("bad quoted variable name")),
                }
            }
            return Ok(Expr::Var(name));
        }
        let name = self.name();
        if name.is_empty() {
            return Err(self.error("expected a variable name after $"));
        }
        Ok(Expr::Var(name))
    }

    fn name(&mut self) -> String {
        let mut n = String::new();
        while let Some(c) = self.peek().filter(|&c| is_name_char(c)) {
            n.push(c);
            self.pos += 1;
        }
        n
    }

    pub(super) fn string(&mut self) -> Result<Vec<Part>, ScriptError> {
        self.pos += 1;
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(self.error("unterminated string"));
            };
            match c {
                '"' => break,
                '\\' => match self.bump() {
                    Some('"') => lit.push('"'),
                    Some('\\') => lit.push('\\'),
                    Some('$') => lit.push('$'),
                    Some('?') => lit.push('?'),
                    Some('n') => lit.push('\n'),
                    Some('r') => lit.push('\r'),
                    Some('t') => lit.push('\t'),
                    Some('_') => lit.push(' '),
                    Some('\n') => {}
                    Some(h) if h.is_ascii_hexdigit() => {
                        let l = self.bump().filter(char::is_ascii_hexdigit);
                        let Some(l) = l else {
                            return Err(self.error("bad \\XX escape"));
                        };
                        let byte = u8::from_str_radix(&format!("{h}{l}"), 16).unwrap_or(b'?');
                        lit.push(char::from(byte));
                    }
                    other => {
                        self.pos -= 1;
                        return Err(
                            self.error(format!("unsupported escape \\{}", other.unwrap_or(' ')))
                        );
                    }
                },
                '$' => {
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit)));
                    }
                    match self.peek() {
                        Some('[') => {
                            self.pos += 1;
                            parts.push(Part::Sub(self.stmts(Some(']'))?));
                        }
                        Some('(') => parts.push(Part::Expr(self.paren()?)),
                        Some(c) if is_name_char(c) => parts.push(Part::Var(self.name())),
                        _ => {
                            return Err(self
                                .error("unsupported $ in a string (write \\$ for a dollar sign)"))
                        }
                    }
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() || parts.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(parts)
    }

    /// Turns the items of a command into a statement, checking its name.
    fn command(&self, items: Vec<Arg>) -> Result<Stmt, ScriptError> {
        let mut it = items.into_iter();
        let Some(Arg::Pos(Expr::Word(head))) = it.next() else {
            return Err(self.error("expected a command"));
        };
        let rest: Vec<Arg> = it.collect();
        if let Some(name) = head.strip_prefix(':') {
            if !BUILTINS.contains(&name) {
                return Err(self.error(format!("unsupported command :{name}")));
            }
            return Ok(Stmt::Builtin {
                name: name.to_owned(),
                args: rest,
            });
        }
        if !head.starts_with('/') {
            if head.contains('/') || !VERBS.contains(&head.as_str()) {
                return Err(self.error(format!("unsupported command {head}")));
            }
            return Ok(Stmt::Menu {
                path: None,
                verb: Some(head),
                args: rest,
            });
        }
        self.menu_command(&head, rest)
    }

    fn menu_command(&self, head: &str, rest: Vec<Arg>) -> Result<Stmt, ScriptError> {
        // Path words come from the first word (`/system/scheduler`) and the plain words after
        // it (`/ip hotspot user`); the longest known menu wins, the next word is the verb.
        let first: Vec<String> = head
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let n_first = first.len();
        let later = rest
            .iter()
            .take_while(|a| matches!(a, Arg::Pos(Expr::Word(w)) if !w.contains('/')))
            .map(|a| match a {
                Arg::Pos(Expr::Word(w)) => w.clone(),
                _ => String::new(),
            });
        let words: Vec<String> = first.into_iter().chain(later).collect();
        let mut path = String::new();
        let mut used = 0;
        for w in &words {
            let candidate = format!("{path}/{w}");
            if !is_menu_or_prefix(&candidate) {
                break;
            }
            path = candidate;
            used += 1;
        }
        if path.is_empty() {
            return Err(self.error(format!("no such command prefix {head}")));
        }
        let verb = words.get(used).cloned();
        let consumed = used + usize::from(verb.is_some());
        if consumed < n_first {
            return Err(self.error(format!("no such command {head}")));
        }
        let args: Vec<Arg> = rest.into_iter().skip(consumed - n_first).collect();
        let Some(verb) = verb else {
            if !args.is_empty() {
                return Err(self.error(format!("no such command prefix {path}")));
            }
            return Ok(Stmt::Menu {
                path: Some(path),
                verb: None,
                args,
            });
        };
        if !is_menu(&path) {
            return Err(self.error(format!("no such command prefix {path}/{verb}")));
        }
        let allowed: &[&str] = if SINGLETONS.contains(&path.as_str()) {
            &SINGLETON_VERBS
        } else {
            &VERBS
        };
        if !allowed.contains(&verb.as_str()) {
            return Err(self.error(format!("unsupported command {path} {verb}")));
        }
        Ok(Stmt::Menu {
            path: Some(path),
            verb: Some(verb),
            args,
        })
    }
}

fn is_key(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
