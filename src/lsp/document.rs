//! A document the editor has open: its text as the editor last sent it
//! (full sync), and what linting it last found.

use std::path::{Path, PathBuf};

use lsp_types::Uri;

use crate::document::InputFormat;
use crate::finding::{FileReport, Finding};
use crate::lsp::convert;
use crate::lsp::workspace::{self, Loaded};

#[derive(Debug)]
pub struct OpenDocument {
    pub uri: Uri,
    /// `None` for a document not on disk (`untitled:`).
    pub path: Option<PathBuf>,
    pub version: i32,
    pub text: String,
    /// `None` when it is not a policy: a configuration or pack file the
    /// client sends so that its saves reload the configuration.
    pub format: Option<InputFormat>,
    /// The findings of the last lint of `text`, for code actions.
    pub findings: Vec<Finding>,
}

impl OpenDocument {
    pub fn new(uri: Uri, language_id: &str, version: i32, text: String) -> Self {
        let path = convert::uri_to_path(&uri);
        let format = format_of(language_id, path.as_deref());
        OpenDocument {
            uri,
            path,
            version,
            text,
            format,
            findings: Vec::new(),
        }
    }

    /// What the user sees as the file's name in messages.
    pub fn display(&self) -> String {
        self.path
            .as_deref()
            .map_or_else(|| self.uri.as_str().to_owned(), |p| p.display().to_string())
    }
}

/// The parser for a document: by the editor's language id, else by the
/// file's extension, else plain text. YAML (configuration, packs) is not
/// linted.
fn format_of(language_id: &str, path: Option<&Path>) -> Option<InputFormat> {
    if path.is_some_and(workspace::is_config_input) {
        return None;
    }
    match language_id.to_ascii_lowercase().as_str() {
        "markdown" => Some(InputFormat::Markdown),
        "html" => Some(InputFormat::Html),
        "plaintext" | "text" => Some(InputFormat::Text),
        "yaml" => None,
        _ => Some(path.and_then(InputFormat::from_path).unwrap_or(InputFormat::Text)),
    }
}

/// Lints `text` as the document at `path` with `loaded`'s packs and the
/// selection its configuration gives that path.
pub fn lint(
    loaded: &Loaded,
    path: Option<&Path>,
    display: String,
    text: &str,
    format: InputFormat,
) -> FileReport {
    let selection = loaded.selection(path);
    loaded
        .linter
        .lint_bytes_selected(display, text.as_bytes(), format, &selection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_language_then_extension() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(
            format_of("markdown", p("/a/x.txt").as_deref()),
            Some(InputFormat::Markdown)
        );
        assert_eq!(format_of("html", None), Some(InputFormat::Html));
        assert_eq!(
            format_of("mdx", p("/a/x.md").as_deref()),
            Some(InputFormat::Markdown)
        );
        assert_eq!(format_of("whatever", None), Some(InputFormat::Text));
        assert_eq!(format_of("yaml", None), None);
        assert_eq!(format_of("plaintext", p("/a/.privlint.yaml").as_deref()), None);
    }
}
