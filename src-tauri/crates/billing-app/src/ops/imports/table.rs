//! Reading an uploaded sheet (CSV or XLSX) into a header row and text cells, and guessing
//! which column holds which field from its header (English and Indonesian names).

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader};

use crate::Error;

/// The fields a row can carry, in the order the wizard shows them.
pub const FIELDS: [&str; 13] = [
    "name",
    "phone",
    "address",
    "notes",
    "plan",
    "price",
    "kind",
    "login",
    "password",
    "router",
    "billing_day",
    "start_on",
    "credit",
];

/// Header names (lower case, letters and digits only) that mean each field.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "name",
            "nama",
            "namapelanggan",
            "pelanggan",
            "customer",
            "customername",
            "fullname",
            "namalengkap",
        ],
    ),
    (
        "phone",
        &[
            "phone",
            "phonenumber",
            "hp",
            "nohp",
            "nomorhp",
            "telepon",
            "telp",
            "notelp",
            "notelepon",
            "wa",
            "whatsapp",
            "nowa",
            "nomorwa",
            "handphone",
            "mobile",
        ],
    ),
    ("address", &["address", "alamat", "alamatpasang"]),
    ("notes", &["notes", "note", "catatan", "keterangan", "ket"]),
    (
        "plan",
        &[
            "plan",
            "planname",
            "paket",
            "namapaket",
            "package",
            "layanan",
            "profile",
            "profil",
        ],
    ),
    (
        "price",
        &["price", "harga", "hargapaket", "tarif", "biaya", "iuran"],
    ),
    ("kind", &["kind", "type", "jenis", "tipe", "service"]),
    (
        "login",
        &[
            "login",
            "username",
            "user",
            "pppoe",
            "pppoeusername",
            "userpppoe",
            "usernamepppoe",
            "akun",
        ],
    ),
    (
        "password",
        &[
            "password",
            "pass",
            "sandi",
            "katasandi",
            "pppoepassword",
            "passwordpppoe",
            "secret",
        ],
    ),
    ("router", &["router", "mikrotik", "nas", "server"]),
    (
        "billing_day",
        &[
            "billingday",
            "tanggaltagihan",
            "tgltagihan",
            "jatuhtempo",
            "tanggaljatuhtempo",
            "tgljatuhtempo",
            "tanggalbayar",
        ],
    ),
    (
        "start_on",
        &[
            "starton",
            "startdate",
            "start",
            "tanggalmulai",
            "tglmulai",
            "mulai",
            "tanggalpasang",
            "tglpasang",
            "aktifsejak",
        ],
    ),
    ("credit", &["credit", "balance", "saldo", "deposit"]),
];

fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Field → column header, for every field whose header we recognise (first match wins).
pub fn auto_map(headers: &[String]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (field, names) in SYNONYMS {
        if let Some(h) = headers
            .iter()
            .find(|h| names.contains(&normalise(h).as_str()))
        {
            out.insert((*field).to_owned(), h.clone());
        }
    }
    out
}

/// A sheet: the header row and the data rows (blank rows dropped, short rows padded).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Sheet {
    pub headers: Vec<String>,
    /// (line number in the file, cells)
    pub rows: Vec<(i32, Vec<String>)>,
}

fn finish(mut raw: Vec<(i32, Vec<String>)>) -> Result<Sheet, Error> {
    if raw.is_empty() {
        return Err(Error::validation("file", "the file is empty"));
    }
    let (_, headers) = raw.remove(0);
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_owned()).collect();
    if headers.iter().all(String::is_empty) {
        return Err(Error::validation(
            "file",
            "the first row must name the columns",
        ));
    }
    let width = headers.len();
    let rows = raw
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(line, mut cells)| {
            cells.resize(width.max(cells.len()), String::new());
            cells.truncate(width);
            (line, cells)
        })
        .collect();
    Ok(Sheet { headers, rows })
}

/// CSV with `,` or `;` (Indonesian spreadsheet exports often use `;`), UTF-8 with or
/// without a byte-order mark.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semis = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    let delimiter = if semis > commas { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut raw = Vec::new();
    for record in reader.byte_records() {
        let record = record
            .map_err(|e| Error::validation("file", format!("the file is not valid CSV: {e}")))?;
        let line = record
            .position()
            .map(|p| i32::try_from(p.line()).unwrap_or(i32::MAX))
            .unwrap_or(0);
        let cells = record
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_owned())
            .collect();
        raw.push((line, cells));
    }
    finish(raw)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.date().to_string())
            .unwrap_or_else(|| d.to_string()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The first worksheet of an XLSX (or XLS/ODS) workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet, Error> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| Error::validation("file", format!("the file is not a spreadsheet: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| Error::validation("file", "the workbook has no sheet"))?
        .map_err(|e| Error::validation("file", format!("the sheet cannot be read: {e}")))?;
    let first = i32::try_from(range.start().map(|(r, _)| r).unwrap_or(0)).unwrap_or(0);
    let raw = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let line = first + i32::try_from(i).unwrap_or(i32::MAX - 1) + 1;
            (line, row.iter().map(cell_text).collect())
        })
        .collect();
    finish(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_headers_map_to_fields() {
        let headers: Vec<String> = [
            "Nama Pelanggan",
            "No. HP",
            "Alamat",
            "Paket",
            "Harga",
            "Username PPPoE",
            "Password",
            "Tgl Tagihan",
            "Saldo",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let map = auto_map(&headers);
        assert_eq!(map["name"], "Nama Pelanggan");
        assert_eq!(map["phone"], "No. HP");
        assert_eq!(map["plan"], "Paket");
        assert_eq!(map["login"], "Username PPPoE");
        assert_eq!(map["billing_day"], "Tgl Tagihan");
        assert_eq!(map["credit"], "Saldo");
        assert!(!map.contains_key("router"));
    }

    #[test]
    fn semicolon_csv_with_bom_and_blank_rows() {
        let sheet = read_csv(b"\xEF\xBB\xBFnama;hp\nBudi;0812\n;\nSiti;0813").expect("csv");
        assert_eq!(sheet.headers, vec!["nama", "hp"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[1].0, 4);
        assert_eq!(sheet.rows[1].1, vec!["Siti", "0813"]);
    }
}
