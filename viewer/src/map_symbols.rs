//! Map symbols of facilities and teams, and their legend rows.
//!
//! Symbol convention: shapes and colours follow the spirit of ANSI INCITS 415-2006
//! (FGDC Homeland Security Mapping Standard, point symbology): emergency-service
//! facilities are framed symbols (fire/rescue base = square, depot = diamond, shelter =
//! triangle "house", hospital = red cross on white, command post = flag), operational
//! units are circles coloured by status. The INCITS 415 glyph artwork itself is not
//! reproduced; these are simplified vector stand-ins drawn at a fixed screen size.

use drillsim_engine::agents::state::{FacilityKind, Phase};
use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};

use crate::i18n::tr;
use crate::map::Layers;

/// Colour of a team by phase.
pub fn phase_colour(p: &Phase) -> Color32 {
    match p {
        Phase::OffDuty => Color32::from_gray(140),
        Phase::Idle => Color32::from_rgb(40, 170, 60),
        Phase::ToTask | Phase::Carrying => Color32::from_rgb(30, 110, 230),
        Phase::Working(_) => Color32::from_rgb(240, 150, 0),
        Phase::Returning | Phase::Resting(_) => Color32::from_rgb(120, 160, 200),
        Phase::Casualty => Color32::from_rgb(200, 0, 0),
    }
}

/// A team: a filled circle in the phase colour with a white rim.
pub fn team_symbol(painter: &egui::Painter, c: Pos2, phase: &Phase) {
    painter.circle(
        c,
        5.0,
        phase_colour(phase),
        Stroke::new(1.5, Color32::WHITE),
    );
}

/// A facility: base = blue square, depot = brown diamond, shelter = green triangle
/// (house), hospital = red cross on white, command post = purple flag.
pub fn facility_symbol(painter: &egui::Painter, c: Pos2, kind: &FacilityKind) {
    let black = Stroke::new(1.0, Color32::BLACK);
    match kind {
        FacilityKind::Base(_) => {
            painter.rect(
                Rect::from_center_size(c, Vec2::splat(11.0)),
                0.0,
                Color32::from_rgb(30, 70, 200),
                black,
                egui::StrokeKind::Middle,
            );
        }
        FacilityKind::Depot => {
            let d = 7.0;
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + Vec2::new(0.0, -d),
                    c + Vec2::new(d, 0.0),
                    c + Vec2::new(0.0, d),
                    c + Vec2::new(-d, 0.0),
                ],
                Color32::from_rgb(150, 100, 40),
                black,
            ));
        }
        FacilityKind::Shelter(_) => {
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + Vec2::new(0.0, -7.0),
                    c + Vec2::new(7.0, 6.0),
                    c + Vec2::new(-7.0, 6.0),
                ],
                Color32::from_rgb(30, 160, 70),
                black,
            ));
        }
        FacilityKind::Hospital(_) => {
            painter.rect(
                Rect::from_center_size(c, Vec2::splat(12.0)),
                1.0,
                Color32::WHITE,
                black,
                egui::StrokeKind::Middle,
            );
            let red = Color32::from_rgb(210, 0, 0);
            painter.rect_filled(Rect::from_center_size(c, Vec2::new(8.0, 2.5)), 0.0, red);
            painter.rect_filled(Rect::from_center_size(c, Vec2::new(2.5, 8.0)), 0.0, red);
        }
        FacilityKind::CommandPost => {
            let pole = [c + Vec2::new(-4.0, 7.0), c + Vec2::new(-4.0, -7.0)];
            painter.line_segment(pole, Stroke::new(2.0, Color32::BLACK));
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + Vec2::new(-4.0, -7.0),
                    c + Vec2::new(6.0, -4.0),
                    c + Vec2::new(-4.0, -1.0),
                ],
                Color32::from_rgb(140, 40, 180),
                black,
            ));
        }
    }
}

pub fn legend_symbols(ui: &mut egui::Ui, layers: Layers) {
    let row = |ui: &mut egui::Ui, label: &str, draw: &dyn Fn(&egui::Painter, Pos2)| {
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(Vec2::splat(16.0), Sense::hover());
            draw(ui.painter(), r.center());
            ui.label(label);
        });
    };
    if layers.facilities {
        row(ui, tr("Base"), &|p, c| {
            facility_symbol(
                p,
                c,
                &FacilityKind::Base(drillsim_engine::agents::spec::BaseKind::FireStation),
            );
        });
        row(ui, tr("Depot"), &|p, c| {
            facility_symbol(p, c, &FacilityKind::Depot);
        });
        row(ui, tr("Shelter"), &|p, c| {
            facility_symbol(p, c, &FacilityKind::Shelter(0));
        });
        row(ui, tr("Hospital"), &|p, c| {
            facility_symbol(p, c, &FacilityKind::Hospital(0));
        });
        row(ui, tr("Command post"), &|p, c| {
            facility_symbol(p, c, &FacilityKind::CommandPost);
        });
    }
    if layers.roads {
        let line = |p: &egui::Painter, c: Pos2, colour: Color32, w: f32| {
            p.line_segment(
                [c - Vec2::new(8.0, 0.0), c + Vec2::new(8.0, 0.0)],
                Stroke::new(w, colour),
            );
        };
        row(ui, tr("Road"), &|p, c| {
            p.rect_filled(
                Rect::from_center_size(c, Vec2::splat(16.0)),
                2.0,
                Color32::from_gray(90),
            );
            line(p, c, crate::map_vectors::ROAD, 2.2);
        });
        row(ui, tr("Road closed"), &|p, c| {
            line(p, c, crate::map_vectors::CLOSED, 2.5);
            crate::map_vectors::closed_cross(p, c, Vec2::X);
        });
    }
    if layers.routes {
        row(ui, tr("Team route, destination"), &|p, c| {
            let colour = phase_colour(&Phase::ToTask);
            p.extend(egui::Shape::dashed_line(
                &[c - Vec2::new(8.0, 0.0), c + Vec2::new(4.0, 0.0)],
                Stroke::new(1.6, colour),
                4.0,
                2.0,
            ));
            p.circle_stroke(c + Vec2::new(5.0, 0.0), 3.0, Stroke::new(1.6, colour));
        });
    }
    if layers.flows {
        row(ui, tr("Evacuees moving (width: people)"), &|p, c| {
            let a = c - Vec2::new(8.0, 0.0);
            let b = c + Vec2::new(8.0, 0.0);
            p.line_segment(
                [a, b - Vec2::new(5.0, 0.0)],
                Stroke::new(4.0, crate::map_vectors::FLOW),
            );
            p.add(egui::Shape::convex_polygon(
                vec![b, b - Vec2::new(6.0, 4.0), b - Vec2::new(6.0, -4.0)],
                crate::map_vectors::FLOW,
                Stroke::NONE,
            ));
        });
        row(ui, tr("People waiting for rescue"), &|p, c| {
            p.circle_stroke(c, 6.0, Stroke::new(2.0, crate::map_vectors::WAITING));
        });
    }
    if layers.teams {
        for (label, phase) in [
            ("Team ready", Phase::Idle),
            ("Team en route", Phase::ToTask),
            ("Team on scene", Phase::Working(0.0)),
            ("Team casualty", Phase::Casualty),
        ] {
            row(ui, tr(label), &|p, c| team_symbol(p, c, &phase));
        }
    }
}
