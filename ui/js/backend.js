// The only module that touches window.__TAURI__: every call to the Rust side goes through here, so the rest of
// the UI is plain DOM code. Errors arrive as {code, message}; the UI acts on code only.
const tauri = window.__TAURI__;

export async function call(command, args = {}) {
  try {
    return { ok: true, value: await tauri.core.invoke(command, args) };
  } catch (error) {
    const err = typeof error === 'object' && error && error.code ? error : { code: 'internal', message: String(error) };
    return { ok: false, error: err };
  }
}

export function on(event, handler) {
  return tauri.event.listen(event, (e) => handler(e.payload));
}
