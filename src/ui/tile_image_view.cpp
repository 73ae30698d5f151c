// TileImageView: two textures (the grey image, one texel per tile naming its worker) and one
// shader program, run from an ImGui draw callback in the middle of ImGui's own rendering.
#include "ui/tile_image_view.hpp"

#include "platform/gl.hpp"
#include "platform/window_sdl.hpp"
#include "ui/shader_sources.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace pp::ui {

namespace {
// One per worker, up to LessonParams::kMaxWorkers (16): eight hues, then the same eight darker.
// The shaders' u_tints has as many.
constexpr int kTintCount = 16;
const float kTints[kTintCount][3] = {{0.30f, 0.58f, 0.92f}, {0.43f, 0.86f, 0.43f}, {0.92f, 0.67f, 0.24f}, {0.67f, 0.43f, 0.86f},
                                     {0.31f, 0.75f, 0.67f}, {0.88f, 0.31f, 0.31f}, {0.86f, 0.86f, 0.35f}, {0.95f, 0.55f, 0.75f},
                                     {0.16f, 0.34f, 0.62f}, {0.22f, 0.52f, 0.24f}, {0.62f, 0.40f, 0.10f}, {0.42f, 0.24f, 0.60f},
                                     {0.12f, 0.46f, 0.42f}, {0.58f, 0.14f, 0.18f}, {0.56f, 0.56f, 0.14f}, {0.66f, 0.28f, 0.48f}};

GLuint compile(GLenum type, std::string_view source, std::string& error) {
    const GLuint shader = glCreateShader(type);
    const char* text = source.data();
    const GLint length = static_cast<GLint>(source.size());
    glShaderSource(shader, 1, &text, &length);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[512] = {};
        glGetShaderInfoLog(shader, sizeof log, nullptr, log);
        error = std::string("shader did not compile: ") + log;
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}
}  // namespace

ImU32 TileImageView::worker_colour(int worker) {
    const float* c = kTints[static_cast<unsigned>(worker) % kTintCount];
    return IM_COL32(static_cast<int>(c[0] * 255), static_cast<int>(c[1] * 255), static_cast<int>(c[2] * 255), 255);
}

TileImageView::~TileImageView() {
    if (program_) glDeleteProgram(program_);
    if (vertex_array_) glDeleteVertexArrays(1, &vertex_array_);
    const GLuint textures[] = {image_texture_, owner_texture_};
    glDeleteTextures(2, textures);
}

bool TileImageView::ensure_gl() {
    if (program_) return true;
    if (!gl_error_.empty()) return false;
    // The variant for this context: shaders/es300 in the page (WebGL2), shaders/gl330 on the desktop.
    const std::string variant = std::string(platform::Window::glsl_version()).find("es") != std::string::npos ? "es300" : "gl330";
    const GLuint vertex = compile(GL_VERTEX_SHADER, shader_source(variant + "/tiles.vert"), gl_error_);
    const GLuint fragment = vertex ? compile(GL_FRAGMENT_SHADER, shader_source(variant + "/tiles.frag"), gl_error_) : 0;
    if (!vertex || !fragment) return false;
    program_ = glCreateProgram();
    glAttachShader(program_, vertex);
    glAttachShader(program_, fragment);
    glLinkProgram(program_);
    glDeleteShader(vertex);
    glDeleteShader(fragment);
    GLint linked = 0;
    glGetProgramiv(program_, GL_LINK_STATUS, &linked);
    if (!linked) {
        gl_error_ = "shader program did not link";
        glDeleteProgram(program_);
        program_ = 0;
        return false;
    }
    glGenVertexArrays(1, &vertex_array_);  // the quad comes from gl_VertexID, but GL 3.3 core needs a VAO bound
    GLuint textures[2];
    glGenTextures(2, textures);
    image_texture_ = textures[0];
    owner_texture_ = textures[1];
    for (GLuint texture : textures) {
        glBindTexture(GL_TEXTURE_2D, texture);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, texture == image_texture_ ? GL_LINEAR : GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, texture == image_texture_ ? GL_LINEAR : GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
    return true;
}

void TileImageView::update(const lessons::TileBoard& board) {
    if (board.version() == version_ || !ensure_gl()) return;
    board_ = board.snapshot();
    version_ = board_.version;
    if (board_.pixels.empty() || board_.tiles.empty()) return;
    tiles_x_ = 0;
    for (const auto& tile : board_.tiles) tiles_x_ += tile.y0 == 0;
    tiles_y_ = static_cast<int>(board_.tiles.size()) / std::max(tiles_x_, 1);
    std::vector<std::uint8_t> owners(board_.tiles.size());
    for (std::size_t i = 0; i < owners.size(); ++i) owners[i] = static_cast<std::uint8_t>(board_.owner[i] + 1);

    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);  // rows of single bytes
    glBindTexture(GL_TEXTURE_2D, image_texture_);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, board_.width, board_.height, 0, GL_RED, GL_UNSIGNED_BYTE, board_.pixels.data());
    glBindTexture(GL_TEXTURE_2D, owner_texture_);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, tiles_x_, tiles_y_, 0, GL_RED, GL_UNSIGNED_BYTE, owners.data());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
}

void TileImageView::render(const ImDrawList*, const ImDrawCmd* command) {
    const auto* self = static_cast<const TileImageView*>(command->UserCallbackData);
    const ImDrawData* data = ImGui::GetDrawData();
    const auto ndc_x = [&](float x) { return (x - data->DisplayPos.x) / data->DisplaySize.x * 2.0f - 1.0f; };
    const auto ndc_y = [&](float y) { return 1.0f - (y - data->DisplayPos.y) / data->DisplaySize.y * 2.0f; };
    glUseProgram(self->program_);
    glBindVertexArray(self->vertex_array_);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, self->image_texture_);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, self->owner_texture_);
    glUniform1i(glGetUniformLocation(self->program_, "u_image"), 0);
    glUniform1i(glGetUniformLocation(self->program_, "u_owner"), 1);
    glUniform3fv(glGetUniformLocation(self->program_, "u_tints"), kTintCount, &kTints[0][0]);
    glUniform2f(glGetUniformLocation(self->program_, "u_tile_grid"), static_cast<float>(self->tiles_x_),
                static_cast<float>(self->tiles_y_));
    // The texture's first row is the image's top: v = 0 at the top edge.
    glUniform4f(glGetUniformLocation(self->program_, "u_rect"), ndc_x(self->rect_min_.x), ndc_y(self->rect_min_.y),
                ndc_x(self->rect_max_.x), ndc_y(self->rect_max_.y));
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glActiveTexture(GL_TEXTURE0);
}

void TileImageView::draw(ImVec2 size) {
    if (!gl_error_.empty()) {
        ImGui::TextColored({0.95f, 0.4f, 0.4f, 1}, "The image view cannot start: %s", gl_error_.c_str());
        return;
    }
    if (board_.pixels.empty()) {
        ImGui::TextDisabled("The image appears here when the CPU-bound runs start.");
        return;
    }
    const float legend = ImGui::GetTextLineHeightWithSpacing() * 2;
    const float scale = std::min(size.x / board_.width, std::max(size.y - legend, 20.0f) / board_.height);
    const ImVec2 image_size{board_.width * scale, board_.height * scale};
    rect_min_ = ImGui::GetCursorScreenPos();
    rect_max_ = {rect_min_.x + image_size.x, rect_min_.y + image_size.y};
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddCallback(&TileImageView::render, this);
    draw->AddCallback(ImDrawCallback_ResetRenderState, nullptr);  // hand GL back to ImGui's renderer
    ImGui::Dummy(image_size);

    int done = 0;
    for (int owner : board_.owner) done += owner >= 0;
    ImGui::Text("%d of %zu tiles blurred", done, board_.tiles.size());
    for (std::size_t k = 0; k < board_.workers.size(); ++k) {
        ImGui::SameLine(0, 12);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float line = ImGui::GetTextLineHeight();
        draw->AddRectFilled({p.x, p.y + 2}, {p.x + line - 4, p.y + line - 2}, worker_colour(static_cast<int>(k)));
        ImGui::Dummy({line - 2, line});
        ImGui::SameLine(0, 2);
        ImGui::TextUnformatted(board_.workers[k].c_str());
    }
}

}  // namespace pp::ui
