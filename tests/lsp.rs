//! `privlint lsp` driven over stdio as an editor drives it: JSON-RPC with
//! Content-Length framing, initialize, didOpen, didChange, code actions,
//! watched configuration files, shutdown and exit. Every wait has a
//! timeout, so a hung server fails the test instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);
const SAFE_HARBOR: &str = "safe-harbor/eu-us-safe-harbor";
const RETENTION: &str = "retention/stated";

/// A Markdown policy whose only findings are a Safe Harbor claim on line
/// 15, after "é" and "😀" (so UTF-16, UTF-8 and char columns all differ),
/// and no retention period (a whole-document finding, on the title).
fn policy() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp/policy.md");
    std::fs::read_to_string(path).unwrap()
}

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_privlint"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if stdout.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    /// Starts the server and initializes it, offering `capabilities`.
    fn initialized(dir: &Path, capabilities: Value) -> (Client, Value) {
        let mut client = Client::start(dir);
        let result = client.request(
            "initialize",
            json!({ "processId": null, "capabilities": capabilities }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its whole response (result or error).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next message `pred` accepts; the others are dropped.
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no awaited message from the server in {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m =
            self.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
        self.diagnostics(uri)
    }

    fn code_actions(&mut self, uri: &str, at: &Value) -> Vec<Value> {
        let result = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": at, "end": at },
                "context": { "diagnostics": [] },
            }),
        );
        result.as_array().unwrap().clone()
    }

    /// Shuts the server down and returns its exit status.
    fn shutdown(mut self) -> i32 {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    fn wait_exit(mut self) -> i32 {
        drop(self.stdin);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn file_uri(path: &Path) -> String {
    let path = path.to_str().unwrap();
    assert!(
        path.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-._".contains(&b)),
        "{path}"
    );
    format!("file://{path}")
}

fn with_rule<'a>(diags: &'a [Value], rule: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == rule).collect()
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The byte offset of a UTF-16 LSP position in `text`, computed here
/// independently of the server.
fn utf16_offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let character = pos["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units == character {
            return start + i;
        }
        units += c.len_utf16();
    }
    assert_eq!(units, character);
    text.len()
}

/// Applies a code action's single insertion to `text`.
fn apply(text: &str, uri: &str, action: &Value) -> String {
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{action}");
    let range = &edits[0]["range"];
    assert_eq!(range["start"], range["end"], "an insertion: {action}");
    let at = utf16_offset(text, &range["start"]);
    let mut out = text.to_owned();
    out.insert_str(at, edits[0]["newText"].as_str().unwrap());
    out
}

#[test]
fn lints_on_open_and_change_with_exact_utf16_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("policy.md"));
    let (mut client, init) = Client::initialized(dir.path(), json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1, "full sync");

    let text = policy();
    let diags = client.open(&uri, "markdown", &text);
    assert_eq!(codes(&diags), [RETENTION, SAFE_HARBOR], "{diags:?}");
    let d = with_rule(&diags, SAFE_HARBOR)[0];
    // Line 15, after "Café 😀 complies with the ": 25 chars, 26 UTF-16
    // units, 29 bytes; the match is "U.S.-EU Safe Harbor" (19 units).
    assert_eq!(
        d["range"],
        json!({ "start": { "line": 14, "character": 26 }, "end": { "line": 14, "character": 45 } })
    );
    let start = utf16_offset(&text, &d["range"]["start"]);
    let end = utf16_offset(&text, &d["range"]["end"]);
    assert_eq!(&text[start..end], "U.S.-EU Safe Harbor");
    assert_eq!(d["severity"], 1, "error");
    assert_eq!(d["source"], "privlint");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("/docs/rules/safe-harbor/eu-us-safe-harbor.md")),
        "{d}"
    );
    // A missing statement points at the title, as in `check`: "Privacy
    // Policy of Café Lumière 😀" after "# ", 33 UTF-16 units.
    let r = with_rule(&diags, RETENTION)[0];
    assert_eq!(
        r["range"],
        json!({ "start": { "line": 0, "character": 2 }, "end": { "line": 0, "character": 35 } })
    );
    let start = utf16_offset(&text, &r["range"]["start"]);
    let end = utf16_offset(&text, &r["range"]["end"]);
    assert_eq!(&text[start..end], "Privacy Policy of Café Lumière 😀");

    // Fixed: the claim is gone; a retention period is added.
    let fixed = text
        .replace(
            "the U.S.-EU Safe Harbor Framework",
            "the EU-U.S. Data Privacy Framework",
        )
        .replace(
            "Every e-mail",
            "We keep your data for 30 days after you close your account.\n\nEvery e-mail",
        );
    let diags = client.change(&uri, 2, &fixed);
    assert!(diags.is_empty(), "{diags:?}");
    // And back: diagnostics follow the latest text.
    let diags = client.change(&uri, 3, &text);
    assert_eq!(codes(&diags), [RETENTION, SAFE_HARBOR]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("policy.md"));
    let caps = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let (mut client, init) = Client::initialized(dir.path(), caps);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let diags = client.open(&uri, "markdown", &policy());
    let d = with_rule(&diags, SAFE_HARBOR)[0];
    assert_eq!(
        d["range"],
        json!({ "start": { "line": 14, "character": 29 }, "end": { "line": 14, "character": 48 } })
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn code_actions_insert_suppressions_that_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.md");
    let uri = file_uri(&file);
    let text = policy();
    // On disk too, to check that nothing writes to it: the editor applies
    // the edits, to its buffer.
    std::fs::write(&file, &text).unwrap();
    let (mut client, _) = Client::initialized(dir.path(), json!({}));
    let diags = client.open(&uri, "markdown", &text);

    // The Safe Harbor claim: for its block, or the file.
    let at = with_rule(&diags, SAFE_HARBOR)[0]["range"]["start"].clone();
    let actions = client.code_actions(&uri, &at);
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            format!("Suppress {SAFE_HARBOR} in this block"),
            format!("Suppress {SAFE_HARBOR} in this file")
        ]
    );
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["diagnostics"][0]["code"], SAFE_HARBOR);
    let edited = apply(&text, &uri, &actions[0]);
    assert!(
        edited.contains(&format!(
            "\n<!-- privlint-disable-next-block {SAFE_HARBOR} -- TODO: reason -->\nCafé 😀 complies"
        )),
        "{edited}"
    );
    let diags = client.change(&uri, 2, &edited);
    assert_eq!(
        codes(&diags),
        [RETENTION],
        "suppressed, and no unused-suppression: {diags:?}"
    );

    // The missing retention period is about the whole policy: only a
    // file-wide directive silences it.
    let at = with_rule(&diags, RETENTION)[0]["range"]["start"].clone();
    let actions = client.code_actions(&uri, &at);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["title"], format!("Suppress {RETENTION} in this file"));
    let edited = apply(&edited, &uri, &actions[0]);
    assert!(
        edited.contains(&format!(
            "<!-- privlint-disable-file {RETENTION} -- TODO: reason -->"
        )),
        "{edited}"
    );
    let diags = client.change(&uri, 3, &edited);
    assert!(diags.is_empty(), "{diags:?}");

    // Nowhere near a finding: nothing to offer.
    let actions = client.code_actions(&uri, &json!({ "line": 2, "character": 0 }));
    assert!(actions.is_empty(), "{actions:?}");
    assert_eq!(client.shutdown(), 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["policy.md"]);
}

#[test]
fn plain_text_gets_no_suppression_action() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("policy.txt"));
    let (mut client, _) = Client::initialized(dir.path(), json!({}));
    let diags = client.open(&uri, "plaintext", &policy());
    let at = with_rule(&diags, SAFE_HARBOR)[0]["range"]["start"].clone();
    assert!(client.code_actions(&uri, &at).is_empty());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn html_suppression_goes_before_the_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("policy.html"));
    let (mut client, _) = Client::initialized(dir.path(), json!({}));
    // Minified: everything on one line, so the comment cannot go on a line
    // of its own before the paragraph.
    let text = "<html><body><h1>Privacy</h1><p>We keep data for 30 days.</p>\
        <p>We comply with the U.S.-EU Safe Harbor Framework.</p></body></html>";
    let diags = client.open(&uri, "html", text);
    let at = with_rule(&diags, SAFE_HARBOR)[0]["range"]["start"].clone();
    let actions = client.code_actions(&uri, &at);
    assert_eq!(
        actions[0]["title"],
        format!("Suppress {SAFE_HARBOR} in this block")
    );
    let edited = apply(text, &uri, &actions[0]);
    let diags = client.change(&uri, 2, &edited);
    assert!(with_rule(&diags, SAFE_HARBOR).is_empty(), "{edited}\n{diags:?}");
    assert!(
        codes(&diags).iter().all(|c| !c.starts_with("privlint/")),
        "{diags:?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn configuration_changes_reload_and_errors_show_on_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("policy.md"));
    let config = dir.path().join(".privlint.yaml");
    let config_uri = file_uri(&config);
    let caps = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let (mut client, _) = Client::initialized(dir.path(), caps);
    // The server asks to be told of YAML changes.
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&Value> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["globPattern"])
        .collect();
    assert!(globs.contains(&&json!("**/*.yaml")), "{register}");
    let id = register["id"].clone();
    client.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }));

    let diags = client.open(&uri, "markdown", &policy());
    assert_eq!(codes(&diags), [RETENTION, SAFE_HARBOR]);

    let changed = |client: &mut Client| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": config_uri, "type": 1 }] }),
        );
    };
    std::fs::write(&config, format!("rules:\n  {SAFE_HARBOR}: off\n")).unwrap();
    changed(&mut client);
    assert_eq!(codes(&client.diagnostics(&uri)), [RETENTION]);

    // A broken configuration: an error on the file, at its line; the
    // policy has no diagnostics, and the server keeps serving.
    std::fs::write(&config, "rules:\n  retention/stated: off\n  nonsense/rule: off\n").unwrap();
    changed(&mut client);
    assert!(client.diagnostics(&uri).is_empty());
    let errors = client.diagnostics(&config_uri);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["severity"], 1);
    assert_eq!(errors[0]["range"]["start"]["line"], 2, "{errors:?}");
    assert!(
        errors[0]["message"].as_str().unwrap().contains("nonsense/rule"),
        "{errors:?}"
    );

    // Saving a fixed configuration (a client without file watching)
    // reloads it too, and clears the error.
    std::fs::write(&config, "rules:\n  retention/stated: off\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": config_uri } }),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), [SAFE_HARBOR]);
    assert!(client.diagnostics(&config_uri).is_empty());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn untitled_documents_lint_with_the_default_packs() {
    let dir = tempfile::tempdir().unwrap();
    // A configuration in the server's folder does not apply to a
    // document with no path.
    std::fs::write(
        dir.path().join(".privlint.yaml"),
        format!("rules:\n  {SAFE_HARBOR}: off\n"),
    )
    .unwrap();
    let (mut client, _) = Client::initialized(dir.path(), json!({}));
    let diags = client.open("untitled:Untitled-1", "markdown", &policy());
    assert_eq!(codes(&diags), [RETENTION, SAFE_HARBOR]);
    // A byte order mark the decoder drops is still a character of the
    // editor's text: one UTF-16 unit before "We comply with the ".
    let diags = client.open(
        "untitled:Untitled-2",
        "markdown",
        "\u{feff}We comply with the U.S.-EU Safe Harbor Framework.",
    );
    assert_eq!(
        with_rule(&diags, SAFE_HARBOR)[0]["range"]["start"],
        json!({ "line": 0, "character": 20 })
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn protocol_errors_are_answered_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    // Before initialize: ServerNotInitialized.
    let early = client.call("textDocument/codeAction", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));
    let unknown = client.call("privlint/nonsense", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = client.call("textDocument/codeAction", json!({ "textDocument": 3 }));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    // Notifications about documents never opened, or malformed ones, are dropped.
    client.notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///nowhere.md", "version": 2 }, "contentChanges": [{ "text": "x" }] }));
    client.notify("textDocument/didOpen", json!({ "textDocument": 7 }));
    // Still serving.
    let diags = client.open(
        "untitled:x",
        "markdown",
        "We comply with the U.S.-EU Safe Harbor Framework.",
    );
    assert!(codes(&diags).contains(&SAFE_HARBOR.to_owned()), "{diags:?}");
    // A ranged change, though the server asked for whole texts: applied.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": "untitled:x", "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 19 }, "end": { "line": 0, "character": 48 } },
                "text": "EU-U.S. Data Privacy Framework",
            }],
        }),
    );
    let diags = client.diagnostics("untitled:x");
    assert!(
        !diags.is_empty() && with_rule(&diags, SAFE_HARBOR).is_empty(),
        "{diags:?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_is_status_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path(), json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 1);
}

#[test]
fn excluded_documents_get_no_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".privlint.yaml"), "exclude: [\"drafts/**\"]\n").unwrap();
    let drafts = dir.path().join("drafts");
    std::fs::create_dir(&drafts).unwrap();
    let (mut client, _) = Client::initialized(dir.path(), json!({}));
    assert!(
        client
            .open(&file_uri(&drafts.join("p.md")), "markdown", &policy())
            .is_empty()
    );
    let diags = client.open(&file_uri(&dir.path().join("p.md")), "markdown", &policy());
    assert_eq!(codes(&diags), [RETENTION, SAFE_HARBOR]);
    assert_eq!(client.shutdown(), 0);
}
