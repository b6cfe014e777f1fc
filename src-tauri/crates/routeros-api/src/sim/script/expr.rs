//! Expressions: `( … )` and `where …`.

use super::parse::{is_atom_char, Expr, Op, Parser, Stop};
use super::ScriptError;
use crate::parse::parse_duration;

impl Parser {
    fn skip_expr_blanks(&mut self, stop: Stop) {
        self.skip_blanks(false);
        if stop == Stop::Paren {
            while self.peek() == Some('\n') {
                self.pos += 1;
                self.skip_blanks(false);
            }
        }
    }

    pub(super) fn expr(&mut self, stop: Stop) -> Result<Expr, ScriptError> {
        let mut left = self.and_expr(stop)?;
        loop {
            self.skip_expr_blanks(stop);
            if self.eat("||") || self.eat_keyword("or") {
                let right = self.and_expr(stop)?;
                left = Expr::Bin(Op::Or, Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn and_expr(&mut self, stop: Stop) -> Result<Expr, ScriptError> {
        let mut left = self.cmp_expr(stop)?;
        loop {
            self.skip_expr_blanks(stop);
            if self.eat("&&") || self.eat_keyword("and") {
                let right = self.cmp_expr(stop)?;
                left = Expr::Bin(Op::And, Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn cmp_expr(&mut self, stop: Stop) -> Result<Expr, ScriptError> {
        let left = self.concat_expr(stop)?;
        self.skip_expr_blanks(stop);
        let op = if self.eat("!=") {
            Op::Ne
        } else if self.eat("<=") {
            Op::Le
        } else if self.eat(">=") {
            Op::Ge
        } else if self.eat("==") {
            return Err(self.error("== is not an operator (use =)"));
        } else if self.eat("=") {
            Op::Eq
        } else if self.eat("<") {
            Op::Lt
        } else if self.eat(">") {
            Op::Gt
        } else {
            return Ok(left);
        };
        let right = self.concat_expr(stop)?;
        Ok(Expr::Bin(op, Box::new(left), Box::new(right)))
    }

    fn concat_expr(&mut self, stop: Stop) -> Result<Expr, ScriptError> {
        let mut left = self.mul_expr(stop)?;
        loop {
            self.skip_expr_blanks(stop);
            let op = match self.peek() {
                Some('.') => Op::Concat,
                Some('+') => Op::Add,
                Some('-') => Op::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.mul_expr(stop)?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
    }

    /// `*` and `/` bind tighter than `+ - .`. (RouterOS's own precedence is not documented;
    /// the scripts the app installs put every operation in parentheses.)
    fn mul_expr(&mut self, stop: Stop) -> Result<Expr, ScriptError> {
        let mut left = self.unary(stop)?;
        loop {
            self.skip_expr_blanks(stop);
            let op = match self.peek() {
                Some('*') => Op::Mul,
                Some('/') => Op::Div,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = self.unary(stop)?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self, stop: Stop) -> Result<Expr, ScriptError> {
        self.skip_expr_blanks(stop);
        if self.peek() == Some('!') && self.peek_at(1) != Some('=') {
            self.pos += 1;
            self.enter()?;
            let inner = self.unary(stop)?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ScriptError> {
        match self.peek() {
            Some('(') => self.paren(),
            Some('"') => Ok(Expr::Str(self.string()?)),
            Some('[') => {
                self.pos += 1;
                Ok(Expr::Sub(self.stmts(Some(']'))?))
            }
            Some('$') => self.var(),
            Some(c) if is_atom_char(c) => {
                let mut w = String::new();
                while let Some(c) = self.peek().filter(|&c| is_atom_char(c)) {
                    w.push(c);
                    self.pos += 1;
                }
                if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                    return Err(self.error("decimal numbers and addresses must be quoted"));
                }
                self.atom(&w)
            }
            Some(c) => Err(self.error(format!("unexpected {c:?} in an expression"))),
            None => Err(self.error("expected a value")),
        }
    }

    fn atom(&self, w: &str) -> Result<Expr, ScriptError> {
        match w {
            "true" | "yes" => return Ok(Expr::Bool(true)),
            "false" | "no" => return Ok(Expr::Bool(false)),
            "and" | "or" => return Err(self.error(format!("unexpected {w}"))),
            _ => {}
        }
        if w.bytes().all(|b| b.is_ascii_digit()) {
            return w
                .parse()
                .map(Expr::Num)
                .map_err(|_| self.error("number out of range"));
        }
        if let Some(hex) = w.strip_prefix('*') {
            return u32::from_str_radix(hex, 16)
                .map(Expr::Id)
                .map_err(|_| self.error(format!("bad id {w}")));
        }
        if w.starts_with(|c: char| c.is_ascii_digit()) {
            return parse_duration(w)
                .map(Expr::Time)
                .map_err(|_| self.error(format!("unexpected {w}")));
        }
        if w.starts_with(|c: char| c.is_ascii_alphabetic()) && !w.contains(':') {
            return Ok(Expr::Ident(w.to_owned()));
        }
        Err(self.error(format!("unexpected {w}")))
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars[self.pos.min(self.chars.len())..]
            .iter()
            .take(n)
            .copied()
            .eq(s.chars())
        {
            self.pos += n;
            return true;
        }
        false
    }

    fn eat_keyword(&mut self, kw: &str) -> bool {
        let n = kw.len();
        let next = self.peek_at(n);
        if next.is_some_and(is_atom_char) {
            return false;
        }
        self.eat(kw)
    }
}
