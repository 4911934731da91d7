// Runs bridge-page/companion-bridge.js in Node against a running bridge, as if it were framed in a uContact form:
// a stand-in DOM and parent window, the real fetch (with the Origin a browser would add), real loopback HTTP.
// Driven by crates/bridge/tests/bridge/page.rs, which plays the app (and publishes two desk events once the page
// listens). Exits 0 when every step saw what a user would see.
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
  TextDecoder,
  AbortController,
  setTimeout,
  clearTimeout,
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

const expected = ['/v1/ping', '/v1/events', '/v1/cti', '/v1/action', '/v1/event', '/v1/event', '/v1/event'];
if (JSON.stringify(sent) !== JSON.stringify(expected)) { fail('the page sent ' + JSON.stringify(sent)); }

// 6. Once paired the page listens to the desk's events; the app publishes two: each reaches the portal window,
// addressed to the page's trusted origin only, in order, with its data.
const desk = () => posted.filter((p) => p.message && p.message.source === 'ucontact-companion');
await waitFor('the desk events reach the host window', () => desk().length >= 2);
const got = desk();
if (got.some((p) => p.target !== url.origin)) { fail('a desk event was posted to ' + JSON.stringify(got.map((p) => p.target))); }
if (got[0].message.event !== 'answered' || got[0].message.data.call.number !== '099555123') { fail('first desk event: ' + JSON.stringify(got[0].message)); }
if (got[1].message.event !== 'break_started' || got[1].message.data.call !== null || got[1].message.data.motive !== 'Almuerzo') {
  fail('second desk event: ' + JSON.stringify(got[1].message));
}
await waitFor('the page shows what it forwarded', () => element('desk-events').textContent.includes('forwarded 2'));

// 7. The frame reader on its own: frames cut anywhere (even inside \r\n), several data lines, comments, CR line
// ends, a frame without data (dropped, as browsers do).
const frames = [];
const parser = window.UcontactCompanion.sseParser((f) => frames.push(f));
[': call events\n\nid: 7\nev', 'ent: ringing\ndata: {"a":', '1}\n', '\n:\n\ndata: one\r', '\ndata: two\r\n\r\n',
  'event: ended\rdata:x\r\r', 'event: nothing\n\n'].forEach((chunk) => parser.push(chunk));
const want = [{ id: '7', event: 'ringing', data: '{"a":1}' }, { id: null, event: 'message', data: 'one\ntwo' },
  { id: null, event: 'ended', data: 'x' }];
if (JSON.stringify(frames) !== JSON.stringify(want)) { fail('the frame reader read ' + JSON.stringify(frames)); }

// 8. Forgetting the pairing closes the stream (the app sees nobody listening any more).
element('forget').handlers.click();
if (!element('desk-events').textContent.includes('not listening')) { fail('forget left the stream: ' + element('desk-events').textContent); }
// 9. Reconnecting, in a page that loads the script itself (no bridge page around it: it only gets the API), with a
// stand-in fetch and timers: a failure waits 1 s, then twice as long; an open stream starts over at 1 s; 401 stops.
const answers = [
  () => Promise.reject(new TypeError('connection refused')),
  () => Promise.resolve(reply(429, { error: 'too_many_subscribers', message: 'too many' })),
  () => Promise.resolve(reply(200, null, ['id: 1\nevent: ended\ndata: {"call":', 'null}\n\n'])),
  () => Promise.reject(new TypeError('connection refused')),
  () => Promise.resolve(reply(401, { error: 'wrong_token', message: 'pair again' }))
];
function reply(status, json, chunks) {
  const encoder = new TextEncoder();
  const queue = (chunks || []).map((c) => encoder.encode(c));
  return {
    status,
    ok: status >= 200 && status < 300,
    json: () => Promise.resolve(json),
    body: chunks ? { getReader: () => ({ read: () => Promise.resolve(queue.length ? { done: false, value: queue.shift() } : { done: true }) }) } : null
  };
}
const delays = [];
const states = [];
const heard = [];
const crm = { location: window.location, addEventListener() {} };
crm.window = crm;
const crmContext = vm.createContext({
  window: crm,
  document: { readyState: 'complete', getElementById: () => null, addEventListener() {} },
  fetch: (target, init) => {
    if (init.headers.Authorization !== 'Bearer ' + code || !target.endsWith(':' + port + '/v1/events')) { fail('the subscription asked ' + target); }
    return answers.shift()();
  },
  URL, URLSearchParams, TextDecoder, AbortController,
  setTimeout: (f, ms) => { delays.push(ms); Promise.resolve().then(f); return delays.length; },
  clearTimeout() {},
  console
});
vm.runInContext(readFileSync(pagePath, 'utf8'), crmContext, { filename: pagePath });
const subscription = crm.UcontactCompanion.subscribe(port, code, (name, data, id) => heard.push([name, data, id]), (state) => states.push(state));
await waitFor('the subscription stops at 401', () => states.includes('unauthorized'));
subscription.close();
if (JSON.stringify(delays) !== '[1000,2000,1000,2000]') { fail('waited ' + JSON.stringify(delays)); }
if (JSON.stringify(states) !== '["reconnecting","reconnecting","open","reconnecting","reconnecting","unauthorized"]') { fail('states ' + JSON.stringify(states)); }
if (JSON.stringify(heard) !== '[["ended",{"call":null},"1"]]') { fail('heard ' + JSON.stringify(heard)); }
if (answers.length !== 0) { fail('it stopped after ' + (5 - answers.length) + ' tries'); }

console.log('page check passed');
// Nothing must keep Node alive past the checks (the aborted stream's socket closes on its own time).
process.exit(0);
