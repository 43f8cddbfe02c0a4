/* Occupancy (left axis, 0-100%) and the rolling-hour abandonment (right axis, its own scale)
   over the last minutes, with the abandonment target as a dashed line on the right axis. */
import { HISTORY, model } from './model.js';

const PAD = { left: 44, right: 48, top: 12, bottom: 28 };

export function recordSample(s, at) {
  const h = model.history;
  if (s.occupancy === undefined) return;
  if (h.length && at - h[h.length - 1].at < 1000) h.pop();
  h.push({ at, occupancy: s.occupancy, abandonment: s.abandonmentHour, target: s.target });
  if (h.length > HISTORY) h.shift();
}

export function drawChart() {
  const canvas = document.getElementById('pacing');
  const cssWidth = Math.max(280, Math.min(canvas.parentElement.clientWidth - 4, 1200));
  if (canvas.width !== cssWidth) canvas.width = cssWidth;
  const g = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  const hist = model.history;
  canvas.dataset.points = String(hist.length);
  g.clearRect(0, 0, w, h);
  g.font = '11px system-ui, sans-serif';
  const x0 = PAD.left;
  const x1 = w - PAD.right;
  const y0 = h - PAD.bottom;
  const y1 = PAD.top;
  // At least a minute wide; while less has been seen, the lines grow from the left edge.
  const first = hist.length ? hist[0].at : Date.now();
  const span = Math.max(60_000, hist.length ? hist[hist.length - 1].at - first : 0);
  const start = span > 60_000 ? hist[hist.length - 1].at - span : first;
  const target = hist.length ? hist[hist.length - 1].target : 0.03;
  const abMax = niceMax(Math.max(2 * target, ...hist.map((p) => p.abandonment)));
  canvas.dataset.abandonAxisMax = String(abMax);
  const x = (t) => x0 + ((t - start) / span) * (x1 - x0);
  const yOcc = (v) => y0 - v * (y0 - y1);
  const yAb = (v) => y0 - (v / abMax) * (y0 - y1);

  // Grid and both value axes.
  g.strokeStyle = '#e3e5e8';
  g.fillStyle = '#555';
  for (let i = 0; i <= 4; i++) {
    const y = y0 - (i / 4) * (y0 - y1);
    g.beginPath();
    g.moveTo(x0, y);
    g.lineTo(x1, y);
    g.stroke();
    g.textAlign = 'right';
    g.fillText(`${i * 25}%`, x0 - 4, y + 4);
    g.textAlign = 'left';
    g.fillText(`${((100 * abMax * i) / 4).toFixed(1)}%`, x1 + 4, y + 4);
  }
  // Time axis: a label about every 100 px.
  g.textAlign = 'center';
  const ticks = Math.max(2, Math.floor((x1 - x0) / 100));
  for (let i = 0; i <= ticks; i++) {
    const t = start + (i / ticks) * span;
    g.fillText(new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }), x(t), y0 + 16);
  }
  g.strokeStyle = '#888';
  g.beginPath();
  g.moveTo(x0, y1);
  g.lineTo(x0, y0);
  g.lineTo(x1, y0);
  g.lineTo(x1, y1);
  g.stroke();

  // Target line on the abandonment axis.
  g.strokeStyle = '#c0392b';
  g.setLineDash([6, 4]);
  g.beginPath();
  g.moveTo(x0, yAb(target));
  g.lineTo(x1, yAb(target));
  g.stroke();
  g.setLineDash([]);

  const line = (key, colour, y) => {
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.beginPath();
    hist.forEach((p, i) => (i ? g.lineTo(x(p.at), y(p[key])) : g.moveTo(x(p.at), y(p[key]))));
    g.stroke();
    g.lineWidth = 1;
  };
  line('occupancy', '#2a9d8f', yOcc);
  line('abandonment', '#e76f51', yAb);
}

function niceMax(v) {
  for (const step of [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]) if (v <= step) return step;
  return 1;
}
