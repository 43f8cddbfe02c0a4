/* Span tiles with their channel grid, and the alarm list a supervisor acknowledges. */
import { el, model, STATES } from './model.js';

/** `${span} ${alarm}` -> { span, alarm, since, acked, cleared } */
const alarms = new Map();
const ACK_KEY = 'trunkpilot-acked-alarms';
const acked = new Set(JSON.parse(sessionStorage.getItem(ACK_KEY) || '[]'));

export function spanEntry(n) {
  if (!model.spans.has(n)) model.spans.set(n, { state: null, channels: {}, counters: null });
  return model.spans.get(n);
}

/** Alarms come and go with the span's state; an acknowledged one stays quiet until it clears and returns. */
export function trackAlarms(n, st) {
  const now = st.at || Date.now();
  const active = new Set(st.alarms.map((a) => `${n} ${a}`));
  for (const a of st.alarms) {
    const key = `${n} ${a}`;
    const known = alarms.get(key);
    if (!known || known.cleared) alarms.set(key, { span: n, alarm: a, since: now, acked: acked.has(`${key} ${now}`), cleared: false });
  }
  for (const [key, a] of alarms) if (a.span === n && !active.has(key) && !a.cleared) a.cleared = now;
  renderAlarms();
}

export function renderAlarms() {
  const list = document.getElementById('alarms');
  const items = [...alarms.entries()].filter(([, a]) => !(a.cleared && a.acked));
  if (!items.length) {
    list.replaceChildren(el('li', { class: 'empty' }, 'no alarms'));
    return;
  }
  list.replaceChildren(
    ...items.map(([key, a]) => {
      const li = el('li', { class: 'alarm', 'data-alarm': key, 'data-acked': String(a.acked), 'data-cleared': String(!!a.cleared) });
      const when = new Date(a.since).toLocaleTimeString();
      li.append(el('span', {}, `span ${a.span}: ${a.alarm} since ${when}${a.cleared ? ', cleared' : ''}`));
      if (!a.acked) {
        const b = el('button', { type: 'button', class: 'ack' }, 'acknowledge');
        b.addEventListener('click', () => {
          a.acked = true;
          acked.add(`${key} ${a.since}`);
          sessionStorage.setItem(ACK_KEY, JSON.stringify([...acked]));
          renderAlarms();
          renderSpan(a.span);
        });
        li.append(b);
      }
      return li;
    }),
  );
}

function spanLevel(n, st) {
  if (!st) return 'normal';
  const open = [...alarms.values()].filter((a) => a.span === n && !a.cleared);
  if (open.some((a) => !a.acked)) return 'red';
  if (open.length || !st.linkUp) return 'amber';
  return 'green';
}

export function renderSpan(n) {
  const s = model.spans.get(n);
  let box = document.querySelector(`.span[data-span="${n}"]`);
  if (!box) {
    box = el('div', { class: 'span', 'data-span': String(n) });
    box.append(el('div', { class: 'span-head' }), el('div', { class: 'grid' }));
    const after = [...document.querySelectorAll('.span')].find((b) => Number(b.dataset.span) > n);
    document.getElementById('spans').insertBefore(box, after || null);
  }
  const st = s.state;
  box.dataset.level = spanLevel(n, st);
  const counts = st ? STATES.filter((k) => st.counts[k]).map((k) => `${k} ${st.counts[k]}`).join(', ') : '';
  const c = s.counters;
  box.querySelector('.span-head').replaceChildren(
    el('strong', {}, `Span ${n}`),
    el('span', { class: 'kind' }, st ? st.kind : ''),
    el('span', { class: 'link', 'data-up': String(!!(st && st.linkUp)) }, st ? (st.linkUp ? 'link up' : 'link down') : ''),
    el('span', { class: 'alarms' }, st && st.alarms.length ? st.alarms.join(' ') : ''),
    el('span', { class: 'counts' }, counts),
    el('span', { class: 'counters' }, c ? `dialled ${c.dialled} answered ${c.answered} unanswered ${c.unanswered} talking ${c.talking}` : ''),
  );
  const grid = box.querySelector('.grid');
  for (const ch of Object.keys(s.channels).map(Number).sort((a, b) => a - b)) {
    let cell = grid.querySelector(`[data-channel="${ch}"]`);
    if (!cell) {
      cell = el('div', { 'data-channel': String(ch), style: `--col: ${ch}` }, String(ch));
      grid.append(cell);
    }
    const state = s.channels[ch];
    cell.className = `ch st-${state}`;
    cell.dataset.state = state;
    cell.title = `channel ${ch}: ${state}`;
  }
}

export function renderLegend() {
  document.getElementById('legend').replaceChildren(...STATES.map((s) => el('span', { class: `st-${s}` }, s)));
}
