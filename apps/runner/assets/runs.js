// The runs page and sweep pages: sort and filter the runs table, and follow runs and sweeps live
// over server-sent events (/api/live). Without scripts the pages are plain, complete tables.

const table = document.getElementById('runs');
const filter = document.getElementById('filter');

function cellValue(row, index, kind) {
  const cell = row.cells[index];
  const raw = cell?.dataset.value ?? cell?.textContent ?? '';
  return kind === 'number' ? (raw === '' ? Number.NaN : Number(raw)) : raw.toLowerCase();
}

if (table && table.tHead) {
  for (const th of table.tHead.rows[0].cells) {
    if (!th.dataset.sort) continue;
    const sort = () => {
      const index = th.cellIndex;
      const kind = th.dataset.sort;
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      for (const other of table.tHead.rows[0].cells) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const rows = [...table.tBodies[0].rows];
      rows.sort((a, b) => {
        const [x, y] = [cellValue(a, index, kind), cellValue(b, index, kind)];
        // empty cells last, whichever the direction
        if (kind === 'number' && (Number.isNaN(x) || Number.isNaN(y))) return Number.isNaN(x) - Number.isNaN(y);
        return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
      });
      table.tBodies[0].append(...rows);
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (event) => event.key === 'Enter' && sort());
  }
}

if (table && filter) {
  filter.addEventListener('input', () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of table.tBodies[0].rows) {
      const text = row.textContent.toLowerCase();
      row.hidden = !words.every((word) => text.includes(word));
    }
  });
}

const live = document.getElementById('live');
const sweepHeader = document.getElementById('sweep');
if ((live || sweepHeader) && 'EventSource' in window) {
  const source = new EventSource('/api/live');
  let first;
  source.onmessage = (message) => {
    const state = JSON.parse(message.data);
    first ??= state;
    if (live) showLive(state);
    if (sweepHeader) {
      // a running sweep's page reloads when its trials move on
      const mine = state.sweeps.find((s) => s.id === sweepHeader.dataset.sweep);
      const before = first.sweeps.find((s) => s.id === sweepHeader.dataset.sweep);
      if (mine && before && (mine.done !== before.done || mine.status !== before.status)) location.reload();
    }
  };
}

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

const format = (n) => (typeof n === 'number' ? (Number.isInteger(n) ? String(n) : n.toPrecision(4)) : '');

let baseline;
function showLive(state) {
  baseline ??= state;
  const lines = [];
  for (const run of state.running) {
    const stages = run.running.map(
      (s) =>
        `${s.stage}${s.epoch ? ` epoch ${s.epoch}/${s.epochs ?? '?'}${s.loss !== undefined ? ` loss ${format(s.loss)}` : ''}${s.valLoss !== undefined ? ` val_loss ${format(s.valLoss)}` : ''}` : ''}`,
    );
    lines.push(
      `${run.pipeline}${run.sweep ? ` (sweep trial ${run.sweep.trial})` : ''}: ${run.done}/${run.total} stages done${stages.length ? `; running ${stages.join(', ')}` : ''}`,
    );
  }
  for (const sweep of state.sweeps.filter((s) => s.status === 'running')) {
    lines.push(
      `sweep ${sweep.id}: ${sweep.done}/${sweep.total} trials${sweep.best ? `, best so far trial ${sweep.best.trial} ${sweep.best.metric} ${format(sweep.best.objective)}` : ''}`,
    );
  }
  live.replaceChildren();
  if (lines.length) {
    live.append(text('h2', 'Running now'));
    const list = document.createElement('ul');
    list.append(...lines.map((line) => text('li', line)));
    live.append(list);
  }
  const changed =
    state.finishedRuns !== baseline.finishedRuns ||
    JSON.stringify(state.sweeps.map((s) => [s.id, s.status])) !==
      JSON.stringify(baseline.sweeps.map((s) => [s.id, s.status]));
  if (changed) {
    const note = text('p', 'New results are in. ', 'new-results');
    const link = text('a', 'Reload');
    link.href = location.href;
    note.append(link);
    live.append(note);
  }
  live.hidden = live.childElementCount === 0;
}
