//! Charts of the run (egui_plot): flooded area, fire (wildland burned area and flame
//! length, chemical-fire thermal zones), people, casualties, exposure and response
//! times, from the metrics history published with each frame
//! ([`crate::history::MetricsHistory`]). Time on the x axis in hours. Until the user
//! picks a tab, the first chart with data is shown (a fire drill opens on the fire
//! chart, not on an empty flood chart).

use egui::Color32;
use egui_plot::{Legend, Line, Plot, PlotPoints, Points};

use crate::history::{MetricsHistory, column};
use crate::i18n::tr;
use crate::sim_thread::Frame;

/// The charts offered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Chart {
    /// Flooded area and maximum depth.
    #[default]
    Flood,
    /// Wildland burned area and flame length; chemical-fire thermal zone areas.
    Fire,
    /// Warned, evacuated, in shelters, waiting for rescue.
    People,
    /// Expected fatalities and injuries.
    Casualties,
    /// Gas threat-zone areas, people in flood danger, teams out of action.
    Exposure,
    /// Response time of each task, at its arrival.
    ResponseTimes,
}

/// Tabs: chart and its label.
pub const CHARTS: [(Chart, &str); 6] = [
    (Chart::Flood, "Flooded area"),
    (Chart::Fire, "Fire"),
    (Chart::People, "People"),
    (Chart::Casualties, "Casualties"),
    (Chart::Exposure, "Exposure"),
    (Chart::ResponseTimes, "Response times"),
];

/// Series of a chart: (engine or derived column, scale, label, colour).
pub fn series(chart: Chart) -> &'static [(&'static str, f64, &'static str, Color32)] {
    const BLUE: Color32 = Color32::from_rgb(70, 140, 230);
    const CYAN: Color32 = Color32::from_rgb(90, 200, 220);
    const GREEN: Color32 = Color32::from_rgb(90, 190, 90);
    const GREY: Color32 = Color32::from_gray(190);
    const RED: Color32 = Color32::from_rgb(220, 40, 40);
    const ORANGE: Color32 = Color32::from_rgb(240, 150, 30);
    const YELLOW: Color32 = Color32::from_rgb(230, 220, 60);
    match chart {
        Chart::Flood => &[
            ("flooded_area_m2", 1e-6, "flooded area, km²", BLUE),
            ("max_depth_m", 1.0, "max depth, m", CYAN),
        ],
        Chart::Fire => &[
            ("fire_burned_area_m2", 1e-4, "burned area, ha", RED),
            (
                "fire_max_flame_length_m",
                1.0,
                "max flame length, m",
                ORANGE,
            ),
            (
                "chem_fire_thermal_area_10kw_m2",
                1e-4,
                "≥ 10 kW/m² zone, ha",
                RED,
            ),
            (
                "chem_fire_thermal_area_5kw_m2",
                1e-4,
                "≥ 5 kW/m² zone, ha",
                ORANGE,
            ),
            (
                "chem_fire_thermal_area_2kw_m2",
                1e-4,
                "≥ 2 kW/m² zone, ha",
                YELLOW,
            ),
        ],
        Chart::People => &[
            ("people_warned", 1.0, "warned", GREY),
            ("people_evacuated", 1.0, "evacuated", GREEN),
            ("people_in_shelters", 1.0, "in shelters", CYAN),
            ("people_waiting_rescue", 1.0, "waiting for rescue", ORANGE),
        ],
        Chart::Casualties => &[
            ("expected_fatalities", 1.0, "expected fatalities", RED),
            ("expected_injuries", 1.0, "expected injuries", ORANGE),
        ],
        Chart::Exposure => &[
            ("gas_area_aegl3_m2", 1e-6, "AEGL-3 zone, km²", RED),
            ("gas_area_aegl2_m2", 1e-6, "AEGL-2 zone, km²", ORANGE),
            ("gas_area_aegl1_m2", 1e-6, "AEGL-1 zone, km²", YELLOW),
            (
                "people_in_flood_danger",
                1.0,
                "people in flood danger",
                BLUE,
            ),
            ("teams_out_of_action", 1.0, "teams out of action", GREY),
        ],
        Chart::ResponseTimes => &[],
    }
}

/// Charts panel state.
#[derive(Default)]
pub struct ChartsPanel {
    /// The chart shown.
    pub chart: Chart,
    /// Points plotted at the last draw (for tests and the empty-state message).
    pub plotted: usize,
    /// The user picked the tab (no more automatic choice).
    pub chosen: bool,
}

/// Lines of `chart` as (label, colour, points in hours / display units); empty series left out.
pub fn lines(chart: Chart, h: &MetricsHistory) -> Vec<(&'static str, Color32, Vec<[f64; 2]>)> {
    if chart == Chart::ResponseTimes {
        let pts: Vec<[f64; 2]> = h
            .response_times
            .iter()
            .map(|(t, rt)| [t / 3600.0, rt / 60.0])
            .collect();
        return vec![(
            "response time, min (by arrival)",
            Color32::from_rgb(230, 160, 40),
            pts,
        )];
    }
    series(chart)
        .iter()
        .filter_map(|(col, scale, label, colour)| {
            let c = column(col)?;
            h.has(c).then(|| (*label, *colour, h.points(c, *scale)))
        })
        .collect()
}

/// Whether `chart` has any point to plot.
pub fn has_data(chart: Chart, h: &MetricsHistory) -> bool {
    lines(chart, h).iter().any(|l| !l.2.is_empty())
}

/// `current` if it has data, else the first chart that has (response times last: every
/// run with teams has them), else `current`.
pub fn first_with_data(current: Chart, h: &MetricsHistory) -> Chart {
    let has = |c: Chart| has_data(c, h);
    if has(current) {
        return current;
    }
    CHARTS
        .iter()
        .map(|c| c.0)
        .find(|&c| c != Chart::ResponseTimes && has(c))
        .unwrap_or(current)
}

impl ChartsPanel {
    /// Draws the tabs and the chart.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) {
        ui.horizontal_wrapped(|ui| {
            let started = !frame.history.samples.is_empty();
            for (chart, label) in CHARTS {
                // Once the run has data, tabs without any are greyed out.
                let has = !started || has_data(chart, &frame.history);
                if ui
                    .add_enabled(
                        has,
                        egui::Button::selectable(self.chart == chart, tr(label)),
                    )
                    .clicked()
                {
                    self.chart = chart;
                    self.chosen = true;
                }
            }
        });
        if !self.chosen {
            self.chart = first_with_data(self.chart, &frame.history);
        }
        let lines = lines(self.chart, &frame.history);
        self.plotted = lines.iter().map(|l| l.2.len()).sum();
        if self.plotted == 0 {
            ui.weak(if frame.history.samples.is_empty() {
                tr("No data yet: play the run.")
            } else {
                tr("No such series in this scenario.")
            });
        }
        let now_h = frame.t_s / 3600.0;
        let scatter = self.chart == Chart::ResponseTimes;
        let id = CHARTS
            .iter()
            .find(|c| c.0 == self.chart)
            .map_or("chart", |c| c.1);
        Plot::new(id)
            .legend(Legend::default())
            .x_axis_label(tr("time, h"))
            .allow_scroll(false)
            .include_x(0.0)
            .include_x(now_h.max(0.25))
            .include_y(0.0)
            .show(ui, |p| {
                for (label, colour, pts) in lines {
                    let pts = PlotPoints::from(pts);
                    if scatter {
                        p.points(Points::new(tr(label), pts).color(colour).radius(3.0));
                    } else {
                        p.line(Line::new(tr(label), pts).color(colour).width(2.0));
                    }
                }
                p.vline(egui_plot::VLine::new("", now_h).color(Color32::WHITE));
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{COLUMNS, Sample};

    #[test]
    fn lines_scale_and_skip_missing_series() {
        let mut h = MetricsHistory::default();
        let mut values = [f64::NAN; COLUMNS.len()];
        values[column("flooded_area_m2").unwrap()] = 2.5e6;
        h.samples.push(Sample {
            t_s: 7200.0,
            values,
        });
        let l = lines(Chart::Flood, &h);
        assert_eq!(l.len(), 1, "max depth has no data");
        assert_eq!(l[0].2, vec![[2.0, 2.5]]);
        assert!(lines(Chart::People, &h).is_empty());
        assert!(lines(Chart::Fire, &h).is_empty());
        h.response_times.push((1800.0, 600.0));
        assert_eq!(lines(Chart::ResponseTimes, &h)[0].2, vec![[0.5, 10.0]]);
        for (chart, _) in CHARTS {
            for (col, ..) in series(chart) {
                assert!(column(col).is_some(), "{col} not collected");
            }
        }
    }

    #[test]
    fn a_fire_drill_opens_on_the_fire_chart() {
        let mut sim = crate::fixtures::scenario("fire_grassland_wind_shift.ron");
        sim.run_until(1200.0);
        let mut h = MetricsHistory::default();
        h.observe(&sim);
        assert!(
            lines(Chart::Flood, &h).is_empty(),
            "no flood in a grass fire"
        );
        let fire = lines(Chart::Fire, &h);
        let area = &fire
            .iter()
            .find(|l| l.0 == "burned area, ha")
            .expect("the engine's fire_burned_area_m2 column is collected")
            .2;
        // The burned area only grows and is positive after 20 minutes.
        assert!(area.windows(2).all(|w| w[1][1] >= w[0][1]));
        assert!(area.last().unwrap()[1] > 0.0);
        assert_eq!(first_with_data(Chart::Flood, &h), Chart::Fire);
        // A chart with data is kept.
        assert_eq!(
            first_with_data(Chart::People, &MetricsHistory::default()),
            Chart::People
        );
    }
}
