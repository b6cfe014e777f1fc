//! Reports written out as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read
//! names correctly) and as XLSX (numbers stay numbers; rupiah with thousands separators).

use billing_app::insight::reports::{Cell, Table};
use rust_xlsxwriter::{Format, Workbook};

pub fn csv(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = ::csv::Writer::from_writer(&mut out);
        w.write_record(&table.columns)?;
        for row in &table.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Int(n) => n.to_string(),
            }))?;
        }
        w.flush()?;
    }
    Ok(out)
}

pub fn xlsx(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&table.title)?;
    let bold = Format::new().set_bold();
    let number = Format::new().set_num_format("#,##0");
    for (c, name) in table.columns.iter().enumerate() {
        let col = u16::try_from(c)?;
        sheet.write_string_with_format(0, col, *name, &bold)?;
        sheet.set_column_width(col, 16)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let line = u32::try_from(r + 1)?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c)?;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(line, col, s)?;
                }
                // Whole rupiah and counts are far below 2^53: exact as a spreadsheet number.
                Cell::Int(n) => {
                    sheet.write_number_with_format(line, col, *n as f64, &number)?;
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}
