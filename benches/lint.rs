//! A whole document through `Linter::lint_bytes`: decode, parse, evaluate,
//! span mapping and suppressions, with the built-in packs.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use privlint::lint::Linter;
use privlint::pack;

mod common;

fn bench_lint(c: &mut Criterion) {
    let linter = Linter::new(pack::load(&[]).expect("the built-in packs compile"));
    let mut group = c.benchmark_group("lint_bytes");
    for (name, size, text, format) in common::cases() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new(name, size), &text, |b, text| {
            b.iter(|| linter.lint_bytes(format!("policy.{name}"), black_box(text.as_bytes()), format))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_lint
}
criterion_main!(benches);
