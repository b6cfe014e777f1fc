//! The rules of `ARCHITECTURE.md`, checked against the code, so the map cannot quietly go stale:
//! no import circles between the files of `billing-app`, its areas call each other only in the
//! documented direction, the floor imports no area, and the schema crate holds no queries.
//!
//! Imports are read as text: every `crate::…` and `super::…` path outside comments, re-exports
//! and `#[cfg(test)]` modules, resolved to the file that defines the module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The areas, lowest first: a file may use an area listed before its own.
const AREAS: [&str; 9] = [
    "access",
    "network",
    "billing",
    "online",
    "messaging",
    "portal",
    "vouchers",
    "ops",
    "insight",
];

/// Calls against the order, each with its reason (`ARCHITECTURE.md`).
const UPWARD: [(&str, &str, &str); 2] = [
    (
        "billing",
        "messaging::triggers",
        "a money event queues its message in the same transaction",
    ),
    (
        "ops::jobs",
        "insight::monitoring",
        "the scheduled jobs include taking router samples and evaluating alerts",
    ),
];

/// Floor modules that may name an area.
const FLOOR_USING_AREAS: [(&str, &str); 3] = [
    ("context", "composes every area's shared state"),
    (
        "operations",
        "the runtime's handle: the areas' process-wide state (metrics, probes, the database switch)",
    ),
    ("ports", "the router's view of a voucher profile"),
];

fn app_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/crates/billing-app/src")
}

/// `billing/ledger.rs` → `billing::ledger`; `billing/mod.rs` → `billing`; `lib.rs` → ``.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code a file's dependencies are read from: no comments, no re-exports, nothing from the
/// first `#[cfg(test)]` on.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut in_reexport = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        if t.starts_with("pub use ") || t.starts_with("pub(crate) use ") {
            in_reexport = !t.contains(';');
            continue;
        }
        if in_reexport {
            in_reexport = !t.contains(';');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every path that starts with `crate::` or `super::`, with `{a, b::c}` groups expanded.
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(pos) = code[from..].find(start) {
            let at = from + pos;
            from = at + start.len();
            let before = at.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let head = start.trim_end_matches("::").to_owned();
            expand(code, at + start.len() - 2, vec![head], &mut found);
        }
    }
    found
}

fn expand(code: &str, mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let bytes = code.as_bytes();
    loop {
        let ident_end = code[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(code.len(), |n| i + n);
        if ident_end > i {
            prefix.push(code[i..ident_end].to_owned());
            i = ident_end;
        }
        if code[i..].starts_with("::{") {
            // A group: split its top level at commas and expand each item.
            let open = i + 2;
            let mut depth = 0;
            let mut item_start = open + 1;
            for (k, &b) in bytes.iter().enumerate().skip(open) {
                match b {
                    b'{' => depth += 1,
                    b'}' | b',' if depth == 1 => {
                        let item = code[item_start..k].trim();
                        if !item.is_empty() && item != "self" {
                            let offset = code[item_start..k].find(item).unwrap_or(0);
                            expand(code, item_start + offset, prefix.clone(), out);
                        }
                        item_start = k + 1;
                        if b == b'}' {
                            out.push(prefix);
                            return;
                        }
                    }
                    b'}' => depth -= 1,
                    _ => {}
                }
            }
            out.push(prefix);
            return;
        }
        if code[i..].starts_with("::") {
            i += 2;
            continue;
        }
        out.push(prefix);
        return;
    }
}

/// The file (module) a path names: the longest prefix that is a module of the crate.
fn resolve(
    modules: &BTreeMap<Vec<String>, PathBuf>,
    from: &[String],
    path: &[String],
) -> Option<Vec<String>> {
    let mut segs: Vec<String> = Vec::new();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => rest = &rest[1..],
        Some("super") => {
            segs = from.to_vec();
            // `super` in `a/b.rs` is `a`; in `a/b/mod.rs` (module a::b) it is `a` too.
            segs.pop();
            rest = &rest[1..];
            while rest.first().map(String::as_str) == Some("super") {
                segs.pop();
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    segs.extend(rest.iter().cloned());
    (0..=segs.len())
        .rev()
        .map(|n| segs[..n].to_vec())
        .find(|candidate| modules.contains_key(candidate))
}

struct Graph {
    /// module → the modules it uses.
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn graph() -> Graph {
    let src = app_src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (module_of(&src, f), f.clone()))
        .collect();
    let mut edges = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).expect("read source");
        let mut uses = BTreeSet::new();
        for path in paths(&code(&text)) {
            if let Some(target) = resolve(&modules, module, &path) {
                if &target != module && !target.is_empty() {
                    uses.insert(target);
                }
            }
        }
        edges.insert(module.clone(), uses);
    }
    Graph { edges }
}

fn name(m: &[String]) -> String {
    m.join("::")
}

/// Strongly connected components with more than one module (Tarjan).
fn circles(g: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.g.edges.get(v) {
            for w in targets {
                let Some((w, _)) = s.g.edges.get_key_value(w) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(name(w));
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn the_reader_sees_imports_as_written() {
    let text = "use crate::{billing::ledger, online::{links::PayLink, apply}, AppContext};\n\
                use super::files::busy;\n\
                // use crate::ops::jobs;\n\
                fn f() { crate::network::outbox::deliver(); }\n";
    let mut found: Vec<String> = paths(&code(text)).iter().map(|p| name(p)).collect();
    found.sort();
    assert_eq!(
        found,
        [
            "crate",
            "crate::AppContext",
            "crate::billing::ledger",
            "crate::network::outbox::deliver",
            "crate::online",
            "crate::online::apply",
            "crate::online::links::PayLink",
            "super::files::busy",
        ]
    );
}

#[test]
fn the_files_of_billing_app_import_each_other_without_circles() {
    let g = graph();
    assert!(
        g.edges.len() > 80,
        "the reader found only {} modules",
        g.edges.len()
    );
    let found = circles(&g);
    assert!(
        found.is_empty(),
        "import circles in billing-app (move the shared piece down): {found:#?}"
    );
}

#[test]
fn the_areas_of_billing_app_call_each_other_only_downward() {
    let g = graph();
    let rank = |area: &str| AREAS.iter().position(|a| *a == area);
    let mut wrong = Vec::new();
    let mut arrows = 0;
    for (from, targets) in &g.edges {
        let Some(from_area) = from.first() else {
            continue;
        };
        for to in targets {
            let Some(to_area) = to.first() else { continue };
            if to_area == from_area {
                continue;
            }
            arrows += 1;
            match (rank(from_area), rank(to_area)) {
                (Some(a), Some(b)) if b < a => {}
                (Some(_), Some(_)) => {
                    let allowed = UPWARD
                        .iter()
                        .any(|(f, t, _)| name(from).starts_with(f) && name(to).starts_with(t));
                    if !allowed {
                        wrong.push(format!("{} -> {}", name(from), name(to)));
                    }
                }
                // An area using the floor is the normal direction.
                (Some(_), None) => {}
                (None, Some(_)) => {
                    if !FLOOR_USING_AREAS.iter().any(|(f, _)| f == from_area) {
                        wrong.push(format!("floor {} -> {}", name(from), name(to)));
                    }
                }
                (None, None) => {}
            }
        }
    }
    assert!(
        arrows > 50,
        "the reader found only {arrows} arrows between areas"
    );
    assert!(
        wrong.is_empty(),
        "calls against the areas' order ({AREAS:?}; see ARCHITECTURE.md): {wrong:#?}"
    );
}

#[test]
fn the_schema_crate_holds_no_queries() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/crates/billing-migrations/src");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(!files.is_empty());
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        assert!(
            !text.contains("sqlx::query"),
            "{} runs queries: a use-case's SQL sits beside it in billing-app",
            f.display()
        );
    }
}

#[test]
fn only_the_ledger_writes_ledger_entries_and_allocations() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/crates");
    let mut files = Vec::new();
    rust_files(&crates, &mut files);
    let mut writers: Vec<String> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f)
            .expect("read")
            .to_ascii_lowercase();
        if text.contains("insert into ledger_entries") || text.contains("insert into allocations") {
            writers.push(
                f.strip_prefix(&crates)
                    .expect("under crates")
                    .display()
                    .to_string(),
            );
        }
    }
    assert_eq!(
        writers,
        ["billing-app/src/billing/ledger.rs"],
        "every money movement goes through billing::ledger"
    );
}
