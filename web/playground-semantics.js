// The accessible layer: DOM elements over the canvas, kept in step with what the app draws.
//
// Each frame whose widgets changed, the app hands over its nodes (src/ui/semantics.hpp: role,
// name, value, rectangle in CSS pixels of the canvas) through window.ppSemantics.update(json).
// Here each node is one real element (a heading, a paragraph, a button, a range input, a
// role="log" list...), transparent, exactly over the widget the canvas shows. A screen reader
// reads them, Tab reaches them, text can be selected in them; using one calls back into the app
// (Module._pp_semantics_activate / _pp_semantics_set_value), and the widget's own code answers
// on the next frame: one UI, drawn by ImGui and described here.
//
// Index of this file
// [SECTION] Elements for nodes
// [SECTION] Keeping the DOM in step
// [SECTION] Pointer and keyboard
(() => {
  'use strict';

  const root = document.getElementById('semantics');
  const canvas = document.getElementById('canvas');
  const byId = new Map();   // node id -> { el, node (last one applied) }
  let nodesById = new Map();

  // ---------------------------------------------------------------------------
  // [SECTION] Elements for nodes
  // ---------------------------------------------------------------------------
  const activate = (key) => window.Module && Module._pp_semantics_activate && Module._pp_semantics_activate(key);
  const setValue = (key, value) => window.Module && Module._pp_semantics_set_value && Module._pp_semantics_set_value(key, value);

  // What a press or a new value from the element does: tell the app, which answers next frame.
  function create(node) {
    let el;
    switch (node.r) {
      case 'heading': el = document.createElement(node.l === 1 ? 'h1' : 'h2'); break;
      case 'text': el = document.createElement('p'); break;
      case 'code':
        el = document.createElement('div');
        el.setAttribute('role', 'region');
        el.appendChild(document.createElement('pre'));
        break;
      case 'log':
        el = document.createElement('div');
        el.setAttribute('role', 'log');
        el.tabIndex = 0;  // a keyboard user can reach it and scroll it
        break;
      case 'button':
      case 'tab':
        el = document.createElement('button');
        el.type = 'button';
        if (node.r === 'tab') el.setAttribute('role', 'tab');
        el.addEventListener('click', () => activate(el.ppKey));
        break;
      case 'checkbox':
        el = document.createElement('input');
        el.type = 'checkbox';
        el.addEventListener('change', () => activate(el.ppKey));
        break;
      case 'slider':
        el = document.createElement('input');
        el.type = 'range';
        el.addEventListener('input', () => setValue(el.ppKey, Number(el.value)));
        break;
      case 'choice':
        el = document.createElement('select');
        el.addEventListener('change', () => setValue(el.ppKey, el.selectedIndex));
        break;
      case 'tablist':
        el = document.createElement('div');
        el.setAttribute('role', 'tablist');
        break;
      case 'navigation': el = document.createElement('nav'); break;
      case 'table':
        el = document.createElement('div');
        el.setAttribute('role', 'region');
        el.tabIndex = 0;
        // The timeline's keys: arrows pan, + and - zoom, 0 fits (TimelineView::KeyAction).
        el.addEventListener('keydown', (event) => {
          const action = { ArrowLeft: 1, ArrowRight: 2, '+': 3, '=': 3, '-': 4, 0: 5, Home: 5 }[event.key];
          if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
          event.preventDefault();
          setValue(el.ppKey, action);
        });
        break;
      default: el = document.createElement('div');
    }
    el.className = `pp-sem pp-sem-${node.r}`;
    el.dataset.ppId = node.id;
    return el;
  }

  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }
  function setAttr(el, name, value) {
    if (value === null || value === undefined) { if (el.hasAttribute(name)) el.removeAttribute(name); }
    else if (el.getAttribute(name) !== String(value)) el.setAttribute(name, value);
  }

  // The console: new lines are appended, so a screen reader announces only those.
  function applyLines(el, lines) {
    const shown = el.childElementCount;
    const sameStart = shown > 0 && shown <= lines.length && el.firstElementChild.textContent === lines[0];
    if (!sameStart) el.replaceChildren();
    for (let i = el.childElementCount; i < lines.length; i++) {
      const line = document.createElement('div');
      line.textContent = lines[i];
      el.appendChild(line);
    }
  }

  // A table changes a few rows at a time (the timeline's, while a run goes): its rows and cells
  // are kept and only changed text is written, rather than the whole table rebuilt each update.
  function applyCells(tr, cells, tag) {
    while (tr.cells.length > cells.length) tr.deleteCell(-1);
    for (let i = 0; i < cells.length; i++) {
      let cell = tr.cells[i];
      if (!cell) {
        cell = tr.appendChild(document.createElement(tag));
        if (tag === 'th') cell.scope = 'col';
      }
      setText(cell, cells[i]);
    }
  }

  function applyTable(el, node) {
    const signature = `${node.n}|${node.hdr.join('\t')}|${node.rows.length}|${node.rows.map((r) => r.join('\t')).join('\n')}`;
    if (el.ppSignature === signature) return;
    el.ppSignature = signature;
    let table = el.firstElementChild;
    if (!table) {
      table = el.appendChild(document.createElement('table'));
      table.createCaption();
      table.createTHead().insertRow();
      table.createTBody();
    }
    setText(table.caption, node.n);
    applyCells(table.tHead.rows[0], node.hdr, 'th');
    const body = table.tBodies[0];
    while (body.rows.length > node.rows.length) body.deleteRow(-1);
    for (let i = 0; i < node.rows.length; i++) applyCells(body.rows[i] || body.insertRow(), node.rows[i], 'td');
  }

  // Brings `el` to what `node` says: name, value, state, rectangle.
  function apply(el, node, old) {
    el.ppKey = node.k;
    const group = node.r === 'tablist' || node.r === 'navigation';  // a frame for its children's rectangles
    const rect = `${node.x},${node.y},${node.w},${node.h}`;
    if (!group && (!old || rect !== `${old.x},${old.y},${old.w},${old.h}`)) {
      const s = el.style;
      s.left = `${node.x}px`; s.top = `${node.y}px`; s.width = `${node.w}px`; s.height = `${node.h}px`;
      el.classList.toggle('pp-sem-hidden', node.w <= 0 || node.h <= 0);  // scrolled out of its pane
    }
    const disabled = !!node.d;
    if ('disabled' in el && el.disabled !== disabled) el.disabled = disabled;
    switch (node.r) {
      case 'heading': case 'text': setText(el, node.v); break;
      case 'code': setAttr(el, 'aria-label', node.n); setText(el.firstElementChild, node.v); break;
      case 'log': setAttr(el, 'aria-label', node.n); applyLines(el, node.lines); break;
      case 'button':
        setText(el, node.n);
        setAttr(el, 'aria-current', node.s ? 'page' : null);
        break;
      case 'tab': setText(el, node.n); setAttr(el, 'aria-selected', node.s ? 'true' : 'false'); break;
      case 'checkbox': setAttr(el, 'aria-label', node.n); if (el.checked !== !!node.s) el.checked = !!node.s; break;
      case 'slider':
        setAttr(el, 'aria-label', node.n);
        setAttr(el, 'min', node.min); setAttr(el, 'max', node.max); setAttr(el, 'step', node.step);
        setAttr(el, 'aria-valuetext', node.v);
        // Not while the element is being used: its own value is the newer one.
        if (document.activeElement !== el && Number(el.value) !== node.num) el.value = String(node.num);
        break;
      case 'choice':
        setAttr(el, 'aria-label', node.n);
        if (el.options.length !== node.o.length || node.o.some((o, i) => el.options[i].text !== o))
          el.replaceChildren(...node.o.map((o) => new Option(o)));
        if (el.selectedIndex !== node.num) el.selectedIndex = node.num;
        break;
      case 'tablist': case 'navigation': setAttr(el, 'aria-label', node.n); break;
      case 'table': setAttr(el, 'aria-label', node.n); applyTable(el, node); break;
    }
  }

  // ---------------------------------------------------------------------------
  // [SECTION] Keeping the DOM in step
  // ---------------------------------------------------------------------------
  // What the updates cost here, for the tests (the app's own figure includes it).
  const cost = { updates: 0, totalMs: 0, maxMs: 0 };

  function update(json) {
    const started = performance.now();
    const frame = JSON.parse(json);
    root.classList.toggle('pp-popup', frame.popup);
    const focused = document.activeElement && document.activeElement.dataset && document.activeElement.dataset.ppId;
    const focusedNode = focused && nodesById.get(focused);
    // A focused control that this frame replaces (Run becomes Pause) by one of its role at its
    // place: that node takes over its element, so the focus stays without a focus() call, which
    // would lay the whole layer out at once (20-50 ms with a long timeline table).
    const focusedGone = focusedNode && !frame.nodes.some((n) => n.id === focused);
    const atFocusedPlace = (n) => Math.abs(n.x - focusedNode.x) < 8 && Math.abs(n.y - focusedNode.y) < 8;
    const focusHeir = (focusedGone && frame.nodes.find((n) => n.r === focusedNode.r && !byId.has(n.id) && atFocusedPlace(n))) || null;
    const next = new Map();
    const lastChild = new Map();  // parent element -> the child placed last
    for (const node of frame.nodes) {
      next.set(node.id, node);
      let entry = byId.get(node.id);
      if (entry && entry.node.r !== node.r) { entry.el.remove(); entry = null; }
      if (!entry && node === focusHeir) {
        entry = byId.get(focused);
        byId.delete(focused);
        byId.set(node.id, entry);
        entry.el.dataset.ppId = node.id;
      }
      if (!entry) { entry = { el: create(node), node: null }; byId.set(node.id, entry); }
      apply(entry.el, node, entry.node);
      entry.node = node;
      // In the order the app drew them: that is the reading and the Tab order.
      const parent = (node.p && byId.get(node.p)?.el) || root;
      const previous = lastChild.get(parent) || null;
      const wanted = previous ? previous.nextSibling : parent.firstChild;
      if (entry.el.parentNode !== parent || wanted !== entry.el) parent.insertBefore(entry.el, wanted);
      lastChild.set(parent, entry.el);
    }
    for (const [id, entry] of byId) {
      if (next.has(id)) continue;
      entry.el.remove();
      byId.delete(id);
    }
    nodesById = next;
    // A control that went away under the keyboard's focus (Run becomes Pause): the focus goes to
    // the control now in its place, not back to the top of the page.
    if (focusedGone && !focusHeir) {
      const successor = frame.nodes.find((n) => ['button', 'tab', 'checkbox'].includes(n.r) && !n.d && atFocusedPlace(n));
      if (successor) byId.get(successor.id).el.focus({ preventScroll: true });
    }
    const ms = performance.now() - started;
    cost.updates++;
    cost.totalMs += ms;
    cost.maxMs = Math.max(cost.maxMs, ms);
  }

  // The layer lies exactly over the canvas (which the fallback's banner pushes down).
  function placeOverCanvas() {
    const box = canvas.getBoundingClientRect();
    root.style.left = `${box.left}px`;
    root.style.top = `${box.top}px`;
    root.style.width = `${box.width}px`;
    root.style.height = `${box.height}px`;
  }
  new ResizeObserver(placeOverCanvas).observe(canvas);
  window.addEventListener('resize', placeOverCanvas);

  // ---------------------------------------------------------------------------
  // [SECTION] Pointer and keyboard
  // ---------------------------------------------------------------------------
  // The pointer over a control still moves ImGui's mouse (hover highlights, tooltips), and the
  // wheel over a text still scrolls its pane: both go on to the canvas.
  root.addEventListener('mousemove', (event) => canvas.dispatchEvent(new MouseEvent('mousemove', event)));
  root.addEventListener('wheel', (event) => canvas.dispatchEvent(new WheelEvent('wheel', event)), { passive: true });

  const isControl = (el) => el && el.closest && el.closest('button, input, select, textarea, a, [role="tab"], .pp-sem-table');

  // A finger on a button, tab or checkbox goes on to the canvas too, where the app tells a tap,
  // a drag and a long press apart (platform/window_sdl.cpp): a long press then shows the
  // control's tooltip, as hover does on a desktop, and a tap presses it there. The browser's own
  // click from the tap is dropped (the app already has the tap); a screen reader's click is not.
  const touchedControl = (el) => el && el.closest && el.closest('.pp-sem-button, .pp-sem-tab, .pp-sem-checkbox');
  const onCanvas = (list) => [...list].map((t) => new Touch({
    identifier: t.identifier, target: canvas, clientX: t.clientX, clientY: t.clientY,
    pageX: t.pageX, pageY: t.pageY, screenX: t.screenX, screenY: t.screenY }));
  for (const type of ['touchstart', 'touchmove', 'touchend', 'touchcancel']) {
    root.addEventListener(type, (event) => {
      if (!touchedControl(event.target)) return;
      try {
        canvas.dispatchEvent(new TouchEvent(type, { bubbles: true, cancelable: true, touches: onCanvas(event.touches),
          targetTouches: onCanvas(event.targetTouches), changedTouches: onCanvas(event.changedTouches) }));
      } catch {
        return;  // a browser that cannot make touch events: the element's own click still presses it
      }
      if (type === 'touchend') event.preventDefault();
    }, { passive: false });
  }
  // What a focused control does with a key itself (press, toggle, move a slider, pick an option).
  const CONTROL_KEYS = new Set(['Enter', ' ', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End',
                                'PageUp', 'PageDown', 'Escape', '+', '=', '-', '0']);
  const nodeKey = (id) => nodesById.get(id)?.k;

  // Tab belongs to the page (SDL, listening on the window, would cancel it): it stops here,
  // before anything else sees it, and the browser moves the focus. Shortcuts, when no control
  // has the focus: R runs, Space pauses or resumes, Esc stops; each presses the app's own button
  // (so it does only what that button would).
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Tab') { event.stopPropagation(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || isControl(event.target)) return;
    const shortcut = { r: ['run'], R: ['run'], ' ': ['pause', 'resume'], Escape: ['stop'] }[event.key];
    if (!shortcut || root.classList.contains('pp-popup')) return;
    const id = shortcut.find((name) => nodesById.has(name) && !nodesById.get(name).d);
    if (id === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    activate(nodeKey(id));
  }, true);
  window.addEventListener('keyup', (event) => { if (event.key === 'Tab') event.stopPropagation(); }, true);
  // Keys a focused control uses are that control's: after it has them, they go no further (SDL
  // would cancel a keypress, and Enter presses a button on its keypress).
  for (const type of ['keydown', 'keyup', 'keypress']) {
    root.addEventListener(type, (event) => {
      if (isControl(event.target) && CONTROL_KEYS.has(event.key)) event.stopPropagation();
    });
  }

  window.ppSemantics = {
    update,
    // For the tests: the element of node `id`, and what the updates cost here.
    element: (id) => byId.get(id)?.el || null,
    cost: () => ({ ...cost }),
  };
})();
