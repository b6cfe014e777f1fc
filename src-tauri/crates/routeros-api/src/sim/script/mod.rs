//! A RouterOS script interpreter for the subset the billing app installs on routers.
//!
//! Supported: statements separated by `;` or newlines, `{ }` blocks, `:local`, `:global`,
//! `:set`, `:if (…) do={…} else={…}`, `:foreach x in=… do={…}`, `:log info|warning|error|debug`,
//! `:put`, `:len`, `:pick`, `:find`, `:tonum`, `:tostr`, `:typeof`,
//! `[ … ]` command substitution, `$var` and `$"var-name"`, strings with `$var`, `$[…]` and
//! `$(…)` inside and the escapes `\" \\ \$ \? \n \r \t \_ \XX`, the operators
//! `= != < > <= >= and or && || ! . + - * /` (integer division), and menu commands (`/ip hotspot user remove
//! [find name="x"]`, `/system/scheduler add …`) with `add`, `set`, `remove`, `enable`,
//! `disable`, `get`, `find` (`k=v` or `where …`) and `print` (output dropped).
//!
//! Anything else is a syntax error before the script runs; runtime errors stop the script
//! where they happen, as on RouterOS. Menu writes go through the same table code as the API.

mod eval;
mod expr;
mod parse;
mod value;

pub(crate) use value::Value;

use super::state::Router;

/// Why a script did not run (or stopped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScriptError {
    pub message: String,
}

impl ScriptError {
    pub fn syntax(line: usize, col: usize, message: impl std::fmt::Display) -> Self {
        Self {
            message: format!("syntax error (line {line} column {col}): {message}"),
        }
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Checks the whole script, then runs it with `vars` as its top-level variables.
pub(crate) fn run(
    router: &mut Router,
    source: &str,
    vars: &[(&str, Value)],
) -> Result<(), ScriptError> {
    let stmts = parse::parse(source)?;
    eval::Interp::new(router, vars)
        .stmts(&stmts, "")
        .map(|_| ())
}

/// Runs a script the router starts by itself (`on-login`, a scheduler's `on-event`); a
/// failure is written to `/log` with topics `script,error`.
pub(crate) fn run_logged(
    router: &mut Router,
    source: &str,
    origin: &str,
    vars: &[(&str, Value)],
) -> Result<(), ScriptError> {
    if source.trim().is_empty() {
        return Ok(());
    }
    let result = run(router, source, vars);
    if let Err(e) = &result {
        let message = format!("executing script from {origin} failed: {}", e.message);
        router.log("script,error", &message);
    }
    result
}

#[cfg(test)]
mod tests;
