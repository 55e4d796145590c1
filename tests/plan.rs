//! `drillsim plan coverage` on a hand-checkable road grid (tests/fixtures/batch/plan_grid.ron).

mod common;

use common::{drillsim, text};

/// Secondary roads at 50 km/h = 13.89 m/s (CJJ 37-2012 design speed used by the road
/// model). From the base at (100, 100): A at 400 m → 28.8 s, C at 800 m → 57.6 s,
/// B at 1600 m → 115.2 s; so within 0.5 min 100 people, within 1 min 150, within 2 min
/// all 350. Supply: L = 2500 packs / (2000 packs/h) = 4500 s, τ = 800 m / 13.89 m/s =
/// 57.6 s, t₁ = 4557.6 s, C = 4615.2 s → 1 + ⌊(14 400 − 4557.6)/4615.2⌋ = 3 loads per
/// truck, 2 trucks × 3 × 2500 = 15 000 packs (< 20 000 in stock) → 15 000 people at one
/// pack per person-day. Shelter demand: A (nearest shelter) 100 + C (named) 50 = 150.
/// Exact decimal comparisons: these times are short sums of f64 that print exactly.
#[test]
fn coverage_by_hand_on_a_road_grid() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cov");
    let o = drillsim(
        &[
            "plan",
            "coverage",
            "tests/fixtures/batch/plan_grid.ron",
            "--minutes",
            "0.5,1,2",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        &[],
    );
    let (so, se) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{so}{se}");
    let cov = std::fs::read_to_string(out.join("coverage.csv")).unwrap();
    let all = cov.lines().nth(1).unwrap();
    assert_eq!(all, "all_bases,base,,,,100,150,350", "{cov}");
    let supply = std::fs::read_to_string(out.join("supply.csv")).unwrap();
    let row: Vec<&str> = supply.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[..4], ["depot", "2", "2500", "20000"]);
    let one_way: f64 = row[5].parse().unwrap();
    assert!((one_way - 57.6).abs() < 1e-9, "{supply}");
    assert_eq!(row[6..], ["3", "15000", "15000"], "{supply}");
    let shelters = std::fs::read_to_string(out.join("shelters.csv")).unwrap();
    assert!(shelters.contains("\nshelter,1000,150,850\n"), "{shelters}");
    for f in [
        "isochrones.geojson",
        "coverage.json",
        "minutes_to_base.png",
        "minutes_to_base.tif",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let gj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("isochrones.geojson")).unwrap())
            .unwrap();
    // 5 × 5 road nodes plus 3 facilities.
    assert_eq!(gj["features"].as_array().unwrap().len(), 28);
}

/// `plan optimise --add 1 --minutes 0.5` on `plan_grid.ron` with `extra` arguments,
/// into `dir/opt`: asserts success and returns (stdout, optimise.csv).
fn optimise_plan_grid(dir: &std::path::Path, extra: &[&str]) -> (String, String) {
    let out = dir.join("opt");
    let mut args = vec![
        "plan",
        "optimise",
        "tests/fixtures/batch/plan_grid.ron",
        "--add",
        "1",
        "--minutes",
        "0.5",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = drillsim(&args, &[]);
    let (so, se) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{so}{se}");
    (
        so,
        std::fs::read_to_string(out.join("optimise.csv")).unwrap(),
    )
}

/// `plan optimise --add 1` on the same grid, cover time 0.5 min (416.7 m at 50 km/h).
/// The base already covers A (100 people). The only road node within 416.7 m of both B
/// (200) and C (50) is (900, 500), 400 m from each: covering optimum 350 people, gain
/// 250. p-median: (900, 900) gives Σ people × distance = 100·400 + 200·0 + 50·800 =
/// 80 000 person-m = 5760 person-s at 13.89 m/s, the least of all nodes (e.g. (900, 500)
/// gives 140 000 person-m); the base alone gives 100·400 + 200·1600 + 50·800 = 400 000
/// person-m = 28 800 person-s. Tolerance 1e-6 s for the f64 sums.
#[test]
fn optimise_finds_the_hand_computed_optimum() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, csv) = optimise_plan_grid(tmp.path(), &["-q"]);
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(
        rows.len(),
        6,
        "greedy, substitution, exact per objective:\n{csv}"
    );
    for r in &rows {
        let (site, covered, wt, base_wt): (&str, f64, f64, f64) = (
            &format!("{},{}", r[4], r[5]),
            r[6].parse().unwrap(),
            r[7].parse().unwrap(),
            r[9].parse().unwrap(),
        );
        assert!((base_wt - 28_800.0).abs() < 1e-6, "{csv}");
        assert_eq!(r[8], "100", "{csv}");
        match r[0] {
            "max_covering" => {
                assert_eq!(site, "900,500", "{csv}");
                assert_eq!(covered, 350.0);
            }
            _ => {
                assert_eq!(site, "900,900", "{csv}");
                assert!((wt - 5760.0).abs() < 1e-6, "{csv}");
            }
        }
    }
}

/// With the levee-breach flood of minute 60 and a fire engine's limits, travel is never
/// faster than free flow (a vehicle drives at most the road's speed and water only slows
/// or closes roads), so no coverage count may exceed the free-flow one.
#[test]
fn hazards_never_increase_coverage() {
    let tmp = tempfile::tempdir().unwrap();
    let counts = |extra: &[&str], name: &str| -> Vec<f64> {
        let out = tmp.path().join(name);
        let mut args = vec![
            "plan",
            "coverage",
            "scenarios/flood_levee_breach.ron",
            "--minutes",
            "1,3,5",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ];
        args.extend(extra);
        let o = drillsim(&args, &[]);
        let (so, se) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{so}{se}");
        std::fs::read_to_string(out.join("coverage.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .flat_map(|l| {
                l.split(',')
                    .skip(5)
                    .map(|c| c.parse().unwrap())
                    .collect::<Vec<f64>>()
            })
            .collect()
    };
    let free = counts(&[], "free");
    let flooded = counts(&["--at-s", "3600"], "flooded");
    assert_eq!(free.len(), flooded.len());
    for (f, h) in free.iter().zip(&flooded) {
        assert!(h <= f, "{flooded:?} vs {free:?}");
    }
}

/// Above the enumeration limit (`--exact-limit 0`) the same grid is solved by greedy +
/// vertex substitution (Teitz & Bart 1968) with Lagrangian bounds (Beasley 1993): the
/// substitution rows reach the hand-computed optima of the test above ((900, 500)
/// covering all 350 people; (900, 900) with 5760 person-s) and state a gap; required
/// ≤ 1 % (the bound's subgradient search is finite, so an exact 0 is not demanded).
#[test]
fn optimise_above_the_enumeration_limit_states_a_small_gap() {
    let tmp = tempfile::tempdir().unwrap();
    let (so, csv) = optimise_plan_grid(tmp.path(), &["--exact-limit", "0"]);
    assert!(so.contains("Lagrangian gap"), "{so}");
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(
        rows.len(),
        4,
        "greedy and substitution per objective:\n{csv}"
    );
    for r in rows.iter().filter(|r| r[1] == "substitution") {
        let gap: f64 = r[11].parse().unwrap();
        assert!((0.0..=0.01).contains(&gap), "{csv}");
        let site = format!("{},{}", r[4], r[5]);
        if r[0] == "max_covering" {
            assert_eq!((site.as_str(), r[6]), ("900,500", "350"), "{csv}");
        } else {
            assert_eq!(site, "900,900", "{csv}");
            let wt: f64 = r[7].parse().unwrap();
            assert!((wt - 5760.0).abs() < 1e-6, "{csv}");
        }
    }
}

/// Isochrone polygons on the road grid (20 m cells): from the base at the corner node
/// (100, 100), within 0.5 min a secondary road (50 km/h = 13.89 m/s, CJJ 37-2012) is
/// driven 30 s · 13.89 m/s = 416.7 m east and north, so the polygon's east and north
/// extents are 100 + 416.7 m; off the road at the base one walks 30 s · 1.4 m/s = 42 m,
/// so its south and west extents are 100 − 42 m. Tolerance one cell (20 m).
#[test]
fn isochrone_polygons_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cov");
    let o = drillsim(
        &[
            "plan",
            "coverage",
            "tests/fixtures/batch/plan_grid.ron",
            "--minutes",
            "0.5,1,2",
            "--walk-m-s",
            "1.4",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        &[],
    );
    let (so, se) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{so}{se}");
    assert!(out.join("isochrones.png").exists());
    let gj: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("isochrone_polygons.geojson")).unwrap(),
    )
    .unwrap();
    let features = gj["features"].as_array().unwrap();
    assert_eq!(features.len(), 3 * 3, "3 facilities × 3 thresholds");
    let f = features
        .iter()
        .find(|f| f["properties"]["facility"] == "base" && f["properties"]["minutes"] == 0.5)
        .unwrap();
    let polys = f["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(polys.len(), 1, "{f}");
    let ring: Vec<[f64; 2]> = polys[0][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
        .collect();
    assert_eq!(ring.first(), ring.last(), "closed ring");
    let ext = |k: usize, max: bool| {
        ring.iter()
            .map(|p| p[k])
            .fold(if max { f64::MIN } else { f64::MAX }, |a, b| {
                if max { a.max(b) } else { a.min(b) }
            })
    };
    let drive = 100.0 + 30.0 * 50.0 / 3.6;
    let walk = 100.0 - 30.0 * 1.4;
    for (got, want, what) in [
        (ext(0, true), drive, "east"),
        (ext(1, true), drive, "north"),
        (ext(0, false), walk, "west"),
        (ext(1, false), walk, "south"),
    ] {
        assert!((got - want).abs() <= 20.0, "{what}: {got} vs {want}");
    }
}
