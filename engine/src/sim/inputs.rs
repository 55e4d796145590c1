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

/// Sets [`WeatherNow`] for the start of the tick and logs shifts.
pub fn update_weather(
    scenario: Res<'_, ScenarioRes>,
    clock: Res<'_, SimClock>,
    mut weather: ResMut<'_, WeatherNow>,
    mut watch: ResMut<'_, WeatherWatch>,
    mut log: ResMut<'_, EventLog>,
) {
    let t = clock.t_s();
    *weather = WeatherNow::at(&scenario.0.scenario.weather, t);
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
