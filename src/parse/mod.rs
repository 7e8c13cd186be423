//! Stage 2: text to [`Document`].
//!
//! Each parser walks its format with a tokenizer that reports source offsets
//! and feeds visible text to a [`DocumentBuilder`], which records the offset
//! map. No parser ever searches the source for text it has produced.

pub mod docx;
mod html;
mod markdown;
#[cfg(test)]
mod test_support;
mod text;

use crate::document::{Document, InputFormat};

pub use crate::document::DocumentBuilder;

/// Parses decoded text in the given format. A .docx is not text (see
/// [`parse_docx`]); text said to be one is read as plain text.
pub fn parse(text: &str, format: InputFormat) -> Document {
    let mut doc = match format {
        InputFormat::Markdown => markdown::parse(text),
        InputFormat::Html => html::parse(text),
        InputFormat::Text | InputFormat::Docx => text::parse(text),
    };
    doc.language = crate::language::detect(&doc.text);
    doc
}

/// Reads a .docx: its synthetic source (one paragraph a line) and the
/// document over it.
pub fn parse_docx(bytes: &[u8]) -> Result<(String, Document), docx::DocxError> {
    let (source, mut doc) = docx::read(bytes)?;
    doc.language = crate::language::detect(&doc.text);
    Ok((source, doc))
}
