//! Semantic checks of a parsed [`Scenario`]: ranges, consistency and memory. Each check
//! reports a [`Problem`] at a field path; the loader turns paths into file positions.

use super::problem::{Problem, check_non_negative, check_positive, check_range, index, join};
use super::types::{
    FuelSource, LandCoverSource, ManningSource, Scenario, Series, StabilitySpec, TerrainSource,
};

/// Bytes of engine state per grid cell when every layer and hazard field is allocated
/// (terrain and layers ≈ 12 B, flood ≈ 40 B, gas ≈ 16 B, fire ≈ 24 B, outputs ≈ 8 B).
pub const BYTES_PER_CELL: u64 = 100;

/// Largest grid side accepted (cells); keeps indices well inside `usize` and `u32`.
pub const MAX_SIDE: usize = 1 << 20;

/// Scott & Burgan (2005) 40 fuel-model codes and Anderson (1982) 13 as "1".."13".
pub const FUEL_CODES: [&str; 58] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "NB1", "NB2", "NB3",
    "NB8", "NB9", "GR1", "GR2", "GR3", "GR4", "GR5", "GR6", "GR7", "GR8", "GR9", "GS1", "GS2",
    "GS3", "GS4", "SH1", "SH2", "SH3", "SH4", "SH5", "SH6", "SH7", "SH8", "SH9", "TU1", "TU2",
    "TU3", "TU4", "TU5", "TL1", "TL2", "TL3", "TL4", "TL5", "TL6", "TL7", "TL8", "TL9", "SB1",
    "SB2", "SB3", "SB4",
];

/// Checks every value of `s`. `memory_bytes` is the memory the grid may use.
pub fn check_scenario(s: &Scenario, memory_bytes: u64) -> Vec<Problem> {
    let mut out = Vec::new();
    if s.meta.name.trim().is_empty() {
        out.push(Problem::new(
            "meta.name",
            "a non-empty name",
            "\"\"",
            "name the scenario, e.g. \"化工园区氯气泄漏\" or \"River plain flood\"",
        ));
    }
    check_run(s, &mut out);
    check_map(s, memory_bytes, &mut out);
    check_layers(s, &mut out);
    check_weather(s, &mut out);
    for (i, h) in s.hazards.iter().enumerate() {
        h.check(&index("hazards", i), &mut out);
    }
    crate::agents::check(s, &mut out);
    crate::exercise::check(s, &mut out);
    out
}

fn check_run(s: &Scenario, out: &mut Vec<Problem>) {
    let r = &s.run;
    check_range(
        out,
        "run.duration_s",
        r.duration_s,
        1.0,
        90.0 * 86_400.0,
        "s",
        "the simulated duration in seconds, e.g. 3600.0 for one hour",
    );
    check_range(
        out,
        "run.tick_s",
        r.tick_s,
        0.01,
        3600.0,
        "s",
        "the agent tick in seconds, typically 1–10; hazards sub-step inside it",
    );
    if r.tick_s.is_finite() && r.duration_s.is_finite() && r.tick_s > r.duration_s {
        out.push(Problem::new(
            "run.tick_s",
            format!("a tick no longer than the duration ({} s)", r.duration_s),
            r.tick_s,
            "shorten the tick or lengthen the run",
        ));
    }
    let interval = r.outputs.timeseries_interval_s;
    check_positive(
        out,
        "run.outputs.timeseries_interval_s",
        interval,
        "s",
        "how often a row is written to timeseries.csv, e.g. 60.0",
    );
    if interval.is_finite()
        && r.tick_s.is_finite()
        && interval > 0.0
        && interval < r.tick_s
        && r.tick_s <= r.duration_s
    {
        out.push(Problem::new(
            "run.outputs.timeseries_interval_s",
            format!("an interval of at least one tick ({} s)", r.tick_s),
            interval,
            "rows are written at tick boundaries; use a multiple of run.tick_s",
        ));
    }
}

fn check_map(s: &Scenario, memory_bytes: u64, out: &mut Vec<Problem>) {
    let m = &s.map;
    let procedural = !matches!(
        m.terrain,
        TerrainSource::AsciiGrid(_) | TerrainSource::GeoTiff(_)
    );
    for (field, value) in [("width", m.width), ("height", m.height)] {
        let path = join("map", field);
        match value {
            None if procedural => out.push(Problem::new(
                &path,
                format!("the grid {field} in cells (procedural terrain needs it)"),
                "nothing",
                format!("add `{field}: 200` to map"),
            )),
            Some(v) if !(2..=MAX_SIDE).contains(&v) => out.push(Problem::new(
                &path,
                format!("a whole number of cells from 2 to {MAX_SIDE}"),
                v,
                "the grid must have at least 2×2 cells",
            )),
            _ => {}
        }
    }
    match m.cell_size_m {
        None if procedural => out.push(Problem::new(
            "map.cell_size_m",
            "the cell size in metres (procedural terrain needs it)",
            "nothing",
            "add `cell_size_m: 10.0` to map",
        )),
        Some(c) => check_range(
            out,
            "map.cell_size_m",
            c,
            0.01,
            100_000.0,
            "m",
            "the side of a square grid cell in metres, e.g. 10.0",
        ),
        None => {}
    }
    if let Some(o) = m.origin
        && !(o.x.is_finite() && o.y.is_finite())
    {
        out.push(Problem::new(
            "map.origin",
            "finite coordinates in metres",
            format!("({}, {})", o.x, o.y),
            "the lower-left corner of the grid in the projected CRS",
        ));
    }
    if let (Some(w), Some(h)) = (m.width, m.height) {
        let cells = (w as u64).saturating_mul(h as u64);
        let need = cells.saturating_mul(BYTES_PER_CELL);
        if need > memory_bytes {
            out.push(Problem::new(
                "map.width",
                format!(
                    "a grid that fits in memory ({} available)",
                    human_bytes(memory_bytes)
                ),
                format!("{w}×{h} cells needing about {}", human_bytes(need)),
                "use a larger cell size or a smaller area",
            ));
        }
    }
    check_terrain(&m.terrain, out);
}

fn check_terrain(t: &TerrainSource, out: &mut Vec<Problem>) {
    let p = "map.terrain";
    let dir_hint = "an azimuth in degrees clockwise from north, 0–360";
    match t {
        TerrainSource::AsciiGrid(path) | TerrainSource::GeoTiff(path) => {
            if path.trim().is_empty() {
                out.push(Problem::new(
                    p,
                    "a file path",
                    "\"\"",
                    "paths are relative to the scenario file",
                ));
            }
        }
        TerrainSource::Flat { elevation_m } => {
            check_elevation(out, &join(p, "elevation_m"), *elevation_m);
        }
        TerrainSource::Slope {
            elevation_m,
            gradient,
            uphill_toward_deg,
        } => {
            check_elevation(out, &join(p, "elevation_m"), *elevation_m);
            check_range(
                out,
                &join(p, "gradient"),
                *gradient,
                -5.0,
                5.0,
                "m/m",
                "rise per metre, e.g. 0.05 for 5 %",
            );
            check_range(
                out,
                &join(p, "uphill_toward_deg"),
                *uphill_toward_deg,
                0.0,
                360.0,
                "°",
                dir_hint,
            );
        }
        TerrainSource::Valley(v) => {
            check_elevation(out, &join(p, "floor_elevation_m"), v.floor_elevation_m);
            check_range(
                out,
                &join(p, "downstream_toward_deg"),
                v.downstream_toward_deg,
                0.0,
                360.0,
                "°",
                dir_hint,
            );
            check_range(
                out,
                &join(p, "along_slope"),
                v.along_slope,
                -1.0,
                1.0,
                "m/m",
                "fall per metre along the valley, e.g. 0.001",
            );
            check_range(
                out,
                &join(p, "side_slope"),
                v.side_slope,
                0.0,
                5.0,
                "m/m",
                "rise per metre away from the axis, e.g. 0.05",
            );
            check_non_negative(
                out,
                &join(p, "floor_half_width_m"),
                v.floor_half_width_m,
                "m",
                "half-width of the flat floor",
            );
            if let Some(r) = &v.river {
                check_positive(
                    out,
                    &join(p, "river.width_m"),
                    r.width_m,
                    "m",
                    "channel width in metres",
                );
                check_range(
                    out,
                    &join(p, "river.depth_m"),
                    r.depth_m,
                    0.0,
                    100.0,
                    "m",
                    "channel depth below the floor",
                );
            }
            if let Some(l) = &v.levees {
                check_range(
                    out,
                    &join(p, "levees.height_m"),
                    l.height_m,
                    0.0,
                    50.0,
                    "m",
                    "crest height above the floor",
                );
                check_positive(
                    out,
                    &join(p, "levees.crest_width_m"),
                    l.crest_width_m,
                    "m",
                    "crest width in metres",
                );
                check_non_negative(
                    out,
                    &join(p, "levees.setback_m"),
                    l.setback_m,
                    "m",
                    "distance from the river bank",
                );
                if v.river.is_none() {
                    out.push(Problem::new(
                        join(p, "levees"),
                        "a river for the levees to line",
                        "levees without a river",
                        "add `river: (width_m: 20.0, depth_m: 2.0)` to the valley",
                    ));
                }
            }
        }
        TerrainSource::Hills(h) => {
            check_elevation(out, &join(p, "base_elevation_m"), h.base_elevation_m);
            if h.count > 100_000 {
                out.push(Problem::new(
                    join(p, "count"),
                    "at most 100000 hills",
                    h.count,
                    "fewer, larger hills",
                ));
            }
            check_range(
                out,
                &join(p, "max_height_m"),
                h.max_height_m,
                0.0,
                9000.0,
                "m",
                "tallest hill above the base",
            );
            let (lo, hi) = h.radius_m;
            if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo <= hi) {
                out.push(Problem::new(
                    join(p, "radius_m"),
                    "(smallest, largest) radius with 0 < smallest ≤ largest",
                    format!("({lo}, {hi})"),
                    "e.g. radius_m: (200.0, 800.0)",
                ));
            }
        }
    }
}

/// Reports a problem unless `value` is a plausible ground elevation (−500 to 9000 m).
fn check_elevation(out: &mut Vec<Problem>, path: &str, value: f64) {
    check_range(
        out,
        path,
        value,
        -500.0,
        9000.0,
        "m",
        "an elevation in metres above sea level",
    );
}

fn check_layers(s: &Scenario, out: &mut Vec<Problem>) {
    let l = &s.layers;
    let manning_hint = "Manning n in s/m^(1/3): 0.013 concrete … 0.15 dense forest (Chow 1959)";
    if let LandCoverSource::Raster { path, legend } = &l.land_cover {
        if path.trim().is_empty() {
            out.push(Problem::new(
                "layers.land_cover.path",
                "a file path",
                "\"\"",
                "paths are relative to the scenario file",
            ));
        }
        if legend.is_empty() {
            out.push(Problem::new(
                "layers.land_cover.legend",
                "at least one (code, class) entry",
                "[]",
                "e.g. legend: [(code: 1, class: Forest), (code: 2, class: Water)]",
            ));
        }
        for (i, e) in legend.iter().enumerate() {
            if legend[..i].iter().any(|o| o.code == e.code) {
                out.push(Problem::new(
                    index("layers.land_cover.legend", i),
                    "each code once",
                    format!("code {} again", e.code),
                    "remove the duplicate legend entry",
                ));
            }
        }
    }
    if let ManningSource::Uniform(n) = l.manning {
        check_range(out, "layers.manning", n, 0.005, 1.0, "", manning_hint);
    }
    if let FuelSource::Uniform(code) = &l.fuel {
        check_fuel(out, "layers.fuel", code);
    }
    for (i, c) in l.classes.iter().enumerate() {
        let p = index("layers.classes", i);
        if let Some(n) = c.manning {
            check_range(out, &join(&p, "manning"), n, 0.005, 1.0, "", manning_hint);
        }
        if let Some(f) = &c.fuel {
            check_fuel(out, &join(&p, "fuel"), f);
        }
        if l.classes[..i].iter().any(|o| o.class == c.class) {
            out.push(Problem::new(
                &p,
                "each class once",
                format!("{:?} again", c.class),
                "merge the two overrides",
            ));
        }
    }
}

fn check_fuel(out: &mut Vec<Problem>, path: &str, code: &str) {
    if !FUEL_CODES.contains(&code) {
        let hint = match super::diagnostic::closest(code, FUEL_CODES) {
            Some(c) => format!(
                "did you mean \"{c}\"? Anderson 1–13 or Scott & Burgan codes such as GR2, SH5, TU5, NB9"
            ),
            None => "Anderson 1–13 or Scott & Burgan codes such as GR2, SH5, TU5, NB9".to_owned(),
        };
        out.push(Problem::new(
            path,
            "a standard fuel-model code",
            format!("\"{code}\""),
            hint,
        ));
    }
}

fn check_series(
    out: &mut Vec<Problem>,
    path: &str,
    s: &Series,
    lo: f64,
    hi: f64,
    unit: &str,
    hint: &str,
) {
    match s {
        Series::Constant(v) => check_range(out, &format!("{path}[0]"), *v, lo, hi, unit, hint),
        Series::Points(points) => {
            if points.is_empty() {
                out.push(Problem::new(
                    path,
                    "at least one (t_s, value) point",
                    "[]",
                    "or use Constant(value)",
                ));
            }
            let mut last = f64::NEG_INFINITY;
            for (i, &(t, v)) in points.iter().enumerate() {
                let p = index(path, i);
                if !(t.is_finite() && t >= 0.0 && t > last) {
                    out.push(Problem::new(
                        &p,
                        "times ≥ 0 s in strictly increasing order",
                        t,
                        "sort the points by time and remove duplicates",
                    ));
                }
                last = t;
                check_range(out, &p, v, lo, hi, unit, hint);
            }
        }
    }
}

fn check_weather(s: &Scenario, out: &mut Vec<Problem>) {
    let w = &s.weather;
    if w.wind.is_empty() {
        out.push(Problem::new(
            "weather.wind",
            "at least one wind point",
            "[]",
            "e.g. wind: [(t_s: 0, speed_m_s: 3.0, from_deg: 270)]",
        ));
    }
    let mut last = f64::NEG_INFINITY;
    for (i, p) in w.wind.iter().enumerate() {
        let path = index("weather.wind", i);
        if !(p.t_s.is_finite() && p.t_s >= 0.0 && p.t_s > last) {
            out.push(Problem::new(
                join(&path, "t_s"),
                "times ≥ 0 s in strictly increasing order",
                p.t_s,
                "sort the wind points by time and remove duplicates",
            ));
        }
        last = p.t_s;
        check_range(
            out,
            &join(&path, "speed_m_s"),
            p.speed_m_s,
            0.0,
            100.0,
            "m/s",
            "wind speed at 10 m height",
        );
        check_range(
            out,
            &join(&path, "from_deg"),
            p.from_deg,
            0.0,
            360.0,
            "°",
            "the direction the wind blows FROM, clockwise from north (270 = westerly)",
        );
    }
    check_series(
        out,
        "weather.temperature_c",
        &w.temperature_c,
        -80.0,
        60.0,
        "°C",
        "air temperature in degrees Celsius",
    );
    check_series(
        out,
        "weather.relative_humidity_pct",
        &w.relative_humidity_pct,
        0.0,
        100.0,
        "%",
        "relative humidity in percent",
    );
    check_series(
        out,
        "weather.rain_mm_h",
        &w.rain_mm_h,
        0.0,
        500.0,
        "mm/h",
        "rain intensity in millimetres per hour",
    );
    if let StabilitySpec::Turner {
        cloud_cover_oktas,
        ceiling_m,
    } = &w.stability
    {
        check_series(
            out,
            "weather.stability.cloud_cover_oktas",
            cloud_cover_oktas,
            0.0,
            8.0,
            "oktas",
            "total cloud cover in eighths of the sky",
        );
        check_positive(
            out,
            "weather.stability.ceiling_m",
            *ceiling_m,
            "m",
            "cloud ceiling height",
        );
        if w.start.is_none() || w.site.is_none() {
            out.push(Problem::new(
                "weather.stability",
                "weather.start and weather.site (Turner's method needs the sun's elevation)",
                "Turner without them",
                "add start: (year: 2026, month: 7, day: 15, hour: 14, utc_offset_h: 8) and site: (latitude_deg: 31.2, longitude_deg: 121.5)",
            ));
        }
    }
    if let Some(st) = &w.start {
        let days = days_in_month(st.year, st.month);
        if days == 0 || st.day == 0 || st.day > days || st.hour > 23 || st.minute > 59 {
            out.push(Problem::new(
                "weather.start",
                "a valid local date and time",
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}",
                    st.year, st.month, st.day, st.hour, st.minute
                ),
                "month 1–12, a day that exists in that month, hour 0–23, minute 0–59",
            ));
        }
        check_range(
            out,
            "weather.start.utc_offset_h",
            st.utc_offset_h,
            -12.0,
            14.0,
            "h",
            "China Standard Time is 8",
        );
    }
    if let Some(site) = &w.site {
        check_range(
            out,
            "weather.site.latitude_deg",
            site.latitude_deg,
            -90.0,
            90.0,
            "°",
            "latitude, north positive",
        );
        check_range(
            out,
            "weather.site.longitude_deg",
            site.longitude_deg,
            -180.0,
            180.0,
            "°",
            "longitude, east positive",
        );
    }
}

/// Days in `month` of `year` (Gregorian), 0 for an invalid month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// "1.5 GiB"-style size.
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
