//! The viewer's small persistent state: recent files and per-scenario bookmarks, as JSON
//! in `$XDG_CONFIG_HOME/drillsim/` (or `~/.config/drillsim/`). Files are written to a
//! temporary name and renamed, so a crash never leaves half a file; a file that cannot be
//! read or parsed is ignored with a message (and replaced on the next write).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Most recent files kept.
pub const MAX_RECENT: usize = 10;

/// A named moment of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bookmark {
    /// Name given by the user.
    pub name: String,
    /// Simulated time, s.
    pub t_s: f64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct RecentFile {
    files: Vec<PathBuf>,
}

/// Where the state lives.
#[derive(Clone, Debug)]
pub struct Store {
    /// The folder (created on first write).
    pub dir: PathBuf,
}

/// `$XDG_CONFIG_HOME/drillsim`, else `$HOME/.config/drillsim`.
pub fn default_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty());
    let base = match xdg {
        Some(x) => PathBuf::from(x),
        None => PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?).join(".config"),
    };
    Some(base.join("drillsim"))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(d) = dir {
        std::fs::create_dir_all(d)?;
    }
    let name = path
        .file_name()
        .map_or_else(|| "out".to_owned(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Reads JSON at `path`: `Ok(None)` if absent, `Err(message)` if unreadable or invalid.
fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>, String> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| format!("{} ignored: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{} ignored: {e}", path.display())),
    }
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let text = serde_json::to_vec_pretty(value).map_err(|e| e.to_string())?;
    write_atomic(path, &text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The key of a scenario in the bookmarks file (its absolute path when known).
pub fn scenario_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

impl Store {
    /// The recent-files file.
    pub fn recent_path(&self) -> PathBuf {
        self.dir.join("recent.json")
    }

    /// The bookmarks file (all scenarios, keyed by path).
    pub fn bookmarks_path(&self) -> PathBuf {
        self.dir.join("bookmarks.json")
    }

    /// Recent files, newest first; a message if the file was bad.
    pub fn recent(&self) -> (Vec<PathBuf>, Option<String>) {
        match read_json::<RecentFile>(&self.recent_path()) {
            Ok(r) => (r.unwrap_or_default().files, None),
            Err(e) => (Vec::new(), Some(e)),
        }
    }

    /// Puts `path` first in the recent files (at most [`MAX_RECENT`]); returns the list.
    pub fn push_recent(&self, path: &Path) -> Result<Vec<PathBuf>, String> {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut files = self.recent().0;
        files.retain(|p| *p != path);
        files.insert(0, path);
        files.truncate(MAX_RECENT);
        write_json(
            &self.recent_path(),
            &RecentFile {
                files: files.clone(),
            },
        )?;
        Ok(files)
    }

    /// Bookmarks of `scenario`, in time order; a message if the file was bad.
    pub fn bookmarks(&self, scenario: &Path) -> (Vec<Bookmark>, Option<String>) {
        match read_json::<BTreeMap<String, Vec<Bookmark>>>(&self.bookmarks_path()) {
            Ok(all) => (
                all.unwrap_or_default()
                    .remove(&scenario_key(scenario))
                    .unwrap_or_default(),
                None,
            ),
            Err(e) => (Vec::new(), Some(e)),
        }
    }

    /// Replaces the bookmarks of `scenario` (other scenarios' are kept).
    pub fn save_bookmarks(&self, scenario: &Path, marks: &[Bookmark]) -> Result<(), String> {
        let mut all = read_json::<BTreeMap<String, Vec<Bookmark>>>(&self.bookmarks_path())
            .ok()
            .flatten()
            .unwrap_or_default();
        let key = scenario_key(scenario);
        if marks.is_empty() {
            all.remove(&key);
        } else {
            all.insert(key, marks.to_vec());
        }
        write_json(&self.bookmarks_path(), &all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_newest_first_bounded_and_bad_file_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            dir: dir.path().join("cfg"),
        };
        assert_eq!(store.recent(), (Vec::new(), None));
        for i in 0..12 {
            store
                .push_recent(Path::new(&format!("/x/{i}.ron")))
                .unwrap();
        }
        store.push_recent(Path::new("/x/5.ron")).unwrap();
        let (files, msg) = store.recent();
        assert_eq!(msg, None);
        assert_eq!(files.len(), MAX_RECENT);
        assert_eq!(files[0], PathBuf::from("/x/5.ron"));
        assert_eq!(files[1], PathBuf::from("/x/11.ron"));
        assert_eq!(files.iter().filter(|p| p.ends_with("5.ron")).count(), 1);
        // No temporary file left behind.
        assert_eq!(std::fs::read_dir(&store.dir).unwrap().count(), 1);
        std::fs::write(store.recent_path(), b"{not json").unwrap();
        let (files, msg) = store.recent();
        assert!(files.is_empty());
        assert!(msg.unwrap().contains("recent.json ignored"));
        // The next write replaces the bad file.
        store.push_recent(Path::new("/y.ron")).unwrap();
        assert_eq!(store.recent().0, vec![PathBuf::from("/y.ron")]);
    }

    #[test]
    fn bookmarks_are_per_scenario() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            dir: dir.path().to_path_buf(),
        };
        let a = [Bookmark {
            name: "breach".into(),
            t_s: 1800.0,
        }];
        store.save_bookmarks(Path::new("/s/a.ron"), &a).unwrap();
        store.save_bookmarks(Path::new("/s/b.ron"), &[]).unwrap();
        assert_eq!(store.bookmarks(Path::new("/s/a.ron")).0, a.to_vec());
        assert!(store.bookmarks(Path::new("/s/b.ron")).0.is_empty());
        std::fs::write(store.bookmarks_path(), b"[1,2").unwrap();
        let (marks, msg) = store.bookmarks(Path::new("/s/a.ron"));
        assert!(marks.is_empty() && msg.is_some());
    }
}
