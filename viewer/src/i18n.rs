//! UI language: English (the source strings) and Simplified Chinese, by table lookup.
//!
//! Write every UI string as `tr("English text")` — whole short phrases, never sentences
//! assembled from fragments. Phrases with values are templates with `{}` slots, filled
//! by [`fill`] after translation (`fill(tr("going to {}"), &[&clock])`), so a translator
//! can move the slot. A string missing from the table shows in English.
//!
//! The current language is per thread: egui draws on one thread (the main thread in the
//! app, the test thread under egui_kittest), so tests running in parallel do not see
//! each other's language.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Parses `en` / `zh` (also `zh-CN`, `zh_CN.UTF-8`, `C`); `None` if unknown.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Self::Zh)
        } else if s.starts_with("en") || s == "c" || s == "posix" {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The language's own name (shown untranslated in the View menu).
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Zh => "简体中文",
        }
    }
}

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Sets the language of this (the UI) thread.
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

/// The language of this thread.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

fn zh_table() -> &'static HashMap<&'static str, &'static str> {
    static T: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    T.get_or_init(|| entries().collect())
}

/// `en` in the current language (English if the table has no entry).
pub fn tr(en: &'static str) -> &'static str {
    match lang() {
        Lang::En => en,
        Lang::Zh => zh_table().get(en).copied().unwrap_or(en),
    }
}

/// Fills the `{}` slots of `template` in order with `args` (extra slots stay empty).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

/// Every English → Simplified Chinese entry: the shell's and panels' [`TABLE`] and the
/// planner's [`crate::planner::i18n::TABLE`] and the map's [`crate::map_i18n::TABLE`].
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE
        .iter()
        .chain(crate::planner::i18n::TABLE.iter())
        .chain(crate::map_i18n::TABLE.iter())
        .copied()
}

/// English → Simplified Chinese.
pub const TABLE: &[(&str, &str)] = &[
    // Menu bar and shell.
    ("File", "文件"),
    ("Open…", "打开…"),
    ("Recent", "最近打开"),
    ("Start screen", "开始页面"),
    ("Export map PNG", "导出地图 PNG"),
    ("Quit", "退出"),
    ("View", "视图"),
    ("Language", "语言"),
    ("Charts", "图表"),
    ("Help", "帮助"),
    ("About drillsim", "关于 drillsim"),
    ("Keyboard shortcuts", "键盘快捷键"),
    ("Close", "关闭"),
    (
        "drillsim: simulation of multi-hazard emergency drills (flood, gas, fire, rescue).",
        "drillsim：多灾种应急演练仿真（洪水、毒气、火灾、救援）。",
    ),
    ("Space: play / pause", "空格：播放 / 暂停"),
    ("→: step one tick", "→：单步"),
    ("Ctrl+O: open a scenario", "Ctrl+O：打开情景"),
    ("Ctrl+B: bookmark this moment", "Ctrl+B：为当前时刻添加书签"),
    ("Ctrl+E: export the map as PNG", "Ctrl+E：导出地图为 PNG"),
    ("Home: back to T+0", "Home：回到 T+0"),
    ("Shipped scenarios", "内置情景"),
    (
        "Click a scenario to open it, or browse for a file:",
        "点击情景即可打开，或浏览文件：",
    ),
    ("Recent files", "最近的文件"),
    ("No recent files.", "没有最近的文件。"),
    (
        "No scenarios found (looked for scenarios/*.ron).",
        "未找到情景（查找 scenarios/*.ron）。",
    ),
    ("Open", "打开"),
    ("Could not open the scenario", "无法打开情景"),
    ("Loading…", "加载中…"),
    ("Hazards: {}", "灾害：{}"),
    ("flood", "洪水"),
    ("wildland fire", "野火"),
    ("chemical release", "化学品泄漏"),
    ("chemical fire", "化学品火灾"),
    ("no hazards", "无灾害"),
    ("Map saved: {}", "地图已保存：{}"),
    ("Could not save the map: {}", "无法保存地图：{}"),
    // File browser.
    ("Open scenario", "打开情景"),
    ("Folder", "文件夹"),
    ("Up", "上一级"),
    ("Path", "路径"),
    ("Cancel", "取消"),
    ("Only .ron files", "仅 .ron 文件"),
    ("Cannot read the folder: {}", "无法读取文件夹：{}"),
    // Top bar, time bar, role.
    (
        "Wind {} m/s from {}° · rain {} mm/h",
        "风速 {} m/s，风向 {}° · 降雨 {} mm/h",
    ),
    ("▶ Play", "▶ 播放"),
    ("‖ Pause", "‖ 暂停"),
    ("Step ›", "单步 ›"),
    ("max", "最快"),
    ("going to {} (Pause stops)", "正在前往 {}（暂停可中止）"),
    (
        "Click to go to that moment (rewind or forward)",
        "点击跳到该时刻（可回退或前进）",
    ),
    ("View:", "视角："),
    ("Controller", "导调"),
    ("Player", "参演"),
    // Side panel.
    ("Injects (MSEL)", "注入事件（MSEL）"),
    ("Forces", "力量"),
    ("Event log", "事件日志"),
    ("Bookmarks", "书签"),
    // Injects.
    ("fired {}", "已触发 {}"),
    ("pending", "待触发"),
    ("fired", "已触发"),
    ("on condition", "条件触发"),
    ("fire now", "立即触发"),
    ("Live inject", "实时注入"),
    ("Wind shift", "风向突变"),
    ("New release", "新增泄漏"),
    ("min", "分钟"),
    (
        "Click the map to place the release.",
        "在地图上点击放置泄漏点。",
    ),
    ("At E {} m, N {} m", "位置 E {} m，N {} m"),
    ("Close road", "封闭道路"),
    ("Team unavailable", "队伍不可用"),
    ("° from", "° 来向"),
    ("Click the map to pick the road.", "点击地图选择道路。"),
    (
        "Nearest road to E {} m, N {} m",
        "最近道路：东 {} m，北 {} m",
    ),
    ("team…", "队伍…"),
    ("min (0 = to end)", "分钟（0 = 至结束）"),
    ("Send", "发送"),
    ("Trigger: {}", "触发条件：{}"),
    ("Expected: {}", "预期行动：{}"),
    ("Notes: {}", "备注：{}"),
    // Forces.
    ("off duty", "未值班"),
    ("ready", "待命"),
    ("en route", "途中"),
    ("on scene (to {})", "现场作业（至 {}）"),
    ("carrying", "转运中"),
    ("returning", "返回中"),
    ("resting (to {})", "休整（至 {}）"),
    ("casualty", "伤亡"),
    ("No teams in this scenario.", "本情景没有队伍。"),
    ("Id", "编号"),
    ("Name", "名称"),
    ("Phase", "状态"),
    ("Task", "任务"),
    ("Facility", "设施"),
    ("Kind", "类型"),
    ("Occupancy", "容纳"),
    ("Stock", "库存"),
    ("Crew exposure", "队员暴露"),
    ("gas {} mg/m³", "毒气 {} mg/m³"),
    (" (AEGL-2 load)", "（达 AEGL-2 剂量）"),
    ("water {} m, HR {}", "水深 {} m，危险度 {}"),
    ("heat dose {}", "热剂量 {}"),
    ("P(death) {} %", "死亡概率 {} %"),
    ("{} / {} (+{} queued)", "{} / {}（另 {} 人排队）"),
    ("{} rations · {} sandbags", "{} 份口粮 · {} 个沙袋"),
    ("{} rations delivered", "已送达 {} 份口粮"),
    ("base", "基地"),
    ("depot", "仓库"),
    ("shelter", "避难所"),
    ("hospital", "医院"),
    ("command post", "指挥所"),
    // Charts.
    ("Flooded area", "淹没面积"),
    ("People", "人员"),
    ("Casualties", "伤亡"),
    ("Exposure", "暴露"),
    ("Loading {}…", "正在加载 {}…"),
    ("The loader stopped unexpectedly.", "加载意外中止。"),
    ("playing", "播放中"),
    ("paused", "已暂停"),
    ("Live run at {} ({})", "实时推演位于 {}（{}）"),
    ("Bookmark: {} ({})", "书签：{}（{}）"),
    ("Response times", "响应时间"),
    ("Fire", "火灾"),
    ("burned area, ha", "过火面积，公顷"),
    ("max flame length, m", "最大火焰长度，m"),
    ("≥ 10 kW/m² zone, ha", "≥ 10 kW/m² 区域，公顷"),
    ("≥ 5 kW/m² zone, ha", "≥ 5 kW/m² 区域，公顷"),
    ("≥ 2 kW/m² zone, ha", "≥ 2 kW/m² 区域，公顷"),
    ("flooded area, km²", "淹没面积，km²"),
    ("max depth, m", "最大水深，m"),
    ("evacuated", "已疏散"),
    ("in shelters", "避难所内"),
    ("waiting for rescue", "等待救援"),
    ("warned", "已预警"),
    ("expected fatalities", "预计死亡"),
    ("expected injuries", "预计受伤"),
    ("AEGL-3 zone, km²", "AEGL-3 区域，km²"),
    ("AEGL-2 zone, km²", "AEGL-2 区域，km²"),
    ("AEGL-1 zone, km²", "AEGL-1 区域，km²"),
    ("people in flood danger", "洪水危险人数"),
    ("teams out of action", "失去战斗力的队伍"),
    (
        "response time, min (by arrival)",
        "响应时间，分钟（按到达时刻）",
    ),
    ("time, h", "时间，h"),
    ("No data yet: play the run.", "暂无数据：请播放。"),
    ("No such series in this scenario.", "本情景没有该序列。"),
    // Event kinds (event log filters).
    ("run started", "仿真开始"),
    ("run ended", "仿真结束"),
    ("wind shift", "风向变化"),
    ("rain started", "降雨开始"),
    ("rain stopped", "降雨停止"),
    ("hazard started", "灾害开始"),
    ("hazard ended", "灾害结束"),
    ("level exceeded", "超过阈值"),
    ("spot fire", "飞火点燃"),
    ("fireline breached", "防火线被突破"),
    ("breach started", "溃口形成"),
    ("people warned", "人员预警"),
    ("task created", "任务产生"),
    ("team dispatched", "队伍派出"),
    ("team arrived", "队伍到达"),
    ("team rerouted", "队伍改道"),
    ("task completed", "任务完成"),
    ("leak stopped", "泄漏封堵"),
    ("people sheltered", "人员安置"),
    ("people trapped", "人员被困"),
    ("team casualty", "队伍伤亡"),
    ("fire contained", "火势控制"),
    ("inject fired", "注入事件触发"),
    ("chain triggered", "连锁事件触发"),
    ("chain held", "连锁事件未发生"),
    ("chain fired", "连锁事件发生"),
    ("road closed", "道路封闭"),
    ("road reopened", "道路重开"),
    ("team stood down", "队伍撤收"),
    ("objective met", "目标达成"),
    ("objective failed", "目标未达成"),
    // Bookmarks.
    ("Bookmark this moment", "为当前时刻添加书签"),
    ("bookmark name", "书签名称"),
    ("No bookmarks yet.", "还没有书签。"),
    ("delete", "删除"),
    ("Could not save bookmarks: {}", "无法保存书签：{}"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_entries_are_non_empty_and_keys_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for (en, zh) in entries() {
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{en:?}");
            assert!(seen.insert(en), "duplicate key {en:?}");
            assert_eq!(
                en.matches("{}").count(),
                zh.matches("{}").count(),
                "slots differ: {en:?}"
            );
        }
    }

    /// Every `tr("…")` literal in the viewer's sources has a translation.
    #[test]
    fn every_tr_literal_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = vec![std::path::PathBuf::from(dir)];
        let mut missing = Vec::new();
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") || p.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for chunk in text.split("tr(\"").skip(1) {
                let Some(end) = chunk.find("\")") else {
                    continue;
                };
                let key = chunk[..end].replace("\\\"", "\"");
                if !entries().any(|(en, _)| en == key) {
                    missing.push(format!("{}: {key}", p.display()));
                }
            }
        }
        assert!(missing.is_empty(), "untranslated: {missing:#?}");
    }

    /// Strings passed to `tr` through constants (not caught by the literal scan).
    #[test]
    fn constant_labels_are_translated() {
        use crate::panels::charts::{CHARTS, series};
        let mut keys: Vec<&str> = crate::shell::SHORTCUTS.to_vec();
        for (chart, label) in CHARTS {
            keys.push(label);
            keys.extend(series(chart).iter().map(|s| s.2));
        }
        keys.extend([
            "flood",
            "wildland fire",
            "chemical release",
            "chemical fire",
        ]);
        keys.extend(["Controller", "Player", "max"]);
        // The planner's labels held in constants.
        use crate::planner::{canvas::BANDS, compare, layout::SiteKind};
        keys.extend(BANDS.iter().map(|b| b.0));
        keys.extend([SiteKind::Base, SiteKind::Depot, SiteKind::Shelter].map(SiteKind::name));
        let m = compare::Metrics {
            within: [0.0; 3],
            total_people: 0.0,
            supply_people: 0.0,
            shelter_capacity: 0.0,
            shelter_demand: 0.0,
            unassigned: 0.0,
        };
        keys.extend(compare::rows(&m).map(|r| r.0));
        keys.extend(["Site", "Supply", "Capacity", "Demand", "Metric", "Change"]);
        // The map legend's labels held in arrays.
        keys.extend([
            "Caution (HR < 0.75)",
            "Danger for some (0.75–1.25)",
            "Danger for most (1.25–2)",
            "Danger for all (≥ 2)",
            "Team ready",
            "Team en route",
            "Team on scene",
            "Team casualty",
        ]);
        for k in keys {
            assert!(entries().any(|(en, _)| en == k), "untranslated: {k:?}");
        }
    }

    #[test]
    fn switching_language_translates() {
        set_lang(Lang::Zh);
        assert_eq!(tr("Quit"), "退出");
        assert_eq!(tr("not in the table"), "not in the table");
        set_lang(Lang::En);
        assert_eq!(tr("Quit"), "Quit");
    }

    #[test]
    fn fill_slots_and_parse() {
        assert_eq!(fill("a {} b {}", &["1", "2"]), "a 1 b 2");
        assert_eq!(fill("{} only", &[]), " only");
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
