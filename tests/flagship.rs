//! The flagship drill (`scenarios/flagship_flood_chlorine.ron`) end to end: the MSEL
//! fires, the natech chain turns the flood into a chlorine release, every objective is
//! rated with evidence, and the outputs are byte-identical with 1 and 2 threads.

mod common;

use common::{drillsim, root, run_outputs, text};
use drillsim_engine::exercise::record::{ExerciseRecord, Rating};

const FLAGSHIP: &str = "scenarios/flagship_flood_chlorine.ron";

#[test]
fn flagship_drill_runs_its_msel_chain_and_objectives() {
    let tmp = tempfile::tempdir().unwrap();
    let one = run_outputs(FLAGSHIP, &tmp.path().join("t1"), "1");
    let two = run_outputs(FLAGSHIP, &tmp.path().join("t2"), "2");
    assert!(one == two, "outputs differ between 1 and 2 threads");

    let json = one
        .iter()
        .find(|(p, _)| p == "exercise.json")
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .expect("exercise.json written");
    let rec: ExerciseRecord = serde_json::from_str(&json).unwrap();
    assert!(rec.injects.len() >= 12, "a MSEL of at least 12 injects");
    let fired = rec.injects.iter().filter(|i| i.fired_s.is_some()).count();
    assert!(fired >= 12, "{fired} injects fired");
    assert!(rec.injects.iter().all(|i| !i.title.is_empty()));
    assert!(rec.injects[0].title.contains("暴雨红色预警"));

    // The chain: water at the chlorine store → a release 5 minutes later (seed 9 draws it).
    let c1 = rec.chains.iter().find(|c| c.id == "C-1").unwrap();
    let (t_hold, t_fire) = (c1.threshold_s.unwrap(), c1.fired_s.unwrap());
    assert_eq!(c1.drawn, Some(true));
    assert!((t_fire - t_hold - 300.0).abs() < 1e-9);
    let events = one
        .iter()
        .find(|(p, _)| p == "events.jsonl")
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    assert!(
        events.lines().any(|l| l.contains("\"HazardStarted\"")
            && l.contains("氯气储罐泄漏")
            && l.contains(&format!("\"t_s\":{t_fire:.1}"))),
        "the release starts when the link fires"
    );
    // The inject that waits for the chain fires right after it.
    let i06 = rec.injects.iter().find(|i| i.id == "I-06").unwrap();
    assert!(i06.fired_s.unwrap() >= t_fire && i06.fired_s.unwrap() <= t_fire + 10.0);

    report_of_the_flagship(&tmp.path().join("t1"), &rec);

    // Six objectives, all decided at the end, each task with evidence.
    assert_eq!(rec.objectives.len(), 6);
    for o in &rec.objectives {
        assert_ne!(o.rating, Rating::Pending, "{}", o.id);
        for t in &o.tasks {
            assert!(!t.evidence.is_empty(), "{} / {}", o.id, t.title);
        }
    }
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// `drillsim report` on the flagship run: every section is filled from the run, and the
/// page renders in headless Chromium (`DRILLSIM_UPDATE_SCREENSHOTS=1` copies the
/// screenshot to docs/report_screenshot.png for the README).
fn report_of_the_flagship(run: &std::path::Path, rec: &ExerciseRecord) {
    let out = drillsim(&["report", run.to_str().unwrap()], &[]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(section(&html, "synopsis").contains("暴雨洪水引发氯气泄漏"));
    let injects = section(&html, "timeline");
    for i in &rec.injects {
        assert!(injects.contains(&i.id), "inject {} in the timeline", i.id);
    }
    assert!(section(&html, "chains").contains("C-1"));
    let objectives = section(&html, "objectives");
    for o in &rec.objectives {
        assert!(objectives.contains(&o.id), "objective {}", o.id);
    }
    let maps = section(&html, "maps");
    assert!(
        maps.matches("data:image/png;base64,").count() >= 3,
        "maps embedded"
    );
    assert!(section(&html, "charts").contains("<svg"));
    // Strengths and areas for improvement come from the ratings: every rated objective
    // appears there.
    let findings = section(&html, "findings");
    for o in rec.objectives.iter().filter(|o| {
        matches!(
            o.rating,
            Rating::Met | Rating::PartiallyMet | Rating::NotMet
        )
    }) {
        assert!(
            findings.contains(&o.id),
            "objective {} in the findings",
            o.id
        );
    }

    let shot = run.join("screenshot.png");
    if !common::chromium_screenshot(&run.join("report.html"), &shot, (1280, 4000)) {
        return;
    }
    let img = drillsim_engine::output::map::decode_png(&std::fs::read(&shot).unwrap()).unwrap();
    assert_eq!((img.width, img.height), (1280, 4000));
    let mut colours: Vec<[u8; 3]> = img
        .rgba
        .chunks_exact(4)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 200,
        "a rendered page, not a blank one: {} colours",
        colours.len()
    );
    if std::env::var("DRILLSIM_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
        std::fs::copy(&shot, root().join("docs/report_screenshot.png")).unwrap();
    }
}
