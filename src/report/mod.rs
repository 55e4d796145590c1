//! `drillsim report`: the after-action report of a run folder, as one self-contained
//! HTML file (inline CSS, maps as data URIs, charts as inline SVG) and a Markdown file
//! with the same sections (maps and charts referenced relatively). Sections follow the
//! HSEEP after-action report: synopsis, inject timeline, chain links, objectives with
//! ratings and evidence, maps at key moments, charts, response statistics, strengths
//! and areas for improvement. Runs without `exercise.json` get the sections that apply.

pub mod content;
pub mod data;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod svg;
pub mod tables;

use std::path::{Path, PathBuf};

use clap::Args;

use crate::{EXIT_FAILURE, EXIT_INVALID};
use content::Content;
use data::{ReportError, RunData};
use i18n::Lang;

/// Arguments of `drillsim report`.
#[derive(Args)]
pub struct ReportArgs {
    /// Run folder written by `drillsim run`.
    run_dir: PathBuf,
    /// HTML file to write [default: <run dir>/report.html]; the Markdown report goes
    /// beside it with the extension .md, its charts into `report_charts/`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language of headings and labels (scenario text is shown as written).
    #[arg(long, value_enum, default_value = "en")]
    lang: Lang,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

/// What a report build wrote.
#[derive(Debug)]
pub struct Written {
    /// The HTML file.
    pub html: PathBuf,
    /// The Markdown file.
    pub markdown: PathBuf,
}

/// Runs the command; returns the exit code.
pub fn run(args: &ReportArgs) -> u8 {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.run_dir.join("report.html"));
    match build(&args.run_dir, &out, args.lang) {
        Ok(w) => {
            if !args.quiet {
                println!("report: {}", w.html.display());
                println!("markdown: {}", w.markdown.display());
            }
            0
        }
        Err(e) => {
            eprintln!("{e}");
            if e.path.starts_with(&args.run_dir) || e.path == args.run_dir {
                EXIT_INVALID
            } else {
                EXIT_FAILURE
            }
        }
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let fail = |what: &str, e: std::io::Error| ReportError {
        path: path.to_path_buf(),
        problem: format!("cannot be {what}: {e}"),
        hint: "check that the folder exists and is writable".into(),
    };
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| fail("written", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail("renamed into place", e)
    })
}

/// Builds the reports of the run folder `run_dir`: HTML at `html_out`, Markdown beside
/// it (same stem, `.md`), chart SVGs in `report_charts/` beside them.
pub fn build(run_dir: &Path, html_out: &Path, lang: Lang) -> Result<Written, ReportError> {
    let run = RunData::load(run_dir)?;
    let content = Content::of(&run, lang);
    let out_dir = html_out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if !out_dir.is_dir() {
        return Err(ReportError {
            path: out_dir,
            problem: "does not exist".into(),
            hint: "create the folder or choose another --out".into(),
        });
    }
    let maps_dir = run.dir.join("maps");
    let html = html::render(&run, &content, &|file| {
        std::fs::read(maps_dir.join(file)).ok()
    });
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let maps_rel = if same(&out_dir, &run.dir) {
        "maps".to_owned()
    } else {
        maps_dir
            .canonicalize()
            .unwrap_or_else(|_| maps_dir.clone())
            .display()
            .to_string()
    };
    let md = markdown::render(&run, &content, &maps_rel, "report_charts");
    let charts_dir = out_dir.join("report_charts");
    if !content.charts.is_empty() {
        std::fs::create_dir_all(&charts_dir).map_err(|e| ReportError {
            path: charts_dir.clone(),
            problem: format!("cannot be created: {e}"),
            hint: "check that the folder is writable".into(),
        })?;
        for ch in &content.charts {
            let svg = svg::line_chart(ch, &content.marks_s, i18n::t(lang, "time_h"));
            write_atomic(&charts_dir.join(format!("{}.svg", ch.key)), svg.as_bytes())?;
        }
    }
    let md_out = html_out.with_extension("md");
    write_atomic(html_out, html.as_bytes())?;
    write_atomic(&md_out, md.as_bytes())?;
    Ok(Written {
        html: html_out.to_path_buf(),
        markdown: md_out,
    })
}
