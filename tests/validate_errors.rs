//! Every deliberately broken scenario in `tests/fixtures/broken/` is rejected by
//! `drillsim validate` with exit code 2 and a located, helpful message (insta snapshots
//! in `tests/snapshots/`). Every shipped scenario validates.

mod common;

use common::{drillsim, root, text};

#[test]
fn broken_scenarios_give_located_errors() {
    let mut seen = 0;
    insta::glob!("fixtures/broken/*.ron", |path| {
        seen += 1;
        let rel = path.strip_prefix(root()).unwrap().display().to_string();
        let out = drillsim(&["validate", &rel], &[]);
        let (stdout, stderr) = text(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{rel} should be invalid:\n{stdout}{stderr}"
        );
        assert!(
            stdout.is_empty(),
            "{rel}: nothing on stdout for an invalid scenario"
        );
        assert!(!stderr.contains("panicked"), "{rel} panicked:\n{stderr}");
        assert!(
            stderr.contains(&rel),
            "{rel}: the message names the file:\n{stderr}"
        );
        insta::assert_snapshot!(stderr);
    });
    assert!(seen >= 15, "at least 15 broken fixtures, found {seen}");
}

#[test]
fn shipped_scenarios_validate() {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for p in paths {
        let rel = p.strip_prefix(root()).unwrap().display().to_string();
        let out = drillsim(&["validate", &rel], &[]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{rel}:\n{stderr}");
        assert!(stdout.starts_with("ok: "), "{stdout}");
    }
}
