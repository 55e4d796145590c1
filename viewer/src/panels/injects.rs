//! Injects: the MSEL as the role sees it (fired / pending, "fire now" for pending ones)
//! and a small composer for live injects: a wind shift, a new chemical release (a
//! chemical of the built-in library, a continuous rate for a duration, at a point
//! clicked on the map), a road closure near a point clicked on the map, a team made
//! unavailable.

use drillsim_engine::exercise::spec::{Audience, Effect, InjectSpec, RoadRef};

use crate::i18n::{fill, tr};
use crate::sim_thread::{Command, Frame};

/// What the composer builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveKind {
    /// Weather change.
    WindShift,
    /// A new continuous chemical release at a point.
    NewRelease,
    /// Close the road edge nearest a point.
    CloseRoad,
    /// A team stands down.
    TeamUnavailable,
}

/// The live-inject composer.
#[derive(Clone, Debug)]
pub struct Composer {
    /// Kind.
    pub kind: LiveKind,
    /// New wind speed, m/s.
    pub wind_speed_m_s: f64,
    /// New wind direction (from), degrees.
    pub wind_from_deg: f64,
    /// Point for the road closure or the release (last map click), m.
    pub point: Option<[f64; 2]>,
    /// Chemicals of the built-in library (canonical names).
    pub chemicals: Vec<String>,
    /// Chemical of the release.
    pub chemical: String,
    /// Release rate, kg/s.
    pub rate_kg_s: f64,
    /// Release duration, minutes.
    pub release_min: f64,
    /// Team id.
    pub team: String,
    /// Unavailable for, minutes (0 = to the end).
    pub for_min: f64,
    /// Number of live injects sent (for ids).
    pub sent: u32,
}

impl Default for Composer {
    fn default() -> Self {
        Self {
            kind: LiveKind::WindShift,
            wind_speed_m_s: 5.0,
            wind_from_deg: 225.0,
            point: None,
            chemicals: drillsim_engine::hazards::chemicals::ChemicalLibrary::load_builtin()
                .map(|l| l.chemicals().iter().map(|c| c.name.clone()).collect())
                .unwrap_or_default(),
            chemical: "chlorine".into(),
            rate_kg_s: 2.0,
            release_min: 30.0,
            team: String::new(),
            for_min: 30.0,
            sent: 0,
        }
    }
}

impl Composer {
    /// The inject the composer describes, or why not yet.
    pub fn build(&self) -> Result<InjectSpec, String> {
        let (title, effect) = match self.kind {
            LiveKind::WindShift => (
                format!(
                    "Wind shift: {:.1} m/s from {:.0}°",
                    self.wind_speed_m_s, self.wind_from_deg
                ),
                Effect::Weather {
                    wind_speed_m_s: Some(self.wind_speed_m_s),
                    wind_from_deg: Some(self.wind_from_deg),
                    rain_mm_h: None,
                    temperature_c: None,
                    for_s: None,
                },
            ),
            LiveKind::NewRelease => {
                let [x, y] = self.point.ok_or("click the map to place the release")?;
                if !self.chemicals.contains(&self.chemical) {
                    return Err("choose a chemical".into());
                }
                let name = format!("{} (LIVE-{})", self.chemical, self.sent + 1);
                // Through serde, so the release takes the scenario format's defaults
                // (height, roughness, averaging time, levels of concern).
                let spec = serde_json::from_value(serde_json::json!({
                    "name": name,
                    "chemical": self.chemical,
                    "source": {"Direct": {"Continuous": {
                        "rate_kg_s": self.rate_kg_s,
                        "duration_s": self.release_min * 60.0,
                    }}},
                    "location_xy_m": [x, y],
                }))
                .map_err(|e| e.to_string())?;
                (
                    format!(
                        "New release: {} {:.1} kg/s for {:.0} min at E {x:.0} N {y:.0}",
                        self.chemical, self.rate_kg_s, self.release_min
                    ),
                    Effect::AddRelease(Box::new(spec)),
                )
            }
            LiveKind::CloseRoad => {
                let [x, y] = self.point.ok_or("click the map to pick the road")?;
                (
                    format!("Road closed near E {x:.0} N {y:.0}"),
                    Effect::CloseRoad(RoadRef::Near(x, y)),
                )
            }
            LiveKind::TeamUnavailable => {
                if self.team.is_empty() {
                    return Err("choose a team".into());
                }
                let for_s = (self.for_min > 0.0).then_some(self.for_min * 60.0);
                (
                    format!("Team {} unavailable", self.team),
                    Effect::TeamUnavailable(self.team.clone(), for_s),
                )
            }
        };
        Ok(InjectSpec {
            id: format!("LIVE-{}", self.sent + 1),
            title,
            description: String::new(),
            at_s: None,
            when: None,
            audience: Audience::Players,
            expected_actions: Vec::new(),
            effects: vec![effect],
            notes: "live inject from the viewer".into(),
        })
    }
}

/// Injects panel state.
#[derive(Default)]
pub struct InjectsPanel {
    /// The composer.
    pub composer: Composer,
}

impl InjectsPanel {
    /// Draws the MSEL and (for the controller) the composer.
    pub fn ui(&mut self, ui: &mut egui::Ui, frame: &Frame) -> Vec<Command> {
        let mut out = Vec::new();
        egui::ScrollArea::vertical()
            .id_salt("msel")
            .max_height(260.0)
            .show(ui, |ui| {
                for i in &frame.view.injects {
                    ui.horizontal(|ui| {
                        match i.fired_s {
                            Some(t) => {
                                ui.colored_label(egui::Color32::from_rgb(230, 160, 40), "●")
                                    .on_hover_text(fill(tr("fired {}"), &[&super::clock(t)]));
                            }
                            None => {
                                ui.weak("○").on_hover_text(tr("pending"));
                            }
                        }
                        ui.monospace(&i.id);
                        let when = i
                            .fired_s
                            .or(i.scheduled_s)
                            .map_or_else(|| tr("on condition").to_owned(), super::clock);
                        ui.weak(when);
                        ui.label(&i.title).on_hover_text(inject_details(i));
                        if i.fired_s.is_none() && ui.small_button(tr("fire now")).clicked() {
                            out.push(Command::FireInject(i.id.clone()));
                        }
                    });
                }
            });
        if frame.view.role == drillsim_engine::exercise::view::Role::Controller {
            ui.separator();
            ui.strong(tr("Live inject"));
            self.composer_ui(ui, frame, &mut out);
        }
        if let Some(e) = &frame.error {
            ui.colored_label(egui::Color32::LIGHT_RED, e);
        }
        out
    }

    fn composer_ui(&mut self, ui: &mut egui::Ui, frame: &Frame, out: &mut Vec<Command>) {
        let c = &mut self.composer;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut c.kind, LiveKind::WindShift, tr("Wind shift"));
            ui.selectable_value(&mut c.kind, LiveKind::NewRelease, tr("New release"));
            ui.selectable_value(&mut c.kind, LiveKind::CloseRoad, tr("Close road"));
            ui.selectable_value(
                &mut c.kind,
                LiveKind::TeamUnavailable,
                tr("Team unavailable"),
            );
        });
        match c.kind {
            LiveKind::WindShift => {
                ui.add(egui::Slider::new(&mut c.wind_speed_m_s, 0.0..=30.0).text("m/s"));
                ui.add(egui::Slider::new(&mut c.wind_from_deg, 0.0..=359.0).text(tr("° from")));
            }
            LiveKind::NewRelease => {
                egui::ComboBox::from_id_salt("chemical")
                    .selected_text(&c.chemical)
                    .show_ui(ui, |ui| {
                        for name in &c.chemicals {
                            ui.selectable_value(&mut c.chemical, name.clone(), name);
                        }
                    });
                ui.add(
                    egui::Slider::new(&mut c.rate_kg_s, 0.1..=100.0)
                        .logarithmic(true)
                        .text("kg/s"),
                );
                ui.add(egui::Slider::new(&mut c.release_min, 1.0..=240.0).text(tr("min")));
                ui.label(point_label(
                    c.point,
                    tr("Click the map to place the release."),
                    tr("At E {} m, N {} m"),
                ));
            }
            LiveKind::CloseRoad => {
                ui.label(point_label(
                    c.point,
                    tr("Click the map to pick the road."),
                    tr("Nearest road to E {} m, N {} m"),
                ));
            }
            LiveKind::TeamUnavailable => {
                egui::ComboBox::from_id_salt("team")
                    .selected_text(if c.team.is_empty() {
                        tr("team…")
                    } else {
                        &c.team
                    })
                    .show_ui(ui, |ui| {
                        for t in &frame.teams {
                            ui.selectable_value(&mut c.team, t.id.clone(), &t.name);
                        }
                    });
                ui.add(egui::Slider::new(&mut c.for_min, 0.0..=240.0).text(tr("min (0 = to end)")));
            }
        }
        match c.build() {
            Ok(spec) => {
                if ui.button(tr("Send")).clicked() {
                    c.sent += 1;
                    out.push(Command::PushInject(Box::new(spec)));
                }
            }
            Err(why) => {
                ui.add_enabled(false, egui::Button::new(tr("Send")))
                    .on_disabled_hover_text(why);
            }
        }
    }
}

/// `prompt` until a point is picked, then `at` filled with its coordinates.
fn point_label(point: Option<[f64; 2]>, prompt: &str, at: &str) -> String {
    point.map_or_else(
        || prompt.to_owned(),
        |[x, y]| fill(at, &[&format!("{x:.0}"), &format!("{y:.0}")]),
    )
}

fn inject_details(i: &drillsim_engine::exercise::view::InjectView) -> String {
    let mut s = i.description.clone();
    if let Some(c) = &i.condition {
        s.push('\n');
        s.push_str(&fill(tr("Trigger: {}"), &[&c.to_string()]));
    }
    for a in &i.expected_actions {
        s.push('\n');
        s.push_str(&fill(tr("Expected: {}"), &[&a.to_string()]));
    }
    if !i.notes.is_empty() {
        s.push('\n');
        s.push_str(&fill(tr("Notes: {}"), &[&i.notes]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composer_builds_each_kind() {
        let mut c = Composer::default();
        let w = c.build().unwrap();
        assert_eq!(w.id, "LIVE-1");
        assert!(matches!(w.effects[0], Effect::Weather { .. }));
        c.kind = LiveKind::CloseRoad;
        assert!(c.build().is_err());
        c.point = Some([100.0, 200.0]);
        assert_eq!(
            c.build().unwrap().effects[0],
            Effect::CloseRoad(RoadRef::Near(100.0, 200.0))
        );
        c.kind = LiveKind::NewRelease;
        c.sent = 1;
        let r = c.build().unwrap();
        let Effect::AddRelease(spec) = &r.effects[0] else {
            panic!("{r:?}")
        };
        assert_eq!(spec.chemical, "chlorine");
        assert_eq!(spec.name.as_deref(), Some("chlorine (LIVE-2)"));
        assert_eq!(spec.location_xy_m, [100.0, 200.0]);
        assert_eq!(
            format!("{:?}", spec.source),
            "Direct(Continuous { rate_kg_s: 2.0, duration_s: 1800.0 })"
        );
        assert!(
            c.chemicals.iter().any(|n| n == "ammonia"),
            "{:?}",
            c.chemicals
        );
        c.chemical = "kryptonite".into();
        assert!(c.build().is_err());
        c.kind = LiveKind::TeamUnavailable;
        assert!(c.build().is_err());
        c.team = "T1".into();
        c.sent = 4;
        let t = c.build().unwrap();
        assert_eq!(t.id, "LIVE-5");
        assert_eq!(
            t.effects[0],
            Effect::TeamUnavailable("T1".into(), Some(1800.0))
        );
    }
}
