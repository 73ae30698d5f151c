// OpenGL for our own drawing: OpenGL ES 3.0 (WebGL2) in the page, OpenGL 3.3 core on the desktop.
// The one place that knows where each platform's GL declarations come from.
#pragma once

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES 1  // Mesa's libGL exports the GL 3.3 entry points directly
#include <SDL_opengl.h>
#endif
