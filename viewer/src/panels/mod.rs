//! One file per panel. Each panel holds its own UI state, draws from a read-only
//! [`crate::sim_thread::Frame`] and returns the [`crate::sim_thread::Command`]s the user
//! asked for; the app forwards them to the simulation thread.

pub mod bookmarks;
pub mod charts;
pub mod event_kinds;
pub mod events;
pub mod forces;
pub mod injects;
pub mod role;
pub mod time_bar;

/// `T+hh:mm:ss` of a time in seconds.
pub fn clock(t_s: f64) -> String {
    let t = t_s.max(0.0) as u64;
    format!("T+{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_format() {
        assert_eq!(super::clock(3725.0), "T+01:02:05");
        assert_eq!(super::clock(-3.0), "T+00:00:00");
    }
}
