//! A report as rows and columns, for CSV and XLSX downloads.

/// One cell: text, or a whole number (counts and rupiah stay numbers in a spreadsheet).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

/// A report ready to be written out: a file name stem, a sheet title, headers and rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// e.g. `revenue_2026-01-01_2026-12-31` (no extension).
    pub file_stem: String,
    /// At most 31 characters (a sheet name).
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(name: &str, period: &str, title: &str, columns: Vec<&'static str>) -> Table {
        Table {
            file_stem: if period.is_empty() {
                name.to_owned()
            } else {
                format!("{name}_{period}")
            },
            title: title.chars().take(31).collect(),
            columns,
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }
}
