//! Line charts as self-contained SVG text: time in hours on x, round axis ticks,
//! one polyline per series, dashed vertical marks (e.g. injects fired) and a legend.

use std::fmt::Write;

use super::html::escape;

/// One line of a chart.
#[derive(Clone, Debug)]
pub struct Line {
    /// Legend label.
    pub label: String,
    /// CSS colour.
    pub color: &'static str,
    /// `(t_s, value)` points in time order.
    pub points: Vec<(f64, f64)>,
}

/// A chart: its key (file stem), title and lines.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Stable key (used as file stem and anchor).
    pub key: &'static str,
    /// Title (shown around the chart, not in it).
    pub title: String,
    /// Lines.
    pub lines: Vec<Line>,
}

const W: f64 = 720.0;
const H: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 70.0;

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least `v` (1 for `v ≤ 0`).
pub fn nice_ceil(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || v.is_infinite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|k| k * p)
        .find(|&n| n >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// A tick label: up to 3 decimals, trailing zeros trimmed, thousands as plain digits.
pub fn tick(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The chart as SVG; `marks_s` are times drawn as dashed vertical lines; `x_label`
/// names the time axis.
pub fn line_chart(chart: &Chart, marks_s: &[f64], x_label: &str) -> String {
    let t_max = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .fold(0.0f64, f64::max)
        .max(60.0);
    let v_max = chart
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let y_top = nice_ceil(v_max);
    let h_max = t_max / 3600.0;
    let step_h = [0.25, 0.5, 1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 48.0]
        .into_iter()
        .find(|s| h_max / s <= 8.0)
        .unwrap_or(96.0);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let x = |t_s: f64| LEFT + t_s / t_max * pw;
    let y = |v: f64| TOP + ph - v / y_top * ph;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{}" font-family="'Noto Sans CJK SC','Noto Sans',sans-serif" font-size="11">"#,
        escape(&chart.title)
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>"##
    );
    for k in 0..=4 {
        let v = y_top * f64::from(k) / 4.0;
        let yy = y(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e3e3e3"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            tick(v)
        );
    }
    let mut h = 0.0;
    while h <= h_max + 1e-9 {
        let xx = x(h * 3600.0);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{:.1}" stroke="#999"/><text x="{xx:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
            TOP + ph,
            TOP + ph + 4.0,
            TOP + ph + 16.0,
            tick(h)
        );
        h += step_h;
    }
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#555"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="#555"/><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
        TOP + ph,
        W - RIGHT,
        TOP + ph,
        TOP + ph,
        LEFT + pw / 2.0,
        TOP + ph + 32.0,
        escape(x_label)
    );
    for &m in marks_s.iter().filter(|&&m| (0.0..=t_max).contains(&m)) {
        let xx = x(m);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" y1="{TOP}" x2="{xx:.1}" y2="{:.1}" stroke="#8250df" stroke-dasharray="4 3" stroke-width="1"/>"##,
            TOP + ph
        );
    }
    for l in &chart.lines {
        let pts: Vec<String> = l
            .points
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|&(t, v)| format!("{:.1},{:.1}", x(t), y(v)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>"#,
            l.color,
            pts.join(" ")
        );
    }
    let mut lx = LEFT;
    let ly = H - 14.0;
    for l in &chart.lines {
        let _ = write!(
            s,
            r##"<rect x="{lx:.1}" y="{:.1}" width="14" height="4" fill="{}"/><text x="{:.1}" y="{ly:.1}" fill="#222">{}</text>"##,
            ly - 6.0,
            l.color,
            lx + 18.0,
            escape(&l.label)
        );
        lx += 30.0
            + 6.5
                * l.label
                    .chars()
                    .map(|c| if c.is_ascii() { 1.0 } else { 1.8 })
                    .sum::<f64>();
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_ceil(0.0), 1.0);
        assert_eq!(nice_ceil(3.2), 5.0);
        assert_eq!(nice_ceil(21.0), 25.0);
        assert_eq!(nice_ceil(100.0), 100.0);
        assert_eq!(tick(2.500), "2.5");
        assert_eq!(tick(1000.0), "1000");
    }

    #[test]
    fn chart_has_one_polyline_per_line_and_escapes_labels() {
        let c = Chart {
            key: "people",
            title: "人数 <people>".into(),
            lines: vec![
                Line {
                    label: "已预警".into(),
                    color: "#0969da",
                    points: vec![(0.0, 0.0), (3600.0, 120.0)],
                },
                Line {
                    label: "a&b".into(),
                    color: "#1a7f37",
                    points: vec![(0.0, 0.0), (3600.0, 10.0)],
                },
            ],
        };
        let svg = line_chart(&c, &[1800.0], "h");
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(
            svg.contains("已预警") && svg.contains("a&amp;b") && svg.contains("&lt;people&gt;")
        );
        assert!(svg.contains("stroke-dasharray"));
    }
}
