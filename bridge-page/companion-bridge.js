// The Agent Companion bridge page: embedded in a uContact form (iframe), opened beside the CRM, or embedding the
// portal itself (?embed=), it forwards the portal's CTI, the proxy's actions and the portal's call events to the
// Agent Companion app on 127.0.0.1 with the pairing code.
// Plain ES2017, no library, no inline code: it runs under a strict Content-Security-Policy. See README.md.
'use strict';

(function () {
  var STORAGE_TOKEN = 'ucontactCompanionBridge.token';
  var STORAGE_PORT = 'ucontactCompanionBridge.port';
  var DEFAULT_PORT = 47813;
  // The proxy vocabulary the app understands (CTI travels on its own route).
  var ACTIONS = ['call', 'hangup', 'tag', 'respool', 'schedule'];
  // The portal's call events: uPhone's {action, params} and the newer portal's {event, data} (POST /v1/event).
  var EVENTS = ['gettingcall', 'finishedcall', 'sentdispositions',
    'assignedinteraction', 'finishedinteraction', 'sentdisposition'];
  // How long an event waits before it is tried again when the app does not answer.
  var EVENT_RETRY_MS = 3000;
  // A page left unpaired for a whole shift does not grow without end.
  var MAX_EVENTS = 100;

  var $ = function (id) { return document.getElementById(id); };
  var lastCtiSent = null;
  // Portal events go one at a time, in the order the portal posted them (a call's end never overtakes its ring),
  // and stay here while the app does not answer, so none is lost while the app restarts.
  var events = [];
  var sendingEvent = false;

  // Windows allowed to hand this page CTI and actions: the page's own origin (when it is hosted on the uContact
  // server, as a form resource) plus any listed in ?portal=https://a,https://b. Other windows are ignored.
  function trustedOrigins() {
    var list = [window.location.origin];
    var portal = embeddedPortal();
    if (portal) { list.push(portal.origin); }
    var extra = new URLSearchParams(window.location.search).get('portal');
    if (extra) {
      extra.split(',').forEach(function (o) {
        try { list.push(new URL(o.trim()).origin); } catch (e) { /* not a URL: ignored */ }
      });
    }
    return list;
  }

  // The portal page this page embeds (?embed=URL, absolute or relative to this page), so its events reach it.
  function embeddedPortal() {
    var embed = new URLSearchParams(window.location.search).get('embed');
    if (!embed) { return null; }
    try {
      var url = new URL(embed, window.location.href);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
    } catch (e) { return null; }
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function token() {
    var s = storage();
    return s ? s.getItem(STORAGE_TOKEN) : null;
  }

  function port() {
    var s = storage();
    var p = parseInt(s ? s.getItem(STORAGE_PORT) : '', 10);
    return p > 0 && p < 65536 ? p : DEFAULT_PORT;
  }

  function setStatus(text) {
    $('status').textContent = text;
  }

  function showResult(what, outcome) {
    var time = new Date().toLocaleTimeString();
    $('last').textContent = time + ' ' + what + ': ' + outcome;
  }

  // One call to the app. Resolves to {status, body}; a network failure (app closed, bridge off) is status 0.
  function send(method, path, body) {
    var code = token();
    if (!code) {
      return Promise.resolve({ status: 401, body: { error: 'token_required', message: 'pair this page first' } });
    }
    var init = {
      method: method,
      mode: 'cors',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      headers: { 'Authorization': 'Bearer ' + code }
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch('http://127.0.0.1:' + port() + path, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, body: json };
      });
    }, function () {
      return { status: 0, body: { error: 'unreachable', message: 'the app does not answer on port ' + port() + ' (is it running, with the bridge on?)' } };
    });
  }

  function describe(answer) {
    if (answer.status >= 200 && answer.status < 300) {
      return 'done' + (answer.body.guid ? ' (call id ' + answer.body.guid + ')' : '');
    }
    var body = answer.body || {};
    return 'refused: ' + (body.message || 'HTTP ' + answer.status) + (body.error ? ' [' + body.error + ']' : '');
  }

  function ping() {
    return send('GET', '/v1/ping').then(function (answer) {
      if (answer.status === 200 && answer.body.app === 'ucontact-agent-companion') {
        setStatus('paired with the Agent Companion (port ' + port() + ')');
      } else if (answer.status === 401) {
        setStatus('not paired: ' + (answer.body.message || 'paste the pairing code'));
      } else {
        setStatus(describe(answer));
      }
      return answer;
    });
  }

  function forwardCti(cti) {
    // Portal forms keep the CTI as a JSON string; the app accepts both, this only avoids sending one twice.
    var key = typeof cti === 'string' ? cti : JSON.stringify(cti);
    if (!key || key === lastCtiSent) { return; }
    lastCtiSent = key;
    send('POST', '/v1/cti', { CTI: cti }).then(function (answer) {
      if (answer.status < 200 || answer.status >= 300) { lastCtiSent = null; }
      showResult('CTI', describe(answer));
    });
  }

  function forwardAction(message) {
    send('POST', '/v1/action', message).then(function (answer) {
      showResult(String(message.action), describe(answer));
    });
  }

  function forwardEvent(message) {
    if (events.length >= MAX_EVENTS) {
      showResult(eventName(message), 'not kept: ' + MAX_EVENTS + ' events already wait for the app');
      return;
    }
    events.push(message);
    pumpEvents();
  }

  function eventName(message) {
    return String(typeof message.event === 'string' ? message.event : message.action);
  }

  function pumpEvents() {
    if (sendingEvent || events.length === 0) { return; }
    sendingEvent = true;
    var message = events[0];
    send('POST', '/v1/event', message).then(function (answer) {
      sendingEvent = false;
      // Not answered (app closed, bridge restarting) or not paired yet: keep it and the ones behind it, try again
      // shortly (pairing tries at once).
      if (answer.status === 0 || answer.status === 401 || answer.status === 503 || answer.status === 504) {
        showResult(eventName(message), 'waiting: ' + describe(answer) + ' (' + events.length + ' kept, tried again in ' +
          EVENT_RETRY_MS / 1000 + ' s)');
        setTimeout(pumpEvents, EVENT_RETRY_MS);
        return;
      }
      // Answered, done or refused: a refusal is final (the page shows why) and the next event goes on.
      events.shift();
      showResult(eventName(message), describe(answer));
      pumpEvents();
    });
  }

  function isEvent(data) {
    var name = typeof data.event === 'string' ? data.event : data.action;
    return typeof name === 'string' && EVENTS.indexOf(name.trim().toLowerCase()) >= 0;
  }

  // What the portal's proxy hands over: {CTI: …} (the answer to {action:'CTI'}) or an action of the vocabulary.
  // It may come as JSON text, and wrapped the way Porthole 1.x wraps it: {data: …, sourceOrigin, targetOrigin,
  // sourceWindowName, targetWindowName} as JSON text. The sender's origin is checked by the caller (event.origin),
  // never taken from the envelope.
  function handle(data) {
    data = parsed(data);
    if (data && typeof data === 'object' && 'data' in data && 'sourceWindowName' in data && 'targetOrigin' in data) {
      data = parsed(data.data);
    }
    if (!data || typeof data !== 'object') { return; }
    if (isEvent(data)) {
      forwardEvent(data);
    } else if (data.CTI !== undefined && data.CTI !== null && data.CTI !== '') {
      forwardCti(data.CTI);
    } else if (typeof data.action === 'string' && ACTIONS.indexOf(data.action.toLowerCase()) >= 0) {
      forwardAction(data);
    }
  }

  function parsed(data) {
    if (typeof data !== 'string') { return data; }
    try { return JSON.parse(data); } catch (e) { return null; }
  }

  // The windows around this page, and the frames inside it (the embedded portal posts to its parent: this page).
  function fromTrustedWindow(event) {
    var sources = [window.parent, window.top, window.opener];
    var frames = window.frames || [];
    for (var i = 0; i < frames.length; i++) { sources.push(frames[i]); }
    return sources.indexOf(event.source) >= 0 && event.source !== window &&
      trustedOrigins().indexOf(event.origin) >= 0;
  }

  function embedPortal() {
    var portal = embeddedPortal();
    if (!portal) { return; }
    var frame = document.createElement('iframe');
    frame.id = 'portal-frame';
    frame.title = 'uContact portal';
    // The web phone needs the microphone (and the portal the camera for video calls).
    frame.setAttribute('allow', 'camera;microphone');
    // Size by attribute: the page's policy allows no style.
    frame.width = '100%';
    frame.height = '480';
    frame.src = portal.href;
    $('portal').hidden = false;
    $('portal').appendChild(frame);
  }

  // Asks the portal for the CTI: straight from a same-origin form's global `CTI`, as a plain message, and as a
  // Porthole message (through Porthole itself when the host loaded it next to this page, else the same envelope by
  // hand). Answers arrive on the page's message listener; a CTI answered twice is sent to the app once.
  function askCti() {
    if (window.parent === window) {
      showResult('CTI', 'this page is not inside a portal form; paste a CTI below');
      return;
    }
    try {
      if (window.parent.CTI) { forwardCti(window.parent.CTI); }
    } catch (e) { /* another origin: ask over postMessage instead */ }
    var targets = window.top !== window.parent ? [window.parent, window.top] : [window.parent];
    var request = { action: 'CTI' };
    targets.forEach(function (target) { target.postMessage(request, '*'); });
    if (window.Porthole && window.Porthole.WindowProxy) {
      try {
        new window.Porthole.WindowProxy(window.location.origin).post(request);
        return;
      } catch (e) { /* fall back to the hand-made envelope */ }
    }
    var envelope = JSON.stringify({
      data: request,
      sourceOrigin: window.location.origin,
      targetOrigin: '*',
      sourceWindowName: window.name,
      targetWindowName: ''
    });
    targets.forEach(function (target) { target.postMessage(envelope, '*'); });
  }

  function pair() {
    var code = $('code').value.trim();
    var p = parseInt($('port').value, 10);
    var s = storage();
    if (!s) { setStatus('this browser does not let the page keep the pairing code'); return; }
    if (!/^[0-9a-f]{64}$/i.test(code)) { setStatus('the pairing code is 64 letters and digits; copy it again from the app'); return; }
    s.setItem(STORAGE_TOKEN, code.toLowerCase());
    s.setItem(STORAGE_PORT, String(p > 0 && p < 65536 ? p : DEFAULT_PORT));
    $('code').value = '';
    lastCtiSent = null;
    ping().then(function (answer) { if (answer.status === 200) { askCti(); pumpEvents(); } });
  }

  function forget() {
    var s = storage();
    if (s) { s.removeItem(STORAGE_TOKEN); }
    setStatus('not paired');
  }

  function sendPastedCti() {
    var text = $('cti-text').value.trim();
    if (!text) { showResult('CTI', 'paste a CTI first'); return; }
    lastCtiSent = null;
    forwardCti(text);
  }

  function start() {
    $('port').value = String(port());
    $('pair').addEventListener('click', pair);
    $('forget').addEventListener('click', forget);
    $('ask-cti').addEventListener('click', function () { lastCtiSent = null; askCti(); });
    $('send-cti').addEventListener('click', sendPastedCti);
    embedPortal();
    window.addEventListener('message', function (event) {
      if (fromTrustedWindow(event)) { handle(event.data); }
    });
    if (token()) {
      ping().then(function (answer) { if (answer.status === 200) { askCti(); } });
    } else {
      setStatus('not paired: paste the pairing code the app shows');
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
