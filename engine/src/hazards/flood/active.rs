//! Wet-area tracking so a step costs work proportional to the wet area.
//!
//! ## Model
//! Each row keeps the column span `[lo, hi)` of its cells holding water (`h > 0`).
//! Before a step, the span of cells that may change is the union of the wet spans of
//! the row and its two neighbours, dilated by one column (water moves at most one cell
//! per step under the CFL condition), joined with the same set from the previous step
//! so that faces drying out are reset to zero once. Faces are processed over the hull
//! of the neighbouring rows' cell spans so every face a processed cell reads is fresh.
//!
//! ## Units
//! Column indices.
//!
//! ## Assumptions
//! A cell with `h = 0` never donates water (the kernels enforce it), so a face whose
//! cells are both outside the processed span carries no flow.
//!
//! ## References
//! The idea of restricting work to wet cells and their neighbours follows the wet-cell
//! lists of LISFLOOD-FP (Bates et al. 2010, J. Hydrol. 387, 33–45, §2.2).

use serde::{Deserialize, Serialize};

/// Half-open column span; empty when `lo >= hi`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First column.
    pub lo: u32,
    /// One past the last column.
    pub hi: u32,
}

impl Span {
    /// The empty span.
    pub const EMPTY: Self = Self { lo: 0, hi: 0 };

    /// True when the span holds no column.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.lo >= self.hi
    }

    /// Smallest span covering both.
    #[inline]
    pub fn hull(self, o: Self) -> Self {
        if self.is_empty() {
            o
        } else if o.is_empty() {
            self
        } else {
            Self {
                lo: self.lo.min(o.lo),
                hi: self.hi.max(o.hi),
            }
        }
    }

    /// Widened by one column each side, clamped to `[0, width)`.
    #[inline]
    pub fn dilate(self, width: u32) -> Self {
        if self.is_empty() {
            self
        } else {
            Self {
                lo: self.lo.saturating_sub(1),
                hi: (self.hi + 1).min(width),
            }
        }
    }

    /// Columns as a `usize` range.
    #[inline]
    pub fn range(self) -> std::ops::Range<usize> {
        if self.is_empty() {
            0..0
        } else {
            self.lo as usize..self.hi as usize
        }
    }

    /// Includes column `c`.
    #[inline]
    pub fn include(&mut self, c: u32) {
        *self = self.hull(Self { lo: c, hi: c + 1 });
    }
}

/// Per-row spans of wet cells, cells to update and faces to update.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ActiveRows {
    width: u32,
    /// Cells with water after the last step.
    pub wet: Vec<Span>,
    prev: Vec<Span>,
    /// Cells to update this step.
    pub cells: Vec<Span>,
    /// Faces to update this step (x faces `lo..=hi`, north y faces `lo..hi`).
    pub faces: Vec<Span>,
}

impl ActiveRows {
    /// Tracking for a `width × height` grid with nothing wet.
    pub fn new(width: usize, height: usize) -> Self {
        Self {
            width: width as u32,
            wet: vec![Span::EMPTY; height],
            prev: vec![Span::EMPTY; height],
            cells: vec![Span::EMPTY; height],
            faces: vec![Span::EMPTY; height],
        }
    }

    /// Recomputes `wet` from a depth array (after loading or restoring a state).
    pub fn scan(&mut self, h: &[f32]) {
        let w = self.width as usize;
        for (r, span) in self.wet.iter_mut().enumerate() {
            let row = &h[r * w..(r + 1) * w];
            *span = match (
                row.iter().position(|&d| d > 0.0),
                row.iter().rposition(|&d| d > 0.0),
            ) {
                (Some(a), Some(b)) => Span {
                    lo: a as u32,
                    hi: b as u32 + 1,
                },
                _ => Span::EMPTY,
            };
        }
    }

    /// Plans the next step from `wet`; `everything` forces all cells (e.g. rain).
    pub fn plan(&mut self, everything: bool) {
        let n = self.wet.len();
        let full = Span {
            lo: 0,
            hi: self.width,
        };
        for r in 0..n {
            let d = if everything {
                full
            } else {
                let mut s = self.wet[r];
                if r > 0 {
                    s = s.hull(self.wet[r - 1]);
                }
                if r + 1 < n {
                    s = s.hull(self.wet[r + 1]);
                }
                s.dilate(self.width)
            };
            self.cells[r] = d.hull(self.prev[r]);
            self.prev[r] = d;
        }
        for r in 0..n {
            let mut f = self.cells[r];
            if r > 0 {
                f = f.hull(self.cells[r - 1]);
            }
            if r + 1 < n {
                f = f.hull(self.cells[r + 1]);
            }
            self.faces[r] = f;
        }
    }

    /// Number of cells planned for update (for diagnostics and benches).
    pub fn planned_cells(&self) -> usize {
        self.cells.iter().map(|s| s.range().len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_dilates_and_remembers_previous() {
        let mut a = ActiveRows::new(10, 5);
        let mut h = vec![0.0_f32; 50];
        h[2 * 10 + 5] = 1.0;
        a.scan(&h);
        a.plan(false);
        assert_eq!(a.cells[2], Span { lo: 4, hi: 7 });
        assert_eq!(a.cells[1], Span { lo: 4, hi: 7 });
        assert!(a.cells[0].is_empty());
        assert_eq!(a.faces[0], Span { lo: 4, hi: 7 });
        // The water vanishes: the old span is processed once more, then dropped.
        a.scan(&[0.0; 50]);
        a.plan(false);
        assert_eq!(a.cells[2], Span { lo: 4, hi: 7 });
        a.plan(false);
        assert!(a.cells[2].is_empty());
        assert_eq!(a.planned_cells(), 0);
    }
}
