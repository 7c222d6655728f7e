//! The certificate as a PDF: A4 landscape, the course's texts in Italian and/or English, the
//! participant's name large, the code and a QR code to the verification page. DejaVu Sans is
//! embedded (subset) so every name prints, and reads back, exactly as written.

use crate::domain::certificates::{Languages, Payload};
use crate::i18n::{Locale, td_string};
use printpdf::{
    Color, FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Pt, Rect, Rgb, TextItem,
};
use std::sync::OnceLock;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 landscape, in points.
const WIDTH: f32 = 841.89;
const HEIGHT: f32 = 595.28;

/// Everything printed on a certificate.
#[derive(Debug, Clone)]
pub struct Printed {
    pub payload: Payload,
    pub issuer: String,
    pub signatory_name: String,
    pub signatory_role: String,
    pub languages: Languages,
    /// The public verification URL the QR code points to.
    pub verify_url: String,
    /// Ed25519 signature of the payload (kept in the PDF's metadata for offline checks).
    pub signature: String,
    /// The course's logo, printed top left.
    pub logo: Option<std::sync::Arc<super::logo::Logo>>,
}

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut warnings = Vec::new();
            Some(Fonts {
                regular: ParsedFont::from_bytes(REGULAR_TTF, 0, &mut warnings)?,
                bold: ParsedFont::from_bytes(BOLD_TTF, 0, &mut warnings)?,
            })
        })
        .as_ref()
}

/// Width of `text` at `size` points, from the font's advances.
fn text_width(font: &ParsedFont, text: &str, size: f32) -> f32 {
    let face = font.as_azul();
    let units = f32::from(face.pdf_font_metrics.units_per_em.max(1));
    let advance: f32 = text
        .chars()
        .map(|c| {
            face.lookup_glyph_index(c as u32)
                .map(|g| f32::from(face.get_horizontal_advance(g)))
                .unwrap_or(units / 2.0)
        })
        .sum();
    advance / units * size
}

struct Page<'a> {
    ops: Vec<Op>,
    fonts: &'a Fonts,
    regular: FontId,
    bold: FontId,
}

impl Page<'_> {
    fn text(&mut self, text: &str, x: f32, y: f32, size: f32, bold: bool, color: &Rgb) {
        let id = if bold { &self.bold } else { &self.regular };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor {
                col: Color::Rgb(color.clone()),
            },
            Op::SetFont {
                font: PdfFontHandle::External(id.clone()),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Centred on the page; shrunk to fit `max_width` if needed (long names, long titles).
    fn centred(&mut self, text: &str, y: f32, size: f32, bold: bool, color: &Rgb) {
        let font = if bold {
            &self.fonts.bold
        } else {
            &self.fonts.regular
        };
        let max_width = WIDTH - 160.0;
        let mut size = size;
        let mut width = text_width(font, text, size);
        if width > max_width {
            size *= max_width / width;
            width = text_width(font, text, size);
        }
        self.text(text, (WIDTH - width) / 2.0, y, size, bold, color);
    }

    /// A horizontal line at `y` from `from` to `to`.
    fn line(&mut self, from: f32, to: f32, y: f32, thickness: f32, color: &Rgb) {
        let point = |x: f32| printpdf::LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::SetOutlineColor {
            col: Color::Rgb(color.clone()),
        });
        self.ops.push(Op::DrawLine {
            line: printpdf::Line {
                points: vec![point(from), point(to)],
                is_closed: false,
            },
        });
    }

    fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: &Rgb, fill: bool) {
        self.ops.push(if fill {
            Op::SetFillColor {
                col: Color::Rgb(color.clone()),
            }
        } else {
            Op::SetOutlineColor {
                col: Color::Rgb(color.clone()),
            }
        });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(width),
                height: Pt(height),
                mode: Some(if fill {
                    printpdf::PaintMode::Fill
                } else {
                    printpdf::PaintMode::Stroke
                }),
                winding_order: Some(printpdf::WindingOrder::NonZero),
            },
        });
    }

    /// The QR code as filled runs of dark modules (one rectangle per run keeps the file small).
    fn qr(&mut self, data: &str, x: f32, y: f32, size: f32) -> bool {
        use qrcode::{Color as Module, EcLevel, QrCode};
        let Ok(code) = QrCode::with_error_correction_level(data, EcLevel::M) else {
            return false;
        };
        let modules = code.width();
        let colors = code.to_colors();
        let unit = size / modules as f32;
        let black = rgb(0.0, 0.0, 0.0);
        self.ops.push(Op::SetFillColor {
            col: Color::Rgb(black),
        });
        for row in 0..modules {
            let mut column = 0;
            while column < modules {
                if colors[row * modules + column] != Module::Dark {
                    column += 1;
                    continue;
                }
                let start = column;
                while column < modules && colors[row * modules + column] == Module::Dark {
                    column += 1;
                }
                self.ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(x + start as f32 * unit),
                        // Rows go down the page from the top of the square.
                        y: Pt(y + size - (row + 1) as f32 * unit),
                        width: Pt((column - start) as f32 * unit),
                        height: Pt(unit),
                        mode: Some(printpdf::PaintMode::Fill),
                        winding_order: Some(printpdf::WindingOrder::NonZero),
                    },
                });
            }
        }
        true
    }
}

fn rgb(r: f32, g: f32, b: f32) -> Rgb {
    Rgb {
        r,
        g,
        b,
        icc_profile: None,
    }
}

fn date(day: chrono::NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// The PDF bytes, or `None` if the embedded fonts could not be read (never, in practice).
/// The printed labels in the certificate's languages: one, or Italian · English.
struct Labels {
    italian: bool,
    english: bool,
}

impl Labels {
    fn both(&self) -> bool {
        self.italian && self.english
    }

    /// A label from the locale files, in each language printed.
    fn pick(&self, text: impl Fn(Locale) -> String) -> String {
        self.pick_joined(" · ", text)
    }

    /// The same, with the two languages joined by `separator`.
    fn pick_joined(&self, separator: &str, text: impl Fn(Locale) -> String) -> String {
        match (self.italian, self.english) {
            (true, true) => format!("{}{separator}{}", text(Locale::it), text(Locale::en)),
            (true, false) => text(Locale::it),
            _ => text(Locale::en),
        }
    }
}

/// The colours of the page.
struct Palette {
    ink: Rgb,
    accent: Rgb,
    muted: Rgb,
}

/// Renders a certificate as an A4 landscape PDF; `None` only when the embedded fonts cannot be
/// read (a broken build).
pub fn render(printed: &Printed) -> Option<Vec<u8>> {
    let fonts = fonts()?;
    let p = &printed.payload;
    let mut doc = PdfDocument::new(&format!("{} — {}", p.name, p.course));
    let regular = doc.add_font(&fonts.regular);
    let bold = doc.add_font(&fonts.bold);
    let mut page = Page {
        ops: Vec::with_capacity(600),
        fonts,
        regular,
        bold,
    };
    let colours = Palette {
        ink: rgb(0.13, 0.15, 0.2),
        accent: rgb(0.05, 0.32, 0.55),
        muted: rgb(0.38, 0.4, 0.45),
    };
    let labels = Labels {
        italian: printed.languages.italian(),
        english: printed.languages.english(),
    };
    frame(&mut page, &colours);
    if let Some(logo) = &printed.logo {
        place_logo(&mut doc, &mut page, logo);
    }
    heading(&mut page, printed, &labels, &colours);
    statement(&mut page, p, &labels, &colours);
    footer(&mut page, printed, &labels, &colours);
    describe(&mut doc, printed);
    let pages = vec![PdfPage::new(
        Mm(297.0),
        Mm(210.0),
        std::mem::take(&mut page.ops),
    )];
    let bytes = doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new());
    Some(bytes)
}

/// A double border inside the page's edge.
fn frame(page: &mut Page, colours: &Palette) {
    page.ops.push(Op::SetOutlineThickness { pt: Pt(2.5) });
    page.rect(
        24.0,
        24.0,
        WIDTH - 48.0,
        HEIGHT - 48.0,
        &colours.accent,
        false,
    );
    page.ops.push(Op::SetOutlineThickness { pt: Pt(0.8) });
    page.rect(
        32.0,
        32.0,
        WIDTH - 64.0,
        HEIGHT - 64.0,
        &colours.accent,
        false,
    );
}

/// The course's logo within 150 × 44 points, in the top left corner inside the frame, clear of
/// the title.
fn place_logo(doc: &mut PdfDocument, page: &mut Page, logo: &super::logo::Logo) {
    let scale = (150.0 / logo.width as f32).min(44.0 / logo.height as f32);
    let image = printpdf::RawImage {
        pixels: printpdf::RawImageData::U8(logo.rgb.clone()),
        width: logo.width as usize,
        height: logo.height as usize,
        data_format: printpdf::RawImageFormat::RGB8,
        tag: Vec::new(),
    };
    let id = doc.add_image(&image);
    page.ops.push(Op::UseXobject {
        id,
        transform: printpdf::XObjectTransform {
            translate_x: Some(Pt(52.0)),
            translate_y: Some(Pt(HEIGHT - 42.0 - logo.height as f32 * scale)),
            scale_x: Some(scale),
            scale_y: Some(scale),
            dpi: Some(72.0),
            ..Default::default()
        },
    });
}

/// The issuer and the title, large in one language or one under the other in two.
fn heading(page: &mut Page, printed: &Printed, labels: &Labels, colours: &Palette) {
    page.centred(
        &printed.issuer.to_uppercase(),
        520.0,
        12.0,
        false,
        &colours.muted,
    );
    if labels.italian {
        let title = td_string!(Locale::it, certificates.pdf_title).to_string();
        page.centred(&title, 470.0, 30.0, true, &colours.accent);
    }
    if labels.english {
        let title = td_string!(Locale::en, certificates.pdf_title).to_string();
        let (y, size) = if labels.both() {
            (443.0, 16.0)
        } else {
            (470.0, 30.0)
        };
        page.centred(&title, y, size, !labels.both(), &colours.accent);
    }
}

/// Who completed what, when, and for how many hours.
fn statement(page: &mut Page, p: &Payload, labels: &Labels, colours: &Palette) {
    let certify = labels.pick(|l| td_string!(l, certificates.pdf_certify).to_string());
    page.centred(&certify, 400.0, 13.0, false, &colours.muted);
    page.centred(&p.name, 352.0, 34.0, true, &colours.ink);
    let completed = labels.pick(|l| td_string!(l, certificates.pdf_completed).to_string());
    page.centred(&completed, 310.0, 13.0, false, &colours.muted);
    page.centred(&p.course, 280.0, 20.0, true, &colours.ink);
    page.centred(&p.edition, 256.0, 13.0, false, &colours.ink);
    // The two languages' spans are long: a wider gap than the other pairs.
    let span = labels.pick_joined("  —  ", |l| {
        td_string!(
            l,
            certificates.pdf_span,
            from = date(p.starts_on),
            to = date(p.ends_on),
            hours = p.hours
        )
        .to_string()
    });
    page.centred(&span, 226.0, 12.0, false, &colours.ink);
}

/// Bottom left: the issue date and the signatory. Bottom right: the QR code and the code.
/// Along the bottom: the verification address.
fn footer(page: &mut Page, printed: &Printed, labels: &Labels, colours: &Palette) {
    let p = &printed.payload;
    let issued = format!(
        "{}: {}",
        labels.pick(|l| td_string!(l, certificates.pdf_issued).to_string()),
        date(p.issued_on)
    );
    page.text(&issued, 70.0, 150.0, 11.0, false, &colours.ink);
    if !printed.signatory_name.is_empty() {
        page.line(70.0, 300.0, 112.0, 0.6, &colours.muted);
        page.text(
            &printed.signatory_name,
            70.0,
            96.0,
            12.0,
            true,
            &colours.ink,
        );
        page.text(
            &printed.signatory_role,
            70.0,
            81.0,
            10.0,
            false,
            &colours.muted,
        );
    }
    let qr_size = 96.0;
    let qr_x = WIDTH - 70.0 - qr_size;
    page.qr(&printed.verify_url, qr_x, 92.0, qr_size);
    page.text(&p.code, qr_x, 76.0, 11.0, true, &colours.ink);
    let check = labels.pick(|l| td_string!(l, certificates.pdf_verify).to_string());
    page.text(
        &format!("{check}: {}", printed.verify_url),
        70.0,
        52.0,
        7.5,
        false,
        &colours.muted,
    );
}

/// The document's metadata: the signed payload and the signature travel inside the file.
fn describe(doc: &mut PdfDocument, printed: &Printed) {
    let p = &printed.payload;
    // Dated by the issue day, so the same record always gives the same file.
    if let Some(issued) = p
        .issued_on
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .and_then(|ts| printpdf::OffsetDateTime::from_unix_timestamp(ts).ok())
    {
        doc.metadata.info.creation_date = issued;
        doc.metadata.info.modification_date = issued;
        doc.metadata.info.metadata_date = issued;
    }
    doc.metadata.info.subject = p.canonical();
    doc.metadata.info.identifier = p.id.clone();
    doc.metadata.info.author = printed.issuer.clone();
    doc.metadata.info.creator = "Aula".into();
    doc.metadata.info.keywords = vec![
        format!("aula-certificate:{}", p.id),
        format!("aula-signature:{}", printed.signature),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    pub fn sample(name: &str) -> Printed {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("a date");
        Printed {
            payload: Payload {
                id: "0123456789abcdef0123456789abcdef".into(),
                code: "AULA-7KQ2-M9XD".into(),
                name: name.into(),
                course: "Percorso neoassunti".into(),
                edition: "Edizione di marzo 2026".into(),
                starts_on: day(3, 2),
                ends_on: day(3, 30),
                hours: 25,
                issued_on: day(4, 1),
            },
            issuer: "Unità nazionale formazione docenti".into(),
            signatory_name: "Maria Rossi".into(),
            signatory_role: "Dirigente".into(),
            languages: Languages::ItEn,
            verify_url: "https://aula.example.org/verify/0123456789abcdef0123456789abcdef?s=abc"
                .into(),
            signature: "abc".into(),
            logo: None,
        }
    }

    #[test]
    fn a_certificate_is_a_small_landscape_pdf() {
        let bytes = render(&sample("Zoë Łukasiewicz")).expect("rendered");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() < 100 * 1024, "{} bytes", bytes.len());
        let text = String::from_utf8_lossy(&bytes);
        // 297 × 210 mm in points.
        assert!(
            text.contains("841.8") && text.contains("595.2"),
            "no A4 landscape media box"
        );
        assert!(text.contains("FontFile2"), "the font is not embedded");
    }

    #[test]
    fn a_logo_is_embedded_and_the_file_stays_small() {
        let logo = super::super::logo::decode(&super::super::logo::tests::sample_png(600, 200))
            .expect("logo");
        let mut printed = sample("Niccolò Dell'Acqua");
        printed.logo = Some(std::sync::Arc::new(logo));
        let bytes = render(&printed).expect("rendered");
        assert!(
            String::from_utf8_lossy(&bytes).contains("/Image"),
            "no image object"
        );
        assert!(bytes.len() < 100 * 1024, "{} bytes", bytes.len());
    }

    #[test]
    fn very_long_names_shrink_to_fit() {
        let font = &fonts().expect("fonts").bold;
        let long = "Maria Antonietta Giuseppina Dell'Acqua Łukasiewicz-Brambilla De Santis";
        assert!(text_width(font, long, 34.0) > WIDTH - 160.0);
        assert!(render(&sample(long)).is_some());
    }
}
