//! `Grid<T>`: a flat, row-major raster on a metric coordinate system.
//!
//! Row 0 is the **northern** (top) row, as in ESRI ASCII grids and GeoTIFFs, so rasters
//! are written and displayed without flipping. Cell `(col, row)` covers
//! `x ∈ [x_min + col·Δ, x_min + (col+1)·Δ)` and `y ∈ (y_max − (row+1)·Δ, y_max − row·Δ]`,
//! where `(x_min, y_min)` is the lower-left corner (the `origin`) and `Δ` the square cell
//! size in metres. All engine rasters share one [`GridSpec`].

use serde::{Deserialize, Serialize};

/// Geometry shared by every raster of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridSpec {
    /// Number of columns (west → east).
    pub width: usize,
    /// Number of rows (north → south).
    pub height: usize,
    /// Square cell size in metres.
    pub cell_size: f64,
    /// Lower-left corner of the grid (x_min, y_min) in metres of the scenario's CRS.
    pub origin: [f64; 2],
}

impl GridSpec {
    /// Total number of cells.
    #[inline]
    pub fn len(&self) -> usize {
        self.width * self.height
    }

    /// True when the grid has no cells.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Flat index of `(col, row)`.
    #[inline]
    pub fn index(&self, col: usize, row: usize) -> usize {
        debug_assert!(col < self.width && row < self.height);
        row * self.width + col
    }

    /// Width of the grid in metres.
    pub fn extent_x(&self) -> f64 {
        self.width as f64 * self.cell_size
    }

    /// Height of the grid in metres.
    pub fn extent_y(&self) -> f64 {
        self.height as f64 * self.cell_size
    }

    /// Northern edge (y_max) in metres.
    pub fn y_max(&self) -> f64 {
        self.origin[1] + self.extent_y()
    }

    /// Centre of cell `(col, row)` in world metres.
    #[inline]
    pub fn cell_center(&self, col: usize, row: usize) -> [f64; 2] {
        [
            self.origin[0] + (col as f64 + 0.5) * self.cell_size,
            self.y_max() - (row as f64 + 0.5) * self.cell_size,
        ]
    }

    /// Cell containing world point `(x, y)`, or `None` outside the grid.
    #[inline]
    pub fn cell_at(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        let fx = (x - self.origin[0]) / self.cell_size;
        let fy = (self.y_max() - y) / self.cell_size;
        if !(fx >= 0.0 && fy >= 0.0) {
            return None;
        }
        let (col, row) = (fx.floor() as usize, fy.floor() as usize);
        (col < self.width && row < self.height).then_some((col, row))
    }

    /// Area of one cell in m².
    pub fn cell_area(&self) -> f64 {
        self.cell_size * self.cell_size
    }
}

/// A raster of `T` over a [`GridSpec`], stored row-major in one `Vec`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grid<T> {
    spec: GridSpec,
    data: Vec<T>,
}

impl<T: Clone> Grid<T> {
    /// A grid filled with `value`.
    pub fn filled(spec: GridSpec, value: T) -> Self {
        Self {
            data: vec![value; spec.len()],
            spec,
        }
    }

    /// Sets every cell to `value` without reallocating.
    pub fn fill(&mut self, value: T) {
        self.data.fill(value);
    }
}

impl<T> Grid<T> {
    /// Wraps row-major `data`; `None` if its length does not match the spec.
    pub fn from_vec(spec: GridSpec, data: Vec<T>) -> Option<Self> {
        (data.len() == spec.len()).then_some(Self { spec, data })
    }

    /// A grid whose cell `(col, row)` is `f(col, row)`.
    pub fn from_fn(spec: GridSpec, mut f: impl FnMut(usize, usize) -> T) -> Self {
        let mut data = Vec::with_capacity(spec.len());
        for row in 0..spec.height {
            for col in 0..spec.width {
                data.push(f(col, row));
            }
        }
        Self { spec, data }
    }

    /// The grid's geometry.
    #[inline]
    pub fn spec(&self) -> &GridSpec {
        &self.spec
    }

    /// Number of columns.
    #[inline]
    pub fn width(&self) -> usize {
        self.spec.width
    }

    /// Number of rows.
    #[inline]
    pub fn height(&self) -> usize {
        self.spec.height
    }

    /// Cell size in metres.
    #[inline]
    pub fn cell_size(&self) -> f64 {
        self.spec.cell_size
    }

    /// The row-major cell values.
    #[inline]
    pub fn data(&self) -> &[T] {
        &self.data
    }

    /// Mutable row-major cell values.
    #[inline]
    pub fn data_mut(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// Consumes the grid, returning its values.
    pub fn into_vec(self) -> Vec<T> {
        self.data
    }

    /// Value at `(col, row)`; panics when out of range (use [`Grid::get_checked`]).
    #[inline]
    pub fn get(&self, col: usize, row: usize) -> &T {
        &self.data[self.spec.index(col, row)]
    }

    /// Value at `(col, row)`, or `None` out of range.
    #[inline]
    pub fn get_checked(&self, col: usize, row: usize) -> Option<&T> {
        (col < self.spec.width && row < self.spec.height).then(|| self.get(col, row))
    }

    /// Mutable value at `(col, row)`.
    #[inline]
    pub fn get_mut(&mut self, col: usize, row: usize) -> &mut T {
        let i = self.spec.index(col, row);
        &mut self.data[i]
    }

    /// Sets `(col, row)` to `value`.
    #[inline]
    pub fn set(&mut self, col: usize, row: usize, value: T) {
        *self.get_mut(col, row) = value;
    }

    /// One row as a slice.
    #[inline]
    pub fn row(&self, row: usize) -> &[T] {
        let w = self.spec.width;
        &self.data[row * w..(row + 1) * w]
    }

    /// Value of the cell containing world point `(x, y)`.
    pub fn sample(&self, x: f64, y: f64) -> Option<&T> {
        self.spec.cell_at(x, y).map(|(c, r)| self.get(c, r))
    }

    /// A new grid with `f` applied to each cell.
    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> Grid<U> {
        Grid {
            spec: self.spec,
            data: self.data.iter().map(f).collect(),
        }
    }
}

impl Grid<f32> {
    /// Minimum and maximum of the finite values, or `None` if there are none.
    pub fn finite_range(&self) -> Option<(f32, f32)> {
        let mut it = self.data.iter().copied().filter(|v| v.is_finite());
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
    }

    /// Bilinear interpolation at world point `(x, y)` between cell centres, clamped at
    /// the edges. Returns `None` outside the grid.
    pub fn interpolate(&self, x: f64, y: f64) -> Option<f64> {
        self.spec.cell_at(x, y)?;
        let s = &self.spec;
        let fx = ((x - s.origin[0]) / s.cell_size - 0.5).clamp(0.0, (s.width - 1) as f64);
        let fy = ((s.y_max() - y) / s.cell_size - 0.5).clamp(0.0, (s.height - 1) as f64);
        let (c0, r0) = (fx.floor() as usize, fy.floor() as usize);
        let (c1, r1) = ((c0 + 1).min(s.width - 1), (r0 + 1).min(s.height - 1));
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let v = |c, r| f64::from(*self.get(c, r));
        let top = v(c0, r0) * (1.0 - tx) + v(c1, r0) * tx;
        let bottom = v(c0, r1) * (1.0 - tx) + v(c1, r1) * tx;
        Some(top * (1.0 - ty) + bottom * ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GridSpec {
        GridSpec {
            width: 4,
            height: 3,
            cell_size: 10.0,
            origin: [100.0, 200.0],
        }
    }

    #[test]
    fn row_zero_is_north() {
        let s = spec();
        assert_eq!(s.cell_center(0, 0), [105.0, 225.0]);
        assert_eq!(s.cell_center(3, 2), [135.0, 205.0]);
        assert_eq!(s.cell_at(105.0, 225.0), Some((0, 0)));
        assert_eq!(s.cell_at(139.9, 200.1), Some((3, 2)));
        assert_eq!(s.cell_at(99.9, 205.0), None);
        assert_eq!(s.cell_at(105.0, 230.1), None);
        assert_eq!(s.cell_at(f64::NAN, 205.0), None);
    }

    #[test]
    fn from_fn_is_row_major() {
        let g = Grid::from_fn(spec(), |c, r| (c, r));
        assert_eq!(g.data()[5], (1, 1));
        assert_eq!(g.row(2)[3], (3, 2));
        assert!(Grid::from_vec(spec(), vec![0u8; 11]).is_none());
    }

    #[test]
    fn bilinear_reproduces_a_plane() {
        // A linear field is reproduced exactly by bilinear interpolation.
        let s = spec();
        let g = Grid::from_fn(s, |c, r| {
            let [x, y] = s.cell_center(c, r);
            (0.5 * x - 0.25 * y) as f32
        });
        let v = g.interpolate(117.0, 213.0).unwrap();
        assert!((v - (0.5 * 117.0 - 0.25 * 213.0)).abs() < 1e-4, "{v}");
    }
}
