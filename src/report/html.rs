//! The self-contained HTML report: inline CSS, maps as base64 `data:` URIs, charts as
//! inline SVG. Opens in any browser without network access.

use std::fmt::Write;

use drillsim_engine::exercise::record::{ExerciseRecord, Rating};

use super::content::{Content, Finding, rating_label, when};
use super::data::RunData;
use super::i18n::{Lang, t};
use super::svg::line_chart;
use super::tables::{CHAIN_HEAD, INJECT_HEAD, OBJECTIVE_HEAD, chain_cells, head, inject_cells};

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(A[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

const CSS: &str = r#"
body{font-family:"Noto Sans CJK SC","Noto Sans","Segoe UI",Arial,sans-serif;color:#1f2328;margin:0;background:#f6f8fa;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px;background:#fff}
header{border-bottom:4px solid #0969da;padding-bottom:12px;margin-bottom:12px}
.kicker{text-transform:uppercase;letter-spacing:.08em;color:#0969da;font-weight:700;margin:0}
h1{margin:4px 0 6px;font-size:30px}
h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}
.meta,.note{color:#57606a;font-size:13px}
nav ol{columns:2;margin:0;padding-left:22px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:14px}
th,td{border:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
table.kv th{width:190px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:700;font-size:12px;white-space:nowrap}
.Met{background:#dafbe1;color:#116329}.PartiallyMet{background:#fff8c5;color:#7d4e00}
.NotMet{background:#ffebe9;color:#a40e26}.Pending,.NotObserved{background:#eaeef2;color:#57606a}
.controller{border:2px dashed #cf222e;background:#fff5f5;padding:4px 8px;margin-top:6px;font-size:13px}
.controller b{color:#cf222e;text-transform:uppercase;font-size:11px;letter-spacing:.05em}
.maps{display:grid;grid-template-columns:1fr 1fr;gap:14px}
figure{margin:0;border:1px solid #d0d7de;padding:6px;background:#fafbfc}
figure img{width:100%;height:auto;display:block}
figcaption{font-size:13px;margin-top:4px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.charts svg{width:100%;height:auto;border:1px solid #d0d7de}
.charts h3{margin:4px 0;font-size:15px}
.findings{display:grid;grid-template-columns:1fr 1fr;gap:18px}
.finding{border-left:5px solid #1a7f37;background:#f6fff8;padding:6px 10px;margin:8px 0}
.improve .finding{border-left-color:#cf222e;background:#fff8f7}
.finding .obj{font-size:12px;color:#57606a}
ul.actions{margin:4px 0 0 18px;padding:0;font-size:13px}
"#;

fn kv(out: &mut String, rows: &[(String, String)]) {
    out.push_str("<table class=\"kv\">");
    for (k, v) in rows {
        let _ = write!(out, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
    }
    out.push_str("</table>");
}

fn badge(lang: Lang, r: Rating) -> String {
    format!(
        "<span class=\"badge {r:?}\">{}</span>",
        escape(rating_label(lang, r))
    )
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let li: String = items
        .iter()
        .map(|i| format!("<li>{}</li>", escape(i)))
        .collect();
    format!("<ul class=\"actions\">{li}</ul>")
}

/// The sections the report has, `(anchor, heading key)`, in order.
pub fn sections(run: &RunData, c: &Content) -> Vec<(&'static str, &'static str)> {
    let mut s = vec![("synopsis", "synopsis")];
    if run.exercise.is_some() {
        s.extend([
            ("timeline", "timeline"),
            ("chains", "chains"),
            ("objectives", "objectives"),
        ]);
    }
    s.push(("maps", "maps"));
    if !c.charts.is_empty() || run.series.is_none() {
        s.push(("charts", "charts"));
    }
    s.push(("response", "response"));
    if run.exercise.is_some() {
        s.push(("findings", "strengths"));
    }
    s
}

/// The HTML report; `map_png(file)` gives the bytes of a map in `maps/`.
pub fn render(run: &RunData, c: &Content, map_png: &dyn Fn(&str) -> Option<Vec<u8>>) -> String {
    let l = c.lang;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} — {}</title><style>{CSS}</style></head><body><main>",
        l.tag(),
        escape(t(l, "report_title")),
        escape(&c.title)
    );
    let _ = write!(
        o,
        "<header><p class=\"kicker\">{}</p><h1>{}</h1><p class=\"meta\">{}: <code>{}</code></p></header>",
        escape(t(l, "report_title")),
        escape(&c.title),
        escape(t(l, "generated_by")),
        escape(&run.dir.display().to_string())
    );
    let secs = sections(run, c);
    let _ = write!(o, "<nav><h2>{}</h2><ol>", escape(t(l, "contents")));
    for (id, key) in &secs {
        let title = if *id == "findings" {
            format!("{} / {}", t(l, "strengths"), t(l, "improvements"))
        } else {
            t(l, key).to_owned()
        };
        let _ = write!(o, "<li><a href=\"#{id}\">{}</a></li>", escape(&title));
    }
    o.push_str("</ol></nav>");
    let mut n = 0;
    let mut h2 = |o: &mut String, id: &str, title: &str| {
        n += 1;
        let _ = write!(o, "<section id=\"{id}\"><h2>{n}. {}</h2>", escape(title));
    };
    h2(&mut o, "synopsis", t(l, "synopsis"));
    if !c.description.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(&c.description).replace('\n', "<br>"));
    }
    kv(&mut o, &c.synopsis);
    for note in &c.notes {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(note));
    }
    if run.exercise.is_none() {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, "no_exercise")));
    }
    o.push_str("</section>");
    if let Some(ex) = &run.exercise {
        h2(&mut o, "timeline", t(l, "timeline"));
        timeline(&mut o, l, ex);
        o.push_str("</section>");
        h2(&mut o, "chains", t(l, "chains"));
        chains(&mut o, l, ex);
        o.push_str("</section>");
        h2(&mut o, "objectives", t(l, "objectives"));
        objectives(&mut o, l, ex);
        o.push_str("</section>");
    }
    h2(&mut o, "maps", t(l, "maps"));
    if run.maps.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, "no_maps")));
    } else {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p><div class=\"maps\">",
            escape(t(l, "map_legend"))
        );
        for m in &run.maps {
            let Some(png) = map_png(&m.file) else {
                continue;
            };
            let _ = write!(
                o,
                "<figure><img alt=\"{} {}\" src=\"data:image/png;base64,{}\"><figcaption><b>{}</b> — {}</figcaption></figure>",
                escape(t(l, "map")),
                when(m.t_s),
                base64(&png),
                when(m.t_s),
                escape(&m.reason)
            );
        }
        o.push_str("</div>");
    }
    o.push_str("</section>");
    if secs.iter().any(|s| s.0 == "charts") {
        h2(&mut o, "charts", t(l, "charts"));
        if run.series.is_none() {
            let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, "no_series")));
        }
        if !c.marks_s.is_empty() {
            let _ = write!(
                o,
                "<p class=\"note\">{}</p>",
                escape(t(l, "injects_marked"))
            );
        }
        o.push_str("<div class=\"charts\">");
        for ch in &c.charts {
            let _ = write!(
                o,
                "<div id=\"chart-{}\"><h3>{}</h3>{}</div>",
                ch.key,
                escape(&ch.title),
                line_chart(ch, &c.marks_s, t(l, "time_h"))
            );
        }
        o.push_str("</div></section>");
    }
    h2(&mut o, "response", t(l, "response"));
    response(&mut o, c);
    o.push_str("</section>");
    if run.exercise.is_some() {
        let title = format!("{} / {}", t(l, "strengths"), t(l, "improvements"));
        h2(&mut o, "findings", &title);
        let _ = write!(
            o,
            "<div class=\"findings\"><div class=\"strong\"><h3>{}</h3>",
            escape(t(l, "strengths"))
        );
        findings(&mut o, l, &c.strengths, "no_strengths");
        let _ = write!(
            o,
            "</div><div class=\"improve\"><h3>{}</h3>",
            escape(t(l, "improvements"))
        );
        findings(&mut o, l, &c.improvements, "no_improvements");
        o.push_str("</div></div></section>");
    }
    o.push_str("</main></body></html>\n");
    o
}

fn header_row(o: &mut String, cells: &[&str]) {
    o.push_str("<table><tr>");
    for c in cells {
        let _ = write!(o, "<th>{}</th>", escape(c));
    }
    o.push_str("</tr>");
}

fn timeline(o: &mut String, l: Lang, ex: &ExerciseRecord) {
    if ex.injects.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, "no_injects")));
        return;
    }
    header_row(o, &head(l, INJECT_HEAD));
    for i in &ex.injects {
        let [id, sched, fired, source, audience, title] = inject_cells(l, i);
        o.push_str("<tr>");
        for cell in [id, sched, fired, source, audience] {
            let _ = write!(o, "<td>{}</td>", escape(&cell));
        }
        let _ = write!(o, "<td><b>{}</b>", escape(&title));
        if !i.description.is_empty() {
            let _ = write!(o, "<br>{}", escape(&i.description));
        }
        if !i.effects.is_empty() {
            let _ = write!(
                o,
                "<br><i>{}:</i> {}",
                escape(t(l, "effects")),
                escape(&i.effects.join("; "))
            );
        }
        if !i.expected_actions.is_empty() {
            let _ = write!(
                o,
                "<br><i>{}:</i>{}",
                escape(t(l, "expected_actions")),
                list(&i.expected_actions)
            );
        }
        if !i.notes.is_empty() {
            let _ = write!(
                o,
                "<div class=\"controller\"><b>{}</b><br>{}</div>",
                escape(t(l, "controller_only")),
                escape(&i.notes)
            );
        }
        o.push_str("</td></tr>");
    }
    o.push_str("</table>");
}

fn chains(o: &mut String, l: Lang, ex: &ExerciseRecord) {
    if ex.chains.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, "no_chains")));
        return;
    }
    header_row(o, &head(l, CHAIN_HEAD));
    for ch in &ex.chains {
        o.push_str("<tr>");
        for cell in chain_cells(l, ch) {
            let _ = write!(o, "<td>{}</td>", escape(&cell));
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>");
}

fn objectives(o: &mut String, l: Lang, ex: &ExerciseRecord) {
    if ex.objectives.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, "no_objectives")));
        return;
    }
    header_row(o, &head(l, OBJECTIVE_HEAD));
    for ob in &ex.objectives {
        let rows = ob.tasks.len().max(1);
        let cap = if ob.capability.is_empty() {
            String::new()
        } else {
            format!(
                "<br><span class=\"note\">{}: {}</span>",
                escape(t(l, "capability")),
                escape(&ob.capability)
            )
        };
        let _ = write!(
            o,
            "<tr><td rowspan=\"{rows}\"><b>{}</b> {}<br>{}{cap}</td>",
            escape(&ob.id),
            escape(&ob.title),
            badge(l, ob.rating)
        );
        if ob.tasks.is_empty() {
            o.push_str("<td></td><td></td><td></td><td></td></tr>");
        }
        for (k, task) in ob.tasks.iter().enumerate() {
            if k > 0 {
                o.push_str("<tr>");
            }
            let _ = write!(
                o,
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&task.title),
                escape(&task.target),
                badge(l, task.rating),
                escape(&task.evidence)
            );
        }
    }
    o.push_str("</table>");
}

fn response(o: &mut String, c: &Content) {
    let l = c.lang;
    if c.response.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, "no_tasks")));
    } else {
        kv(o, &c.response);
    }
    if !c.by_capability.is_empty() {
        let _ = write!(
            o,
            "<h3>{}</h3><table><tr><th>{}</th><th>{}</th></tr>",
            escape(t(l, "by_capability")),
            escape(t(l, "needs")),
            escape(t(l, "count"))
        );
        for (k, n) in &c.by_capability {
            let _ = write!(o, "<tr><td>{}</td><td>{n}</td></tr>", escape(k));
        }
        o.push_str("</table>");
    }
    if !c.final_values.is_empty() {
        let _ = write!(o, "<h3>{}</h3>", escape(t(l, "final_values")));
        kv(o, &c.final_values);
    }
}

fn findings(o: &mut String, l: Lang, list_of: &[Finding], empty_key: &'static str) {
    if list_of.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", escape(t(l, empty_key)));
    }
    for f in list_of {
        let _ = write!(
            o,
            "<div class=\"finding\"><div class=\"obj\">{}</div><b>{}</b> {}<br>{}",
            escape(&f.objective),
            escape(&f.task),
            badge(l, f.rating),
            escape(&f.evidence)
        );
        if !f.actions.is_empty() {
            let _ = write!(
                o,
                "<br><i>{}:</i>{}",
                escape(t(l, "related_actions")),
                list(&f.actions)
            );
        }
        o.push_str("</div>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10 test vectors.
    #[test]
    fn base64_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
