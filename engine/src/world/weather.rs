//! Weather at simulation time `t`: interpolated wind, temperature, humidity and rain from
//! the scenario's series, and the sun's elevation.
//!
//! ## Model
//! - Series are interpolated linearly in time and held constant beyond their ends.
//!   Wind direction is interpolated along the shorter arc, so 350° → 10° passes north.
//! - Solar elevation uses the NOAA Solar Calculator equations (after Meeus 1998,
//!   *Astronomical Algorithms*, 2nd ed., ch. 25 and 28): declination and equation of time
//!   from the fractional year, then the hour angle. Accuracy ≈ 0.5° is ample for
//!   Turner's stability classes, whose insolation bins are 15–35° wide.
//!
//! ## Units
//! Wind speed m/s at 10 m; direction in degrees the wind blows FROM, clockwise from
//! north; temperature °C; relative humidity %; rain mm/h; elevation angle degrees.
//!
//! ## Assumptions
//! Weather is uniform over the grid. No refraction correction of solar elevation.
//!
//! ## References
//! - NOAA Global Monitoring Laboratory, "General Solar Position Calculations"
//!   (solareqns.PDF), based on Spencer (1971) Fourier series.
//! - Meeus, J. (1998). *Astronomical Algorithms*, 2nd ed. Willmann-Bell.

use serde::{Deserialize, Serialize};

use crate::scenario::types::{Series, StartTime, Weather, WindPoint};

/// Value of a series at `t_s`.
pub fn series_at(series: &Series, t_s: f64) -> f64 {
    match series {
        Series::Constant(v) => *v,
        Series::Points(points) => interpolate(points, t_s, |p| p.0, |p| p.1),
    }
}

fn interpolate<P>(
    points: &[P],
    t: f64,
    time: impl Fn(&P) -> f64,
    value: impl Fn(&P) -> f64,
) -> f64 {
    let Some(first) = points.first() else {
        return 0.0;
    };
    if t <= time(first) {
        return value(first);
    }
    let i = points.partition_point(|p| time(p) <= t);
    if i >= points.len() {
        return value(&points[points.len() - 1]);
    }
    let (a, b) = (&points[i - 1], &points[i]);
    let w = (t - time(a)) / (time(b) - time(a));
    value(a) + w * (value(b) - value(a))
}

/// Wind at `t_s` as (speed m/s, from-direction degrees).
pub fn wind_at(points: &[WindPoint], t_s: f64) -> (f64, f64) {
    let speed = interpolate(points, t_s, |p| p.t_s, |p| p.speed_m_s);
    // Unwrap the direction so each step takes the shorter arc, then interpolate.
    let unwrapped: Vec<(f64, f64)> = points
        .iter()
        .scan(None::<f64>, |prev, p| {
            let d = match *prev {
                None => p.from_deg,
                Some(q) => q + (p.from_deg - q + 540.0).rem_euclid(360.0) - 180.0,
            };
            *prev = Some(d);
            Some((p.t_s, d))
        })
        .collect();
    let dir = interpolate(&unwrapped, t_s, |p| p.0, |p| p.1).rem_euclid(360.0);
    (speed, dir)
}

/// Velocity components (east, north) in m/s of a wind of `speed` blowing FROM `from_deg`.
pub fn wind_vector(speed: f64, from_deg: f64) -> [f64; 2] {
    let r = from_deg.to_radians();
    [-speed * r.sin(), -speed * r.cos()]
}

/// Days since 1 January of `year` for a Gregorian date (0 on 1 January).
pub fn day_of_year(year: i32, month: u32, day: u32) -> u32 {
    (1..month)
        .map(|m| crate::scenario::check::days_in_month(year, m))
        .sum::<u32>()
        + day
        - 1
}

/// Solar elevation in degrees at `t_s` after the local `start`, at latitude/longitude.
pub fn solar_elevation_deg(
    start: &StartTime,
    t_s: f64,
    latitude_deg: f64,
    longitude_deg: f64,
) -> f64 {
    let leap = crate::scenario::check::days_in_month(start.year, 2) == 29;
    let year_days = if leap { 366.0 } else { 365.0 };
    // UTC hours since the start day's midnight (may run past 24 h: carry into days).
    let local_h = f64::from(start.hour) + f64::from(start.minute) / 60.0 + t_s / 3600.0;
    let utc_h = local_h - start.utc_offset_h;
    let day = f64::from(day_of_year(start.year, start.month, start.day)) + (utc_h / 24.0).floor();
    let hour = utc_h.rem_euclid(24.0);
    let gamma = 2.0 * std::f64::consts::PI / year_days * (day + (hour - 12.0) / 24.0);
    let eqtime_min = 229.18
        * (0.000_075 + 0.001_868 * gamma.cos()
            - 0.032_077 * gamma.sin()
            - 0.014_615 * (2.0 * gamma).cos()
            - 0.040_849 * (2.0 * gamma).sin());
    let decl = 0.006_918 - 0.399_912 * gamma.cos() + 0.070_257 * gamma.sin()
        - 0.006_758 * (2.0 * gamma).cos()
        + 0.000_907 * (2.0 * gamma).sin()
        - 0.002_697 * (3.0 * gamma).cos()
        + 0.001_48 * (3.0 * gamma).sin();
    let true_solar_min = hour * 60.0 + eqtime_min + 4.0 * longitude_deg;
    let hour_angle = (true_solar_min / 4.0 - 180.0).to_radians();
    let lat = latitude_deg.to_radians();
    let cos_zenith = lat.sin() * decl.sin() + lat.cos() * decl.cos() * hour_angle.cos();
    90.0 - cos_zenith.clamp(-1.0, 1.0).acos().to_degrees()
}

/// Weather at the current tick, shared by all hazards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, bevy_ecs::resource::Resource)]
pub struct WeatherNow {
    /// Time the values are for, s.
    pub t_s: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_speed_m_s: f64,
    /// Direction the wind blows from, degrees clockwise from north.
    pub wind_from_deg: f64,
    /// Air temperature, °C.
    pub temperature_c: f64,
    /// Relative humidity, %.
    pub relative_humidity_pct: f64,
    /// Rain intensity, mm/h.
    pub rain_mm_h: f64,
    /// Sun's elevation, degrees, when the scenario gives start time and site.
    pub solar_elevation_deg: Option<f64>,
    /// Cloud cover in oktas when the scenario derives stability by Turner's method.
    pub cloud_cover_oktas: Option<f64>,
}

impl WeatherNow {
    /// Weather of `w` at `t_s`.
    pub fn at(w: &Weather, t_s: f64) -> Self {
        let (wind_speed_m_s, wind_from_deg) = wind_at(&w.wind, t_s);
        let solar_elevation_deg = match (&w.start, &w.site) {
            (Some(st), Some(site)) => Some(solar_elevation_deg(
                st,
                t_s,
                site.latitude_deg,
                site.longitude_deg,
            )),
            _ => None,
        };
        let cloud_cover_oktas = match &w.stability {
            crate::scenario::types::StabilitySpec::Turner {
                cloud_cover_oktas, ..
            } => Some(series_at(cloud_cover_oktas, t_s)),
            crate::scenario::types::StabilitySpec::Class(_) => None,
        };
        Self {
            t_s,
            wind_speed_m_s,
            wind_from_deg,
            temperature_c: series_at(&w.temperature_c, t_s),
            relative_humidity_pct: series_at(&w.relative_humidity_pct, t_s),
            rain_mm_h: series_at(&w.rain_mm_h, t_s),
            solar_elevation_deg,
            cloud_cover_oktas,
        }
    }

    /// Wind velocity (east, north) in m/s.
    pub fn wind_vector(&self) -> [f64; 2] {
        wind_vector(self.wind_speed_m_s, self.wind_from_deg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wp(t_s: f64, speed_m_s: f64, from_deg: f64) -> WindPoint {
        WindPoint {
            t_s,
            speed_m_s,
            from_deg,
        }
    }

    #[test]
    fn series_interpolate_and_hold() {
        let s = Series::Points(vec![(0.0, 10.0), (100.0, 20.0), (200.0, 0.0)]);
        assert_eq!(series_at(&s, -5.0), 10.0);
        assert_eq!(series_at(&s, 50.0), 15.0);
        assert_eq!(series_at(&s, 150.0), 10.0);
        assert_eq!(series_at(&s, 1e9), 0.0);
    }

    #[test]
    fn wind_direction_takes_the_shorter_arc() {
        let w = [wp(0.0, 2.0, 350.0), wp(100.0, 4.0, 10.0)];
        let (s, d) = wind_at(&w, 50.0);
        assert_eq!(s, 3.0);
        assert!(d.abs() < 1e-9 || (d - 360.0).abs() < 1e-9, "{d}");
        let (_, d) = wind_at(&w, 75.0);
        assert!((d - 5.0).abs() < 1e-9, "{d}");
    }

    #[test]
    fn westerly_wind_blows_east() {
        let [u, v] = wind_vector(5.0, 270.0);
        assert!((u - 5.0).abs() < 1e-12 && v.abs() < 1e-12);
        let [u, v] = wind_vector(5.0, 0.0);
        assert!(u.abs() < 1e-12 && (v + 5.0).abs() < 1e-12);
    }

    /// At local solar noon on an equinox the sun stands at 90° − |latitude| (geometry of
    /// a zero declination). Tolerance 0.6°: the equinox instant and the equation of time
    /// move the true noon elevation by up to ~0.4° within the day.
    #[test]
    fn equinox_noon_elevation_is_colatitude() {
        // 2026-03-20, longitude 0, UTC: solar noon ≈ 12:07 (equation of time ≈ −7.5 min).
        let start = StartTime {
            year: 2026,
            month: 3,
            day: 20,
            hour: 12,
            minute: 7,
            utc_offset_h: 0.0,
        };
        for lat in [0.0, 31.2, 45.0, -33.9] {
            let e = solar_elevation_deg(&start, 0.0, lat, 0.0);
            assert!((e - (90.0 - f64::abs(lat))).abs() < 0.6, "lat {lat}: {e}");
        }
    }

    /// June solstice: declination +23.44° (IAU obliquity), so noon elevation at latitude
    /// φ is 90° − |φ − 23.44°|; the NOAA series is good to ~0.2° in declination.
    #[test]
    fn solstice_noon_and_midnight() {
        // Beijing 116.4° E, UTC+8: local solar noon ≈ 12:14 clock time on 21 June.
        let start = StartTime {
            year: 2026,
            month: 6,
            day: 21,
            hour: 12,
            minute: 14,
            utc_offset_h: 8.0,
        };
        let e = solar_elevation_deg(&start, 0.0, 39.9, 116.4);
        assert!((e - (90.0 - (39.9 - 23.44))).abs() < 0.5, "{e}");
        // Twelve hours later the sun is below the horizon by 90° − 39.9° − 23.44° ≈ 26.7°.
        let e = solar_elevation_deg(&start, 12.0 * 3600.0, 39.9, 116.4);
        assert!((e + (90.0 - 39.9 - 23.44)).abs() < 0.5, "{e}");
    }
}
