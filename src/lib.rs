//! privlint: a compliance linter for privacy policies.
//!
//! The pipeline runs one way:
//! [`decode`] bytes to text, [`parse`] text to a [`Document`](document::Document),
//! [`engine`] evaluates compiled [`pack`]s over it into a
//! [`FileReport`](finding::FileReport), and [`render`] prints reports.
//! [`lint`] strings the stages together for one file.

pub mod baseline;
pub mod config;
pub mod decode;
pub mod diff;
pub mod document;
pub mod engine;
pub mod eval;
pub mod finding;
pub mod fingerprint;
pub mod language;
pub mod lint;
pub mod lsp;
pub mod negation;
pub mod outline;
pub mod pack;
pub mod parse;
pub mod policy_date;
pub mod render;
pub mod rule;
pub mod selection;
pub mod sentence;
pub mod span;
pub mod suppress;
pub mod walk;
