//! Coverage tables: per site and in total for one layout, and layout A against layout B
//! with the change of every metric.

use drillsim_engine::batch::coverage::Coverage;
use egui::{Color32, RichText};

use super::layout::{Site, SiteKind};
use crate::i18n::{fill, tr};

/// Headline metrics of a layout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// People reached by some base within 5, 15 and 30 min.
    pub within: [f64; 3],
    /// People in all groups.
    pub total_people: f64,
    /// People servable for a day from all depots within 4 h.
    pub supply_people: f64,
    /// Shelter places.
    pub shelter_capacity: f64,
    /// Evacuees needing a shelter (assigned or not).
    pub shelter_demand: f64,
    /// Evacuees with no reachable shelter.
    pub unassigned: f64,
}

/// Metrics of `cov` (thresholds 5, 15, 30 min).
pub fn metrics(cov: &Coverage) -> Metrics {
    let at = |i: usize| cov.bases_people_within.get(i).copied().unwrap_or(0.0);
    Metrics {
        within: [at(0), at(1), at(2)],
        total_people: cov.total_people,
        supply_people: cov.supply.iter().map(|s| s.people).sum(),
        shelter_capacity: cov.shelters.iter().map(|s| s.capacity).sum(),
        shelter_demand: cov.shelters.iter().map(|s| s.demand).sum::<f64>()
            + cov.unassigned_evacuees,
        unassigned: cov.unassigned_evacuees,
    }
}

/// Rows of the comparison: label, value, and whether more is better.
pub fn rows(m: &Metrics) -> [(&'static str, f64, bool); 7] {
    [
        ("People within 5 min", m.within[0], true),
        ("People within 15 min", m.within[1], true),
        ("People within 30 min", m.within[2], true),
        ("Supply reach in 4 h (people)", m.supply_people, true),
        ("Shelter capacity", m.shelter_capacity, true),
        ("Evacuees needing shelter", m.shelter_demand, false),
        ("Evacuees with no shelter", m.unassigned, false),
    ]
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.0}")
    } else {
        "–".to_owned()
    }
}

/// Per-site and total coverage of one layout.
pub fn site_table(ui: &mut egui::Ui, id: &str, sites: &[Site], cov: &Coverage) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for h in [
                "Site",
                "≤ 5 min",
                "≤ 15 min",
                "≤ 30 min",
                "Supply",
                "Capacity",
                "Demand",
            ] {
                ui.strong(tr(h));
            }
            ui.end_row();
            for s in sites {
                ui.label(format!("{} ({})", s.label, tr(s.kind.name())));
                let reach = cov.facilities.iter().find(|f| f.id == s.id);
                for i in 0..3 {
                    let v = reach.and_then(|r| r.people_within.get(i)).copied();
                    ui.label(v.map_or_else(|| "–".to_owned(), num));
                }
                let supply = cov.supply.iter().find(|d| d.id == s.id);
                ui.label(supply.map_or_else(String::new, |d| num(d.people)));
                let shelter = cov.shelters.iter().find(|x| x.id == s.id);
                ui.label(shelter.map_or_else(String::new, |x| num(x.capacity)));
                match shelter {
                    Some(x) if x.demand > x.capacity => {
                        ui.label(RichText::new(num(x.demand)).color(Color32::LIGHT_RED));
                    }
                    Some(x) => {
                        ui.label(num(x.demand));
                    }
                    None => {
                        ui.label("");
                    }
                }
                ui.end_row();
            }
            let m = metrics(cov);
            ui.strong(tr("All bases / total"));
            for v in m.within {
                ui.strong(num(v));
            }
            ui.strong(num(m.supply_people));
            ui.strong(num(m.shelter_capacity));
            ui.strong(num(m.shelter_demand));
            ui.end_row();
        });
    let m = metrics(cov);
    ui.label(fill(
        tr("People in the scenario: {}"),
        &[&num(m.total_people)],
    ));
    if m.unassigned > 0.0 {
        ui.colored_label(
            Color32::LIGHT_RED,
            fill(
                tr("Evacuees with no reachable shelter: {}"),
                &[&num(m.unassigned)],
            ),
        );
    }
    if !sites.iter().any(|s| s.kind == SiteKind::Base) {
        ui.label(tr("No base in this scenario: population coverage is zero."));
    }
}

/// Layout A against layout B.
pub fn diff_table(ui: &mut egui::Ui, a: &Metrics, b: &Metrics) {
    egui::Grid::new("planner_diff")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["Metric", "Layout A", "Layout B", "Change"] {
                ui.strong(tr(h));
            }
            ui.end_row();
            for ((label, va, better_up), (_, vb, _)) in rows(a).into_iter().zip(rows(b)) {
                ui.label(tr(label));
                ui.label(num(va));
                ui.label(num(vb));
                let d = vb - va;
                let colour = if d == 0.0 {
                    Color32::GRAY
                } else if (d > 0.0) == better_up {
                    Color32::LIGHT_GREEN
                } else {
                    Color32::LIGHT_RED
                };
                ui.label(RichText::new(format!("{d:+.0}")).color(colour));
                ui.end_row();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use drillsim_engine::batch::coverage::{ShelterLoad, SupplyReach};

    /// Totals are plain sums of the engine's per-depot and per-shelter values.
    #[test]
    fn metrics_sum_depots_and_shelters() {
        let depot = |people| SupplyReach {
            id: "d".into(),
            trucks: 1,
            cargo: 1.0,
            stock: 1.0,
            load_s: 1.0,
            one_way_s: 1.0,
            loads_per_truck: 1,
            packs: 1.0,
            people,
        };
        let cov = Coverage {
            minutes: vec![5.0, 15.0, 30.0],
            total_people: 500.0,
            bases_people_within: vec![10.0, 200.0, 480.0],
            facilities: Vec::new(),
            horizon_s: 14_400.0,
            supply: vec![depot(300.0), depot(700.0)],
            shelters: vec![
                ShelterLoad {
                    id: "s1".into(),
                    capacity: 100.0,
                    demand: 150.0,
                },
                ShelterLoad {
                    id: "s2".into(),
                    capacity: 50.0,
                    demand: 0.0,
                },
            ],
            unassigned_evacuees: 20.0,
            node_time_s: Vec::new(),
            facility_node_time_s: Vec::new(),
            node_base: Vec::new(),
        };
        let m = metrics(&cov);
        assert_eq!(m.within, [10.0, 200.0, 480.0]);
        assert_eq!(m.supply_people, 1000.0);
        assert_eq!(m.shelter_capacity, 150.0);
        assert_eq!(m.shelter_demand, 170.0);
        assert_eq!(rows(&m)[0], ("People within 5 min", 10.0, true));
    }
}
