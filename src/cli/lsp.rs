//! `privlint lsp`: the Language Server, on standard input and output.

use std::io;

use privlint::lsp::{self, Ended};

use super::{EXIT_CLEAN, EXIT_ERROR};

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Accepted for clients that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn lsp(_args: LspArgs) -> io::Result<i32> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let ended = lsp::run(&connection);
    // The writer thread ends once every sender is gone.
    drop(connection);
    let joined = io_threads.join();
    match (ended, joined) {
        (Ok(Ended::Shutdown), Ok(())) => Ok(EXIT_CLEAN),
        // The protocol's status for an `exit` that no `shutdown` preceded.
        (Ok(Ended::WithoutShutdown), Ok(())) => Ok(1),
        (Err(e), _) => {
            errln!("error: privlint lsp: {e}");
            Ok(EXIT_ERROR)
        }
        (Ok(_), Err(e)) => {
            errln!("error: privlint lsp: {e}");
            Ok(EXIT_ERROR)
        }
    }
}
