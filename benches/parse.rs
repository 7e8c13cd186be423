//! Parsing: decoded text to a `Document`, per format (language detection
//! included, as `parse::parse` does it).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use privlint::parse;

mod common;

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, size, text, format) in common::cases() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new(name, size), &text, |b, text| {
            b.iter(|| parse::parse(black_box(text), format))
        });
    }
    group.finish();
}

fn bench_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    let text = common::repeated(common::TEXT, common::LARGE_BYTES);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("utf8/100KB", |b| {
        b.iter(|| privlint::decode::decode(black_box(text.as_bytes())))
    });
    // The same text as Windows-1252 (a curly apostrophe is one byte there).
    let cp1252: Vec<u8> = text
        .replace('\'', "\u{2019}")
        .chars()
        .map(|c| if c == '\u{2019}' { 0x92 } else { c as u8 })
        .collect();
    group.throughput(Throughput::Bytes(cp1252.len() as u64));
    group.bench_function("windows-1252/100KB", |b| {
        b.iter(|| privlint::decode::decode(black_box(&cp1252)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_parse, bench_decode
}
criterion_main!(benches);
