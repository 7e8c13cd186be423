use privlint::document::InputFormat;
use privlint::lint::Linter;
#[test]
fn dbg() {
    let linter = Linter::new(privlint::pack::load(&[]).unwrap());
    let dir = std::env::var("DBG_DIR").unwrap_or("../shared/seeds".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let r = linter.lint_file(
            &p,
            p.display().to_string(),
            Some(InputFormat::from_path(&p).unwrap_or(InputFormat::Text)),
        );
        println!("== {} {:?}", r.path, r.status);
        for f in &r.findings {
            println!(
                "  F {} L{} {:?}",
                f.rule.id,
                f.span.line,
                &r.source[f.span.text.clone()]
                    .chars()
                    .take(120)
                    .collect::<String>()
            );
        }
        if std::env::var("DBG_EV").is_ok() {
            for e in &r.evidence {
                for s in &e.spans {
                    println!(
                        "  E {} L{} {:?}",
                        e.rule.id,
                        s.line,
                        &r.source[s.text.clone()].chars().take(150).collect::<String>()
                    );
                }
            }
        }
    }
}
