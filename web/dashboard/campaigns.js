/* Campaign rows: progress counted as the campaign counts it, pacing, and the supervisor's buttons. */
import { campaignButtons } from './actions.js';
import { el, model, percent } from './model.js';

export function campaignEntry(id) {
  if (!model.campaigns.has(id)) model.campaigns.set(id, { progress: null, pacing: null });
  return model.campaigns.get(id);
}

export function renderCampaigns() {
  const box = document.getElementById('campaigns');
  if (!model.campaigns.size) return;
  box.replaceChildren(
    ...[...model.campaigns.entries()].map(([id, c]) => {
      const d = el('div', { class: 'campaign', 'data-campaign': id, 'data-state': c.progress ? c.progress.state : '' });
      const p = c.progress;
      const q = c.pacing;
      const done = p && p.total ? Math.round((100 * (p.total - p.remaining)) / p.total) : 0;
      // "answered" is every answered call; abandonment is over the calls a person answered (answeredByPerson).
      const text = p
        ? `${id} (${p.state}): ${p.dialled} dialled, ${p.answered} answered (${p.answeredByPerson} by a person), ${p.abandoned} abandoned, ${p.remaining} left`
        : id;
      const head = el('div', { class: 'campaign-head' });
      head.append(el('span', {}, text), el('span', { class: 'campaign-actions' }));
      if (p) head.querySelector('.campaign-actions').append(...campaignButtons(id, p.state));
      const bar = el('div', { class: 'bar' });
      const fill = el('div');
      fill.style.width = `${done}%`;
      bar.append(fill);
      const pacing = q
        ? `dial level ${q.dialLevel.toFixed(2)}, occupancy ${percent(q.occupancy)}, abandonment ${percent(q.abandonment, 2)}` +
          (q.acd ? `, last hour ${percent(q.acd.abandonmentHour, 2)}` : '') +
          (q.abandonTarget !== undefined ? ` (target ${percent(q.abandonTarget)})` : '')
        : '';
      d.append(head, bar, el('div', { class: 'pacing' }, pacing));
      return d;
    }),
  );
}
