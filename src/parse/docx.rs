//! Word documents (.docx): a ZIP archive of WordprocessingML parts, read in
//! memory (never extracted to disk) with `zip` and `quick-xml`.
//!
//! The file's bytes are not text, so a span cannot point into them. The
//! parser instead produces a *synthetic source*: the document's paragraphs,
//! one per line (line N is paragraph N), and a [`Document`] over it fed
//! through the same [`DocumentBuilder`] as every other parser, so spans stay
//! exact and every renderer shows the paragraph with the match marked.
//!
//! Read: body paragraphs, headings (paragraph styles named `heading 1`-`6`
//! or `Title`, or an outline level, resolved through `word/styles.xml`),
//! list items (`w:numPr` or a List style), table cells (one line per cell),
//! tracked insertions and moves' destinations, field results. Skipped:
//! tracked deletions and moves' sources, field codes, hidden text (`w:vanish`),
//! comments, footnotes, headers and footers, text boxes and drawings.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::document::{BlockKind, Document, DocumentBuilder, InputFormat};

/// What a .docx may expand to. A lying header cannot get past them: every
/// part is read through `take()`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries in the archive.
    pub entries: usize,
    /// Uncompressed bytes of one part.
    pub part_bytes: u64,
    /// Uncompressed bytes of all the parts read.
    pub total_bytes: u64,
}

pub const LIMITS: Limits = Limits {
    entries: 10_000,
    part_bytes: 64 << 20,
    total_bytes: 96 << 20,
};

/// Why a .docx was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxError {
    /// An OLE2 container holding an `EncryptedPackage`: Office's
    /// password protection.
    Encrypted,
    /// An OLE2 container holding a `WordDocument` stream: Word 97-2003.
    LegacyDoc,
    /// Some other OLE2 compound file.
    Compound,
    /// Not a readable .docx, with the reason.
    Corrupt(String),
    /// Over a [`Limits`] bound, with which.
    TooLarge(String),
}

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocxError::Encrypted => f.write_str(
                "password-protected (encrypted) Word document: privlint cannot read it; save a copy without a password",
            ),
            DocxError::LegacyDoc => f.write_str(
                "a Word 97-2003 document (.doc), not .docx: save it as a Word document (.docx) first",
            ),
            DocxError::Compound => {
                f.write_str("an OLE2 compound file (old Microsoft Office format), not a .docx")
            }
            DocxError::Corrupt(why) => write!(f, "corrupt .docx: {why}"),
            DocxError::TooLarge(why) => write!(f, "refused .docx (zip bomb?): {why}"),
        }
    }
}

const CFB_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const DOCUMENT: &str = "word/document.xml";
const STYLES: &str = "word/styles.xml";

/// A .docx's synthetic source (one paragraph a line) and its document.
pub fn read(bytes: &[u8]) -> Result<(String, Document), DocxError> {
    read_with(bytes, &LIMITS)
}

/// [`read`] with other limits (tests use small ones).
pub fn read_with(bytes: &[u8], limits: &Limits) -> Result<(String, Document), DocxError> {
    if bytes.starts_with(CFB_SIGNATURE) {
        return Err(compound_kind(bytes));
    }
    if !bytes.starts_with(b"PK") {
        return Err(DocxError::Corrupt("not a ZIP archive".into()));
    }
    if let Some(n) = declared_entries(bytes)
        && n > limits.entries
    {
        return Err(too_many(n, limits));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| DocxError::Corrupt(format!("not a readable ZIP archive ({e})")))?;
    if zip.len() > limits.entries {
        return Err(too_many(zip.len(), limits));
    }
    let mut budget = limits.total_bytes;
    let styles = match read_part(&mut zip, STYLES, limits, &mut budget)? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    let xml = read_part(&mut zip, DOCUMENT, limits, &mut budget)?
        .ok_or_else(|| DocxError::Corrupt(format!("no {DOCUMENT}: not a Word document")))?;
    let lines = paragraphs(&xml, &styles)?;
    Ok(build(&lines))
}

fn too_many(n: usize, limits: &Limits) -> DocxError {
    DocxError::TooLarge(format!(
        "{n} entries in the archive, over the limit of {}",
        limits.entries
    ))
}

/// Tells a password-protected OOXML file from a .doc by the stream names
/// in the compound file's directory (UTF-16LE).
fn compound_kind(bytes: &[u8]) -> DocxError {
    let has = |name: &str| {
        let pat: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        bytes.windows(pat.len()).any(|w| w == pat)
    };
    if has("EncryptedPackage") {
        DocxError::Encrypted
    } else if has("WordDocument") {
        DocxError::LegacyDoc
    } else {
        DocxError::Compound
    }
}

/// The entry count the end-of-central-directory record declares, read
/// before `zip` builds its index of every entry; `None` when there is no
/// such record or it defers to ZIP64 (`zip` then counts, and we check).
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    // The record is 22 bytes plus a comment of at most 65535.
    let tail_start = bytes.len().saturating_sub(22 + 0xFFFF);
    let tail = &bytes[tail_start..];
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let rec = tail.get(at..at + 22)?;
    let total = u16::from_le_bytes([rec[10], rec[11]]);
    (total != 0xFFFF).then_some(usize::from(total))
}

/// Reads one part as UTF-8 text; `None` when the archive has no such part.
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
    budget: &mut u64,
) -> Result<Option<String>, DocxError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Corrupt(format!("{name}: {e}"))),
    };
    let cap = limits.part_bytes.min(*budget);
    let mib = |n: u64| n.div_ceil(1 << 20);
    if file.size() > cap {
        return Err(DocxError::TooLarge(format!(
            "{name} declares {} MiB uncompressed, over the {} MiB limit",
            mib(file.size()),
            mib(cap)
        )));
    }
    let mut out = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| DocxError::Corrupt(format!("{name}: {e}")))?;
    if out.len() as u64 > cap {
        return Err(DocxError::TooLarge(format!(
            "{name} expands past the {} MiB limit",
            mib(cap)
        )));
    }
    *budget -= out.len() as u64;
    let body = out.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&out);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Some(s.to_owned())),
        Err(_) => Err(DocxError::Corrupt(format!("{name} is not UTF-8 XML"))),
    }
}

fn xml_error(part: &str, reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> DocxError {
    DocxError::Corrupt(format!(
        "{part}: malformed XML at byte {}: {e}",
        reader.error_position()
    ))
}

/// The value of an element's `w:val` attribute.
fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "w:val")
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// An on/off property (`<w:vanish/>`, `<w:vanish w:val="false"/>`).
fn on(e: &BytesStart<'_>) -> bool {
    !matches!(val(e).as_deref(), Some("0" | "false" | "off"))
}

/// Paragraph styles, by id.
#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
}

#[derive(Debug, Default)]
struct Style {
    /// Lower-cased: `heading 1`, `title`, `list bullet`.
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    numbered: Option<bool>,
}

/// How far a `basedOn` chain is followed (it may loop in a broken file).
const MAX_STYLE_CHAIN: usize = 16;

impl Styles {
    fn parse(xml: &str) -> Result<Self, DocxError> {
        let mut styles = Styles::default();
        let mut reader = Reader::from_str(xml);
        // The paragraph style being read, and whether inside its `w:pPr`.
        let mut cur: Option<(String, Style)> = None;
        let mut in_ppr = false;
        loop {
            let ev = reader.read_event().map_err(|e| xml_error(STYLES, &reader, e))?;
            let start = matches!(ev, Event::Start(_));
            match ev {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name();
                    match name.as_ref() {
                        "w:style" => {
                            let paragraph = attr(&e, "w:type").is_none_or(|t| t == "paragraph");
                            cur = attr(&e, "w:styleId")
                                .filter(|_| paragraph)
                                .map(|id| (id, Style::default()));
                        }
                        "w:pPr" => in_ppr = start,
                        _ => {}
                    }
                    let Some((_, style)) = cur.as_mut() else {
                        continue;
                    };
                    match name.as_ref() {
                        "w:name" => style.name = val(&e).unwrap_or_default().to_lowercase(),
                        "w:basedOn" => style.based_on = val(&e),
                        "w:outlineLvl" if in_ppr => style.outline = val(&e).and_then(|v| v.parse().ok()),
                        "w:numPr" if in_ppr => style.numbered = Some(true),
                        "w:numId" if in_ppr && val(&e).as_deref() == Some("0") => {
                            style.numbered = Some(false)
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    "w:style" => {
                        if let Some((id, style)) = cur.take() {
                            styles.by_id.insert(id, style);
                        }
                    }
                    "w:pPr" => in_ppr = false,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(styles)
    }

    /// The style and the styles it is based on, nearest first.
    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (&'a str, Option<&'a Style>)> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.by_id.get(id);
            next = style.and_then(|s| s.based_on.as_deref());
            Some((id, style))
        })
        .take(MAX_STYLE_CHAIN)
    }

    /// The heading level a paragraph style gives, by its name (`heading 2`,
    /// `Title`; the id when styles.xml lacks it) or its outline level,
    /// inherited through `basedOn`.
    fn heading_level(&self, id: &str) -> Option<u8> {
        for (id, style) in self.chain(id) {
            let name = style.map_or_else(|| id.to_lowercase(), |s| s.name.clone());
            if let Some(level) = heading_name_level(&name) {
                return Some(level);
            }
            if let Some(outline) = style.and_then(|s| s.outline) {
                return outline_level(outline);
            }
        }
        None
    }

    /// Whether a paragraph style numbers or bullets its paragraphs.
    fn is_list(&self, id: &str) -> bool {
        for (id, style) in self.chain(id) {
            let name = style.map_or_else(|| id.to_lowercase(), |s| s.name.clone());
            // Word's List Paragraph, List Bullet (2-5), List Number (2-5);
            // not LibreOffice's "List", a body-text style.
            if ["list paragraph", "list bullet", "list number"]
                .iter()
                .any(|p| name.starts_with(p))
            {
                return true;
            }
            if let Some(numbered) = style.and_then(|s| s.numbered) {
                return numbered;
            }
        }
        false
    }

    fn is_table_heading(&self, id: &str) -> bool {
        let name = self
            .by_id
            .get(id)
            .map_or_else(|| id.to_lowercase(), |s| s.name.clone());
        matches!(
            name.as_str(),
            "table heading" | "table header" | "tableheading" | "tableheader"
        )
    }
}

/// `heading 3` (or the id `Heading3`) gives 3, `title` 1.
fn heading_name_level(name: &str) -> Option<u8> {
    if name == "title" {
        return Some(1);
    }
    let rest = name.strip_prefix("heading")?.trim_start();
    match rest.parse::<u8>() {
        Ok(n @ 1..=9) => Some(n.min(6)),
        _ => None,
    }
}

/// Outline levels 0-8 are headings 1-9 (capped at 6); 9 is body text.
fn outline_level(outline: u8) -> Option<u8> {
    (outline < 9).then(|| (outline + 1).min(6))
}

/// One line of the synthetic source.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    kind: BlockKind,
    text: String,
    /// Which table the cell belongs to, counted from 0.
    table: Option<usize>,
}

/// A paragraph's properties, as `w:pPr` gives them.
#[derive(Debug, Default)]
struct Para {
    style: Option<String>,
    outline: Option<u8>,
    numbered: Option<bool>,
}

/// Elements whose whole content is not visible text, or is a change's old
/// state: tracked deletions and moves' sources, field codes, drawings and
/// text boxes, the fallback of alternate content, and old properties.
const SKIPPED: &[&str] = &[
    "w:del",
    "w:moveFrom",
    "w:delText",
    "w:instrText",
    "w:delInstrText",
    "w:drawing",
    "w:pict",
    "w:object",
    "mc:Fallback",
    "w:pPrChange",
    "w:rPrChange",
    "w:sectPrChange",
    "w:tblPrChange",
    "w:trPrChange",
    "w:tcPrChange",
    "w:numberingChange",
];

/// Walks `word/document.xml` and returns its lines of text.
fn paragraphs(xml: &str, styles: &Styles) -> Result<Vec<Line>, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut para = Para::default();
    // Depth inside a skipped element (0: not skipping).
    let mut skip = 0usize;
    let (mut in_ppr, mut in_rpr, mut in_t, mut hidden) = (false, false, false, false);
    // Open fields: whether each has reached its result (`separate`).
    let mut fields: Vec<bool> = Vec::new();
    // Tables: nesting depth, how many began, the current one, and the
    // header state of the current row and cell.
    let (mut depth, mut tables, mut table) = (0usize, 0usize, None);
    let (mut header_row, mut header_cell, mut cells) = (false, false, 0usize);
    loop {
        let ev = reader.read_event().map_err(|e| xml_error(DOCUMENT, &reader, e))?;
        if skip > 0 {
            match ev {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        let visible = |fields: &[bool], hidden: bool| !hidden && fields.iter().all(|&r| r);
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) if SKIPPED.contains(&e.name().as_ref()) => skip = 1,
            Event::Start(e) if in_ppr && e.name().as_ref() == "w:rPr" => skip = 1,
            Event::Start(e) | Event::Empty(e) => {
                match e.name().as_ref() {
                    "w:p" => {
                        para = Para::default();
                        if cells == 0 {
                            line.clear();
                        } else if !line.is_empty() {
                            line.push(' ');
                        }
                    }
                    "w:pPr" if !empty => in_ppr = true,
                    "w:pStyle" if in_ppr => {
                        para.style = val(&e);
                        if cells > 0 && para.style.as_deref().is_some_and(|s| styles.is_table_heading(s)) {
                            header_cell = true;
                        }
                    }
                    "w:outlineLvl" if in_ppr => para.outline = val(&e).and_then(|v| v.parse().ok()),
                    "w:numPr" if in_ppr => para.numbered = Some(true),
                    "w:numId" if in_ppr && val(&e).as_deref() == Some("0") => para.numbered = Some(false),
                    "w:r" => hidden = false,
                    "w:rPr" if !empty => in_rpr = true,
                    "w:vanish" if in_rpr => hidden = on(&e),
                    "w:t" if !empty => in_t = true,
                    "w:tab" | "w:ptab" | "w:br" | "w:cr" if !in_ppr && visible(&fields, hidden) => {
                        line.push(' ')
                    }
                    "w:noBreakHyphen" if visible(&fields, hidden) => line.push('-'),
                    "w:fldChar" => match attr(&e, "w:fldCharType").as_deref() {
                        Some("begin") => fields.push(false),
                        Some("separate") => {
                            if let Some(top) = fields.last_mut() {
                                *top = true;
                            }
                        }
                        Some("end") => {
                            fields.pop();
                        }
                        _ => {}
                    },
                    "w:tbl" if !empty => {
                        if cells > 0 {
                            // A table inside a cell: the text before it is a cell of its own.
                            flush(&mut lines, &mut line, cell_kind(header_cell), table);
                        }
                        depth += 1;
                        if depth == 1 {
                            table = Some(tables);
                            tables += 1;
                        }
                    }
                    "w:tr" => header_row = false,
                    "w:tblHeader" => header_row = on(&e),
                    "w:tc" if !empty => {
                        cells += 1;
                        line.clear();
                        header_cell = header_row;
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t && visible(&fields, hidden) => line.push_str(&t.xml10_content()),
            Event::CData(t) if in_t && visible(&fields, hidden) => line.push_str(&t),
            Event::GeneralRef(r) if in_t && visible(&fields, hidden) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_xml_entity(&r.xml10_content()).map(str::to_owned),
                };
                line.push_str(&resolved.unwrap_or_default());
            }
            Event::End(e) => match e.name().as_ref() {
                "w:p" if cells == 0 => {
                    let kind = paragraph_kind(&para, styles);
                    flush(&mut lines, &mut line, kind, None);
                }
                "w:pPr" => in_ppr = false,
                "w:rPr" => in_rpr = false,
                "w:t" => in_t = false,
                "w:tc" => {
                    flush(&mut lines, &mut line, cell_kind(header_cell), table);
                    cells = cells.saturating_sub(1);
                }
                "w:tbl" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        table = None;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(lines)
}

fn cell_kind(header: bool) -> BlockKind {
    if header {
        BlockKind::TableHeader
    } else {
        BlockKind::TableCell
    }
}

/// A heading (its outline level, else its style's), a list item (its own
/// numbering, else its style's), or a paragraph.
fn paragraph_kind(para: &Para, styles: &Styles) -> BlockKind {
    let style = para.style.as_deref();
    let level = match para.outline {
        Some(outline) => outline_level(outline),
        None => style.and_then(|s| styles.heading_level(s)),
    };
    if let Some(level) = level {
        return BlockKind::Heading(level);
    }
    let listed = para
        .numbered
        .unwrap_or_else(|| style.is_some_and(|s| styles.is_list(s)));
    if listed {
        BlockKind::ListItem
    } else {
        BlockKind::Paragraph
    }
}

/// Ends a line: kept when it has visible text. Line breaks inside it (from
/// literal newlines in `w:t`) become spaces, so line N stays paragraph N.
fn flush(lines: &mut Vec<Line>, line: &mut String, kind: BlockKind, table: Option<usize>) {
    let text = std::mem::take(line);
    if text.trim().is_empty() {
        return;
    }
    let text = if text.contains(['\n', '\r']) {
        text.replace(['\n', '\r'], " ")
    } else {
        text
    };
    lines.push(Line { kind, text, table });
}

/// The synthetic source, one line a paragraph, and its document.
fn build(lines: &[Line]) -> (String, Document) {
    let mut source = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    let mut b = DocumentBuilder::new(InputFormat::Docx);
    let mut table = None;
    for line in lines {
        if line.table != table {
            b.set_in_table(false);
            b.set_in_table(line.table.is_some());
            table = line.table;
        }
        if !source.is_empty() {
            source.push('\n');
        }
        let start = source.len();
        source.push_str(&line.text);
        b.start_block(line.kind);
        b.push_source(start, &line.text);
        b.end_block();
    }
    (source, b.finish())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A .docx holding `document.xml` (the body's inner XML) and optionally
    /// `styles.xml`.
    pub(crate) fn docx(body: &str, styles: Option<&str>) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file(DOCUMENT, opts).unwrap();
        write!(
            zip,
            r#"<?xml version="1.0"?><w:document {ns}><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        if let Some(s) = styles {
            zip.start_file(STYLES, opts).unwrap();
            write!(zip, r#"<w:styles {ns}>{s}</w:styles>"#).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn styled(style: &str, text: &str) -> String {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    }

    fn kinds(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind, &doc.text[b.range.clone()]))
            .collect()
    }

    #[test]
    fn paragraphs_are_lines_and_spans_are_exact() {
        let body = format!("{}<w:p/>{}", p("We  do not sell."), p("Ask &amp; we delete."));
        let (src, doc) = read(&docx(&body, None)).unwrap();
        assert_eq!(src, "We  do not sell.\nAsk & we delete.");
        assert_eq!(doc.text, "We do not sell.\n\nAsk & we delete.");
        let at = doc.text.find("delete").unwrap();
        assert_eq!(&src[doc.source_range(at..at + 6)], "delete");
    }

    #[test]
    fn headings_resolve_through_style_names_and_outline_levels() {
        let styles = r#"<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Mine"/><w:basedOn w:val="berschrift2"/></w:style>
            <w:style w:type="paragraph" w:styleId="Big"><w:name w:val="Big"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/><w:basedOn w:val="Loop"/></w:style>
            <w:style w:type="paragraph" w:styleId="Bullets"><w:name w:val="List Bullet"/></w:style>"#;
        let body = [
            styled("Title", "Policy"),
            styled("berschrift2", "Rights"),
            styled("Mine", "Deletion"),
            styled("Big", "Children"),
            styled("Loop", "Loops"),
            styled("Bullets", "one"),
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>two</w:t></w:r></w:p>"#.into(),
            r#"<w:p><w:pPr><w:pStyle w:val="Bullets"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>not a list</w:t></w:r></w:p>"#.into(),
        ]
        .concat();
        let (_, doc) = read(&docx(&body, Some(styles))).unwrap();
        use BlockKind::*;
        assert_eq!(
            kinds(&doc),
            vec![
                (Heading(1), "Policy"),
                (Heading(2), "Rights"),
                (Heading(2), "Deletion"),
                (Heading(1), "Children"),
                (Paragraph, "Loops"),
                (ListItem, "one"),
                (ListItem, "two"),
                (Paragraph, "not a list"),
            ]
        );
        // Without styles.xml the ids speak for themselves.
        let (_, doc) = read(&docx(&styled("Heading3", "Rights"), None)).unwrap();
        assert_eq!(doc.blocks[0].kind, Heading(3));
    }

    #[test]
    fn tracked_changes_fields_and_hidden_text() {
        let body = r#"<w:p>
            <w:r><w:t xml:space="preserve">We </w:t></w:r>
            <w:del w:id="1"><w:r><w:delText>never </w:delText></w:r></w:del>
            <w:ins w:id="2"><w:r><w:t xml:space="preserve">sometimes </w:t></w:r></w:ins>
            <w:moveFrom w:id="3"><w:r><w:t>gone </w:t></w:r></w:moveFrom>
            <w:moveTo w:id="4"><w:r><w:t xml:space="preserve">share </w:t></w:r></w:moveTo>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "x"</w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>data</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
            <w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r>
            <w:r><w:tab/><w:t>now</w:t><w:br/><w:t>.</w:t></w:r>
            <w:commentRangeStart w:id="5"/><w:r><w:commentReference w:id="5"/></w:r>
            </w:p>"#;
        let (src, _) = read(&docx(body, None)).unwrap();
        assert_eq!(src, "We sometimes share data now .");
    }

    #[test]
    fn table_cells_are_lines_of_their_table() {
        let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
        let body = format!(
            "{}<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr><w:tr>{}<w:tc>{}{}</w:tc></w:tr></w:tbl>{}",
            p("Before"),
            cell("Data"),
            cell("Kept"),
            cell("Email"),
            p("Two"),
            p("years"),
            p("After"),
        );
        let (src, doc) = read(&docx(&body, None)).unwrap();
        assert_eq!(src, "Before\nData\nKept\nEmail\nTwo years\nAfter");
        use BlockKind::*;
        let got: Vec<_> = doc.blocks.iter().map(|b| (b.kind, b.table)).collect();
        assert_eq!(
            got,
            vec![
                (Paragraph, None),
                (TableHeader, Some(0)),
                (TableHeader, Some(0)),
                (TableCell, Some(0)),
                (TableCell, Some(0)),
                (Paragraph, None),
            ]
        );
    }

    #[test]
    fn compound_files_and_corrupt_archives_are_named() {
        let mut cfb = CFB_SIGNATURE.to_vec();
        cfb.extend(vec![0; 64]);
        assert_eq!(read(&cfb).unwrap_err(), DocxError::Compound);
        let mut enc = cfb.clone();
        enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read(&enc).unwrap_err(), DocxError::Encrypted);
        let mut doc = cfb.clone();
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read(&doc).unwrap_err(), DocxError::LegacyDoc);
        assert_eq!(
            read(b"We sell data.").unwrap_err().to_string(),
            "corrupt .docx: not a ZIP archive"
        );
        let truncated = &docx(&p("x"), None)[..40];
        assert!(matches!(read(truncated), Err(DocxError::Corrupt(_))));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        let no_document = zip.finish().unwrap().into_inner();
        assert_eq!(
            read(&no_document).unwrap_err().to_string(),
            "corrupt .docx: no word/document.xml: not a Word document"
        );
        let bad_xml = docx("<w:p><w:r><w:t>x</w:r></w:p>", None);
        let err = read(&bad_xml).unwrap_err().to_string();
        assert!(
            err.starts_with("corrupt .docx: word/document.xml: malformed XML"),
            "{err}"
        );
    }

    #[test]
    fn limits_hold_against_what_the_headers_say_and_what_the_data_is() {
        let big = docx(&p(&"x".repeat(5000)), None);
        let small = Limits {
            entries: 10,
            part_bytes: 1000,
            total_bytes: 2000,
        };
        let err = read_with(&big, &small).unwrap_err();
        assert!(matches!(err, DocxError::TooLarge(_)), "{err}");
        let few = Limits { entries: 1, ..LIMITS };
        assert_eq!(
            read_with(&big, &few).unwrap_err().to_string(),
            "refused .docx (zip bomb?): 2 entries in the archive, over the limit of 1"
        );
        assert!(read(&big).is_ok());
        // Headers that understate the size: the data itself is what counts.
        let mut lying = big.clone();
        for sig in [&b"PK\x03\x04"[..], b"PK\x01\x02"] {
            let size_at = if sig[2] == 3 { 22 } else { 24 };
            let mut i = 0;
            while let Some(p) = lying[i..].windows(4).position(|w| w == sig) {
                let at = i + p;
                lying[at + size_at..at + size_at + 4].copy_from_slice(&100u32.to_le_bytes());
                i = at + 4;
            }
        }
        // `zip` itself stops at the declared size (our `take()` is the
        // second guard), so this is refused as corrupt, under any limits.
        for limits in [&small, &LIMITS] {
            let err = read_with(&lying, limits).unwrap_err().to_string();
            assert!(
                err.contains("larger than its declared uncompressed size"),
                "{err}"
            );
        }
    }
}
