//! The application shell: menu bar (File, View, Help), start screen, file browser,
//! recent files, keyboard shortcuts, map export and the `--screenshot` mode. It opens a
//! scenario into a [`ViewerApp`], which wires the panels. Opening runs on a worker
//! thread (parsing, terrain, building the simulation): the window shows a spinner with
//! Cancel (or Escape) meanwhile and stays responsive; a cancelled load's result is
//! dropped.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use drillsim_engine::{RunConfig, Simulation};
use egui::{Key, KeyboardShortcut, Modifiers};

use crate::app::ViewerApp;
use crate::export::{Exporter, Pending};
use crate::file_browser::FileBrowser;
use crate::i18n::{Lang, fill, lang, set_lang, tr};
use crate::panels::bookmarks::BookmarksPanel;
use crate::settings::Store;
use crate::sim_thread::Command;
use crate::start::{StartScreen, scan, scenario_dirs};

/// Keyboard shortcuts listed in Help.
pub const SHORTCUTS: [&str; 6] = [
    "Space: play / pause",
    "→: step one tick",
    "Home: back to T+0",
    "Ctrl+B: bookmark this moment",
    "Ctrl+E: export the map as PNG",
    "Ctrl+O: open a scenario",
];

/// `--screenshot PATH --frames N`: write the window after N frames, then quit.
#[derive(Clone, Debug, PartialEq)]
pub struct ScreenshotMode {
    /// Output file.
    pub path: PathBuf,
    /// Frames drawn (after any seek has finished) before the shot.
    pub frames: u32,
}

/// What to do once a scenario has loaded (the command line's `--at`, `--play`,
/// `--planner`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OnLoad {
    /// Go to this time, s.
    pub at_s: Option<f64>,
    /// Start playing.
    pub play: bool,
    /// Open in planner mode.
    pub planner: bool,
}

/// A scenario being opened on a worker thread.
pub struct Loading {
    /// The file.
    pub path: PathBuf,
    /// What to do once loaded.
    then: Option<OnLoad>,
    rx: Receiver<Result<ViewerApp, String>>,
}

/// The shell.
pub struct Shell {
    /// The open scenario (`None`: start screen).
    pub app: Option<ViewerApp>,
    /// Its file.
    pub scenario: Option<PathBuf>,
    store: Option<Store>,
    /// Recent files, newest first.
    pub recent: Vec<PathBuf>,
    /// Start screen.
    pub start: StartScreen,
    /// The File ▸ Open… browser, while open.
    pub browser: Option<FileBrowser>,
    exporter: Exporter,
    /// Screenshot mode, if asked on the command line.
    pub screenshot: Option<ScreenshotMode>,
    settled_frames: u32,
    show_about: bool,
    show_keys: bool,
    /// Last status message (export done, etc.).
    pub status: Option<String>,
    /// Show the charts panel.
    pub charts: bool,
    /// Path of the CJK font in use, if any.
    pub cjk_font: Option<&'static str>,
    /// The scenario being opened, if any.
    pub loading: Option<Loading>,
}

impl Shell {
    /// A shell on the start screen, state saved in `store` (`None`: nothing saved).
    pub fn new(store: Option<Store>) -> Self {
        let (recent, message) = store.as_ref().map_or((Vec::new(), None), Store::recent);
        Self {
            app: None,
            scenario: None,
            store,
            recent,
            start: StartScreen {
                entries: scan(&scenario_dirs()),
                error: None,
                message,
                browse: false,
            },
            browser: None,
            exporter: Exporter::default(),
            screenshot: None,
            settled_frames: 0,
            show_about: false,
            show_keys: false,
            status: None,
            charts: true,
            cjk_font: None,
            loading: None,
        }
    }

    /// Opens `path`: on success the scenario replaces the current one and goes first in
    /// the recent files; on failure the start screen shows the error.
    pub fn open(&mut self, path: &Path) {
        self.open_then(path, None);
    }

    /// Opens `path` on a worker thread; once loaded, goes to `then`'s start time and
    /// plays if asked.
    pub fn open_then(&mut self, path: &Path, then: Option<OnLoad>) {
        let (tx, rx) = channel();
        let p = path.to_path_buf();
        std::thread::spawn(move || {
            let app = Simulation::from_file(&p, RunConfig::default())
                .map(ViewerApp::with_sim)
                .map_err(|e| e.to_string());
            let _ = tx.send(app); // the shell may have cancelled
        });
        self.loading = Some(Loading {
            path: path.to_path_buf(),
            then,
            rx,
        });
    }

    /// Installs the scenario being loaded once it is ready (or its error).
    fn poll_loading(&mut self) {
        let Some(l) = &self.loading else { return };
        let result = match l.rx.try_recv() {
            Ok(r) => r,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err(tr("The loader stopped unexpectedly.").into()),
        };
        let Some(Loading { path, then, .. }) = self.loading.take() else {
            return;
        };
        match result {
            Ok(mut app) => {
                if let Some(l) = app.loaded_mut() {
                    l.bookmarks = BookmarksPanel::new(self.store.clone(), path.clone());
                }
                if let Some(on) = then {
                    app.start(on.at_s, on.play);
                    if let (true, Some(l)) = (on.planner, app.loaded_mut()) {
                        l.planner.mode = crate::planner::Mode::Planner;
                    }
                }
                self.app = Some(app);
                self.start.error = None;
                if let Some(s) = &self.store {
                    match s.push_recent(&path) {
                        Ok(r) => self.recent = r,
                        Err(e) => self.start.message = Some(e),
                    }
                }
                self.scenario = Some(path);
            }
            Err(e) => {
                self.app = None;
                self.scenario = None;
                self.start.error = Some((path, e));
            }
        }
    }

    /// The loading screen: spinner, file name, Cancel (also Escape).
    fn loading_ui(&mut self, ui: &mut egui::Ui) {
        let Some(l) = &self.loading else { return };
        let name = l.path.file_name().map_or_else(
            || l.path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        let mut cancel = ui.input(|i| i.key_pressed(Key::Escape));
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(ui.available_height() / 3.0);
            ui.vertical_centered(|ui| {
                ui.spinner();
                ui.heading(fill(tr("Loading {}…"), &[&name]));
                cancel |= ui.button(tr("Cancel")).clicked();
            });
        });
        if cancel {
            self.loading = None;
        }
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(30));
    }

    /// Back to the start screen (the simulation thread stops with its handle).
    pub fn close(&mut self) {
        self.app = None;
        self.scenario = None;
    }

    fn send(&self, c: Command) {
        if let Some(l) = self.app.as_ref().and_then(|a| a.loaded().ok()) {
            l.sim.send(c);
        }
    }

    fn export_map(&mut self, ctx: &egui::Context) {
        let (Some(app), Some(path)) = (&self.app, &self.scenario) else {
            return;
        };
        let Ok(l) = app.loaded() else { return };
        let name = crate::export::default_name(path, l.sim.frame().t_s);
        let out = std::env::current_dir().unwrap_or_default().join(name);
        self.exporter.request(
            ctx,
            Pending {
                path: out,
                rect: l.map_rect,
                quit: false,
                map_copy: None,
            },
        );
    }

    fn bookmark_now(&mut self) {
        if let Some(l) = self.app.as_mut().and_then(ViewerApp::loaded_mut) {
            let t = l.sim.frame().t_s;
            l.bookmarks.add(t);
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let ctrl = |k| KeyboardShortcut::new(Modifiers::COMMAND, k);
        let plain = |k| KeyboardShortcut::new(Modifiers::NONE, k);
        let typing = ctx.text_edit_focused();
        let pressed = |s: KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(&s));
        if pressed(ctrl(Key::O)) {
            self.browser = Some(self.new_browser());
        }
        if self.app.is_none() {
            return;
        }
        if pressed(ctrl(Key::B)) {
            self.bookmark_now();
        }
        if pressed(ctrl(Key::E)) {
            self.export_map(ctx);
        }
        if typing {
            return;
        }
        if pressed(plain(Key::Space)) {
            let playing = self
                .app
                .as_ref()
                .and_then(|a| a.loaded().ok())
                .is_some_and(|l| l.sim.frame().playing);
            self.send(if playing {
                Command::Pause
            } else {
                Command::Play
            });
        }
        if pressed(plain(Key::ArrowRight)) {
            self.send(Command::Step);
        }
        if pressed(plain(Key::Home)) {
            self.send(Command::SeekTo(0.0));
        }
    }

    fn new_browser(&self) -> FileBrowser {
        let dir = self
            .scenario
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .or_else(|| {
                self.start
                    .entries
                    .first()
                    .and_then(|e| e.path.parent().map(Path::to_path_buf))
            })
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        FileBrowser::new(dir)
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        let mut open = None;
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr("File"), |ui| {
                if ui.button(tr("Open…")).clicked() {
                    self.browser = Some(self.new_browser());
                    ui.close();
                }
                ui.menu_button(tr("Recent"), |ui| {
                    if self.recent.is_empty() {
                        ui.weak(tr("No recent files."));
                    }
                    for p in &self.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            open = Some(p.clone());
                            ui.close();
                        }
                    }
                });
                if ui.button(tr("Start screen")).clicked() {
                    self.close();
                    ui.close();
                }
                if ui
                    .add_enabled(self.app.is_some(), egui::Button::new(tr("Export map PNG")))
                    .clicked()
                {
                    self.export_map(ui.ctx());
                    ui.close();
                }
                ui.separator();
                if ui.button(tr("Quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(tr("View"), |ui| {
                ui.label(tr("Language"));
                for l in [Lang::En, Lang::Zh] {
                    if ui.radio(lang() == l, l.name()).clicked() {
                        set_lang(l);
                        ui.close();
                    }
                }
                if self.cjk_font.is_none() {
                    ui.weak(crate::fonts::MISSING_HINT);
                }
                ui.separator();
                ui.checkbox(&mut self.charts, tr("Charts"));
            });
            ui.menu_button(tr("Help"), |ui| {
                if ui.button(tr("About drillsim")).clicked() {
                    self.show_about = true;
                    ui.close();
                }
                if ui.button(tr("Keyboard shortcuts")).clicked() {
                    self.show_keys = true;
                    ui.close();
                }
            });
            if let Some(s) = &self.status {
                ui.separator();
                ui.weak(s);
            }
        });
        open
    }

    fn windows(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        let mut open = None;
        if let Some(b) = &mut self.browser {
            let mut result = None;
            egui::Window::new(tr("Open scenario"))
                .collapsible(false)
                .show(ctx, |ui| result = b.ui(ui));
            match result {
                Some(Some(p)) => {
                    open = Some(p);
                    self.browser = None;
                }
                Some(None) => self.browser = None,
                None => {}
            }
        }
        let mut about = self.show_about;
        egui::Window::new(tr("About drillsim"))
            .open(&mut about)
            .show(ctx, |ui| {
                ui.label(tr(
                    "drillsim: simulation of multi-hazard emergency drills (flood, gas, fire, rescue).",
                ));
                ui.monospace(concat!("drillsim-viewer ", env!("CARGO_PKG_VERSION")));
            });
        self.show_about = about;
        let mut keys = self.show_keys;
        egui::Window::new(tr("Keyboard shortcuts"))
            .open(&mut keys)
            .show(ctx, |ui| {
                for s in SHORTCUTS {
                    ui.label(tr(s));
                }
            });
        self.show_keys = keys;
        open
    }

    fn screenshot_mode(&mut self, ctx: &egui::Context) {
        let Some(mode) = &self.screenshot else { return };
        if self.exporter.pending.is_some() {
            return;
        }
        let settled = self.loading.is_none()
            && self
                .app
                .as_ref()
                .and_then(|a| a.loaded().ok())
                .is_none_or(|l| {
                    l.sim.frame().seeking.is_none()
                        && l.planner
                            .planner()
                            .is_none_or(crate::planner::Planner::idle)
                });
        if settled {
            self.settled_frames += 1;
        }
        if self.settled_frames >= mode.frames {
            let map_rect = self
                .app
                .as_ref()
                .and_then(|a| a.loaded().ok())
                .and_then(|l| l.map_rect);
            let p = Pending {
                path: mode.path.clone(),
                rect: None,
                quit: true,
                map_copy: map_rect.map(|r| (crate::export::map_copy_path(&mode.path), r)),
            };
            self.exporter.request(ctx, p);
        }
        ctx.request_repaint();
    }

    /// Draws the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.shortcuts(&ctx);
        if let Some((p, result)) = self.exporter.poll(&ctx) {
            match result {
                Ok(()) => {
                    self.status = Some(fill(tr("Map saved: {}"), &[&p.path.display().to_string()]));
                    if p.quit {
                        println!(
                            "drillsim-viewer: screenshot written to {}",
                            p.path.display()
                        );
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
                Err(e) => {
                    if p.quit {
                        eprintln!("drillsim-viewer: screenshot failed: {e}");
                        std::process::exit(1);
                    }
                    self.status = Some(fill(tr("Could not save the map: {}"), &[&e]));
                }
            }
        }
        self.poll_loading();
        let mut open = None;
        egui::Panel::top("menu").show(ui, |ui| open = self.menu_bar(ui));
        open = self.windows(&ctx).or(open);
        if self.loading.is_some() {
            self.loading_ui(ui);
        } else {
            self.app_or_start(ui, &mut open);
        }
        if let Some(p) = open {
            self.open(&p);
        }
        self.screenshot_mode(&ctx);
    }

    /// The open scenario, or the start screen.
    fn app_or_start(&mut self, ui: &mut egui::Ui, open: &mut Option<PathBuf>) {
        match &mut self.app {
            Some(app) => {
                if let Some(l) = app.loaded_mut() {
                    l.charts_open = self.charts;
                }
                app.show(ui);
            }
            None => {
                egui::CentralPanel::default().show(ui, |ui| {
                    if let Some(p) = self.start.ui(ui, &self.recent) {
                        *open = Some(p);
                    }
                });
                if std::mem::take(&mut self.start.browse) {
                    self.browser = Some(self.new_browser());
                }
            }
        }
    }
}

impl eframe::App for Shell {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}
