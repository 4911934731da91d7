// Lists the desk's call events (see ../README.md, "Call events for the CRM page"). Pairing: the code the bridge
// page keeps in this origin's localStorage (pair companion-bridge.html on this site first).
'use strict';
var code = localStorage.getItem('ucontactCompanionBridge.token');
var port = localStorage.getItem('ucontactCompanionBridge.port') || window.UcontactCompanion.DEFAULT_PORT;
var show = function (state, detail) { document.getElementById('state').textContent = state + (detail ? ': ' + detail : ''); };
window.UcontactCompanion.subscribe(port, code || '', function (name, data, id) {
  var call = data && data.call;
  var item = document.createElement('li');
  item.textContent = name === 'lagged' ? 'missed ' + data.missed + ' events' : '#' + id + ' ' + data.at + ' ' + name +
    (call ? ' ' + call.number + ' (' + call.campaign + ')' : '') + (data.disposition ? ' → ' + data.disposition : '') +
    (data.motive ? ' → ' + data.motive : '');
  document.getElementById('events').prepend(item);
}, show);
