// Starts the WebAssembly playground: the threaded build, or its single-threaded fallback.
//
// Order matters: threads need SharedArrayBuffer, which exists only on a cross-origin isolated
// page, so isolation is checked BEFORE the module loads. Loading playground.js anyway would only
// throw "SharedArrayBuffer is not defined" and leave a blank canvas. A page that cannot be
// isolated (a course page's iframe, a plain static host) loads playground-single.js instead:
// the same lessons, with threads simulated on one core, under a banner that says so.
(() => {
  'use strict';

  // How long to wait for coi-serviceworker's one-time reload before explaining instead.
  const SERVICE_WORKER_GRACE_MS = 3000;

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);

  function show(cardId) {
    for (const id of ['loading', 'not-isolated', 'fatal']) $(id).hidden = id !== cardId;
    $('overlay').hidden = false;
  }
  function setStatus(text) { $('loading-status').textContent = text; }

  // Called from C++ (src/platform/window_sdl.cpp) and from the module's abort hook.
  window.ppFatal = (message) => {
    $('fatal-message').textContent = String(message);
    show('fatal');
    document.body.dataset.ppState = 'fatal';
  };
  window.ppFirstFrame = () => {
    window.ppFirstFrameMs = performance.now();
    if (document.body.dataset.ppState === 'not-isolated') return;  // the "Why?" card stays until closed
    $('overlay').hidden = true;
    document.body.dataset.ppState = 'running';
  };
  // Test hook: the app's state as an object (see pp_state_json in src/main_app.cpp). Called
  // directly, not through ccall: in the single-threaded build ccall may answer with a Promise
  // (it sees Asyncify data that a fiber switch left behind, though nothing is suspended).
  window.ppTestState = () =>
    window.Module && Module.calledRun ? JSON.parse(Module.UTF8ToString(Module._pp_state_json())) : null;

  // The full page with this page's settings, for "Open in a new tab": embed=1 (the compact
  // layout) is for frames only, and without coi-sw=0 the new tab can isolate itself if it can.
  function newTabUrl() {
    const url = new URL(location.href);
    url.searchParams.delete('embed');
    url.searchParams.delete('coi-sw');
    return url.href;
  }

  // The URL's settings become the app's command line: ?lesson=thread-pool&scale=0.1 is
  // "--lesson=thread-pool --scale=0.1" (one argument each, so a value that starts with "--" stays
  // a value). The app checks them and explains what it cannot use.
  function appArguments() {
    const args = [];
    for (const [key, value] of params) {
      if (key === 'coi-sw') continue;  // the page's own switch, not the app's
      args.push(value === '' ? `--${key}` : `--${key}=${value}`);
    }
    return args;
  }

  // Where the first frame's time goes, in ms since navigation (bench/page_frame_time.mjs prints
  // it with the files' download times): each step's first moment.
  const startup = window.ppStartup = {};
  const mark = (step) => { if (startup[step] === undefined) startup[step] = performance.now(); };

  // The module compiled while it downloads (streaming), then instantiated: the same work
  // emscripten's own loader does, split in two so the two costs show. A server that sends the
  // wrong type for .wasm gets the slower way (whole file, then compile) instead of an error.
  function compileWasm(file) {
    return WebAssembly.compileStreaming(fetch(file)).catch(() =>
      fetch(file).then((response) => response.arrayBuffer()).then((bytes) => WebAssembly.compile(bytes)));
  }

  function loadModule(moduleScript = 'playground.js') {
    mark('loader_ms');
    setStatus('Loading WebAssembly…');
    // The module downloads and compiles while playground.js downloads and runs, not after.
    const compiled = compileWasm(moduleScript.replace(/\.js$/, '.wasm')).then((module) => {
      mark('wasm_compiled_ms');
      return module;
    });
    window.Module = {
      arguments: appArguments(),
      canvas: $('canvas'),
      print: (text) => console.log(text),
      printErr: (text) => console.warn(text),
      // No setStatus: given one, emscripten starts main() from a timer, after a paint of
      // "Running...", which put about 30 ms on the first frame's path (A/B, 14 loads each).
      monitorRunDependencies: (left) => {
        if (left === 0) { mark('dependencies_ms'); setStatus('Starting the app…'); }
      },
      instantiateWasm: (imports, receiveInstance) => {
        mark('wasm_requested_ms');
        compiled
          .then((module) => WebAssembly.instantiate(module, imports).then((instance) => {
            mark('wasm_instantiated_ms');
            receiveInstance(instance, module);  // the module goes on to the pthread workers
          }))
          .catch((error) => window.ppFatal(`Could not start the WebAssembly module: ${error}`));
        return {};  // the exports arrive through receiveInstance
      },
      onRuntimeInitialized: () => mark('main_ms'),
      onAbort: (what) => window.ppFatal(`WebAssembly aborted: ${what}`),
    };
    const script = document.createElement('script');
    script.src = moduleScript;
    script.onerror = () => window.ppFatal(`Could not load ${moduleScript}. Was the page built (./build-wasm.sh)?`);
    document.body.appendChild(script);
  }

  window.addEventListener('error', (event) => {
    if (document.body.dataset.ppState !== 'running') window.ppFatal(event.message);
  });

  document.body.dataset.ppState = 'loading';
  // Not isolated: the single-threaded build, with a banner that says what that means, a link to
  // a new tab (a top-level page can be isolated, an iframe of a non-isolated page cannot), and
  // the explanation card on demand.
  function loadSingleThreadedFallback(reason) {
    $('open-in-tab').href = newTabUrl();
    $('fallback-open-in-tab').href = newTabUrl();
    $('not-isolated-detail').textContent = reason;
    $('fallback-why').onclick = (event) => {
      event.preventDefault();
      show('not-isolated');
      document.body.dataset.ppState = 'not-isolated';
      $('overlay').onclick = (click) => {  // a click beside the card closes it
        if (click.target !== $('overlay')) return;
        $('overlay').onclick = null;
        if (window.ppFirstFrameMs) {  // back to the running page
          $('overlay').hidden = true;
          document.body.dataset.ppState = 'running';
        } else {  // still loading: back to the loading card
          show('loading');
          document.body.dataset.ppState = 'loading';
        }
      };
    };
    $('fallback-banner').hidden = false;
    document.body.classList.add('single-threaded');
    window.ppSingleThreaded = true;
    loadModule('playground-single.js');
  }

  if (window.crossOriginIsolated) {
    loadModule();
  } else if (params.get('coi-sw') === '0' || !window.isSecureContext || !navigator.serviceWorker) {
    loadSingleThreadedFallback(params.get('coi-sw') === '0'
      ? 'The isolation service worker is turned off (?coi-sw=0), and the server sent no isolation headers.'
      : 'The server sent no isolation headers, and this browser context cannot use the service worker fallback (it needs https or localhost).');
  } else if (navigator.serviceWorker.controller) {
    // The service worker already served this page, and it is still not isolated (an iframe in a
    // page that is not isolated): another reload would not help.
    loadSingleThreadedFallback(
      'The server sent no isolation headers, and the service worker cannot isolate this page (a frame inside a page that is not isolated).');
  } else {
    // coi-serviceworker is registering and will reload the page; if that never happens
    // (blocked service workers, private mode, an iframe), fall back rather than wait forever.
    setStatus('Enabling cross-origin isolation (one reload)…');
    setTimeout(() => loadSingleThreadedFallback(
      'The server sent no isolation headers, and the service worker fallback did not take effect.'),
      SERVICE_WORKER_GRACE_MS);
  }
})();
