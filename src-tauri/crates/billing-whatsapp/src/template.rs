//! Plain-text message templates: `{name}` placeholders, `{{` / `}}` for literal braces, nothing
//! escaped. Rendering fails on a placeholder without a value; [`validate`] catches placeholders
//! an edited template may not use. Indonesian defaults are in [`DEFAULTS`].

use std::collections::HashMap;

/// Why a template cannot be rendered or saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("no value for variable {{{0}}}")]
    MissingVariable(String),
    #[error("unknown variable {{{0}}}")]
    UnknownVariable(String),
    #[error("malformed placeholder at character {0} (use {{{{ and }}}} for literal braces)")]
    Syntax(usize),
}

enum Piece<'a> {
    Text(&'a str),
    Var(&'a str),
}

fn parse(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(i) = rest.find(['{', '}']) {
        pieces.push(Piece::Text(&rest[..i]));
        let after = &rest[i + 1..];
        if rest[i..].starts_with("{{") {
            pieces.push(Piece::Text("{"));
            (rest, offset) = (&after[1..], offset + i + 2);
        } else if rest[i..].starts_with("}}") {
            pieces.push(Piece::Text("}"));
            (rest, offset) = (&after[1..], offset + i + 2);
        } else if rest[i..].starts_with('}') {
            return Err(TemplateError::Syntax(offset + i));
        } else {
            let end = after.find('}').ok_or(TemplateError::Syntax(offset + i))?;
            let name = &after[..end];
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return Err(TemplateError::Syntax(offset + i));
            }
            pieces.push(Piece::Var(name));
            (rest, offset) = (&after[end + 1..], offset + i + end + 2);
        }
    }
    pieces.push(Piece::Text(rest));
    Ok(pieces)
}

/// Renders `template` with `vars`; a placeholder without a value is an error. Extra values
/// are ignored (one variable set serves several templates).
pub fn render(template: &str, vars: &HashMap<&str, String>) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 64);
    for piece in parse(template)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Var(name) => out.push_str(
                vars.get(name)
                    .ok_or_else(|| TemplateError::MissingVariable(name.to_owned()))?,
            ),
        }
    }
    Ok(out)
}

/// Checks an (edited) template: well-formed, and every placeholder is one of `allowed`.
pub fn validate(template: &str, allowed: &[&str]) -> Result<(), TemplateError> {
    for piece in parse(template)? {
        if let Piece::Var(name) = piece {
            if !allowed.contains(&name) {
                return Err(TemplateError::UnknownVariable(name.to_owned()));
            }
        }
    }
    Ok(())
}

/// The placeholders a template uses, in order of first use.
pub fn variables(template: &str) -> Result<Vec<&str>, TemplateError> {
    let mut names: Vec<&str> = Vec::new();
    for piece in parse(template)? {
        if let Piece::Var(name) = piece {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(names)
}

/// A default template with the variables it may use (all of them are always provided).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultTemplate {
    pub key: &'static str,
    pub body: &'static str,
    pub variables: &'static [&'static str],
}

pub const INVOICE_ISSUED: DefaultTemplate = DefaultTemplate {
    key: "invoice_issued",
    body: "Halo {nama}, tagihan internet {nomor} periode {periode} sebesar {jumlah} sudah terbit \
           dan jatuh tempo {jatuh_tempo}.\nBayar di: {link_bayar}\nTerima kasih. - {isp}",
    variables: &[
        "nama",
        "nomor",
        "periode",
        "jumlah",
        "jatuh_tempo",
        "link_bayar",
        "isp",
    ],
};

pub const REMINDER_BEFORE_DUE: DefaultTemplate = DefaultTemplate {
    key: "reminder_before_due",
    body: "Halo {nama}, mengingatkan tagihan internet {nomor} sebesar {jumlah} jatuh tempo \
           {hari} hari lagi ({jatuh_tempo}).\nBayar di: {link_bayar}\nAbaikan pesan ini jika \
           sudah membayar. - {isp}",
    variables: &[
        "nama",
        "nomor",
        "jumlah",
        "hari",
        "jatuh_tempo",
        "link_bayar",
        "isp",
    ],
};

pub const PAYMENT_RECEIVED_FULL: DefaultTemplate = DefaultTemplate {
    key: "payment_received_full",
    body: "Halo {nama}, pembayaran {jumlah} untuk tagihan {nomor} sudah kami terima. Tagihan \
           LUNAS. Terima kasih. - {isp}",
    variables: &["nama", "nomor", "jumlah", "isp"],
};

pub const PAYMENT_RECEIVED_PARTIAL: DefaultTemplate = DefaultTemplate {
    key: "payment_received_partial",
    body: "Halo {nama}, pembayaran {jumlah} untuk tagihan {nomor} sudah kami terima. Sisa \
           tagihan: {sisa}.\nBayar sisanya di: {link_bayar}\nTerima kasih. - {isp}",
    variables: &["nama", "nomor", "jumlah", "sisa", "link_bayar", "isp"],
};

pub const PAYMENT_RECEIVED_OVERPAID: DefaultTemplate = DefaultTemplate {
    key: "payment_received_overpaid",
    body: "Halo {nama}, pembayaran {jumlah} untuk tagihan {nomor} sudah kami terima. Tagihan \
           LUNAS. Kelebihan {lebih} kami simpan sebagai saldo; saldo Anda sekarang {saldo} dan \
           dipakai untuk tagihan berikutnya. Terima kasih. - {isp}",
    variables: &["nama", "nomor", "jumlah", "lebih", "saldo", "isp"],
};

pub const ISOLATION_NOTICE: DefaultTemplate = DefaultTemplate {
    key: "isolation_notice",
    body: "Halo {nama}, layanan internet Anda sementara kami nonaktifkan karena tagihan {nomor} \
           sebesar {jumlah} belum dibayar.\nBayar di: {link_bayar}\nLayanan aktif kembali \
           otomatis setelah pembayaran. - {isp}",
    variables: &["nama", "nomor", "jumlah", "link_bayar", "isp"],
};

pub const SERVICE_RESTORED: DefaultTemplate = DefaultTemplate {
    key: "service_restored",
    body: "Halo {nama}, layanan internet Anda sudah aktif kembali. Terima kasih. - {isp}",
    variables: &["nama", "isp"],
};

pub const VOUCHER_CODES: DefaultTemplate = DefaultTemplate {
    key: "voucher_codes",
    body: "Terima kasih, pembelian voucher {paket} berhasil. Kode voucher Anda:\n{kode}\nBerlaku \
           {masa_aktif}. - {isp}",
    variables: &["paket", "kode", "masa_aktif", "isp"],
};

pub const PORTAL_CODE: DefaultTemplate = DefaultTemplate {
    key: "portal_code",
    body: "Kode masuk halaman pelanggan {isp}: {kode}\nBerlaku {menit} menit. Jangan berikan kode \
           ini kepada siapa pun, termasuk yang mengaku petugas kami.",
    variables: &["kode", "menit", "isp"],
};

pub const OWNER_ALERT: DefaultTemplate = DefaultTemplate {
    key: "owner_alert",
    body: "[{isp}] Peringatan ({waktu}): {pesan}",
    variables: &["isp", "waktu", "pesan"],
};

/// Every default, for seeding the editable templates.
pub const DEFAULTS: [DefaultTemplate; 10] = [
    INVOICE_ISSUED,
    REMINDER_BEFORE_DUE,
    PAYMENT_RECEIVED_FULL,
    PAYMENT_RECEIVED_PARTIAL,
    PAYMENT_RECEIVED_OVERPAID,
    ISOLATION_NOTICE,
    SERVICE_RESTORED,
    VOUCHER_CODES,
    PORTAL_CODE,
    OWNER_ALERT,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&'static str, &str)]) -> HashMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    #[test]
    fn renders_values_verbatim_without_escaping() {
        let v = vars(&[
            ("nama", "Budi <&> \"B\""),
            ("nomor", "INV-1"),
            ("jumlah", "Rp 150.000"),
        ]);
        let out = render("Halo {nama}, tagihan {nomor} sebesar {jumlah}", &v).expect("ok");
        assert_eq!(out, "Halo Budi <&> \"B\", tagihan INV-1 sebesar Rp 150.000");
    }

    #[test]
    fn missing_variable_is_an_error() {
        let v = vars(&[("nama", "Budi")]);
        assert_eq!(
            render("Halo {nama}, tagihan {nomor}", &v),
            Err(TemplateError::MissingVariable("nomor".to_owned()))
        );
    }

    #[test]
    fn unknown_variable_is_caught_when_validating_an_edit() {
        assert_eq!(
            validate("Halo {nama} {alamat}", SERVICE_RESTORED.variables),
            Err(TemplateError::UnknownVariable("alamat".to_owned()))
        );
    }

    #[test]
    fn braces_escape_and_malformed_placeholders() {
        assert_eq!(
            render("{{ok}} }}", &HashMap::new()),
            Ok("{ok} }".to_owned())
        );
        assert_eq!(
            render("a {nama", &HashMap::new()),
            Err(TemplateError::Syntax(2))
        );
        assert_eq!(
            render("a } b", &HashMap::new()),
            Err(TemplateError::Syntax(2))
        );
        assert_eq!(
            render("{Nama X}", &HashMap::new()),
            Err(TemplateError::Syntax(0))
        );
    }

    #[test]
    fn every_default_renders_with_exactly_its_documented_variables() {
        for t in DEFAULTS {
            let mut used = variables(t.body).expect("parses");
            let mut documented = t.variables.to_vec();
            used.sort_unstable();
            documented.sort_unstable();
            assert_eq!(used, documented, "{}", t.key);
            let v: HashMap<&str, String> =
                t.variables.iter().map(|n| (*n, format!("<{n}>"))).collect();
            let out = render(t.body, &v).expect(t.key);
            assert!(!out.contains('{') && !out.contains('}'), "{}: {out}", t.key);
            for n in t.variables {
                assert!(out.contains(&format!("<{n}>")), "{}: {n}", t.key);
            }
            let mut short = v.clone();
            short.remove(t.variables[0]);
            assert!(render(t.body, &short).is_err(), "{}", t.key);
        }
    }

    #[test]
    fn invoice_issued_reads_naturally() {
        let v = vars(&[
            ("nama", "Budi"),
            ("nomor", "INV-2025-01-0001"),
            ("periode", "Januari 2025"),
            ("jumlah", "Rp 150.000"),
            ("jatuh_tempo", "20 Januari 2025"),
            ("link_bayar", "https://bayar.example.id/i/abc"),
            ("isp", "NetDesa"),
        ]);
        let out = render(INVOICE_ISSUED.body, &v).expect("renders");
        assert!(out.starts_with("Halo Budi, tagihan internet INV-2025-01-0001 periode Januari"));
        assert!(out.contains("Bayar di: https://bayar.example.id/i/abc\n"));
    }
}
