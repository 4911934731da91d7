// The simulator's portal page: creates a call in the simulator and posts the portal's events about it to the
// embedding window, in uPhone's vocabulary ({action, params}) or the newer portal's ({event, data}). Payload
// fields follow what is public (guid, campaign, channel, clientId) plus the guessed ones (number, direction).
'use strict';

(function () {
  var NAMES = {
    uphone: { ring: 'gettingCall', finish: 'finishedCall', dispose: 'sentDispositions' },
    portal: { ring: 'assignedInteraction', finish: 'finishedInteraction', dispose: 'sentDisposition' }
  };
  var $ = function (id) { return document.getElementById(id); };
  var call = null;

  function vocab() { return $('vocab').value; }

  function post(message) {
    // To the embedding window, as the portal does; a page opened on its own posts to itself (harmless).
    window.parent.postMessage(message, '*');
    var item = document.createElement('li');
    item.textContent = JSON.stringify(message);
    $('log').appendChild(item);
  }

  function emit(step, payload) {
    var name = NAMES[vocab()][step];
    post(vocab() === 'uphone' ? { action: name, params: payload } : { event: name, data: payload });
  }

  function payload(extra) {
    var base = { guid: call.guid, campaign: call.campaign, number: call.number, direction: call.direction };
    if (vocab() === 'portal') { base.channel = 'telephony'; base.clientId = 1; }
    Object.keys(extra || {}).forEach(function (k) { base[k] = extra[k]; });
    return base;
  }

  function ring(kind) {
    fetch('/_sim/portal/calls', { method: 'POST', body: JSON.stringify({ kind: kind }) })
      .then(function (r) { return r.json(); })
      .then(function (created) {
        call = created;
        $('call').textContent = call.guid + ' ' + call.number + ' ' + call.campaign + ' (' + call.direction + ')';
        emit('ring', payload({ date: new Date().toISOString() }));
      });
  }

  function finish() {
    if (!call) { return; }
    fetch('/_sim/calls/' + encodeURIComponent(call.guid) + '/customer-hangup', { method: 'POST' })
      .then(function () { emit('finish', payload({ duration: 42 })); });
  }

  function dispose() {
    if (!call) { return; }
    emit('dispose', payload({ disposition: 'Resuelto' }));
  }

  // Wrong types where the call's fields go: the bridge must refuse it by name and the desk stay as it was.
  function malformed() {
    if (vocab() === 'uphone') {
      post({ action: 'gettingCall', params: { guid: { id: 1 }, number: ['099'] } });
    } else {
      post({ event: 'assignedInteraction', data: '{"guid": ' });
    }
  }

  function start() {
    var asked = new URLSearchParams(window.location.search).get('vocab');
    if (asked && NAMES[asked]) { $('vocab').value = asked; }
    $('ring-inbound').addEventListener('click', function () { ring('inbound'); });
    $('ring-dialer').addEventListener('click', function () { ring('dialer'); });
    $('finish').addEventListener('click', finish);
    $('dispose').addEventListener('click', dispose);
    $('malformed').addEventListener('click', malformed);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
