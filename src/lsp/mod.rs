//! `privlint lsp`: a Language Server over stdio (see `docs/editors.md`).
//! Documents are linted through the library as `check` lints files, with
//! the configuration found for each document's path.

mod actions;
pub mod convert;
mod document;
mod server;
mod workspace;

pub use server::{Ended, run};
