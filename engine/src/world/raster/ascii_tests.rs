//! Unit tests of the ESRI ASCII grid reader: header variants, located errors.

use super::*;

fn parse(text: &str) -> Result<Raster, RasterError> {
    parse_ascii(Path::new("t.asc"), text.as_bytes())
}

#[test]
fn reads_keys_in_any_case_and_values_across_lines() {
    let r = parse(
        "NCOLS 3\n  nRows\t2\nXLLCENTER 105\nyllcenter 205\nCellSize 10\nnodata_value -1\n\
         1 2\n3 4 -1\n6\n",
    )
    .unwrap();
    let s = r.grid.spec();
    assert_eq!((s.width, s.height, s.cell_size), (3, 2, 10.0));
    // Centre of the lower-left cell (105, 205) → corner (100, 200).
    assert_eq!(s.origin, [100.0, 200.0]);
    assert_eq!(r.nodata, Some(-1.0));
    assert!(r.grid.get(1, 1).is_nan());
    assert_eq!(*r.grid.get(2, 1), 6.0);
}

#[test]
fn crlf_and_byte_order_mark_are_accepted() {
    let r =
        parse("\u{feff}ncols 2\r\nnrows 1\r\nxllcorner 0\r\nyllcorner 0\r\ncellsize 1\r\n1 2\r\n")
            .unwrap();
    assert_eq!(r.grid.data(), &[1.0, 2.0]);
}

#[test]
fn dx_dy_must_be_equal() {
    let ok = parse("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ndx 5\ndy 5\n1\n").unwrap();
    assert_eq!(ok.grid.cell_size(), 5.0);
    let e = parse("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ndx 5\ndy 4\n1\n").unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (RasterErrorKind::Georeference, Some(6), Some(4))
    );
    assert!(e.message.contains("not square"), "{e}");
}

#[test]
fn short_row_is_named() {
    let e = parse("ncols 3\nnrows 3\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n4 5\n7 8 9\n")
        .unwrap_err();
    assert_eq!((e.line, e.column), (Some(7), Some(1)));
    assert!(
        e.message
            .contains("header says 3 columns but row 2 has 2 values"),
        "{e}"
    );
}

#[test]
fn missing_and_extra_values_are_counted() {
    let e = parse("ncols 4\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3\n").unwrap_err();
    assert_eq!(e.kind, RasterErrorKind::Size);
    assert_eq!(
        (e.expected.as_str(), e.found.as_str()),
        ("4 values (4 columns × 1 rows)", "3 values")
    );
    let e = parse("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n").unwrap_err();
    assert_eq!((e.line, e.column), (Some(6), Some(3)));
}

#[test]
fn header_errors_are_located() {
    let e = parse("ncols 2\nnrows x\n").unwrap_err();
    assert_eq!((e.line, e.column), (Some(2), Some(7)));
    let e = parse("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1,5\n1\n").unwrap_err();
    assert!(e.hint.contains("decimal separator"), "{e}");
    let e = parse("ncols 1\nrows 1\n").unwrap_err();
    assert!(e.message.contains("unknown header key"), "{e}");
    let e = parse("ncols 1\nnrows 1\nxllcorner 0\ncellsize 1\n1\n").unwrap_err();
    assert!(e.message.contains("yllcorner"), "{e}");
    assert_eq!(e.line, Some(5));
    let e = parse("ncols 1\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\nabc\n").unwrap_err();
    assert_eq!((e.kind, e.line), (RasterErrorKind::Value, Some(6)));
    let e =
        parse("ncols 99999999999\nnrows 99999999999\nxllcorner 0\nyllcorner 0\ncellsize 1\n1\n")
            .unwrap_err();
    assert_eq!(e.kind, RasterErrorKind::Header);
}

#[test]
fn display_has_location_expected_and_hint() {
    let e = parse("ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1\n").unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("t.asc:"), "{text}");
    assert!(text.contains("error: ") && text.contains("= expected") && text.contains("= hint: "));
}
