#![allow(clippy::disallowed_methods)]
fn main() {
    let file = std::env::args().nth(1).unwrap();
    let loaded = pvsim_engine::load(&file, &std::fs::read(&file).unwrap());
    let t = pvsim_scene::Timeline::new(&loaded, &pvsim_engine::scenario::RunOptions::default(), 64)
        .unwrap();
    for (i, s) in t.steps().iter().enumerate() {
        println!("{} {} {}", i + 1, s.clock, s.gloss);
    }
}
