//! Running parsed statements against the simulated router.

use std::collections::HashMap;

use super::parse::{Arg, Expr, Op, Part, Stmt};
use super::value::Value;
use super::ScriptError;
use crate::parse::parse_duration;
use crate::sim::accounting;
use crate::sim::schema::{Schema, Ty, SINGLETONS};
use crate::sim::state::{Item, Router, SimTrap};
use crate::sim::system;

/// The item a `find where` expression is evaluated against.
type ItemCtx<'i> = Option<(&'static Schema, &'i Item)>;

pub(crate) struct Interp<'r> {
    router: &'r mut Router,
    scopes: Vec<HashMap<String, Value>>,
}

fn trap(t: SimTrap) -> ScriptError {
    ScriptError::runtime(t.message)
}

/// A property as a typed script value (`Nil` if the item has no value for it).
fn prop_value(schema: &Schema, item: &Item, key: &str) -> Result<Value, ScriptError> {
    if key == ".id" {
        return Ok(Value::Id(item.id));
    }
    let prop = schema
        .prop(key)
        .ok_or_else(|| ScriptError::runtime(format!("unknown property {key}")))?;
    let Some(text) = item.text(key) else {
        return Ok(Value::Nil);
    };
    Ok(match prop.ty {
        Ty::Int => text.parse().map(Value::Num).unwrap_or(Value::Str(text)),
        Ty::Time | Ty::TimeOrNone => parse_duration(&text)
            .map(Value::Time)
            .unwrap_or(Value::Str(text)),
        Ty::Bool => Value::Bool(text == "true"),
        _ => Value::Str(text),
    })
}

impl<'r> Interp<'r> {
    pub fn new(router: &'r mut Router, vars: &[(&str, Value)]) -> Self {
        let top = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        Interp {
            router,
            scopes: vec![top],
        }
    }

    fn block(&mut self, stmts: &[Stmt], dir: &str) -> Result<Value, ScriptError> {
        self.scopes.push(HashMap::new());
        let r = self.stmts(stmts, dir);
        self.scopes.pop();
        r
    }

    /// Runs statements in menu `dir`; the value is that of the last one.
    pub fn stmts(&mut self, stmts: &[Stmt], dir: &str) -> Result<Value, ScriptError> {
        let mut dir = dir.to_owned();
        let mut last = Value::Nil;
        for stmt in stmts {
            last = match stmt {
                Stmt::Block(b) => self.block(b, &dir)?,
                Stmt::Builtin { name, args } => self.builtin(name, args, &dir)?,
                Stmt::Menu {
                    path, verb: None, ..
                } => {
                    dir = path.clone().unwrap_or_default();
                    Value::Nil
                }
                Stmt::Menu {
                    path,
                    verb: Some(verb),
                    args,
                } => {
                    let menu = path.clone().unwrap_or_else(|| dir.clone());
                    if menu.is_empty() {
                        return Err(ScriptError::runtime(format!("no such command {verb}")));
                    }
                    self.menu(&menu, verb, args)?
                }
            };
        }
        Ok(last)
    }

    fn lookup(&self, name: &str) -> Result<Value, ScriptError> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name))
            .or_else(|| self.router.globals.get(name))
            .cloned()
            .ok_or_else(|| ScriptError::runtime(format!("undefined variable ${name}")))
    }

    fn eval(&mut self, e: &Expr, dir: &str, item: ItemCtx<'_>) -> Result<Value, ScriptError> {
        Ok(match e {
            Expr::Word(w) => Value::Str(w.clone()),
            Expr::Str(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        Part::Lit(l) => s.push_str(l),
                        Part::Var(v) => s.push_str(&self.lookup(v)?.text(";")),
                        Part::Sub(stmts) => s.push_str(&self.stmts(stmts, dir)?.text(";")),
                        Part::Expr(e) => s.push_str(&self.eval(e, dir, item)?.text(";")),
                    }
                }
                Value::Str(s)
            }
            Expr::Var(v) => self.lookup(v)?,
            Expr::Sub(stmts) => self.stmts(stmts, dir)?,
            Expr::Block(_) => return Err(ScriptError::runtime("unexpected { } block")),
            Expr::Num(n) => Value::Num(*n),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Time(t) => Value::Time(*t),
            Expr::Id(i) => Value::Id(*i),
            Expr::Ident(name) => match item {
                Some((schema, it)) if name == ".id" || schema.prop(name).is_some() => {
                    prop_value(schema, it, name)?
                }
                _ => return Err(ScriptError::runtime(format!("unknown name {name}"))),
            },
            Expr::Not(inner) => match self.eval(inner, dir, item)? {
                Value::Bool(b) => Value::Bool(!b),
                v => return Err(not_bool("!", &v)),
            },
            Expr::Bin(op, l, r) => self.binary(*op, l, r, dir, item)?,
        })
    }

    fn binary(
        &mut self,
        op: Op,
        l: &Expr,
        r: &Expr,
        dir: &str,
        item: ItemCtx<'_>,
    ) -> Result<Value, ScriptError> {
        let a = self.eval(l, dir, item)?;
        if matches!(op, Op::And | Op::Or) {
            let Value::Bool(x) = a else {
                return Err(not_bool("and/or", &a));
            };
            if (op == Op::And && !x) || (op == Op::Or && x) {
                return Ok(Value::Bool(x));
            }
            return match self.eval(r, dir, item)? {
                Value::Bool(y) => Ok(Value::Bool(y)),
                v => Err(not_bool("and/or", &v)),
            };
        }
        let b = self.eval(r, dir, item)?;
        Ok(match op {
            Op::Eq => Value::Bool(a.equals(&b)),
            Op::Ne => Value::Bool(!a.equals(&b)),
            Op::Lt => Value::Bool(a.compare(&b)?.is_lt()),
            Op::Gt => Value::Bool(a.compare(&b)?.is_gt()),
            Op::Le => Value::Bool(a.compare(&b)?.is_le()),
            Op::Ge => Value::Bool(a.compare(&b)?.is_ge()),
            Op::Concat => Value::Str(a.text(";") + &b.text(";")),
            Op::Add | Op::Sub | Op::Mul | Op::Div => arithmetic(op, &a, &b)?,
            Op::And | Op::Or => Value::Nil,
        })
    }

    fn builtin(&mut self, name: &str, args: &[Arg], dir: &str) -> Result<Value, ScriptError> {
        if name == "if" {
            return self.if_(args, dir);
        }
        if name == "foreach" {
            return self.foreach(args, dir);
        }
        let mut pos = Vec::new();
        for a in args {
            match a {
                Arg::Pos(e) => pos.push(e),
                _ => {
                    return Err(ScriptError::runtime(format!(
                        ":{name}: unexpected argument"
                    )))
                }
            }
        }
        let arity = |lo: usize, hi: usize| {
            if pos.len() < lo || pos.len() > hi {
                Err(ScriptError::runtime(format!(
                    ":{name}: wrong number of arguments"
                )))
            } else {
                Ok(())
            }
        };
        match name {
            "local" | "global" | "set" => {
                arity(if name == "set" { 2 } else { 1 }, 2)?;
                let var = match pos[0] {
                    Expr::Word(w) => w.clone(),
                    Expr::Str(parts) => match parts.as_slice() {
                        [Part::Lit(l)] => l.clone(),
                        _ => return Err(ScriptError::runtime(format!(":{name}: bad name"))),
                    },
                    _ => return Err(ScriptError::runtime(format!(":{name}: bad name"))),
                };
                let value = match pos.get(1) {
                    // `:local v 86400` holds a number, as on RouterOS (`:typeof` is num).
                    Some(Expr::Word(w))
                        if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        w.parse().map_or_else(|_| Value::Str(w.clone()), Value::Num)
                    }
                    Some(e) => self.eval(e, dir, None)?,
                    None => Value::Nil,
                };
                match name {
                    "local" => {
                        if let Some(scope) = self.scopes.last_mut() {
                            scope.insert(var, value);
                        }
                    }
                    "global" => {
                        if pos.len() == 2 || !self.router.globals.contains_key(&var) {
                            self.router.globals.insert(var, value);
                        }
                    }
                    _ => self.assign(var, value)?,
                }
                Ok(Value::Nil)
            }
            "log" => {
                arity(2, 2)?;
                let topic = match pos[0] {
                    Expr::Word(w)
                        if ["info", "warning", "error", "debug"].contains(&w.as_str()) =>
                    {
                        w.clone()
                    }
                    _ => return Err(ScriptError::runtime(":log: unknown topic")),
                };
                let message = self.eval(pos[1], dir, None)?.text(";");
                self.router.log(&format!("script,{topic}"), &message);
                Ok(Value::Nil)
            }
            "put" => {
                arity(1, 1)?;
                self.eval(pos[0], dir, None)?;
                Ok(Value::Nil)
            }
            "len" => {
                arity(1, 1)?;
                Ok(Value::Num(self.eval(pos[0], dir, None)?.len()))
            }
            "pick" => {
                arity(2, 3)?;
                let v = self.eval(pos[0], dir, None)?;
                let start = self.index(pos[1], dir)?;
                let end = match pos.get(2) {
                    Some(e) => Some(self.index(e, dir)?),
                    None => None,
                };
                Ok(pick(&v, start, end))
            }
            "find" => {
                arity(2, 3)?;
                let v = self.eval(pos[0], dir, None)?;
                let needle = self.eval(pos[1], dir, None)?;
                let from = match pos.get(2) {
                    Some(e) => self.index(e, dir)?,
                    None => -1,
                };
                Ok(find(&v, &needle, from))
            }
            "tonum" => {
                arity(1, 1)?;
                Ok(to_num(&self.eval(pos[0], dir, None)?))
            }
            "tostr" => {
                arity(1, 1)?;
                Ok(Value::Str(self.eval(pos[0], dir, None)?.text(";")))
            }
            "typeof" => {
                arity(1, 1)?;
                let v = self.eval(pos[0], dir, None)?;
                Ok(Value::Str(v.type_name().to_owned()))
            }
            _ => Err(ScriptError::runtime(format!("unsupported command :{name}"))),
        }
    }

    /// A position argument of `:pick` / `:find`.
    fn index(&mut self, e: &Expr, dir: &str) -> Result<i64, ScriptError> {
        match to_num(&self.eval(e, dir, None)?) {
            Value::Num(n) => Ok(n),
            v => Err(ScriptError::runtime(format!(
                "expected a number, got {}",
                v.type_name()
            ))),
        }
    }

    /// `:foreach i in=<array> do={ … }`: the block once per element, `$i` set to it.
    fn foreach(&mut self, args: &[Arg], dir: &str) -> Result<Value, ScriptError> {
        let (mut var, mut list, mut body) = (None, None, None);
        for a in args {
            match a {
                Arg::Pos(Expr::Word(w)) if var.is_none() => var = Some(w.clone()),
                Arg::Named(k, e) if k == "in" => list = Some(e),
                Arg::Named(k, Expr::Block(b)) if k == "do" => body = Some(b),
                _ => return Err(ScriptError::runtime(":foreach: unexpected argument")),
            }
        }
        let (Some(var), Some(list), Some(body)) = (var, list, body) else {
            return Err(ScriptError::runtime(
                ":foreach needs a name, in= and do={ }",
            ));
        };
        let items = match self.eval(list, dir, None)? {
            Value::Array(a) => a,
            Value::Nil => Vec::new(),
            v => vec![v],
        };
        for item in items {
            self.scopes.push(HashMap::from([(var.clone(), item)]));
            let r = self.stmts(body, dir);
            self.scopes.pop();
            r?;
        }
        Ok(Value::Nil)
    }

    fn assign(&mut self, var: String, value: Value) -> Result<(), ScriptError> {
        if let Some(scope) = self.scopes.iter_mut().rev().find(|s| s.contains_key(&var)) {
            scope.insert(var, value);
        } else if let Some(slot) = self.router.globals.get_mut(&var) {
            *slot = value;
        } else {
            return Err(ScriptError::runtime(format!("undefined variable ${var}")));
        }
        Ok(())
    }

    fn if_(&mut self, args: &[Arg], dir: &str) -> Result<Value, ScriptError> {
        let (mut cond, mut then, mut other) = (None, None, None);
        for a in args {
            match a {
                Arg::Pos(e) if cond.is_none() => cond = Some(e),
                Arg::Named(k, Expr::Block(b)) if k == "do" => then = Some(b),
                Arg::Named(k, Expr::Block(b)) if k == "else" => other = Some(b),
                _ => return Err(ScriptError::runtime(":if: unexpected argument")),
            }
        }
        let (Some(cond), Some(then)) = (cond, then) else {
            return Err(ScriptError::runtime(":if needs a condition and do={ }"));
        };
        match self.eval(cond, dir, None)? {
            Value::Bool(true) => self.block(then, dir),
            Value::Bool(false) => match other {
                Some(b) => self.block(b, dir),
                None => Ok(Value::Nil),
            },
            v => Err(not_bool(":if", &v)),
        }
    }

    fn menu(&mut self, menu: &str, verb: &str, args: &[Arg]) -> Result<Value, ScriptError> {
        if verb == "print" {
            return Ok(Value::Nil);
        }
        if SINGLETONS.contains(&menu) {
            return self.singleton(menu, verb, args);
        }
        let schema = self
            .router
            .table(menu)
            .map(|t| t.schema)
            .ok_or_else(|| ScriptError::runtime(format!("no such menu {menu}")))?;
        if verb == "find" {
            return self.find(schema, args);
        }
        let mut pos = Vec::new();
        let mut attrs = Vec::new();
        let mut numbers = None;
        for a in args {
            match a {
                Arg::Pos(e) => pos.push(self.eval(e, menu, None)?),
                Arg::Named(k, e) if k == "numbers" => numbers = Some(self.eval(e, menu, None)?),
                Arg::Named(k, e) => {
                    let v = self.eval(e, menu, None)?;
                    attrs.push((k.clone(), v.text(",").into_bytes()));
                }
                Arg::Where(_) => return Err(ScriptError::runtime("where is only for find")),
            }
        }
        match verb {
            "add" => {
                if !pos.is_empty() || numbers.is_some() {
                    return Err(ScriptError::runtime("add: unexpected argument"));
                }
                self.router.add(menu, &attrs).map(Value::Id).map_err(trap)
            }
            "set" | "remove" | "enable" | "disable" => {
                if pos.len() + usize::from(numbers.is_some()) != 1 {
                    return Err(ScriptError::runtime(format!("{verb}: which items?")));
                }
                let targets = self.targets(menu, numbers.iter().chain(&pos))?;
                match verb {
                    "set" => self.router.set_ids(menu, &targets, &attrs),
                    "remove" if attrs.is_empty() => {
                        accounting::remove_items(self.router, menu, &targets)
                    }
                    "enable" | "disable" if attrs.is_empty() => {
                        let v = if verb == "disable" { "yes" } else { "no" };
                        let attrs = [("disabled".to_owned(), v.as_bytes().to_vec())];
                        self.router.set_ids(menu, &targets, &attrs)
                    }
                    _ => return Err(ScriptError::runtime(format!("{verb}: unexpected argument"))),
                }
                .map_err(trap)?;
                Ok(Value::Nil)
            }
            "get" => {
                let mut value_name = attrs
                    .iter()
                    .find(|(k, _)| k == "value-name")
                    .map(|(_, v)| String::from_utf8_lossy(v).into_owned());
                if pos.len() == 2 && value_name.is_none() {
                    value_name = Some(pos[1].text(","));
                }
                let (Some(which), Some(key)) = (pos.first(), value_name) else {
                    return Err(ScriptError::runtime("get: which item and which value?"));
                };
                let targets = self.targets(menu, [which])?;
                let [id] = targets.as_slice() else {
                    return Err(ScriptError::runtime("get: no such item"));
                };
                let table = self
                    .router
                    .table(menu)
                    .ok_or_else(|| ScriptError::runtime(format!("no such menu {menu}")))?;
                let item = table
                    .position(*id)
                    .map(|p| &table.items[p])
                    .ok_or_else(|| ScriptError::runtime("no such item"))?;
                prop_value(schema, item, &key)
            }
            _ => Err(ScriptError::runtime(format!("no such command {verb}"))),
        }
    }

    /// Item ids from `[find …]` results, ids and names; nothing for an empty list.
    fn targets<'v>(
        &self,
        menu: &str,
        values: impl IntoIterator<Item = &'v Value>,
    ) -> Result<Vec<u32>, ScriptError> {
        let table = self
            .router
            .table(menu)
            .ok_or_else(|| ScriptError::runtime(format!("no such menu {menu}")))?;
        let no_item = || trap(self.router.no_such_item());
        let mut out = Vec::new();
        let mut stack: Vec<&Value> = values.into_iter().collect();
        stack.reverse();
        while let Some(v) = stack.pop() {
            match v {
                Value::Nil => {}
                Value::Array(a) => stack.extend(a.iter().rev()),
                Value::Id(n) => {
                    table.position(*n).ok_or_else(no_item)?;
                    out.push(*n);
                }
                Value::Str(s) => {
                    let pos = table.find(s.as_bytes()).ok_or_else(no_item)?;
                    out.push(table.items[pos].id);
                }
                Value::Num(_) => {
                    return Err(ScriptError::runtime(
                        "print numbers are not supported in scripts; use [find …]",
                    ))
                }
                other => {
                    return Err(ScriptError::runtime(format!(
                        "a {} does not name an item",
                        other.type_name()
                    )))
                }
            }
        }
        Ok(out)
    }

    fn find(&mut self, schema: &'static Schema, args: &[Arg]) -> Result<Value, ScriptError> {
        let menu = schema.path;
        let mut filters = Vec::new();
        let mut cond = None;
        for a in args {
            match a {
                Arg::Named(k, e) => {
                    if k != ".id" && schema.prop(k).is_none() {
                        return Err(ScriptError::runtime(format!("unknown property {k}")));
                    }
                    filters.push((k.as_str(), self.eval(e, menu, None)?));
                }
                Arg::Where(e) => cond = Some(e),
                Arg::Pos(_) => return Err(ScriptError::runtime("find: unexpected argument")),
            }
        }
        let items = self
            .router
            .table(menu)
            .map(|t| t.items.clone())
            .unwrap_or_default();
        let mut found = Vec::new();
        for item in &items {
            let mut keep = true;
            for (k, v) in &filters {
                keep = keep && prop_value(schema, item, k)?.equals(v);
            }
            if keep {
                if let Some(c) = cond {
                    keep = match self.eval(c, menu, Some((schema, item)))? {
                        Value::Bool(b) => b,
                        v => return Err(not_bool("where", &v)),
                    };
                }
            }
            if keep {
                found.push(Value::Id(item.id));
            }
        }
        Ok(Value::Array(found))
    }

    fn singleton(&mut self, menu: &str, verb: &str, args: &[Arg]) -> Result<Value, ScriptError> {
        let mut pos = Vec::new();
        let mut attrs = Vec::new();
        for a in args {
            match a {
                Arg::Pos(e) => pos.push(self.eval(e, menu, None)?),
                Arg::Named(k, e) => {
                    let v = self.eval(e, menu, None)?;
                    attrs.push((k.clone(), v.text(",").into_bytes()));
                }
                Arg::Where(_) => return Err(ScriptError::runtime("where is only for find")),
            }
        }
        match verb {
            "get" => {
                let key = match (pos.as_slice(), attrs.as_slice()) {
                    ([v], []) => v.text(","),
                    ([], [(k, v)]) if k == "value-name" => String::from_utf8_lossy(v).into_owned(),
                    _ => return Err(ScriptError::runtime("get: which value?")),
                };
                system::fields(self.router, menu)
                    .into_iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v)
                    .ok_or_else(|| ScriptError::runtime(format!("unknown property {key}")))
            }
            "set" if pos.is_empty() => system::set(self.router, menu, &attrs)
                .map(|()| Value::Nil)
                .map_err(trap),
            _ => Err(ScriptError::runtime(format!("{verb}: unexpected argument"))),
        }
    }
}

/// `+ - * /` on numbers (integer division, as RouterOS) and times.
fn arithmetic(op: Op, a: &Value, b: &Value) -> Result<Value, ScriptError> {
    let overflow = || ScriptError::runtime("number overflow");
    Ok(match (op, a, b) {
        (Op::Add, Value::Num(x), Value::Num(y)) => {
            Value::Num(x.checked_add(*y).ok_or_else(overflow)?)
        }
        (Op::Sub, Value::Num(x), Value::Num(y)) => {
            Value::Num(x.checked_sub(*y).ok_or_else(overflow)?)
        }
        (Op::Mul, Value::Num(x), Value::Num(y)) => {
            Value::Num(x.checked_mul(*y).ok_or_else(overflow)?)
        }
        (Op::Div, Value::Num(_), Value::Num(0)) => {
            return Err(ScriptError::runtime("division by zero"))
        }
        (Op::Div, Value::Num(x), Value::Num(y)) => {
            Value::Num(x.checked_div(*y).ok_or_else(overflow)?)
        }
        (Op::Add, Value::Time(x), Value::Time(y)) => Value::Time(*x + *y),
        (Op::Sub, Value::Time(x), Value::Time(y)) => Value::Time(x.saturating_sub(*y)),
        _ => {
            return Err(ScriptError::runtime(format!(
                "cannot do arithmetic on {} and {}",
                a.type_name(),
                b.type_name()
            )))
        }
    })
}

/// `:pick`: characters `[start, end)` of a string (one character without `end`), or
/// elements of an array (one element, not an array, without `end`).
fn pick(v: &Value, start: i64, end: Option<i64>) -> Value {
    let clamp = |n: i64, len: usize| usize::try_from(n.max(0)).unwrap_or(0).min(len);
    match v {
        Value::Array(a) => {
            let s = clamp(start, a.len());
            match end {
                None => a.get(s).cloned().unwrap_or(Value::Nil),
                Some(e) => Value::Array(a[s..clamp(e, a.len()).max(s)].to_vec()),
            }
        }
        Value::Nil => Value::Nil,
        other => {
            let chars: Vec<char> = other.text(";").chars().collect();
            let s = clamp(start, chars.len());
            let e = clamp(end.unwrap_or(start.saturating_add(1)), chars.len()).max(s);
            Value::Str(chars[s..e].iter().collect())
        }
    }
}

/// `:find`: the first position after `from` (-1: from the start) where `needle` is, or
/// nothing.
fn find(v: &Value, needle: &Value, from: i64) -> Value {
    let first = usize::try_from(from.saturating_add(1).max(0)).unwrap_or(0);
    let found = match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .skip(first)
            .find(|(_, x)| x.equals(needle))
            .map(|(i, _)| i),
        Value::Nil => None,
        other => {
            let hay: Vec<char> = other.text(";").chars().collect();
            let pat: Vec<char> = needle.text(";").chars().collect();
            (first..=hay.len().saturating_sub(pat.len()))
                .find(|&i| hay.get(i..i + pat.len()) == Some(&pat[..]))
        }
    };
    found
        .and_then(|i| i64::try_from(i).ok())
        .map_or(Value::Nil, Value::Num)
}

/// `:tonum`: a number from a number, a decimal string (leading zeros allowed, as in
/// `[:tonum "08"]`) or a time (whole seconds); nothing otherwise.
fn to_num(v: &Value) -> Value {
    match v {
        Value::Num(n) => Value::Num(*n),
        Value::Time(d) => i64::try_from(d.as_secs()).map_or(Value::Nil, Value::Num),
        Value::Bool(b) => Value::Num(i64::from(*b)),
        Value::Str(s) => s.trim().parse().map_or(Value::Nil, Value::Num),
        _ => Value::Nil,
    }
}

fn not_bool(what: &str, v: &Value) -> ScriptError {
    ScriptError::runtime(format!("{what} needs a bool, got {}", v.type_name()))
}
