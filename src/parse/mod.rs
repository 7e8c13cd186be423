//! Stage 2: text to [`Document`].
//!
//! Each parser walks its format with a tokenizer that reports source offsets
//! and feeds visible text to a [`DocumentBuilder`], which records the offset
//! map. No parser ever searches the source for text it has produced.

mod html;
mod markdown;
#[cfg(test)]
mod test_support;
mod text;

use crate::document::{Document, InputFormat};

pub use crate::document::DocumentBuilder;

/// Parses decoded text in the given format.
pub fn parse(text: &str, format: InputFormat) -> Document {
    let mut doc = match format {
        InputFormat::Markdown => markdown::parse(text),
        InputFormat::Html => html::parse(text),
        InputFormat::Text => text::parse(text),
    };
    doc.language = crate::language::detect(&doc.text);
    doc
}
