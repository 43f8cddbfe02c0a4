/* Seats: state, time in state (colour past thresholds), answer-group filter, natural order. */
import { seatButtons } from './actions.js';
import { el, gatewayNow, mmss, model, naturalCompare, seatLevel } from './model.js';

export function renderSeats() {
  const box = document.getElementById('seats');
  const filter = document.getElementById('group-filter');
  updateGroups(filter);
  const list = [...model.seats.values()]
    .filter((s) => !filter.value || (s.answerGroups || []).includes(filter.value))
    .sort((a, b) => naturalCompare(a.seat, b.seat));
  if (!list.length) {
    box.replaceChildren(el('p', { class: 'empty' }, model.seats.size ? 'no seat in this group' : 'no seats reported'));
    return;
  }
  box.replaceChildren(
    ...list.map((s) => {
      const row = el('div', { class: 'seat', 'data-seat': s.seat, 'data-state': s.state, title: s.campaign || '' });
      row.append(
        el('span', { class: 'seat-name' }, s.seat),
        el('span', { class: 'seat-state', title: s.reason || '' }, s.reason ? `${s.state} (${s.reason})` : s.state),
        el('span', { class: 'seat-time', 'data-since': String(s.since) }),
        el('span', { class: 'seat-campaign' }, s.campaign || ''),
        el('span', { class: 'seat-actions' }),
      );
      row.querySelector('.seat-actions').append(...seatButtons(s));
      return row;
    }),
  );
  tickSeats();
}

/** Time in state moves every second without waiting for a message. */
export function tickSeats() {
  const now = gatewayNow();
  for (const row of document.querySelectorAll('.seat')) {
    const cell = row.querySelector('.seat-time');
    const ms = now - Number(cell.dataset.since);
    cell.textContent = mmss(ms);
    row.dataset.level = seatLevel(row.dataset.state, ms);
  }
}

function updateGroups(select) {
  const groups = new Set();
  for (const s of model.seats.values()) for (const g of s.answerGroups || []) groups.add(g);
  const have = [...select.options].map((o) => o.value).filter(Boolean);
  const want = [...groups].sort(naturalCompare);
  if (have.join('\n') === want.join('\n')) return;
  const keep = select.value;
  select.replaceChildren(el('option', { value: '' }, 'all'), ...want.map((g) => el('option', { value: g }, g)));
  select.value = want.includes(keep) ? keep : '';
}
