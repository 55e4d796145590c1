//! The Markdown report: the same sections as the HTML one; maps and charts are
//! referenced by relative paths (charts are written as SVG files beside it).

use std::fmt::Write;

use drillsim_engine::exercise::record::ExerciseRecord;

use super::content::{Content, Finding, rating_label, when};
use super::data::RunData;
use super::html::sections;
use super::i18n::{Lang, t};
use super::tables::{CHAIN_HEAD, INJECT_HEAD, OBJECTIVE_HEAD, chain_cells, head, inject_cells};

/// Makes `s` safe inside a table cell: `|` escaped, line breaks as `<br>`.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

fn table(o: &mut String, head: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(
        o,
        "| {} |",
        head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
    );
    let _ = writeln!(o, "|{}", "---|".repeat(head.len()));
    for r in rows {
        let _ = writeln!(
            o,
            "| {} |",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    o.push('\n');
}

fn kv(o: &mut String, l: Lang, rows: &[(String, String)]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect();
    table(o, &[t(l, "quantity"), t(l, "value")], &rows);
}

/// The Markdown report; `maps_dir` is the path of the run's `maps/` folder as seen
/// from the report, `charts_dir` the one of the chart SVGs.
pub fn render(run: &RunData, c: &Content, maps_dir: &str, charts_dir: &str) -> String {
    let l = c.lang;
    let mut o = String::new();
    let _ = writeln!(o, "# {} — {}\n", t(l, "report_title"), c.title);
    let _ = writeln!(o, "*{}: `{}`*\n", t(l, "generated_by"), run.dir.display());
    let secs = sections(run, c);
    let mut n = 0;
    let mut h2 = |o: &mut String, title: &str| {
        n += 1;
        let _ = writeln!(o, "## {n}. {title}\n");
    };
    h2(&mut o, t(l, "synopsis"));
    if !c.description.is_empty() {
        let _ = writeln!(o, "{}\n", c.description);
    }
    kv(&mut o, l, &c.synopsis);
    for note in &c.notes {
        let _ = writeln!(o, "> {note}\n");
    }
    if run.exercise.is_none() {
        let _ = writeln!(o, "> {}\n", t(l, "no_exercise"));
    }
    if let Some(ex) = &run.exercise {
        h2(&mut o, t(l, "timeline"));
        timeline(&mut o, l, ex);
        h2(&mut o, t(l, "chains"));
        chains(&mut o, l, ex);
        h2(&mut o, t(l, "objectives"));
        objectives(&mut o, l, ex);
    }
    h2(&mut o, t(l, "maps"));
    if run.maps.is_empty() {
        let _ = writeln!(o, "{}\n", t(l, "no_maps"));
    } else {
        let _ = writeln!(o, "{}\n", t(l, "map_legend"));
        for m in &run.maps {
            let _ = writeln!(
                o,
                "![{} {}]({maps_dir}/{})\n\n**{}** — {}\n",
                t(l, "map"),
                when(m.t_s),
                m.file,
                when(m.t_s),
                m.reason
            );
        }
    }
    if secs.iter().any(|s| s.0 == "charts") {
        h2(&mut o, t(l, "charts"));
        if run.series.is_none() {
            let _ = writeln!(o, "{}\n", t(l, "no_series"));
        }
        if !c.marks_s.is_empty() {
            let _ = writeln!(o, "{}\n", t(l, "injects_marked"));
        }
        for ch in &c.charts {
            let _ = writeln!(
                o,
                "### {}\n\n![{}]({charts_dir}/{}.svg)\n",
                ch.title, ch.title, ch.key
            );
        }
    }
    h2(&mut o, t(l, "response"));
    if c.response.is_empty() {
        let _ = writeln!(o, "{}\n", t(l, "no_tasks"));
    } else {
        kv(&mut o, l, &c.response);
    }
    if !c.by_capability.is_empty() {
        let _ = writeln!(o, "### {}\n", t(l, "by_capability"));
        let rows: Vec<Vec<String>> = c
            .by_capability
            .iter()
            .map(|(k, v)| vec![k.clone(), v.to_string()])
            .collect();
        table(&mut o, &[t(l, "needs"), t(l, "count")], &rows);
    }
    if !c.final_values.is_empty() {
        let _ = writeln!(o, "### {}\n", t(l, "final_values"));
        kv(&mut o, l, &c.final_values);
    }
    if run.exercise.is_some() {
        h2(
            &mut o,
            &format!("{} / {}", t(l, "strengths"), t(l, "improvements")),
        );
        let _ = writeln!(o, "### {}\n", t(l, "strengths"));
        findings(&mut o, l, &c.strengths, "no_strengths");
        let _ = writeln!(o, "### {}\n", t(l, "improvements"));
        findings(&mut o, l, &c.improvements, "no_improvements");
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

fn timeline(o: &mut String, l: Lang, ex: &ExerciseRecord) {
    if ex.injects.is_empty() {
        let _ = writeln!(o, "{}\n", t(l, "no_injects"));
        return;
    }
    let rows: Vec<Vec<String>> = ex
        .injects
        .iter()
        .map(|i| inject_cells(l, i).to_vec())
        .collect();
    table(o, &head(l, INJECT_HEAD), &rows);
    for i in &ex.injects {
        let _ = writeln!(o, "**{} {}**\n", i.id, i.title);
        if !i.description.is_empty() {
            let _ = writeln!(o, "{}\n", i.description);
        }
        if !i.effects.is_empty() {
            let _ = writeln!(o, "*{}:* {}\n", t(l, "effects"), i.effects.join("; "));
        }
        if !i.expected_actions.is_empty() {
            let _ = writeln!(o, "*{}:*\n", t(l, "expected_actions"));
            for a in &i.expected_actions {
                let _ = writeln!(o, "- {a}");
            }
            o.push('\n');
        }
        if !i.notes.is_empty() {
            let _ = writeln!(
                o,
                "> **{}** — {}\n",
                t(l, "controller_only"),
                i.notes.replace('\n', " ")
            );
        }
    }
}

fn chains(o: &mut String, l: Lang, ex: &ExerciseRecord) {
    if ex.chains.is_empty() {
        let _ = writeln!(o, "{}\n", t(l, "no_chains"));
        return;
    }
    let rows: Vec<Vec<String>> = ex
        .chains
        .iter()
        .map(|ch| chain_cells(l, ch).to_vec())
        .collect();
    table(o, &head(l, CHAIN_HEAD), &rows);
}

fn objectives(o: &mut String, l: Lang, ex: &ExerciseRecord) {
    if ex.objectives.is_empty() {
        let _ = writeln!(o, "{}\n", t(l, "no_objectives"));
        return;
    }
    let mut rows = Vec::new();
    for ob in &ex.objectives {
        let head = format!(
            "**{} {}** ({}){}",
            ob.id,
            ob.title,
            rating_label(l, ob.rating),
            if ob.capability.is_empty() {
                String::new()
            } else {
                format!(" — {}: {}", t(l, "capability"), ob.capability)
            }
        );
        if ob.tasks.is_empty() {
            rows.push(vec![
                head.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for (k, task) in ob.tasks.iter().enumerate() {
            rows.push(vec![
                if k == 0 {
                    head.clone()
                } else {
                    "〃".to_owned()
                },
                task.title.clone(),
                task.target.clone(),
                rating_label(l, task.rating).to_owned(),
                task.evidence.clone(),
            ]);
        }
    }
    table(o, &head(l, OBJECTIVE_HEAD), &rows);
}

fn findings(o: &mut String, l: Lang, list: &[Finding], empty_key: &'static str) {
    if list.is_empty() {
        let _ = writeln!(o, "{}\n", t(l, empty_key));
        return;
    }
    for f in list {
        let _ = writeln!(
            o,
            "- **{}** ({}) — {} — {}",
            f.task,
            rating_label(l, f.rating),
            f.objective,
            f.evidence
        );
        if !f.actions.is_empty() {
            let _ = writeln!(o, "  - *{}:*", t(l, "related_actions"));
            for a in &f.actions {
                let _ = writeln!(o, "    - {a}");
            }
        }
    }
    o.push('\n');
}
