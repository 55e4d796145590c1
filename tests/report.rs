//! `drillsim report`: the after-action report of a hand-made run folder
//! (tests/fixtures/report/drill: Chinese titles, three objectives rated met / partly
//! met / not met, chain links held and fired), maps written by `drillsim run`, error
//! messages, and the report as rendered by headless Chromium.

mod common;

use std::path::{Path, PathBuf};

use common::{drillsim, root, text};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// A fresh copy of the fixture run folder (reports are written into it).
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    copy_dir(&root().join("tests/fixtures/report/drill"), &run);
    (tmp, run)
}

fn report(run: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec!["report", run.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    let out = drillsim(&args, &[]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    let md = std::fs::read_to_string(run.join("report.md")).unwrap();
    (html, md)
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[test]
fn report_of_the_fixture_has_every_section_filled() {
    let (_tmp, run) = fixture();
    let (html, md) = report(&run, &[]);
    // Self-contained: no external resources.
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"));
    let syn = section(&html, "synopsis");
    assert!(syn.contains("化工园区氯气泄漏 · Chlorine tank leak in a chemical park"));
    assert!(
        syn.contains("4 h 00 min") && syn.contains("<td>7</td>"),
        "duration and seed"
    );
    assert!(syn.contains("3 / 4"), "injects fired / injects");
    assert!(syn.contains("危化品救援队 × 2") && syn.contains("人民医院 (hospital, 80 beds)"));
    let tl = section(&html, "timeline");
    assert_eq!(tl.matches("<tr>").count(), 1 + 4, "header and four injects");
    assert!(tl.contains("氯气储罐泄漏报警") && tl.contains("not fired"));
    assert!(tl.contains("AEGL-2 of chlorine at 阳光幼儿园") && tl.contains("T+00:13"));
    // Controller notes sit in their marked box.
    assert_eq!(
        tl.matches("<div class=\"controller\"><b>Controller only</b>")
            .count(),
        2
    );
    let ch = section(&html, "chains");
    assert!(ch.contains("held (no consequence)") && ch.contains("T+00:50"));
    let ob = section(&html, "objectives");
    assert!(ob.contains("<span class=\"badge Met\">met</span>"));
    assert!(ob.contains("<span class=\"badge PartiallyMet\">partly met</span>"));
    assert!(ob.contains("<span class=\"badge NotMet\">not met</span>"));
    assert!(ob.contains("2,894 people supplied by T+04:00"));
    let maps = section(&html, "maps");
    assert_eq!(
        maps.matches("src=\"data:image/png;base64,iVBORw0KGgo")
            .count(),
        3
    );
    assert!(maps.contains("every 90 min"));
    let charts = section(&html, "charts");
    for key in ["people", "casualties", "gas", "teams"] {
        assert!(charts.contains(&format!("id=\"chart-{key}\"")), "{key}");
        assert!(run.join(format!("report_charts/{key}.svg")).is_file());
    }
    assert!(
        !charts.contains("chart-flood"),
        "no flood column: no flood chart"
    );
    let resp = section(&html, "response");
    assert!(resp.contains("<td>4</td>") && resp.contains("4.7 min"));
    let find = section(&html, "findings");
    let (strong, improve) = find.split_at(find.find("class=\"improve\"").unwrap());
    assert!(strong.contains("首支危化品救援队到场") && strong.contains("转移幼儿园师生"));
    assert!(improve.contains("预警覆盖 90% 居民") && improve.contains("物资保障 5,000 人"));
    // Areas for improvement carry the expected actions of the injects naming them.
    assert!(improve.contains("I-02 风向转变 · Wind shifts: 重新评估下风向预警与疏散范围 (O-2)"));
    assert!(improve.contains("I-04 物资需求上报"));
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(&run)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    let md = md.replace(run.to_str().unwrap(), "<run>");
    insta::assert_snapshot!("markdown_en", md);
}

#[test]
fn chinese_labels_with_lang_zh() {
    let (_tmp, run) = fixture();
    let (html, md) = report(&run, &["--lang", "zh"]);
    assert!(html.contains("<html lang=\"zh-CN\">"));
    for s in [
        "演练总结评估报告",
        "情景注入时间线",
        "仅限导调人员",
        "部分达成",
        "未达成",
        "优势",
        "待改进事项",
        "4 小时 0 分钟",
    ] {
        assert!(html.contains(s), "{s}");
    }
    assert!(md.starts_with("# 演练总结评估报告 — 化工园区氯气泄漏"));
}

#[test]
fn plain_runs_get_the_sections_that_apply() {
    let (_tmp, run) = fixture();
    std::fs::remove_file(run.join("exercise.json")).unwrap();
    std::fs::remove_dir_all(run.join("maps")).unwrap();
    let (html, _) = report(&run, &[]);
    for id in ["timeline", "chains", "objectives", "findings"] {
        assert!(!html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(section(&html, "synopsis").contains("no exercise record"));
    assert!(section(&html, "maps").contains("No maps in this run folder"));
    assert!(section(&html, "charts").contains("<svg"));
}

#[test]
fn missing_folder_is_a_clear_error() {
    let out = drillsim(&["report", "tests/fixtures/report/no-such-run"], &[]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("missing_folder", text(&out).1);
}

#[test]
fn broken_inputs_name_the_file() {
    let (_tmp, run) = fixture();
    std::fs::write(run.join("exercise.json"), "{\"injects\": 3}").unwrap();
    let out = drillsim(&["report", run.to_str().unwrap()], &[]);
    let err = text(&out).1;
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("exercise.json` is not a valid exercise record"),
        "{err}"
    );
    std::fs::remove_file(run.join("summary.json")).unwrap();
    let out = drillsim(&["report", run.to_str().unwrap()], &[]);
    let err = text(&out).1;
    assert!(
        err.contains("summary.json` is missing") && err.contains("drillsim run"),
        "{err}"
    );
}

#[test]
fn run_with_maps_writes_an_index_and_the_report_embeds_them() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let out = drillsim(
        &[
            "run",
            "scenarios/chem_ammonia_windshift.ron",
            "--out",
            run.to_str().unwrap(),
            "--maps",
            "--quiet",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("maps/index.json")).unwrap())
            .unwrap();
    let maps = index["maps"].as_array().unwrap();
    assert!((2..=24).contains(&maps.len()), "{}", maps.len());
    let last = maps.last().unwrap();
    assert_eq!(last["t_s"], 1800.0);
    assert!(last["reason"].as_str().unwrap().contains("final state"));
    assert!(
        maps.iter()
            .any(|m| m["triggers"][0]["kind"] == "LevelExceeded")
    );
    for m in maps {
        let png = std::fs::read(run.join("maps").join(m["file"].as_str().unwrap())).unwrap();
        let img = drillsim_engine::output::map::decode_png(&png).unwrap();
        assert_eq!((img.width, img.height), (600, 630)); // 150 cells × 4 px + caption
    }
    let (html, _) = report(&run, &[]);
    assert_eq!(html.matches("data:image/png;base64,").count(), maps.len());
    // A plain scenario without --maps writes no maps.
    let plain = tmp.path().join("plain");
    let out = drillsim(
        &[
            "run",
            "scenarios/chem_ammonia_windshift.ron",
            "--out",
            plain.to_str().unwrap(),
            "-q",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(!plain.join("maps").exists());
}

/// Renders the fixture's report in headless Chromium and checks that the screenshot is
/// not blank. Skipped when Chromium is absent, except in CI (`CI` set), where it fails.
#[test]
fn report_renders_in_headless_chromium() {
    let (tmp, run) = fixture();
    report(&run, &[]);
    let shot = tmp.path().join("screenshot.png");
    if !common::chromium_screenshot(&run.join("report.html"), &shot, (1280, 2400)) {
        return;
    }
    let png = std::fs::read(&shot).expect("Chromium wrote the screenshot");
    let img = drillsim_engine::output::map::decode_png(&png).unwrap();
    assert_eq!((img.width, img.height), (1280, 2400));
    // Not blank: the luminance varies (a blank page has σ ≈ 0) and many colours appear
    // (text, badges, maps).
    let lum: Vec<f64> = img
        .rgba
        .chunks_exact(4)
        .map(|p| 0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2]))
        .collect();
    let mean = lum.iter().sum::<f64>() / lum.len() as f64;
    let sd = (lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64).sqrt();
    let mut colours: Vec<[u8; 4]> = img
        .rgba
        .chunks_exact(4)
        .map(|p| [p[0], p[1], p[2], 0])
        .collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        sd > 10.0 && colours.len() > 200,
        "σ = {sd:.1}, {} colours",
        colours.len()
    );
}
