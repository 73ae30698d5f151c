// One browser "process": a classic Web Worker that runs its OWN instance of process_worker.wasm.
//
// Why a worker with its own instance: it has its own linear memory (no SharedArrayBuffer), so it
// shares nothing with the page or with other processes, like a real process. It is not an OS
// process: its pid is a number the page assigned. The page (src/platform/web/process_host.js)
// and this script exchange only messages, and task data only as bytes:
//
//   page -> worker  {type: 'preload', wasmModule}                   a spare: instantiate now, wait
//                   {type: 'start', pid, wasmModule, parentNowNs, parentAbsMs, controlCell, port}  once;
//                                              wasmModule: the page's compiled process_worker.wasm,
//                                              or null; controlCell: a 4-byte flag (not data) that
//                                              this worker sleeps on, set to 1 to make it crash;
//                                              port: a MessagePort to the page's relay thread
//                   {type: 'frame', bytes: ArrayBuffer}             request frames (length + payload)
//                   {type: 'info'}                                  asks for {type: 'info', ...}
//                   {type: 'crash'}                                 trap now (the panel's Crash button)
//   worker -> page  {type: 'ready', memoryBytes}                    the instance is running
//                   {type: 'reply', bytes: ArrayBuffer, memoryBytes} reply frames
//                   {type: 'exit', code, memoryBytes}               it ended by itself (then closes)
//                   {type: 'crashed', message, memoryBytes}         a trap or abort(): the page
//                                                                   terminates the worker
'use strict';

// Defines createProcessWorker (-sMODULARIZE). The page usually starts this script from a blob:
// URL that holds process_worker.js already, with the folder's URL in ppScriptBase.
if (typeof createProcessWorker === 'undefined') importScripts('process_worker.js');

let instance = null;
let pid = 0;
let port = null;  // to the page's relay thread, when it sent one: replies, exit and crash go there
let ended = false;
const queued = [];  // messages that arrived while the instance was loading

function crash(error) {
  if (ended) return;
  ended = true;
  const message = error && error.message ? `${error.name || 'Error'}: ${error.message}` : String(error);
  toPage({ type: 'crashed', message, memoryBytes: memoryBytes() });
}

// Frames and ends go to the relay's port (in order, past the page's busy main thread), or else
// to the page itself.
function toPage(message, transfer) {
  if (port) port.postMessage(message, transfer || []);
  else postMessage(message, transfer || []);
}

function memoryBytes() { return instance ? instance.HEAPU8.length : 0; }

function handle(message) {
  if (ended) return;
  if (message.type === 'frame') {
    const bytes = new Uint8Array(message.bytes);
    let code;
    try {
      const at = instance._pp_worker_buffer(bytes.length);
      instance.HEAPU8.set(bytes, at);  // HEAPU8 read after the call: the memory may have grown
      code = instance._pp_worker_handle(bytes.length);
    } catch (error) {  // RuntimeError: unreachable (a trap), or Aborted(...) from abort()
      crash(error);
      return;
    }
    if (code >= 0) {
      ended = true;
      toPage({ type: 'exit', code, memoryBytes: memoryBytes() });
      close();
    }
  } else if (message.type === 'info') {
    postMessage({ type: 'info', pid, memoryBytes: memoryBytes() });
  } else if (message.type === 'crash') {
    try {
      instance._pp_worker_crash();  // executes a trap instruction inside this instance
    } catch (error) {
      crash(error);
    }
  }
}

let loading = null;  // the instance being made: by 'preload' (a spare worker) or by 'start'
let started = false;

// Instantiates this worker's own copy of the program (its own memory). A spare worker does this
// ahead of time, so a new process needs only 'start' (pid, clock, port) to run its first task.
function load(wasmModule) {
  if (!loading) {
    loading = createProcessWorker({
      print: (text) => console.log(`[process ${pid}] ${text}`),
      printErr: (text) => console.warn(`[process ${pid}] ${text}`),
      ppPostReplies: (bytes) => toPage({ type: 'reply', bytes: bytes.buffer, memoryBytes: memoryBytes() }, [bytes.buffer]),
      onAbort: () => {},  // the throw that follows reaches handle(), which reports it
      locateFile: (file) => new URL(file, self.ppScriptBase || location.href).href,
      // Our own instance (own memory) of the module the page compiled once; without one, the
      // default: fetch and compile process_worker.wasm here.
      instantiateWasm: wasmModule ? (imports, done) => {
        WebAssembly.instantiate(wasmModule, imports).then((made) => done(made, wasmModule), crash);
        return {};
      } : undefined,
    });
  }
  return loading;
}

function start(message) {
  pid = message.pid;
  if (message.port) {
    port = message.port;
    port.onmessage = (event) => receive(event.data);
  }
  load(message.wasmModule).then((module) => {
    if (message.controlCell) module.ppControlCell = message.controlCell;  // nanosleep waits on it
    instance = module;
    // The page's trace clock, moved on to this moment: both sides read absolute time
    // (timeOrigin + now), the same clock in the page and in every worker.
    const parentNowNs = message.parentNowNs + (performance.timeOrigin + performance.now() - message.parentAbsMs) * 1e6;
    instance._pp_worker_start(pid, parentNowNs);
    started = true;
    postMessage({ type: 'ready', memoryBytes: memoryBytes() });  // the page's timing
    if (port) port.postMessage({ type: 'ready' });                  // the process panel
    while (queued.length && !ended) handle(queued.shift());
  }).catch(crash);  // a failed load, or a trap in _pp_worker_start: reported, not lost in this worker
}

function receive(message) {
  if (started) handle(message);
  else queued.push(message);
}

self.onmessage = (event) => {
  if (event.data.type === 'preload') load(event.data.wasmModule).catch(crash);
  else if (event.data.type === 'start') start(event.data);
  else receive(event.data);
};
