#version 330 core
// A quad covering the image's rectangle (in normalized device coordinates), from gl_VertexID
// alone: no vertex buffer needed.
uniform vec4 u_rect;  // x0, y0, x1, y1
out vec2 v_uv;

void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));  // triangle strip: 0,0 1,0 0,1 1,1
    v_uv = corner;
    gl_Position = vec4(mix(u_rect.xy, u_rect.zw, corner), 0.0, 1.0);
}
