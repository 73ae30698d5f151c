// The page's side of platform/share.hpp: clipboard, downloads, address bar, new tabs.
// These run on the browser's main thread (the UI thread), where the DOM and the user's click are.
#include "platform/share.hpp"

#include <emscripten.h>

#include <string>

namespace pp::platform {

namespace {

EM_JS(int, page_url_into, (char* buffer, int capacity), {
    return stringToUTF8(location.origin + location.pathname, buffer, capacity);
});

// navigator.clipboard needs a recent user gesture (a click within the last seconds) and a
// focused document; it answers asynchronously. When it refuses or is missing, the text is shown
// in a box, selected, for Ctrl+C. window.ppLastCopied / ppLastCopyResult are for the tests.
EM_JS(void, page_copy_text, (const char* text_utf8), {
    const text = UTF8ToString(text_utf8);
    window.ppLastCopied = text;
    window.ppLastCopyResult = 'pending';
    const showSelected = () => {
        let box = document.getElementById('pp-copy-box');
        if (!box) {
            box = document.createElement('div');
            box.id = 'pp-copy-box';
            box.style.cssText = 'position:fixed;left:50%;top:50%;transform:translate(-50%,-50%);z-index:10;' +
                'background:#23262e;color:#ddd;border:1px solid #556;border-radius:6px;padding:10px;' +
                'font:13px sans-serif;width:min(640px,90vw);box-shadow:0 4px 20px #0008';
            box.innerHTML = '<div style="margin-bottom:6px">Press Ctrl+C (\u2318C) to copy, then close:</div>' +
                '<textarea readonly rows="6" style="width:100%;box-sizing:border-box;font:12px monospace"></textarea>' +
                '<div style="text-align:right;margin-top:6px"><button type="button">Close</button></div>';
            // Keys typed here are the box's, not the app's (SDL listens on the window).
            box.addEventListener('keydown', (event) => event.stopPropagation());
            box.querySelector('button').onclick = () => { box.hidden = true; };
            document.body.appendChild(box);
        }
        const area = box.querySelector('textarea');
        area.value = text;
        box.hidden = false;
        area.focus();
        area.select();
        try { if (document.execCommand('copy')) window.ppLastCopyResult = 'copied by the selection box'; } catch (e) {}
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(
            () => { window.ppLastCopyResult = 'clipboard'; },
            () => { window.ppLastCopyResult = 'selected'; showSelected(); });
    } else {
        window.ppLastCopyResult = 'selected';
        showSelected();
    }
});

EM_JS(int, page_copy_was_refused, (), { return window.ppLastCopyResult === 'selected' ? 1 : 0; });

// A Blob and a temporary <a download>. The bytes are copied out of the heap first: the heap is a
// SharedArrayBuffer, which a Blob may not hold (and which may grow while we read it).
EM_JS(void, page_download, (const char* name_utf8, const char* data, int size, const char* mime_utf8), {
    const bytes = new Uint8Array(wasmMemory.buffer, data, size).slice();
    const url = URL.createObjectURL(new Blob([bytes], {type: UTF8ToString(mime_utf8)}));
    const link = document.createElement('a');
    link.href = url;
    link.download = UTF8ToString(name_utf8);
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
});

EM_JS(void, page_show_query, (const char* query_utf8), {
    const next = new URLSearchParams(UTF8ToString(query_utf8));
    const current = new URLSearchParams(location.search);
    for (const pageSwitch of ['coi-sw']) {  // the page's own, not the app's (see playground-loader.js)
        if (current.has(pageSwitch)) next.set(pageSwitch, current.get(pageSwitch));
    }
    const search = next.toString() ? '?' + next.toString() : '';
    if (search !== location.search) history.replaceState(history.state, '', location.pathname + search + location.hash);
});

// Not window.open(url, '_blank', 'noopener'): that always returns null, hiding a blocked pop-up.
EM_JS(int, page_open_tab, (const char* url_utf8), {
    window.ppLastOpened = UTF8ToString(url_utf8);
    const tab = window.open(window.ppLastOpened, '_blank');
    if (!tab) return 0;
    tab.opener = null;  // the new tab cannot reach back into this page
    return 1;
});

}  // namespace

std::string page_url() {
    char buffer[2048];
    page_url_into(buffer, sizeof buffer);
    return buffer;
}

ShareResult copy_text(const std::string& text) {
    page_copy_text(text.c_str());
    return {true, "Copied to the clipboard"};
}

bool copy_was_refused() { return page_copy_was_refused() != 0; }

ShareResult save_file(const std::string& name, std::string_view bytes, const char* mime_type) {
    page_download(name.c_str(), bytes.data(), static_cast<int>(bytes.size()), mime_type);
    return {true, "Downloaded " + name};
}

void show_query_in_address_bar(const std::string& query) { page_show_query(query.c_str()); }

bool open_in_new_tab(const std::string& url) { return page_open_tab(url.c_str()) != 0; }

}  // namespace pp::platform
