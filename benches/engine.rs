//! Matching: the built-in packs evaluated over a parsed document, the raw
//! regex searches underneath, and compiling the packs (start-up).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use privlint::{engine, pack, parse};

mod common;

fn builtin() -> pack::CompiledPacks {
    pack::load(&[]).expect("the built-in packs compile")
}

/// `engine::evaluate`: every built-in rule over an already parsed document.
fn bench_evaluate(c: &mut Criterion) {
    let packs = builtin();
    let mut group = c.benchmark_group("evaluate");
    for (name, size, text, format) in common::cases() {
        let doc = parse::parse(&text, format);
        group.throughput(Throughput::Bytes(doc.text.len() as u64));
        group.bench_with_input(BenchmarkId::new(name, size), &doc, |b, doc| {
            b.iter(|| engine::evaluate(&packs, black_box(doc)))
        });
    }
    group.finish();
}

/// Every built-in pattern searched over the visible text, no rule logic:
/// the floor under `evaluate`.
fn bench_patterns(c: &mut Criterion) {
    let packs = builtin();
    let regexes: Vec<regex::Regex> = (0..packs.patterns.len())
        .map(|i| regex::Regex::new(packs.patterns.source(i)).expect("built-in patterns compile"))
        .collect();
    let mut group = c.benchmark_group("patterns");
    for (name, size, text, format) in common::cases() {
        if size != "100KB" {
            continue;
        }
        let doc = parse::parse(&text, format);
        group.throughput(Throughput::Bytes(doc.text.len() as u64));
        group.bench_with_input(BenchmarkId::new("find_iter", name), &doc.text, |b, text| {
            b.iter(|| {
                regexes
                    .iter()
                    .map(|re| re.find_iter(black_box(text)).count())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

/// Loading and compiling the five built-in packs: most of start-up.
fn bench_compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    group.bench_function("builtin-packs", |b| b.iter(builtin));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_evaluate, bench_patterns, bench_compile
}
criterion_main!(benches);
