//! The page, and its worker: the same module runs in both. In the worker
//! there is no window, and `worker_start` (called by the worker's
//! bootstrap) takes over instead.

fn main() {
    if web_sys::window().is_some() {
        yew::Renderer::<pvsim_web::App>::new().render();
    }
}
