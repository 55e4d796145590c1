//! Table cells shared by the HTML and Markdown writers (inject timeline, chain links,
//! objectives): each writer only decides how to lay them out and escape them.

use drillsim_engine::exercise::record::{ChainRecord, InjectRecord, InjectSource};
use drillsim_engine::exercise::spec::Audience;

use super::content::when;
use super::i18n::{Lang, t};

/// i18n keys of the inject timeline's columns.
pub const INJECT_HEAD: [&str; 6] = ["id", "scheduled", "fired", "source", "audience", "title"];

/// i18n keys of the chain-link table's columns.
pub const CHAIN_HEAD: [&str; 9] = [
    "id",
    "title",
    "condition",
    "probability",
    "delay",
    "threshold_at",
    "draw",
    "fired",
    "effects",
];

/// i18n keys of the objectives table's columns.
pub const OBJECTIVE_HEAD: [&str; 5] =
    ["objective", "critical_task", "target", "rating", "evidence"];

/// Column headings in `l` for `keys`.
pub fn head<const N: usize>(l: Lang, keys: [&'static str; N]) -> [&'static str; N] {
    keys.map(|k| t(l, k))
}

/// i18n key of an inject source.
pub fn src_key(s: InjectSource) -> &'static str {
    match s {
        InjectSource::Time => "src_Time",
        InjectSource::Condition => "src_Condition",
        InjectSource::Forced => "src_Forced",
        InjectSource::Live => "src_Live",
    }
}

/// Draw outcome label.
pub fn draw_label(l: Lang, drawn: Option<bool>) -> &'static str {
    match drawn {
        Some(true) => t(l, "draw_yes"),
        Some(false) => t(l, "draw_no"),
        None => "—",
    }
}

/// The cells of one inject's timeline row, in [`INJECT_HEAD`] order (plain text).
pub fn inject_cells(l: Lang, i: &InjectRecord) -> [String; 6] {
    let sched = match (&i.scheduled_s, &i.condition) {
        (Some(s), Some(c)) => format!("{} + {c}", when(*s)),
        (Some(s), None) => when(*s),
        (None, Some(c)) => c.clone(),
        (None, None) => "—".into(),
    };
    let audience = match i.audience {
        Audience::Players => t(l, "aud_Players"),
        Audience::Controllers => t(l, "aud_Controllers"),
    };
    [
        i.id.clone(),
        sched,
        i.fired_s.map_or_else(|| t(l, "not_fired").to_owned(), when),
        i.source.map_or("—", |s| t(l, src_key(s))).to_owned(),
        audience.to_owned(),
        i.title.clone(),
    ]
}

/// The cells of one chain link's row, in [`CHAIN_HEAD`] order (plain text).
pub fn chain_cells(l: Lang, ch: &ChainRecord) -> [String; 9] {
    [
        ch.id.clone(),
        ch.title.clone(),
        ch.condition.clone(),
        format!("{}", ch.probability),
        format!("{} s", ch.delay_s),
        ch.threshold_s
            .map_or_else(|| t(l, "never").to_owned(), when),
        draw_label(l, ch.drawn).to_owned(),
        ch.fired_s.map_or_else(|| "—".to_owned(), when),
        ch.effects.join("; "),
    ]
}
