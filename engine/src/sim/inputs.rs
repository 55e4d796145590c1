//! Inputs of each tick: the weather for the tick, and events when it changes markedly.

use bevy_ecs::prelude::*;

use super::ScenarioRes;
use super::clock::SimClock;
use super::events::{EventKind, EventLog};
use crate::world::weather::WeatherNow;

/// A change of wind direction at least this large (degrees) since the last logged
/// direction is logged as `WindShifted`.
pub const WIND_SHIFT_DEG: f64 = 30.0;

/// Direction last logged, to detect shifts.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, Resource)]
pub struct WeatherWatch {
    /// Direction at the last logged shift (or the start), degrees.
    pub logged_from_deg: Option<f64>,
    /// Whether it was raining at the previous tick.
    pub raining: bool,
}

/// Weather imposed by injects (a forecast that did not hold, a trainer's wind shift): each
/// value replaces the scenario's from `from_s` until `until_s` (forever if `None`).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, Resource)]
pub struct WeatherOverride {
    /// Wind speed (m/s) and the direction it blows from (degrees).
    pub wind: Option<(f64, f64)>,
    /// Rain intensity, mm/h.
    pub rain_mm_h: Option<f64>,
    /// Air temperature, °C.
    pub temperature_c: Option<f64>,
    /// Run time the override ends, s.
    pub until_s: Option<f64>,
}

impl WeatherOverride {
    /// Applies the override to the scenario's weather at `t_s`.
    pub fn apply(&self, w: &mut WeatherNow, t_s: f64) {
        if self.until_s.is_some_and(|u| t_s >= u) {
            return;
        }
        if let Some((speed, from)) = self.wind {
            w.wind_speed_m_s = speed;
            w.wind_from_deg = from.rem_euclid(360.0);
        }
        if let Some(r) = self.rain_mm_h {
            w.rain_mm_h = r;
        }
        if let Some(c) = self.temperature_c {
            w.temperature_c = c;
        }
    }
}

/// Sets [`WeatherNow`] for the start of the tick (the scenario's weather, then any
/// inject's override) and logs shifts.
pub fn update_weather(
    scenario: Res<'_, ScenarioRes>,
    clock: Res<'_, SimClock>,
    over: Res<'_, WeatherOverride>,
    mut weather: ResMut<'_, WeatherNow>,
    mut watch: ResMut<'_, WeatherWatch>,
    mut log: ResMut<'_, EventLog>,
) {
    let t = clock.t_s();
    *weather = WeatherNow::at(&scenario.0.scenario.weather, t);
    over.apply(&mut weather, t);
    let dir = weather.wind_from_deg;
    match watch.logged_from_deg {
        None => watch.logged_from_deg = Some(dir),
        Some(prev) => {
            let change = (dir - prev + 540.0).rem_euclid(360.0) - 180.0;
            if change.abs() >= WIND_SHIFT_DEG {
                log.push(
                    t,
                    EventKind::WindShifted,
                    "weather",
                    format!(
                        "Wind shifted from {prev:.0}° to {dir:.0}° ({:.1} m/s).",
                        weather.wind_speed_m_s
                    ),
                );
                watch.logged_from_deg = Some(dir);
            }
        }
    }
    let raining = weather.rain_mm_h > 0.0;
    if raining != watch.raining {
        if raining {
            log.push(
                t,
                EventKind::RainStarted,
                "weather",
                format!("Rain started at {:.1} mm/h.", weather.rain_mm_h),
            );
        } else {
            log.push(t, EventKind::RainStopped, "weather", "Rain stopped.");
        }
        watch.raining = raining;
    }
}
