# Sourced by setup.sh and build-wasm.sh: where builds that outlive a clone are cached.
# PP_CACHE=/some/folder overrides it (CI can keep it between runs).
PP_CACHE=${PP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parallel-playground}
