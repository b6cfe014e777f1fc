//! The editable card markup of the HTML: `{{name}}` placeholders and one
//! section, `{{#password}}…{{/password}}`, shown only for cards with a
//! separate password. Parsed and checked once, then rendered per card.

use super::VoucherTemplate;

/// Largest custom card template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 20 * 1024;

/// A value a card template can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Isp,
    Logo,
    Code,
    Password,
    Price,
    Validity,
    Profile,
    Qr,
    Serial,
}

const FIELDS: [(&str, Field); 9] = [
    ("isp", Field::Isp),
    ("logo", Field::Logo),
    ("code", Field::Code),
    ("password", Field::Password),
    ("price", Field::Price),
    ("validity", Field::Validity),
    ("profile", Field::Profile),
    ("qr", Field::Qr),
    ("serial", Field::Serial),
];

const KNOWN: &str = "{{isp}} {{logo}} {{code}} {{password}} {{price}} {{validity}} \
                     {{profile}} {{qr}} {{serial}}, {{#password}} and {{/password}}";

/// Why a custom card template was refused. Lines count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the template is {bytes} bytes long; at most {max} bytes are allowed")]
    TooLarge { bytes: usize, max: usize },
    #[error("the template is empty")]
    Empty,
    #[error("scripts are not allowed (\"<script\" on line {line})")]
    Script { line: usize },
    #[error("active content is not allowed (\"{what}\" on line {line}): event handlers, javascript: links, frames and embedded objects")]
    ActiveContent { what: String, line: usize },
    #[error("unknown placeholder {{{{{name}}}}} on line {line}; known are {KNOWN}")]
    UnknownPlaceholder { name: String, line: usize },
    #[error("\"{{{{\" on line {line} is not closed with \"}}}}\"")]
    UnclosedPlaceholder { line: usize },
    #[error("{{{{#password}}}} on line {line} is not closed with {{{{/password}}}}")]
    UnclosedSection { line: usize },
    #[error("{{{{/password}}}} on line {line} closes a section that is not open")]
    UnopenedSection { line: usize },
    #[error("{{{{#password}}}} on line {line} is inside another {{{{#password}}}}")]
    NestedSection { line: usize },
    #[error("the template has no {{{{code}}}}: a card without its voucher code is useless")]
    MissingCode,
}

/// One piece of a parsed template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    Field(Field),
    IfPassword,
    EndIf,
}

/// A checked template, ready to render many cards.
#[derive(Debug, Clone)]
pub(crate) struct CardTemplate<'t> {
    pieces: Vec<Piece<'t>>,
}

/// Where `lower` (a lower-cased template) holds something that runs code when the printed page
/// opens: an event-handler attribute (`onload=`…; every handler name has 3+ letters after
/// `on`), a `javascript:` URL, a frame or an object.
fn active_content(lower: &str) -> Option<(usize, String)> {
    for tag in [
        "javascript:",
        "<iframe",
        "<frame",
        "<object",
        "<embed",
        "<base",
        "<meta",
    ] {
        if let Some(at) = lower.find(tag) {
            return Some((at, tag.to_owned()));
        }
    }
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(found) = lower.get(i..).and_then(|t| t.find("on")) {
        let at = i + found;
        let before_ok = at > 0
            && matches!(
                bytes[at - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'/'
            );
        let mut j = at + 2;
        while j < bytes.len() && bytes[j].is_ascii_lowercase() {
            j += 1;
        }
        let name_len = j - at - 2;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if before_ok && name_len >= 3 && bytes.get(j) == Some(&b'=') {
            return Some((at, lower.get(at..j).unwrap_or("on…").trim().to_owned()));
        }
        i = at + 2;
    }
    None
}

fn line_of(source: &str, at: usize) -> usize {
    source
        .get(..at)
        .map_or(0, |head| head.matches('\n').count())
        + 1
}

impl<'t> CardTemplate<'t> {
    /// Parses and checks `source` (size, scripts, placeholders, sections).
    pub(crate) fn parse(source: &'t str) -> Result<Self, TemplateError> {
        if source.len() > MAX_TEMPLATE_BYTES {
            return Err(TemplateError::TooLarge {
                bytes: source.len(),
                max: MAX_TEMPLATE_BYTES,
            });
        }
        if source.trim().is_empty() {
            return Err(TemplateError::Empty);
        }
        if let Some(at) = source.to_ascii_lowercase().find("<script") {
            return Err(TemplateError::Script {
                line: line_of(source, at),
            });
        }
        if let Some((at, what)) = active_content(&source.to_ascii_lowercase()) {
            return Err(TemplateError::ActiveContent {
                what,
                line: line_of(source, at),
            });
        }
        let mut pieces = Vec::new();
        let mut open_section: Option<usize> = None;
        let mut rest = 0;
        while let Some(found) = source.get(rest..).and_then(|tail| tail.find("{{")) {
            let start = rest + found;
            let line = line_of(source, start);
            let inner_start = start + 2;
            let Some(len) = source.get(inner_start..).and_then(|tail| tail.find("}}")) else {
                return Err(TemplateError::UnclosedPlaceholder { line });
            };
            if start > rest {
                pieces.push(Piece::Text(source.get(rest..start).unwrap_or_default()));
            }
            let name = source
                .get(inner_start..inner_start + len)
                .unwrap_or_default()
                .trim();
            let piece = match name {
                "#password" if open_section.is_some() => {
                    return Err(TemplateError::NestedSection { line })
                }
                "#password" => {
                    open_section = Some(line);
                    Piece::IfPassword
                }
                "/password" if open_section.is_none() => {
                    return Err(TemplateError::UnopenedSection { line })
                }
                "/password" => {
                    open_section = None;
                    Piece::EndIf
                }
                _ => match FIELDS.iter().find(|(known, _)| *known == name) {
                    Some(&(_, field)) => Piece::Field(field),
                    None => {
                        return Err(TemplateError::UnknownPlaceholder {
                            name: name.to_owned(),
                            line,
                        })
                    }
                },
            };
            pieces.push(piece);
            rest = inner_start + len + 2;
        }
        if let Some(line) = open_section {
            return Err(TemplateError::UnclosedSection { line });
        }
        if let Some(tail) = source.get(rest..).filter(|tail| !tail.is_empty()) {
            pieces.push(Piece::Text(tail));
        }
        let template = Self { pieces };
        if !template.uses(Field::Code) {
            return Err(TemplateError::MissingCode);
        }
        Ok(template)
    }

    /// Whether `field` appears anywhere (even inside the password section).
    pub(crate) fn uses(&self, field: Field) -> bool {
        self.pieces.contains(&Piece::Field(field))
    }

    /// Appends one card: text verbatim, each field through `value`, the
    /// password section only when `has_password`.
    pub(crate) fn render(
        &self,
        has_password: bool,
        out: &mut String,
        mut value: impl FnMut(Field, &mut String),
    ) {
        let mut shown = true;
        for piece in &self.pieces {
            match *piece {
                Piece::IfPassword => shown = has_password,
                Piece::EndIf => shown = true,
                Piece::Text(text) if shown => out.push_str(text),
                Piece::Field(field) if shown => value(field, out),
                Piece::Text(_) | Piece::Field(_) => {}
            }
        }
    }
}

const DEFAULT_CARD: &str = r#"<div class="v-head">{{logo}}<span class="v-isp">{{isp}}</span><span class="v-price">{{price}}</span></div>
<div class="v-main">
  <div class="v-info">
    <div class="v-row"><span class="v-l v-l-validity"></span> {{validity}}</div>
    <div class="v-row"><span class="v-l v-l-profile"></span> {{profile}}</div>
    <div class="v-l v-l-code"></div>
    <div class="v-code">{{code}}</div>
    {{#password}}<div class="v-l v-l-password"></div>
    <div class="v-code">{{password}}</div>{{/password}}
  </div>
  <div class="v-qr">{{qr}}</div>
</div>
<div class="v-serial">{{serial}}</div>
"#;

const SMALL_CARD: &str = r#"<div class="v-qr">{{qr}}</div>
<div class="v-info">
  <div class="v-price">{{price}}</div>
  <div class="v-code">{{code}}</div>
  {{#password}}<div class="v-pass"><span class="v-l v-l-password"></span> {{password}}</div>{{/password}}
  <div class="v-row">{{validity}}</div>
  <div class="v-serial">{{serial}}</div>
</div>
"#;

const THERMAL_CARD: &str = r#"<div class="v-isp">{{isp}}</div>
<div class="v-price">{{price}}</div>
<div class="v-row"><span class="v-l v-l-validity"></span> {{validity}}</div>
<div class="v-row"><span class="v-l v-l-profile"></span> {{profile}}</div>
<div class="v-l v-l-code"></div>
<div class="v-code">{{code}}</div>
{{#password}}<div class="v-l v-l-password"></div>
<div class="v-code">{{password}}</div>{{/password}}
<div class="v-qr">{{qr}}</div>
<div class="v-serial">{{serial}}</div>
"#;

/// The built-in card markup of `template`, the starting point for a custom one.
///
/// Placeholders: `{{isp}} {{logo}} {{code}} {{password}} {{price}}
/// {{validity}} {{profile}} {{qr}} {{serial}}`; `{{#password}}…{{/password}}`
/// is shown only when the card has a separate password (outside it,
/// `{{password}}` prints the code, which is then the password). Values are
/// HTML-escaped; `{{qr}}` is an inline SVG and `{{logo}}` an inline SVG
/// showing the ISP logo (empty without one). Labels come from the page's CSS
/// in the chosen language: empty elements with the classes `v-l-code`
/// ("Kode voucher", or "Username" on a card with a separate password),
/// `v-l-password`, `v-l-validity` and `v-l-profile`.
pub fn builtin_card_template(template: VoucherTemplate) -> &'static str {
    match template {
        VoucherTemplate::Default => DEFAULT_CARD,
        VoucherTemplate::Small => SMALL_CARD,
        VoucherTemplate::Thermal58 => THERMAL_CARD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str, has_password: bool) -> String {
        let template = CardTemplate::parse(source).expect("valid template");
        let mut out = String::new();
        template.render(has_password, &mut out, |field, out| {
            out.push_str(&format!("[{field:?}]"));
        });
        out
    }

    #[test]
    fn active_content_is_refused_with_its_line() {
        for (source, what) in [
            ("<img src=x onerror=alert(1)>{{code}}", "onerror"),
            ("<div\n  ONLOAD = \"x()\">{{code}}</div>", "onload"),
            (
                "<a href=\"JavaScript:alert(1)\">{{code}}</a>",
                "javascript:",
            ),
            ("<iframe src=x></iframe>{{code}}", "<iframe"),
            ("<object data=x></object>{{code}}", "<object"),
        ] {
            match CardTemplate::parse(source) {
                Err(TemplateError::ActiveContent { what: w, .. }) => {
                    assert_eq!(w, what, "{source}")
                }
                other => panic!("{source}: {other:?}"),
            }
        }
        let err =
            CardTemplate::parse("<p>{{code}}</p>\n<p onclick='x'>hi</p>").expect_err("handler");
        assert!(err.to_string().contains("line 2"), "{err}");
        // Words that merely contain "on" are fine.
        CardTemplate::parse("<p class=\"onion\">Kode: {{code}} — online 1 jam, one=two</p>")
            .expect("harmless");
    }

    #[test]
    fn fields_and_the_password_section_render() {
        let source = "a{{code}}b{{ #password }}<p>{{password}}</p>{{/password}}c{{qr}}";
        assert_eq!(render(source, true), "a[Code]b<p>[Password]</p>c[Qr]");
        assert_eq!(render(source, false), "a[Code]bc[Qr]");
        assert_eq!(render("{{code}}", false), "[Code]");
    }

    #[test]
    fn builtin_templates_parse_and_show_every_essential() {
        for template in [
            VoucherTemplate::Default,
            VoucherTemplate::Small,
            VoucherTemplate::Thermal58,
        ] {
            let parsed = CardTemplate::parse(builtin_card_template(template)).expect("parses");
            for field in [
                Field::Code,
                Field::Price,
                Field::Qr,
                Field::Serial,
                Field::Validity,
            ] {
                assert!(parsed.uses(field), "{template} lacks {field:?}");
            }
            assert!(parsed.pieces.contains(&Piece::IfPassword), "{template}");
        }
    }
}
