//! Single-band GeoTIFF reader (and a small `f32` writer) on the `tiff` crate.
//!
//! Reads sample formats u8, i8, u16, i16, u32, i32, f32 and f64 from strips or tiles,
//! with any compression the `tiff` crate decodes. Georeferencing follows the GeoTIFF 1.1
//! standard (OGC 19-008r4): `ModelPixelScaleTag` (33550) + `ModelTiepointTag` (33922), or
//! `ModelTransformationTag` (34264) without rotation; `GTRasterTypeGeoKey` (1025) =
//! `RasterPixelIsPoint` means raster coordinates refer to pixel centres, which shifts the
//! grid's corner by half a cell. The EPSG code comes from the `GeoKeyDirectoryTag`
//! (34735): `ProjectedCSTypeGeoKey` (3072) or `GeographicTypeGeoKey` (2048). Nodata is
//! GDAL's `GDAL_NODATA` ASCII tag (42113).

use std::fs::File;
use std::io::{BufReader, Seek, Write};
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult};
use tiff::encoder::{TiffEncoder, colortype::Gray32Float};
use tiff::tags::Tag;
use tiff::{ColorType, TiffError};

use super::atomic::write_atomically;
use super::{Raster, RasterError, RasterErrorKind};
use crate::world::grid::{Grid, GridSpec};

const KEY_MODEL_TYPE: u16 = 1024;
const KEY_RASTER_TYPE: u16 = 1025;
const KEY_GEOGRAPHIC_TYPE: u16 = 2048;
const KEY_PROJECTED_TYPE: u16 = 3072;
const KEY_PROJ_LINEAR_UNITS: u16 = 3076;
const MODEL_PROJECTED: u16 = 1;
const MODEL_GEOGRAPHIC: u16 = 2;
const RASTER_PIXEL_IS_POINT: u16 = 2;
const USER_DEFINED: u16 = 32767;
const UNIT_METRE: u16 = 9001;

/// Reads a single-band GeoTIFF. Nodata cells become `NaN`.
pub fn read_geotiff(path: &Path) -> Result<Raster, RasterError> {
    let file = File::open(path).map_err(|e| RasterError::io(path, "open it", e))?;
    let mut dec = Decoder::new(BufReader::new(file)).map_err(|e| tiff_err(path, e))?;
    let (w, h) = dec.dimensions().map_err(|e| tiff_err(path, e))?;
    let spp: u16 = dec
        .find_tag_unsigned(Tag::SamplesPerPixel)
        .map_err(|e| tiff_err(path, e))?
        .unwrap_or(1);
    let color = dec.colortype().map_err(|e| tiff_err(path, e))?;
    if spp != 1 || !matches!(color, ColorType::Gray(_)) {
        return Err(unsupported(
            path,
            "the GeoTIFF has more than one band",
            "a single-band (grey) raster",
            format!("{spp} samples per pixel ({color:?})"),
            "extract the elevation band, e.g. `gdal_translate -b 1 in.tif out.tif`",
        ));
    }
    let nodata = read_nodata(path, &mut dec)?;
    let geo = read_georef(path, &mut dec, w, h)?;
    let image = dec.read_image().map_err(|e| tiff_err(path, e))?;
    let data = to_f32(path, image, nodata)?;
    let grid = Grid::from_vec(geo.spec, data).ok_or_else(|| {
        RasterError::new(
            path,
            RasterErrorKind::Format,
            "the decoded image has the wrong number of pixels",
            format!("{w} × {h} pixels"),
            "another count",
            "the file may be truncated or use an unusual layout; re-export it with GDAL",
        )
    })?;
    Ok(Raster {
        grid,
        nodata,
        epsg: geo.epsg,
        is_geographic: geo.is_geographic,
    })
}

fn tiff_err(path: &Path, err: TiffError) -> RasterError {
    let (kind, hint) = match &err {
        TiffError::IoError(_) => (
            RasterErrorKind::Io,
            "check that the file exists and is complete (not truncated)",
        ),
        TiffError::UnsupportedError(_) => (
            RasterErrorKind::Unsupported,
            "re-export it as a plain GeoTIFF, e.g. `gdal_translate -ot Float32 -co \
             COMPRESS=DEFLATE in.tif out.tif`",
        ),
        TiffError::LimitsExceeded | TiffError::IntSizeError => (
            RasterErrorKind::Unsupported,
            "the image is too large to load; crop it to the scenario area with gdal_translate \
             -projwin",
        ),
        _ => (
            RasterErrorKind::Format,
            "the file is not a valid TIFF (damaged, or another format with a .tif name)",
        ),
    };
    RasterError::new(
        path,
        kind,
        "could not decode the GeoTIFF",
        "a valid single-band GeoTIFF",
        err.to_string(),
        hint,
    )
    .caused_by(err)
}

fn unsupported(path: &Path, msg: &str, expected: &str, found: String, hint: &str) -> RasterError {
    RasterError::new(
        path,
        RasterErrorKind::Unsupported,
        msg,
        expected,
        found,
        hint,
    )
}

fn georef_err(path: &Path, msg: &str, expected: &str, found: String, hint: &str) -> RasterError {
    RasterError::new(
        path,
        RasterErrorKind::Georeference,
        msg,
        expected,
        found,
        hint,
    )
}

fn read_nodata<R: std::io::Read + Seek>(
    path: &Path,
    dec: &mut Decoder<R>,
) -> Result<Option<f64>, RasterError> {
    let Some(value) = dec
        .find_tag(Tag::GdalNodata)
        .map_err(|e| tiff_err(path, e))?
    else {
        return Ok(None);
    };
    let text = value.into_string().map_err(|e| tiff_err(path, e))?;
    let trimmed = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    trimmed.parse::<f64>().map(Some).map_err(|_| {
        RasterError::new(
            path,
            RasterErrorKind::Format,
            "the GDAL_NODATA tag (42113) is not a number",
            "a number such as -9999",
            format!("`{trimmed}`"),
            "fix it with `gdal_edit.py -a_nodata -9999 file.tif`",
        )
    })
}

/// Grid geometry and CRS read from the GeoTIFF tags.
struct Georef {
    spec: GridSpec,
    epsg: Option<u32>,
    is_geographic: bool,
}

fn f64_tag<R: std::io::Read + Seek>(
    path: &Path,
    dec: &mut Decoder<R>,
    tag: Tag,
) -> Result<Option<Vec<f64>>, RasterError> {
    match dec.find_tag(tag).map_err(|e| tiff_err(path, e))? {
        None => Ok(None),
        Some(v) => v.into_f64_vec().map(Some).map_err(|e| tiff_err(path, e)),
    }
}

fn read_georef<R: std::io::Read + Seek>(
    path: &Path,
    dec: &mut Decoder<R>,
    w: u32,
    h: u32,
) -> Result<Georef, RasterError> {
    let keys = match dec
        .find_tag(Tag::GeoKeyDirectoryTag)
        .map_err(|e| tiff_err(path, e))?
    {
        Some(v) => v.into_u16_vec().map_err(|e| tiff_err(path, e))?,
        None => Vec::new(),
    };
    let key = |id: u16| geo_key(&keys, id);
    let is_point = key(KEY_RASTER_TYPE) == Some(RASTER_PIXEL_IS_POINT);

    let scale = f64_tag(path, dec, Tag::ModelPixelScaleTag)?;
    let tie = f64_tag(path, dec, Tag::ModelTiepointTag)?;
    let transform = f64_tag(path, dec, Tag::ModelTransformationTag)?;
    // (x, y) of raster point (0, 0) and the cell sizes along x and y (y positive = north-up).
    let (x0, y0, sx, sy) = match (scale, tie, transform) {
        (Some(s), Some(t), _) if s.len() >= 2 && t.len() >= 6 => {
            (t[3] - t[0] * s[0], t[4] + t[1] * s[1], s[0], s[1])
        }
        (_, _, Some(m)) if m.len() >= 16 => {
            if m[1] != 0.0 || m[4] != 0.0 {
                return Err(georef_err(
                    path,
                    "the raster is rotated (ModelTransformationTag has shear terms)",
                    "a north-up raster",
                    format!("transformation row terms b = {}, e = {}", m[1], m[4]),
                    "warp it north-up: `gdalwarp -t_srs EPSG:<code> in.tif out.tif`",
                ));
            }
            (m[3], m[7], m[0], -m[5])
        }
        _ => {
            return Err(georef_err(
                path,
                "the TIFF has no georeferencing",
                "ModelPixelScaleTag + ModelTiepointTag, or ModelTransformationTag",
                "none of them (or too few values)".into(),
                "export the DEM as a GeoTIFF (e.g. with gdal_translate) so its position and \
                 cell size are known",
            ));
        }
    };
    if !(sx.is_finite() && sy.is_finite() && x0.is_finite() && y0.is_finite()) || sx <= 0.0 {
        return Err(georef_err(
            path,
            "the pixel scale or tie point is not usable",
            "finite coordinates and a positive cell width",
            format!("cell {sx} × {sy}, corner ({x0}, {y0})"),
            "re-export the raster with GDAL",
        ));
    }
    if sy <= 0.0 {
        return Err(georef_err(
            path,
            "the raster is stored south-up (rows run north)",
            "north-up rows (row 0 = north)",
            format!("y cell size {}", -sy),
            "flip it: `gdalwarp in.tif out.tif` writes north-up",
        ));
    }
    if (sx - sy).abs() > 1e-6 * sx.max(sy) {
        return Err(georef_err(
            path,
            "the cells are not square",
            "square cells (x size = y size)",
            format!("{sx} × {sy}"),
            &format!("resample: `gdalwarp -tr {sx} {sx} -r bilinear in.tif out.tif`"),
        ));
    }
    // PixelIsPoint: raster (0, 0) is the centre of the first pixel, so its corner lies half
    // a cell further west and north.
    let (ulx, uly) = if is_point {
        (x0 - 0.5 * sx, y0 + 0.5 * sy)
    } else {
        (x0, y0)
    };
    let spec = GridSpec {
        width: w as usize,
        height: h as usize,
        cell_size: sx,
        origin: [ulx, uly - f64::from(h) * sy],
    };

    let model = key(KEY_MODEL_TYPE);
    let projected = key(KEY_PROJECTED_TYPE).filter(|&c| c != 0 && c != USER_DEFINED);
    let geographic = key(KEY_GEOGRAPHIC_TYPE).filter(|&c| c != 0 && c != USER_DEFINED);
    let is_geographic = model == Some(MODEL_GEOGRAPHIC)
        || (model.is_none() && projected.is_none() && geographic.is_some());
    let epsg = if is_geographic { geographic } else { projected }.map(u32::from);
    if model == Some(MODEL_PROJECTED)
        && let Some(unit) = key(KEY_PROJ_LINEAR_UNITS)
        && unit != UNIT_METRE
    {
        return Err(georef_err(
            path,
            "the projected coordinates are not in metres",
            "metres (EPSG unit 9001)",
            format!("linear unit EPSG:{unit} (9002 = foot, 9003 = US survey foot)"),
            "reproject to a metric CRS, e.g. `gdalwarp -t_srs EPSG:326zz in.tif out.tif`",
        ));
    }
    Ok(Georef {
        spec,
        epsg,
        is_geographic,
    })
}

/// Value of a GeoKey stored inline (TIFFTagLocation 0) in the key directory.
fn geo_key(dir: &[u16], id: u16) -> Option<u16> {
    let n = usize::from(*dir.get(3)?);
    dir.get(4..)?
        .chunks_exact(4)
        .take(n)
        .find(|e| e[0] == id && e[1] == 0)
        .map(|e| e[3])
}

fn to_f32(
    path: &Path,
    image: DecodingResult,
    nodata: Option<f64>,
) -> Result<Vec<f32>, RasterError> {
    fn conv<T: Copy>(v: Vec<T>, nd: Option<f64>, wide: impl Fn(T) -> f64) -> Vec<f32> {
        v.into_iter()
            .map(|x| {
                let w = wide(x);
                if nd.is_some_and(|n| w == n) {
                    f32::NAN
                } else {
                    w as f32
                }
            })
            .collect()
    }
    Ok(match image {
        DecodingResult::U8(v) => conv(v, nodata, f64::from),
        DecodingResult::I8(v) => conv(v, nodata, f64::from),
        DecodingResult::U16(v) => conv(v, nodata, f64::from),
        DecodingResult::I16(v) => conv(v, nodata, f64::from),
        DecodingResult::U32(v) => conv(v, nodata, f64::from),
        DecodingResult::I32(v) => conv(v, nodata, f64::from),
        DecodingResult::F64(v) => conv(v, nodata, |x| x),
        DecodingResult::F32(v) => {
            // Compare in f32, as GDAL does: a nodata of -9999.9 matches the f32 nearest to it.
            let nd = nodata.map(|n| n as f32);
            v.into_iter()
                .map(|x| match nd {
                    Some(n) if x == n || (n.is_nan() && x.is_nan()) => f32::NAN,
                    _ => x,
                })
                .collect()
        }
        other => {
            let name = format!("{other:?}");
            let name = name.split('(').next().unwrap_or("?").to_owned();
            return Err(unsupported(
                path,
                "unsupported sample format",
                "u8, i8, u16, i16, u32, i32, f32 or f64 samples",
                name,
                "convert it: `gdal_translate -ot Float32 in.tif out.tif`",
            ));
        }
    })
}

/// Writes `grid` as a single-band `f32` GeoTIFF (uncompressed strips, PixelIsArea),
/// atomically. `NaN` cells are written as `nodata` (GDAL_NODATA tag) when given, else as
/// `NaN` with GDAL_NODATA `nan`. `epsg` sets ProjectedCSTypeGeoKey; the CRS is declared
/// projected in metres.
pub fn write_geotiff(
    path: &Path,
    grid: &Grid<f32>,
    nodata: Option<f64>,
    epsg: Option<u32>,
) -> Result<(), RasterError> {
    let data_err = |msg: &str, found: String, hint: &str| {
        RasterError::new(
            path,
            RasterErrorKind::Data,
            msg,
            "a value that fits",
            found,
            hint,
        )
    };
    let code = match epsg {
        Some(e) => Some(
            u16::try_from(e)
                .ok()
                .filter(|&c| c != USER_DEFINED)
                .ok_or_else(|| {
                    data_err(
                        "EPSG code out of the GeoKey range",
                        e.to_string(),
                        "use an EPSG code below 32767",
                    )
                })?,
        ),
        None => None,
    };
    let (w, h) = (
        u32::try_from(grid.width())
            .map_err(|_| data_err("too wide", grid.width().to_string(), "split it"))?,
        u32::try_from(grid.height())
            .map_err(|_| data_err("too tall", grid.height().to_string(), "split it"))?,
    );
    let nd32 = nodata.map(|n| n as f32);
    let data: Vec<f32> = match nd32 {
        Some(n) => grid
            .data()
            .iter()
            .map(|&v| if v.is_nan() { n } else { v })
            .collect(),
        None => grid.data().to_vec(),
    };
    let s = grid.spec();
    let mut keys: Vec<u16> = vec![1, 1, 0, 0];
    keys.extend_from_slice(&[KEY_MODEL_TYPE, 0, 1, MODEL_PROJECTED]);
    keys.extend_from_slice(&[KEY_RASTER_TYPE, 0, 1, 1]);
    if let Some(c) = code {
        keys.extend_from_slice(&[KEY_PROJECTED_TYPE, 0, 1, c]);
    }
    keys.extend_from_slice(&[KEY_PROJ_LINEAR_UNITS, 0, 1, UNIT_METRE]);
    keys[3] = ((keys.len() - 4) / 4) as u16;
    let has_nan = grid.data().iter().any(|v| v.is_nan());
    let nd_text = match nodata {
        Some(n) => Some(n.to_string()),
        None => has_nan.then(|| "nan".to_owned()),
    };
    write_atomically(path, |out| {
        encode(out, w, h, &data, s, &keys, nd_text.as_deref()).map_err(|e| tiff_err(path, e))
    })
}

fn encode<W: Write + Seek>(
    out: &mut W,
    w: u32,
    h: u32,
    data: &[f32],
    s: &GridSpec,
    keys: &[u16],
    nodata: Option<&str>,
) -> Result<(), TiffError> {
    let mut enc = TiffEncoder::new(out)?;
    let mut img = enc.new_image::<Gray32Float>(w, h)?;
    let d = img.encoder();
    d.write_tag(
        Tag::ModelPixelScaleTag,
        &[s.cell_size, s.cell_size, 0.0][..],
    )?;
    d.write_tag(
        Tag::ModelTiepointTag,
        &[0.0, 0.0, 0.0, s.origin[0], s.y_max(), 0.0][..],
    )?;
    d.write_tag(Tag::GeoKeyDirectoryTag, keys)?;
    if let Some(nd) = nodata {
        d.write_tag(Tag::GdalNodata, nd)?;
    }
    img.write_data(data)
}
