//! The server loop: initialize, then documents opened, changed, saved and
//! closed, watched configuration files, code actions, shutdown.
//!
//! Synchronous, one message at a time: a lint finishes before the next
//! message is read, so diagnostics always belong to the latest text the
//! server has seen. Every handler runs under `catch_unwind`: a bug that
//! panics on one document fails that request, not the editor's session.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CodeDescription, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, InitializeParams, InitializeResult, Location,
    LogMessageParams, MessageType, NumberOrString, PublishDiagnosticsParams, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::document::InputFormat;
use crate::finding::{FileStatus, Finding};
use crate::lint::MAX_FILE_BYTES;
use crate::lsp::actions::{self, Context};
use crate::lsp::convert::{self, Encoding, Positions};
use crate::lsp::document::{self, OpenDocument};
use crate::lsp::workspace::{self, Configs, Loaded};
use crate::pack::PackError;
use crate::rule::Severity;

/// How the session ended, for the exit status: the protocol asks for 0
/// after `shutdown` then `exit`, 1 for an `exit` (or a closed input)
/// without `shutdown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Shutdown,
    WithoutShutdown,
}

/// Serves one client on `connection` until it exits.
pub fn run(connection: &Connection) -> Result<Ended, lsp_server::ProtocolError> {
    let (id, params) = connection.initialize_start()?;
    // A client whose parameters do not parse is served as one that
    // offers nothing optional.
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let encoding = Encoding::negotiate(offered);
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "privlint".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result).unwrap_or_default())?;
    let mut server = Server {
        conn: connection,
        encoding,
        docs: HashMap::new(),
        configs: Configs::default(),
        config_errors: Vec::new(),
        next_id: 0,
    };
    let dynamic_watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    if dynamic_watch {
        server.watch_yaml();
    }
    server.serve()
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

struct Server<'c> {
    conn: &'c Connection,
    encoding: Encoding,
    docs: HashMap<Uri, OpenDocument>,
    configs: Configs,
    /// The configuration and pack files with an error, and the diagnostics
    /// published on them, so that they are cleared once fixed.
    config_errors: Vec<(Uri, Vec<Diagnostic>)>,
    next_id: i32,
}

impl Server<'_> {
    fn serve(&mut self) -> Result<Ended, lsp_server::ProtocolError> {
        while let Ok(msg) = self.conn.receiver.recv() {
            match msg {
                Message::Request(req) => {
                    if self.conn.handle_shutdown(&req)? {
                        return Ok(Ended::Shutdown);
                    }
                    self.request(req);
                }
                Message::Notification(n) if n.method == "exit" => return Ok(Ended::WithoutShutdown),
                Message::Notification(n) => {
                    let method = n.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                        self.log(
                            MessageType::ERROR,
                            format!("privlint failed on {method}; see its log"),
                        );
                    }
                }
                // Answers to our registration request; nothing to do.
                Message::Response(_) => {}
            }
        }
        Ok(Ended::WithoutShutdown)
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let response = match req.method.as_str() {
            CodeActionRequest::METHOD => match serde_json::from_value::<CodeActionParams>(req.params) {
                Ok(params) => match catch_unwind(AssertUnwindSafe(|| self.code_actions(&params))) {
                    Ok(actions) => Response::new_ok(id, actions),
                    Err(_) => error(id, ErrorCode::InternalError, "privlint failed on this request"),
                },
                Err(e) => error(id, ErrorCode::InvalidParams, &e.to_string()),
            },
            method => error(id, ErrorCode::MethodNotFound, &format!("unknown method {method}")),
        };
        self.send(response.into());
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<DidOpenTextDocumentParams>(n) {
                    let d = p.text_document;
                    let doc = OpenDocument::new(d.uri.clone(), &d.language_id, d.version, d.text);
                    self.docs.insert(d.uri.clone(), doc);
                    self.lint(&d.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<DidChangeTextDocumentParams>(n) {
                    let uri = p.text_document.uri;
                    let Some(doc) = self.docs.get_mut(&uri) else {
                        return;
                    };
                    // Whole texts, as the server asked; a ranged change from
                    // a client that sends them anyway is applied in order.
                    for change in p.content_changes {
                        match change.range {
                            None => doc.text = change.text,
                            Some(r) => {
                                let start = convert::offset(&doc.text, r.start, self.encoding);
                                let end = convert::offset(&doc.text, r.end, self.encoding).max(start);
                                doc.text.replace_range(start..end, &change.text);
                            }
                        }
                    }
                    doc.version = p.text_document.version;
                    self.lint(&uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<DidCloseTextDocumentParams>(n)
                    && self.docs.remove(&p.text_document.uri).is_some()
                {
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(p) = params::<DidSaveTextDocumentParams>(n)
                    && convert::uri_to_path(&p.text_document.uri)
                        .is_some_and(|p| workspace::is_config_input(&p))
                {
                    self.reload();
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<DidChangeWatchedFilesParams>(n)
                    && p.changes
                        .iter()
                        .any(|c| convert::uri_to_path(&c.uri).is_some_and(|p| workspace::is_config_input(&p)))
                {
                    self.reload();
                }
            }
            // `initialized`, `$/cancelRequest` (requests are answered at
            // once), and anything else a client may send.
            _ => {}
        }
    }

    /// Reads every configuration again and lints every open document.
    fn reload(&mut self) {
        self.configs.clear();
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        for uri in &uris {
            self.lint(uri);
        }
        self.sync_config_errors();
    }

    /// Lints an open document and publishes what it found.
    fn lint(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else { return };
        let Some(format) = doc.format else { return };
        let loaded = self.configs.for_document(doc.path.as_deref());
        let findings = match &loaded {
            Ok(loaded) => self.findings(doc, loaded, format),
            // The error is shown on the configuration file instead.
            Err(_) => Vec::new(),
        };
        let positions = Positions::new(&doc.text, self.encoding);
        let diagnostics = findings.iter().map(|f| diagnostic(&positions, uri, f)).collect();
        let version = doc.version;
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.findings = findings;
        }
        self.publish(uri.clone(), diagnostics, Some(version));
        if loaded.is_err() {
            self.sync_config_errors();
        }
    }

    /// What linting a document finds: nothing when its configuration
    /// excludes it or it cannot be linted (too big, binary), which is logged.
    fn findings(&self, doc: &OpenDocument, loaded: &Loaded, format: InputFormat) -> Vec<Finding> {
        let path = doc.path.as_deref();
        if path.is_some_and(|p| loaded.config.is_excluded(p)) {
            return Vec::new();
        }
        if doc.text.len() as u64 > MAX_FILE_BYTES {
            let limit = MAX_FILE_BYTES >> 20;
            self.log(
                MessageType::WARNING,
                format!(
                    "{}: not linted: over the {limit} MiB limit for a policy",
                    doc.display()
                ),
            );
            return Vec::new();
        }
        let report = document::lint(loaded, path, doc.display(), &doc.text, format);
        match report.status {
            FileStatus::Linted => report.findings,
            FileStatus::Skipped(why) | FileStatus::Failed(why) => {
                self.log(
                    MessageType::WARNING,
                    format!("{}: not linted: {why}", report.path),
                );
                Vec::new()
            }
        }
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let wanted = params.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
        });
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let (Some(format), true) = (doc.format, wanted) else {
            return Vec::new();
        };
        let Ok(loaded) = self.configs.for_document(doc.path.as_deref()) else {
            return Vec::new();
        };
        let positions = Positions::new(&doc.text, self.encoding);
        let cx = Context {
            loaded: &loaded,
            path: doc.path.as_deref(),
            text: &doc.text,
            format,
            findings: &doc.findings,
        };
        let mut out = Vec::new();
        for f in &doc.findings {
            let diag = diagnostic(&positions, uri, f);
            if !convert::touches(&diag.range, &params.range) {
                continue;
            }
            for s in actions::suppressions(&cx, f) {
                let at = positions.position(s.at);
                let edit = TextEdit::new(lsp_types::Range::new(at, at), s.text);
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: s.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(WorkspaceEdit::new(HashMap::from([(uri.clone(), vec![edit])]))),
                    ..CodeAction::default()
                }));
            }
        }
        out
    }

    /// Publishes each broken configuration's error on its file (and says
    /// so once in a message), and clears the files that were fixed.
    fn sync_config_errors(&mut self) {
        // Few files, so a list (and `Uri` makes a poor map key: clippy's
        // `mutable_key_type`).
        let mut now: Vec<(Uri, Vec<Diagnostic>)> = Vec::new();
        let errors: Vec<Arc<PackError>> = self.configs.errors().cloned().collect();
        for e in &errors {
            let Some((uri, diag)) = config_diagnostic(e, self.encoding) else {
                self.log(MessageType::ERROR, e.to_string());
                continue;
            };
            match now.iter_mut().find(|(u, _)| *u == uri) {
                Some((_, list)) if list.contains(&diag) => {}
                Some((_, list)) => list.push(diag),
                None => now.push((uri, vec![diag])),
            }
        }
        let old = std::mem::take(&mut self.config_errors);
        let published = |uri: &Uri| old.iter().find(|(u, _)| u == uri).map(|(_, d)| d);
        for (uri, diags) in &now {
            if published(uri) != Some(diags) {
                for d in diags {
                    self.show(MessageType::ERROR, format!("privlint: {}", d.message));
                }
                self.publish(uri.clone(), diags.clone(), None);
            }
        }
        for (uri, _) in &old {
            if !now.iter().any(|(u, _)| u == uri) {
                self.publish(uri.clone(), Vec::new(), None);
            }
        }
        self.config_errors = now;
    }

    /// Asks the client to tell us when YAML files change: configurations
    /// and local packs.
    fn watch_yaml(&mut self) {
        let watchers = ["**/*.yaml", "**/*.yml"]
            .into_iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_owned()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "privlint-watch-yaml".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let id = RequestId::from(format!("privlint-{}", self.next_id));
        self.send(Request::new(id, RegisterCapability::METHOD.to_owned(), params).into());
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        let params = LogMessageParams { typ, message };
        self.send(Notification::new(LogMessage::METHOD.to_owned(), params).into());
    }

    fn show(&self, typ: MessageType, message: String) {
        let params = ShowMessageParams { typ, message };
        self.send(Notification::new(ShowMessage::METHOD.to_owned(), params).into());
    }

    fn send(&self, msg: Message) {
        // Fails only when the client has gone; the loop then ends too.
        let _ = self.conn.sender.send(msg);
    }
}

fn params<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
    // A notification cannot be answered; one that does not parse is dropped.
    serde_json::from_value(n.params).ok()
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_owned())
}

/// A finding as an LSP diagnostic: at its span's bytes in the text the
/// editor sent (the decoder's original offsets, so a byte order mark the
/// decoder dropped is counted), with the rule id, severity and docs link.
pub fn diagnostic(positions: &Positions, uri: &Uri, f: &Finding) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = f
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), positions.range(l.span.bytes.clone())),
            message: l.text.clone(),
        })
        .collect();
    Diagnostic {
        range: positions.range(f.span.bytes.clone()),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.id.clone())),
        code_description: f
            .rule
            .url
            .as_deref()
            .and_then(|u| u.parse().ok())
            .map(|href| CodeDescription { href }),
        source: Some("privlint".to_owned()),
        message: f.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(serde_json::json!({ "fingerprint": f.fingerprint })),
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// A configuration or pack error as a diagnostic on its file, at the
/// range the error reports (the file is read again to place it).
fn config_diagnostic(e: &PackError, encoding: Encoding) -> Option<(Uri, Diagnostic)> {
    let path = std::path::Path::new(&e.path);
    let uri = convert::path_to_uri(path)?;
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let positions = Positions::new(&text, encoding);
    let range = e.range().map(|r| positions.range(r)).unwrap_or_default();
    let mut message = format!("invalid {}: {}", e.what, e.message);
    if let Some(help) = &e.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    Some((
        uri,
        Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("privlint".to_owned()),
            message,
            ..Diagnostic::default()
        },
    ))
}
