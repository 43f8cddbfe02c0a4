/* Supervisor commands over MQTT: published under cmd/<me>/<action>, answered on reply/<me>.
   The gateway checks the role and the command ACL again; the page only hides what it would refuse. */
import { el, may, model } from './model.js';

let send = () => {};
let seq = 0;
const pending = new Map();

export function bindCommands(client, root, user) {
  send = (action, args) => {
    const id = `web-${Date.now().toString(36)}-${++seq}`;
    pending.set(id, action);
    client.publish(`${root}/cmd/${user}/${action}`, JSON.stringify({ id, ...args }), { qos: 1 });
    show(`${action}: sent`, 'pending');
  };
}

export function onReply(msg) {
  if (!pending.has(msg.id)) return;
  pending.delete(msg.id);
  show(msg.ok ? `${msg.action}: done` : `${msg.action}: refused, ${msg.error.message}`, msg.ok ? 'ok' : 'error');
}

function show(text, kind) {
  const box = document.getElementById('action-result');
  box.textContent = text;
  box.dataset.kind = kind;
}

/** `args` may be a function, read at the click (listen and barge need the seat chosen then). */
function button(action, label, args) {
  const b = el('button', { type: 'button', class: 'act', 'data-action': action }, label);
  b.addEventListener('click', () => send(action, typeof args === 'function' ? args() : args));
  return b;
}

/** Listen and barge ring the supervisor's own seat, chosen in the header. */
const mySeat = () => document.getElementById('my-seat').value;

/** The buttons a seat row shows for this user; none for a viewer. */
export function seatButtons(seat) {
  const out = [];
  if (may('seat.force-ready') && (seat.state === 'paused' || seat.state === 'wrap-up'))
    out.push(button('seat.force-ready', 'ready', { seat: seat.seat }));
  if (may('seat.force-busy') && seat.state !== 'paused' && seat.state !== 'logged-out')
    out.push(button('seat.force-busy', 'busy', { seat: seat.seat }));
  if (seat.state === 'talking') {
    const sup = () => ({ seat: seat.seat, supervisorSeat: mySeat() });
    if (may('seat.listen')) out.push(button('seat.listen', 'listen', sup));
    if (may('seat.barge')) out.push(button('seat.barge', 'barge', sup));
    if (may('call.release') && seat.callId) out.push(button('call.release', 'release', { callId: seat.callId }));
  }
  return out;
}

export function campaignButtons(id, state) {
  const out = [];
  if (may('campaign.pause') && (state === 'running' || state === 'outside-hours'))
    out.push(button('campaign.pause', 'pause', { campaign: id }));
  if (may('campaign.resume') && state === 'paused') out.push(button('campaign.resume', 'resume', { campaign: id }));
  return out;
}

export function renderMySeat() {
  const box = document.getElementById('my-seat-box');
  box.hidden = !(may('seat.listen') || may('seat.barge'));
  const select = document.getElementById('my-seat');
  const ids = [...model.seats.keys()];
  if (select.options.length === ids.length) return;
  const keep = select.value || localStorage.getItem('trunkpilot-my-seat') || '';
  select.replaceChildren(...ids.map((id) => el('option', { value: id }, id)));
  if (ids.includes(keep)) select.value = keep;
  select.onchange = () => localStorage.setItem('trunkpilot-my-seat', select.value);
}
