use std::io::{self, Write};

use super::{Renderer, Summary};
use crate::finding::FileReport;

#[derive(Debug, Default)]
pub struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn file(&mut self, _out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
