#version 330 core
// The image being blurred, tile by tile: each finished tile tinted with the colour of the worker
// (thread or process) that computed it; tiles not done yet are dimmed.
uniform sampler2D u_image;   // R8: the pixels, input or blurred
uniform sampler2D u_owner;   // R8, one texel per tile: 0 = not done, k = done by worker k-1
uniform vec3 u_tints[16];     // worker colours, as in the legend
uniform vec2 u_tile_grid;    // tiles across, tiles down
in vec2 v_uv;
out vec4 frag_colour;

void main() {
    float grey = texture(u_image, v_uv).r;
    ivec2 tile = ivec2(min(v_uv * u_tile_grid, u_tile_grid - 1.0));
    int owner = int(texelFetch(u_owner, tile, 0).r * 255.0 + 0.5);
    vec2 in_tile = fract(v_uv * u_tile_grid);
    float edge = step(min(min(in_tile.x, in_tile.y), min(1.0 - in_tile.x, 1.0 - in_tile.y)), 0.015);
    vec3 colour = owner == 0 ? vec3(grey * 0.35) : mix(vec3(grey), u_tints[(owner - 1) % 16], 0.45);
    frag_colour = vec4(mix(colour, vec3(0.0), edge * 0.6), 1.0);
}
