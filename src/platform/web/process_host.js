// The page's side of browser "processes" (an emscripten --js-library, linked into playground.js).
//
// Why here: Web Workers can only be created from the browser's main thread, but lessons run on
// pthreads (other Web Workers). Each pp_process_host_* function below is marked __proxy: 'async',
// so a call from a pthread is queued for the main thread and neither side waits. Calls queued
// from any pthread run in the order they were queued, so a spawn always comes before the sends
// that follow it. Events go straight into the C++ transport's queue (pp_web_process_event in
// web_worker_transport.cpp), which its own pthread delivers.
//
// Frames skip the main thread, which is busy drawing: each worker also gets a MessagePort whose
// other end belongs to the relay ($PPRelay), a pthread that lives on its JS event loop. The relay
// posts the request frames the transport queued for it, and delivers the worker's replies, its
// exit and its crash itself, in the order the worker sent them.
//
// The single-threaded page (playground-single.js, built without -pthread) links this file too:
// there the __proxy marks do nothing (every caller is already on the main thread, as a fiber),
// there is no relay (relay 0), and nothing here needs SharedArrayBuffer (the control cell is
// optional). The parts that need the pthread runtime ($PThread) are left out of it (#if).
//
// Each browser process is a Web Worker running web/process-worker.js with its own instance of
// process_worker.wasm: separate memory, bytes in and out by postMessage, a simulated pid.
//
// Index of this file
// [SECTION] $PPProcessHost: the live workers, by transport and index; a short history
// [SECTION] $PPRelay: the frames' MessagePorts, on the relay pthread
// [SECTION] Spawn, send, terminate, crash, release (proxied to the main thread)

mergeInto(LibraryManager.library, {
  //-----------------------------------------------------------------------------
  // [SECTION] $PPProcessHost: the live workers, by transport and index; a short history
  //-----------------------------------------------------------------------------
  $PPProcessHost__deps: ['pp_web_alloc', 'pp_web_process_reply_lost'],
  $PPProcessHost: {
    // Event kinds, as in web_worker_transport.cpp.
    REPLY: 1, EXITED: 2, CRASHED: 3, TERMINATED: 4, READY: 5,
    transports: {},  // transport id -> array of workers (a plain object: emscripten copies this source)
    released: {},    // the same, for transports just released (see pp_process_host_release)
    history: [],            // the last processes, newest last, for tests and a future process panel
    HISTORY_LIMIT: 64,
    // process_worker.wasm, compiled once on the page and handed to every worker (a compiled
    // WebAssembly.Module is shareable; each worker still instantiates its own memory). Saves each
    // spawn the download and compile. Null until the first spawn.
    compiled: null,
    compile: function() {
      if (!PPProcessHost.compiled) {
        PPProcessHost.compiled = WebAssembly.compileStreaming(fetch('process_worker.wasm'))
          .catch(function(error) {
            console.warn('process_worker.wasm did not compile on the page; each worker loads it itself: ' + error);
            return null;
          });
      }
      return PPProcessHost.compiled;
    },
    // The worker's script: web/process-worker.js with process_worker.js (which it would import)
    // in one blob: URL, fetched once, so that each new worker starts without two requests of its
    // own. Until the blob is made (or if it cannot be), workers load the files themselves.
    workerScriptUrl: 'process-worker.js',
    workerScriptLoading: null,
    loadWorkerScript: function() {
      if (PPProcessHost.workerScriptLoading) return;
      var text = function(file) {
        return fetch(file).then(function(response) {
          if (!response.ok) throw new Error(file + ': HTTP ' + response.status);
          return response.text();
        });
      };
      PPProcessHost.workerScriptLoading = Promise.all([text('process_worker.js'), text('process-worker.js')])
        .then(function(scripts) {
          // From a blob: URL, relative names would not resolve: the worker gets this folder's URL.
          // The page's script goes in a function of its own, where its 'use strict' still counts
          // (in the middle of a script it would not).
          var base = 'self.ppScriptBase = ' + JSON.stringify(new URL('.', location.href).href) + ';\n';
          PPProcessHost.workerScriptUrl = URL.createObjectURL(
            new Blob([base, scripts[0], '\n(function() {\n', scripts[1], '\n})();\n'], { type: 'text/javascript' }));
        })
        .catch(function(error) { console.warn('process workers load their own scripts: ' + error); });
    },
    // Web Workers that already instantiate process_worker.wasm ('preload'), so that a new
    // process only needs its pid, clock and port: about the cost of a message instead of a
    // worker's start-up (about 50 ms). The page keeps `spareTarget` of them: 1 once its first
    // frame is up, 4 while a process lesson is open or after a first process (each holds its own
    // instance's memory, 16 MB to begin with). After a spawn they are refilled a moment later,
    // not while that pool's own workers start.
    spares: [],
    spareTarget: 0,
    SPARES_AFTER_A_SPAWN: 4,
    refillTimer: 0,
    refill: function() {
      PPProcessHost.refillTimer = 0;
      var compiled = PPProcessHost.compile();
      while (PPProcessHost.spares.length < PPProcessHost.spareTarget) {
        var spare;
        try {
          spare = new Worker(PPProcessHost.workerScriptUrl, { name: 'process (spare)' });
        } catch (error) {
          return;
        }
        // A spare only speaks when it failed to load: drop it.
        spare.onmessage = spare.onerror = function(event) {
          if (event.preventDefault) event.preventDefault();
          var at = PPProcessHost.spares.indexOf(this);
          if (at >= 0) PPProcessHost.spares.splice(at, 1);
          this.terminate();
        };
        PPProcessHost.spares.push(spare);
        // The worker starts up while the module compiles; it instantiates when both are done.
        compiled.then(function(wasmModule) { this.postMessage({ type: 'preload', wasmModule: wasmModule }); }.bind(spare));
      }
    },
    heap: function() { return new Uint8Array(wasmMemory.buffer); },  // fresh view: memory may have grown
    // Hands bytes to C++ (which frees them) with one event. Any thread: the relay calls it too.
    // With no memory for them (malloc gave 0: the heap cannot grow), nothing is written through
    // that 0: a reply's tasks fail at once with a clear error, other events go without their text.
    deliverTo: function(transport, index, kind, bytes, code) {
      var size = bytes ? bytes.length : 0;
      var at = 0;
      if (size > 0) {
        at = _pp_web_alloc(size);
        if (at) {
          PPProcessHost.heap().set(bytes, at);
        } else if (kind === PPProcessHost.REPLY) {
          PPProcessHost.replyLost(transport, index, bytes);
          return;
        } else {
          size = 0;
        }
      }
      _pp_web_process_event(transport, index, kind, at, size, code);
    },
    // Names to C++ the tasks whose replies `bytes` held: whole frames (a 4-byte length, then the
    // Reply: its kind in the first byte, its task id in the next 8, core/process_protocol.hpp).
    replyLost: function(transport, index, bytes) {
      var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (var at = 0; at + 4 <= bytes.length;) {
        var length = view.getUint32(at, true);
        if (length < 9 || at + 4 + length > bytes.length) return;
        var kind = bytes[at + 4];
        if (kind === 1 || kind === 2)  // Returned, Raised: the replies that end a task (not Variable)
          _pp_web_process_reply_lost(transport, index, view.getUint32(at + 5, true), view.getUint32(at + 9, true), bytes.length);
        at += 4 + length;
      }
    },
    deliver: function(proc, kind, bytes, code) { PPProcessHost.deliverTo(proc.transport, proc.index, kind, bytes, code); },
    // Marks a worker ended and stops it: it will never answer, so info() requests get null.
    markEnded: function(proc, how) {
      proc.state = 'ended';
      proc.how = how;
      (proc.infoWaiters || []).forEach(function(resolve) { resolve(null); });
      proc.infoWaiters = [];
      proc.endedMs = performance.now();
      proc.worker.terminate();  // also for an exit: frees the thread and its instance now
    },
    // Exactly one end per worker: later messages from it, and later terminate() calls, are ignored.
    // `reported`: the relay already told C++ (pp_process_host_forget).
    end: function(proc, kind, how, code, reported) {
      if (proc.state !== 'running') return;
      PPProcessHost.markEnded(proc, how);
      if (reported) return;
      var text = kind === PPProcessHost.CRASHED ? new TextEncoder().encode(how) : null;
      PPProcessHost.deliver(proc, kind, text, code);
    },
    onMessage: function(proc, message) {
      if (proc.state !== 'running') return;
      if (message.memoryBytes) proc.memoryBytes = message.memoryBytes;
      if (message.type === 'ready') {
        proc.readyMs = performance.now();
        if (!proc.relayed) PPProcessHost.deliver(proc, PPProcessHost.READY, null, 0);  // the panel: no longer 'starting'
      } else if (message.type === 'reply') {
        if (!proc.firstReplyMs) proc.firstReplyMs = performance.now();
        proc.replies++;
        PPProcessHost.deliver(proc, PPProcessHost.REPLY, new Uint8Array(message.bytes), 0);
      } else if (message.type === 'exit') {
        PPProcessHost.end(proc, PPProcessHost.EXITED, 'exited with code ' + message.code, message.code);
      } else if (message.type === 'crashed') {
        PPProcessHost.end(proc, PPProcessHost.CRASHED, message.message, 6);
      } else if (message.type === 'info') {
        proc.memoryBytes = message.memoryBytes;
        var waiting = proc.infoWaiters || [];
        proc.infoWaiters = [];
        waiting.forEach(function(resolve) { resolve({ pid: message.pid, memoryBytes: message.memoryBytes }); });
      }
    },
    // Asks a live worker itself for its pid and memory size (window.ppProcessInfo(pid)): a
    // Promise of {pid, memoryBytes}, or of null when no worker with that pid is running.
    info: function(pid) {
      var proc = PPProcessHost.history.find(function(p) { return p.pid === pid && p.state === 'running'; });
      if (!proc) return Promise.resolve(null);
      return new Promise(function(resolve) {
        (proc.infoWaiters = proc.infoWaiters || []).push(resolve);
        proc.worker.postMessage({ type: 'info' });
      });
    },
    // What the page knows about its processes (window.ppProcesses()).
    describe: function() {
      return PPProcessHost.history.map(function(p) {
        return { pid: p.pid, state: p.state, how: p.how || '', memoryBytes: p.memoryBytes || 0,
                 replies: p.replies, spawnedMs: p.spawnedMs, readyMs: p.readyMs || 0,
                 firstReplyMs: p.firstReplyMs || 0, endedMs: p.endedMs || 0,
                 relayed: !!p.relayed,  // frames through the relay thread (replies are not counted here)
                 fromSpare: !!p.fromSpare };  // its worker was a spare, started before it was asked for
      });
    },
    // The page's test hooks: window.ppProcesses(), ppProcessInfo(pid), ppProcessSpares().
    publish: function() {
      if (globalThis.ppProcesses) return;
      globalThis.ppProcesses = PPProcessHost.describe;
      globalThis.ppProcessInfo = PPProcessHost.info;
      globalThis.ppProcessSpares = function() { return PPProcessHost.spares.length; };
    },
  },

  //-----------------------------------------------------------------------------
  // [SECTION] $PPRelay: the frames' MessagePorts, on the relay pthread
  //-----------------------------------------------------------------------------
  $PPRelay__deps: ['$PPProcessHost', 'free', 'pp_relay_take', 'pp_process_host_forget'],
  $PPRelay: {
    counter: 0,    // HEAP32 index of the C++ queue's wake-up counter
    ports: {},     // 'transport:index' -> MessagePort to that worker
    pending: {},   // 'transport:index' -> request frames (ArrayBuffers) that came before the port
    released: {},  // transport ids whose transport is gone
    key: function(transport, index) { return transport + ':' + index; },
    // A port the main thread created for a new worker (posted to this thread's Worker object).
    adopt: function(d) {
      if (PPRelay.released[d.transport]) { d.ppRelayPort.close(); return; }
      var key = PPRelay.key(d.transport, d.index);
      var port = PPRelay.ports[key] = d.ppRelayPort;
      port.onmessage = function(event) { PPRelay.fromWorker(d.transport, d.index, event.data); };
      (PPRelay.pending[key] || []).forEach(function(frames) { port.postMessage({ type: 'frame', bytes: frames }, [frames]); });
      delete PPRelay.pending[key];
    },
    post: function(transport, index, frames) {
      if (PPRelay.released[transport]) return;
      var key = PPRelay.key(transport, index);
      var port = PPRelay.ports[key];
      if (port) port.postMessage({ type: 'frame', bytes: frames }, [frames]);
      else (PPRelay.pending[key] = PPRelay.pending[key] || []).push(frames);
    },
    forget: function(transport) {
      PPRelay.released[transport] = true;
      Object.keys(PPRelay.ports).forEach(function(key) {
        if (key.split(':')[0] !== String(transport)) return;
        PPRelay.ports[key].close();
        delete PPRelay.ports[key];
      });
      Object.keys(PPRelay.pending).forEach(function(key) {
        if (key.split(':')[0] === String(transport)) delete PPRelay.pending[key];
      });
    },
    // The worker's memory size as its end reports it, in KiB (an int, whatever the size).
    memoryKib: function(message) { return Math.floor((message.memoryBytes || 0) / 1024); },
    // Replies, the exit and a crash come here in the order the worker sent them; the main thread
    // is then asked to terminate the Worker object and note its end (it cannot be done from here).
    fromWorker: function(transport, index, message) {
      if (message.type === 'reply') {
        PPProcessHost.deliverTo(transport, index, PPProcessHost.REPLY, new Uint8Array(message.bytes), 0);
      } else if (message.type === 'ready') {
        PPProcessHost.deliverTo(transport, index, PPProcessHost.READY, null, 0);
      } else if (message.type === 'exit') {
        PPProcessHost.deliverTo(transport, index, PPProcessHost.EXITED, null, message.code);
        _pp_process_host_forget(transport, index, PPProcessHost.EXITED, message.code, PPRelay.memoryKib(message));
      } else if (message.type === 'crashed') {
        PPProcessHost.deliverTo(transport, index, PPProcessHost.CRASHED, new TextEncoder().encode(message.message), 6);
        _pp_process_host_forget(transport, index, PPProcessHost.CRASHED, 6, PPRelay.memoryKib(message));
      }
    },
    // The C++ side's queue (web_worker_transport.cpp, RelayItem): frames to post, transports gone.
    drain: function() {
      for (;;) {
        var item = _pp_relay_take();
        if (!item) return;
        var header = new Int32Array(wasmMemory.buffer, item, 4);  // transport, index, kind, size
        if (header[2] === 1) PPRelay.post(header[0], header[1], PPProcessHost.heap().slice(item + 16, item + 16 + header[3]).buffer);
        else if (header[2] === 2) PPRelay.forget(header[0]);
        _free(item);
      }
    },
    // Drains, then sleeps (without blocking this thread's event loop) until the counter moves.
    wait: function() {
      var heap32 = new Int32Array(wasmMemory.buffer);
      var seen = Atomics.load(heap32, PPRelay.counter);
      PPRelay.drain();
      if (typeof Atomics.waitAsync !== 'function') { setTimeout(PPRelay.wait, 1); return; }
      var waiting = Atomics.waitAsync(heap32, PPRelay.counter, seen);
      if (waiting.async) waiting.value.then(PPRelay.wait);
      else Promise.resolve().then(PPRelay.wait);
    },
  },

  // Called once on the relay pthread (which then returns to its event loop): ports arrive as
  // messages to its Worker, marked target 'setimmediate' so that emscripten's worker.js ignores them.
  pp_relay_run__deps: ['$PPRelay'],
  pp_relay_run: function(counter) {
    PPRelay.counter = counter >> 2;
    self.addEventListener('message', function(event) {
      if (event.data && event.data.ppRelayPort) PPRelay.adopt(event.data);
    });
    PPRelay.wait();
  },

  //-----------------------------------------------------------------------------
  // [SECTION] Spawn, send, terminate, crash, release (proxied to the main thread)
  //-----------------------------------------------------------------------------

  // Compiles process_worker.wasm and starts `spares` spare workers now, before any process is
  // asked for (the page is up, or a process lesson was opened): a first pool then takes spares
  // instead of starting workers.
  pp_process_host_prepare__deps: ['$PPProcessHost'],
  pp_process_host_prepare__proxy: 'async',
  pp_process_host_prepare__sig: 'vi',
  pp_process_host_prepare: function(spares) {
    PPProcessHost.publish();
    PPProcessHost.loadWorkerScript();
    PPProcessHost.spareTarget = Math.max(PPProcessHost.spareTarget, spares);
    if (!PPProcessHost.refillTimer) PPProcessHost.refill();
  },

  // Starts worker `index` of transport `transport` as simulated process `pid`. Never throws:
  // a worker that cannot load reports a crash instead, so nobody needs to wait for this.
  // `relay`: the relay pthread (0: none, frames go through this thread).
#if USE_PTHREADS
  pp_process_host_spawn__deps: ['$PPProcessHost', '$PThread'],
#else
  pp_process_host_spawn__deps: ['$PPProcessHost'],
#endif
  pp_process_host_spawn__proxy: 'async',
  pp_process_host_spawn__sig: 'viiii',
  pp_process_host_spawn: function(transport, index, pid, relay) {
    PPProcessHost.publish();
    var list = PPProcessHost.transports[transport];
    if (!list) PPProcessHost.transports[transport] = list = [];
    var proc = { transport: transport, index: index, pid: pid, state: 'running', replies: 0,
                 spawnedMs: performance.now(), worker: null,
                 // A 4-byte flag, not data: the worker sleeps on it, so a Crash request (set here,
                 // then notify) reaches a worker that is asleep inside a task at once.
                 controlCell: typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null };
    list[index] = proc;
    PPProcessHost.history.push(proc);
    if (PPProcessHost.history.length > PPProcessHost.HISTORY_LIMIT) PPProcessHost.history.shift();
    try {
      var spare = PPProcessHost.spares.shift();
      proc.fromSpare = !!spare;
      proc.worker = spare || new Worker(PPProcessHost.workerScriptUrl, { name: 'process ' + pid });
      PPProcessHost.loadWorkerScript();
      PPProcessHost.spareTarget = Math.max(PPProcessHost.spareTarget, PPProcessHost.SPARES_AFTER_A_SPAWN);
      if (!PPProcessHost.refillTimer) PPProcessHost.refillTimer = setTimeout(PPProcessHost.refill, 500);
    } catch (error) {
      proc.worker = { terminate: function() {} };
      setTimeout(function() { PPProcessHost.end(proc, PPProcessHost.CRASHED, 'could not start: ' + error, 6); }, 0);
      return;
    }
    proc.worker.onmessage = function(event) { PPProcessHost.onMessage(proc, event.data); };
    // A failed script load, or an exception process-worker.js did not catch.
    proc.worker.onerror = function(event) {
      event.preventDefault();
      PPProcessHost.end(proc, PPProcessHost.CRASHED, event.message || 'the worker failed to load', 6);
    };
    proc.worker.onmessageerror = function(event) {
      PPProcessHost.end(proc, PPProcessHost.CRASHED, 'sent a message the page could not decode', 6);
    };
#if USE_PTHREADS
    var relayWorker = relay && PThread.pthreads[relay] && PThread.pthreads[relay].worker;
#else
    var relayWorker = null;  // no pthreads, so no relay: frames and replies go through this thread
#endif
    var channel = relayWorker ? new MessageChannel() : null;
    if (channel) {
      proc.relayed = true;
      relayWorker.postMessage({ target: 'setimmediate', ppRelayPort: channel.port2, transport: transport, index: index },
                              [channel.port2]);
    }
    PPProcessHost.compile().then(function(wasmModule) {
      if (proc.state !== 'running') return;
      // Both clocks read on this thread, together: the worker moves them on to its own start.
      var start = { type: 'start', pid: pid, wasmModule: wasmModule, parentNowNs: _pp_web_trace_now_ns(),
                    parentAbsMs: performance.timeOrigin + performance.now(), controlCell: proc.controlCell,
                    port: channel ? channel.port1 : null };
      proc.worker.postMessage(start, channel ? [channel.port1] : []);
    }).catch(function(error) {  // postMessage refused the start message: the process cannot start
      PPProcessHost.end(proc, PPProcessHost.CRASHED, 'could not start: ' + error, 6);
    });
  },

  // Posts one request frame (`size` bytes at `data`, malloc'd by the caller, freed here).
  pp_process_host_send__deps: ['$PPProcessHost', 'free'],
  pp_process_host_send__proxy: 'async',
  pp_process_host_send__sig: 'viiii',
  pp_process_host_send: function(transport, index, data, size) {
    var list = PPProcessHost.transports[transport];
    var proc = list && list[index];
    if (proc && proc.state === 'running') {
      var bytes = PPProcessHost.heap().slice(data, data + size);  // a copy, not shared memory
      proc.worker.postMessage({ type: 'frame', bytes: bytes.buffer }, [bytes.buffer]);
    }
    _free(data);
  },

  // Ends a live worker at once (Worker.terminate(): it cannot refuse, whatever `force` says).
  pp_process_host_terminate__deps: ['$PPProcessHost'],
  pp_process_host_terminate__proxy: 'async',
  pp_process_host_terminate__sig: 'viii',
  pp_process_host_terminate: function(transport, index, force) {
    var list = PPProcessHost.transports[transport];
    var proc = list && list[index];
    if (!proc) return;
    PPProcessHost.end(proc, PPProcessHost.TERMINATED,
                      force ? 'was killed (Worker.terminate(), reported as SIGKILL)'
                            : 'was terminated (Worker.terminate(), reported as SIGTERM)',
                      force ? 9 : 15);
  },

  // The process panel's Crash button: makes the worker trap inside its own instance, as a bug
  // would. A worker asleep in a task wakes and traps at once where it sleeps on its control cell
  // (the threaded page); in the single-threaded page, and in one that is computing, it traps when
  // it next sleeps or has finished its task (a Web Worker cannot be interrupted mid-computation).
  pp_process_host_crash__deps: ['$PPProcessHost'],
  pp_process_host_crash__proxy: 'async',
  pp_process_host_crash__sig: 'vii',
  pp_process_host_crash: function(transport, index) {
    var list = PPProcessHost.transports[transport];
    var proc = list && list[index];
    if (!proc || proc.state !== 'running') return;
    if (proc.controlCell) {
      Atomics.store(proc.controlCell, 0, 1);
      Atomics.notify(proc.controlCell, 0);
    }
    proc.worker.postMessage({ type: 'crash' });
  },

  // The relay delivered a worker's exit or crash itself: end the Worker object and note how.
  pp_process_host_forget__deps: ['$PPProcessHost'],
  pp_process_host_forget__proxy: 'async',
  pp_process_host_forget__sig: 'viiiii',
  pp_process_host_forget: function(transport, index, kind, code, memoryKib) {
    var list = PPProcessHost.transports[transport] || PPProcessHost.released[transport];
    var proc = list && list[index];
    if (!proc) return;
    // Its size comes with its end too: ending the Worker object drops the messages it sent this
    // thread that are not handled yet, and its 'ready' (which had the size) may be one of them.
    if (memoryKib) proc.memoryBytes = memoryKib * 1024;
    var how = kind === PPProcessHost.EXITED ? 'exited with code ' + code : 'crashed (a trap or abort in its instance)';
    // This call and the transport's release come from different threads, in either order: a
    // release that came first only guessed how the worker ended. This is how.
    if (proc.endedByRelease) proc.how = how;
    else PPProcessHost.end(proc, kind, how, code, true);
  },

  // The transport is gone: forget its workers (ending any still running, without events).
  pp_process_host_release__deps: ['$PPProcessHost'],
  pp_process_host_release__proxy: 'async',
  pp_process_host_release__sig: 'vi',
  pp_process_host_release: function(transport) {
    var list = PPProcessHost.transports[transport] || [];
    list.forEach(function(proc) {
      if (proc && proc.state === 'running') {
        PPProcessHost.markEnded(proc, 'ended with its pool');
        proc.endedByRelease = true;
      }
    });
    delete PPProcessHost.transports[transport];
    // The relay may still be about to say how they ended (pp_process_host_forget): keep them a while.
    PPProcessHost.released[transport] = list;
    setTimeout(function() { delete PPProcessHost.released[transport]; }, 10000);
  },
});
