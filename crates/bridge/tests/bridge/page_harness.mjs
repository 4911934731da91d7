// Runs bridge-page/companion-bridge.js in Node against a running bridge, as if it were framed in a uContact form:
// a stand-in DOM and parent window, the real fetch (with the Origin a browser would add), real loopback HTTP.
// Driven by crates/agent/tests/bridge.rs, which plays the app. Exits 0 when every step saw what a user would see.
//
// Usage: node page_harness.mjs <page js> <port> <pairing code> <page origin>

import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const [pagePath, port, code, origin] = process.argv.slice(2);
const fail = (why) => { console.error('page check failed: ' + why); process.exit(1); };

const elements = new Map();
const element = (id) => {
  if (!elements.has(id)) {
    elements.set(id, { id, textContent: '', value: '', handlers: {}, addEventListener(type, f) { this.handlers[type] = f; } });
  }
  return elements.get(id);
};

const stored = new Map([['ucontactCompanionBridge.token', code], ['ucontactCompanionBridge.port', port]]);
const localStorage = {
  getItem: (k) => (stored.has(k) ? stored.get(k) : null),
  setItem: (k, v) => stored.set(k, String(v)),
  removeItem: (k) => stored.delete(k)
};

// The portal around the frame: another origin, so reading its globals throws as in a browser.
const posted = [];
const portal = {
  postMessage: (message, target) => posted.push({ message, target }),
  get CTI() { throw new Error('SecurityError: cross-origin frame'); }
};
const evil = { postMessage() {} };

const listeners = [];
const sent = [];
const url = new URL(origin);
const window = {
  location: { origin: url.origin, protocol: url.protocol, host: url.host, search: '', href: url.origin + '/companion-bridge.html' },
  name: 'bridgeFrame',
  parent: portal,
  top: portal,
  opener: null,
  localStorage,
  addEventListener: (type, f) => { if (type === 'message') { listeners.push(f); } }
};
const browserFetch = (target, init) => {
  sent.push(new URL(target).pathname);
  // Browsers add the page's origin to every cross-origin request; Node's fetch does not.
  return fetch(target, { ...init, headers: { ...init.headers, Origin: url.origin } });
};
const context = vm.createContext({
  window,
  document: { readyState: 'complete', getElementById: element, addEventListener() {} },
  fetch: browserFetch,
  URL,
  URLSearchParams,
  setTimeout,
  console
});
window.window = window;
vm.runInContext(readFileSync(pagePath, 'utf8'), context, { filename: pagePath });

const deliver = (source, from, data) => listeners.forEach((f) => f({ source, origin: from, data }));
const waitFor = async (what, check) => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) { fail(what + ' (status: "' + element('status').textContent + '", last: "' + element('last').textContent + '")'); }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const porthole = (data) => JSON.stringify({ data, sourceOrigin: url.origin, targetOrigin: '*', sourceWindowName: '', targetWindowName: 'bridgeFrame' });

// 1. Already paired: the page checks the code, then asks the portal for the CTI, plain and Porthole-wrapped.
await waitFor('the page reports it is paired', () => element('status').textContent.startsWith('paired'));
await waitFor('the page asks the portal for the CTI', () => posted.length >= 2);
if (!posted.some((p) => p.message && p.message.action === 'CTI')) { fail('no plain {action: "CTI"} was posted'); }
if (!posted.some((p) => typeof p.message === 'string' && JSON.parse(p.message).data.action === 'CTI')) {
  fail('no Porthole-wrapped {action: "CTI"} was posted');
}

// 2. The portal answers with the CTI as a JSON string, Porthole-wrapped: it reaches the app.
const cti = JSON.stringify({ Guid: 'a1b2', Campaign: 'Ventas->', Callerid: '098344484' });
deliver(portal, url.origin, porthole({ CTI: cti }));
await waitFor('the CTI result is shown', () => element('last').textContent.includes('CTI: done'));

// 3. Another window's action and the same CTI again are not sent.
deliver(evil, 'https://crm.evil.example', { action: 'hangup' });
deliver(portal, 'https://crm.evil.example', { action: 'hangup' });
deliver(portal, url.origin, { CTI: cti });

// 4. The portal's proxy hands over a call: the page shows the call id the app answered.
deliver(portal, url.origin, { action: 'call', campaign: 'Ventas->', destination: '098344484' });
await waitFor('the call id is shown', () => element('last').textContent.includes('call id guid-9'));

// 5. The portal's call events, both vocabularies, posted back to back: one at a time, in order. The app does not
// take the first (503): the page keeps it (and the one behind it) and sends it again, so none is lost.
deliver(portal, url.origin, { action: 'gettingCall', params: { guid: 'in-1', number: '099555123' } });
deliver(portal, url.origin, { event: 'finishedInteraction', data: { guid: 'in-1' } });
await waitFor('the event the app did not take is kept', () => /gettingCall: waiting: .*2 kept/.test(element('last').textContent));
await waitFor('both events are done', () => element('last').textContent.includes('finishedInteraction: done'));

const expected = ['/v1/ping', '/v1/cti', '/v1/action', '/v1/event', '/v1/event', '/v1/event'];
if (JSON.stringify(sent) !== JSON.stringify(expected)) { fail('the page sent ' + JSON.stringify(sent)); }
console.log('page check passed');
