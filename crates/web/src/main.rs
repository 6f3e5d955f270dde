fn main() {
    yew::Renderer::<pvsim_web::App>::new().render();
}
