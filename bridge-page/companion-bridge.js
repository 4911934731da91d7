// The Agent Companion bridge page: embedded in a uContact form (iframe), opened beside the CRM, or embedding the
// portal itself (?embed=), it forwards the portal's CTI, the proxy's actions and the portal's call events to the
// Agent Companion app on 127.0.0.1 with the pairing code, and the desk's call events (GET /v1/events) back to the
// window that hosts it. Pages that load this script themselves get window.UcontactCompanion.subscribe.
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
  // The desk's event stream is opened again after 1 s, then twice as long each time it fails, up to 30 s.
  var STREAM_RETRY_FIRST_MS = 1000;
  var STREAM_RETRY_MAX_MS = 30000;
  // What the host window gets: {source, event, data}.
  var MESSAGE_SOURCE = 'ucontact-companion';

  var $ = function (id) { return document.getElementById(id); };
  var lastCtiSent = null;
  // Portal events go one at a time, in the order the portal posted them (a call's end never overtakes its ring),
  // and stay here while the app does not answer, so none is lost while the app restarts.
  var events = [];
  var sendingEvent = false;
  // The open subscription to the desk's events, while paired.
  var deskEvents = null;

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

  // Cuts a Server-Sent Events stream into frames as text arrives, in chunks of any size: a line split across
  // chunks (even between \r and \n) waits for the rest, several data: lines join with \n, comments (the
  // keep-alives) and unknown fields are skipped. onFrame gets {id, event, data} (data as text).
  function sseParser(onFrame) {
    var buffer = '';
    var id = null;
    var name = '';
    var data = [];
    function line(text) {
      if (text === '') {
        if (data.length > 0) { onFrame({ id: id, event: name || 'message', data: data.join('\n') }); }
        id = null;
        name = '';
        data = [];
        return;
      }
      if (text.charAt(0) === ':') { return; }
      var colon = text.indexOf(':');
      var field = colon < 0 ? text : text.slice(0, colon);
      var value = colon < 0 ? '' : text.slice(colon + 1);
      if (value.charAt(0) === ' ') { value = value.slice(1); }
      if (field === 'data') { data.push(value); } else if (field === 'event') { name = value; } else if (field === 'id') { id = value; }
    }
    return {
      push: function (text) {
        buffer += text;
        var breaks = /\r\n|\r|\n/g;
        var start = 0;
        var found;
        while ((found = breaks.exec(buffer)) !== null) {
          // A \r last in the buffer may be half of \r\n: wait for the next chunk.
          if (found[0] === '\r' && found.index === buffer.length - 1) { break; }
          line(buffer.slice(start, found.index));
          start = breaks.lastIndex;
        }
        buffer = buffer.slice(start);
      }
    };
  }

  // Listens to the desk's call events (GET /v1/events) with the pairing code: onEvent(name, data, id) for each,
  // data parsed from JSON. EventSource cannot send the code in a header, so this reads fetch()'s body. When the
  // stream ends or fails (app closed, bridge restarted) it opens it again after 1 s, 2 s, 4 s… up to 30 s; a
  // refusal of the page itself (401 not paired, 403 origin) stops it. onState(state, detail), if given, hears
  // 'open', 'reconnecting', 'unauthorized', 'refused' and 'closed'. Returns {close()}.
  function subscribe(portNumber, code, onEvent, onState) {
    var closed = false;
    var controller = null;
    var timer = null;
    var delay = STREAM_RETRY_FIRST_MS;
    var report = function (state, detail) {
      if (onState) { try { onState(state, detail || ''); } catch (e) { /* the page's own bug: the stream goes on */ } }
    };
    function again(why) {
      if (closed) { return; }
      report('reconnecting', why + '; trying again in ' + delay / 1000 + ' s');
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, STREAM_RETRY_MAX_MS);
    }
    function refusedWith(response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return body.message || 'HTTP ' + response.status;
      });
    }
    function read(response) {
      delay = STREAM_RETRY_FIRST_MS;
      report('open');
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var parser = sseParser(function (frame) {
        var data;
        try { data = JSON.parse(frame.data); } catch (e) { data = frame.data; }
        try { onEvent(frame.event, data, frame.id); } catch (e) { /* the page's own bug: the stream goes on */ }
      });
      var next = function () {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            parser.push(decoder.decode());
            again('the app ended the stream');
            return undefined;
          }
          parser.push(decoder.decode(chunk.value, { stream: true }));
          return next();
        });
      };
      return next();
    }
    function connect() {
      timer = null;
      if (closed) { return; }
      controller = typeof AbortController === 'function' ? new AbortController() : null;
      fetch('http://127.0.0.1:' + portNumber + '/v1/events', {
        method: 'GET',
        mode: 'cors',
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        headers: { 'Authorization': 'Bearer ' + code },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (closed) { return undefined; }
        if (response.status === 401 || response.status === 403) {
          return refusedWith(response).then(function (why) {
            closed = true;
            report(response.status === 401 ? 'unauthorized' : 'refused', why);
          });
        }
        if (!response.ok || !response.body) {
          return refusedWith(response).then(again);
        }
        return read(response);
      }).catch(function () {
        again('the app does not answer on port ' + portNumber);
      });
    }
    connect();
    return {
      close: function () {
        if (closed) { return; }
        closed = true;
        if (timer) { clearTimeout(timer); }
        if (controller) { controller.abort(); }
        report('closed');
      }
    };
  }

  // The windows this page tells about the desk's events: whoever frames it or opened it.
  function hostWindows() {
    var hosts = [];
    [window.parent, window.opener, window.top].forEach(function (w) {
      if (w && w !== window && hosts.indexOf(w) < 0) { hosts.push(w); }
    });
    return hosts;
  }

  // Each desk event goes to the host windows, addressed to each origin this page trusts: the browser delivers it
  // only if the window is at that origin, so a host from anywhere else gets nothing (never '*').
  function forwardDeskEvent(name, data) {
    var message = { source: MESSAGE_SOURCE, event: name, data: data };
    var origins = trustedOrigins().filter(function (o, i, all) { return o !== 'null' && all.indexOf(o) === i; });
    hostWindows().forEach(function (target) {
      origins.forEach(function (origin) {
        try { target.postMessage(message, origin); } catch (e) { /* a closed opener */ }
      });
    });
  }

  function showDeskEvents(text) {
    var line = $('desk-events');
    if (line) { line.textContent = text; }
  }

  function listenToDesk() {
    stopListening();
    if (hostWindows().length === 0) {
      showDeskEvents('not listening: no page hosts this one (frame it, or open it with window.open)');
      return;
    }
    var forwarded = 0;
    deskEvents = subscribe(port(), token(), function (name, data) {
      forwarded += 1;
      forwardDeskEvent(name, data);
      showDeskEvents('forwarded ' + forwarded + ' (last: ' + name + ')');
    }, function (state, detail) {
      if (state === 'open') { showDeskEvents('listening, forwarded ' + forwarded); }
      if (state === 'reconnecting') { showDeskEvents('waiting for the app: ' + detail); }
      if (state === 'unauthorized') {
        setStatus('not paired: ' + (detail || 'paste the pairing code'));
        showDeskEvents('stopped: not paired');
      }
      if (state === 'refused') { showDeskEvents('stopped: ' + detail); }
    });
  }

  function stopListening() {
    if (deskEvents) { deskEvents.close(); deskEvents = null; }
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
    ping().then(function (answer) { if (answer.status === 200) { askCti(); pumpEvents(); listenToDesk(); } });
  }

  function forget() {
    var s = storage();
    if (s) { s.removeItem(STORAGE_TOKEN); }
    stopListening();
    showDeskEvents('not listening');
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
      ping().then(function (answer) { if (answer.status === 200) { askCti(); listenToDesk(); } });
    } else {
      setStatus('not paired: paste the pairing code the app shows');
    }
  }

  // For pages that load this script to read the desk's events themselves (see examples/crm-events.html).
  window.UcontactCompanion = { subscribe: subscribe, sseParser: sseParser, DEFAULT_PORT: DEFAULT_PORT };

  // The bridge page's own behaviour only on the bridge page: another page loading the script gets the API above.
  function startIfBridgePage() {
    if ($('companion-bridge')) { start(); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', startIfBridgePage);
  } else {
    startIfBridgePage();
  }
}());
