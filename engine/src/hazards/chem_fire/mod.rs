//! Chemical fires and explosions.
